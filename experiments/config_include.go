package experiments

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/coopsim/coopsim/market"
)

// dirFS returns the file system root and dir's path in it, so that
// includes may name files in other directories ("../default/fitted.toml").
func dirFS(dir string) (fs.FS, string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real // so that "../" means what it means to the shell
	}
	vol := filepath.VolumeName(abs)
	rel := strings.TrimPrefix(filepath.ToSlash(abs[len(vol):]), "/")
	if rel == "" {
		rel = "."
	}
	return os.DirFS(vol + string(filepath.Separator)), rel, nil
}

// mainFile is the experiment's own file among Experiment.files.
const mainFile = "experiment.toml"

// maxIncludeUp bounds how far up ("../") an include may reach, so that a
// partial result can carry its includes (see LoadPartial).
const maxIncludeUp = 8

// lastDirs returns the last n elements of the slash path p (fewer if it
// has fewer), or "." for none.
func lastDirs(p string, n int) string {
	parts := strings.Split(path.Clean(p), "/")
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return path.Join(parts...)
}

// upLevels returns how many directories above its start a relative path
// climbs at its highest.
func upLevels(p string) int {
	depth, up := 0, 0
	for _, part := range strings.Split(path.Clean(p), "/") {
		switch part {
		case "..":
			depth--
		case ".":
		default:
			depth++
		}
		up = max(up, -depth)
	}
	return up
}

func includeList(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, s := range x {
			str, ok := s.(string)
			if !ok {
				return nil, fmt.Errorf("want a file name or a list of file names, got %s", describeTOML(s))
			}
			out = append(out, str)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a file name or a list of file names, got %s", describeTOML(v))
}

// includeHolds says what an included file may hold.
const includeHolds = "an included file may hold only a [market] table of parameter paths (coopsim params lists them)"

// applyInclude sets the [market] of an included file on cfg and returns
// the file's text. name is its path in fsys, display as the user sees it;
// from is the experiment's name as the user sees it and self its path in
// fsys; chain is "experiment.toml → include.toml" as written, for a cycle.
func applyInclude(fsys fs.FS, cfg *market.Config, name, display, from, self, chain string) ([]byte, error) {
	data, err := readFile(fsys, path.Clean(name), includeKind)
	if err != nil {
		return nil, &Error{File: from, Key: "include", Msg: fmt.Sprintf("%s: included file: %v (an include's path is relative to the experiment file)", display, err)}
	}
	var f includeFormat
	md, err := decode(display, data, &f)
	if err != nil {
		return nil, err
	}
	if f.Include != nil {
		return nil, nestedInclude(f.Include, name, display, self, chain)
	}
	for _, k := range md.Undecoded() {
		if !freeForm(k) {
			return nil, withLine(&Error{File: display, Key: strings.Join(k, "."),
				Msg: "not allowed in an included file: " + includeHolds + "; set the rest in the experiment file"}, display, data)
		}
	}
	return data, withLine(applyMarket(cfg, f.Market, "market", display), display, data)
}

// nestedInclude is the error for an included file that includes others:
// a cycle if one of them is the experiment or the included file itself,
// else a nesting that is not supported.
func nestedInclude(v any, name, display, self, chain string) error {
	list, _ := includeList(v)
	for _, inc := range list {
		if t := path.Join(path.Dir(name), inc); t == self || t == name {
			return &Error{File: display, Key: "include", Msg: fmt.Sprintf("include cycle: %s → %s: %s", chain, inc, includeHolds)}
		}
	}
	return &Error{File: display, Key: "include", Msg: "an included file cannot include others: list every include in the experiment file; " + includeHolds}
}
