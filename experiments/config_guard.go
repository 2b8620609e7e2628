package experiments

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Bounds on an experiment file, checked before it is decoded, so that no
// input can make loading take unbounded memory or time: the TOML decoder's
// work grows as the square of the nesting depth (20,000 nested inline
// tables took 10 GB).
const (
	// maxFileBytes bounds an experiment or included file (the default
	// experiment is under 2 KB).
	maxFileBytes = 1 << 20
	// maxDepth bounds how deeply tables, dotted keys, inline tables and
	// lists may nest within one another (the deepest parameter path,
	// [market] buyers.segments.regulated.security.mean, is 6 levels).
	maxDepth = 32
)

// fileKind is what a file read by readFile must be: its size limit and
// how the user names it in a fix ("a .toml file").
type fileKind struct {
	limit    int
	what     string // "a .toml file"
	sizeHint string // why the limit is enough, or how to get under it
	regular  bool   // refuse a device, pipe or socket
}

// The kinds of file an experiment reads. A posterior file may hold many
// draws: calibrate --posterior's default writes 16,000 rows (about 5 MB).
var (
	tomlKind      = fileKind{limit: maxFileBytes, what: "a .toml file", sizeHint: "an experiment file is a few kilobytes"}
	includeKind   = fileKind{limit: maxFileBytes, what: "a .toml file", sizeHint: "an experiment file is a few kilobytes", regular: true}
	posteriorKind = fileKind{limit: MaxPosteriorBytes, what: "a posterior .csv file", regular: true,
		sizeHint: "keep every k-th row of each chain, or " + PosteriorSizeHint}
)

// readFile reads name from fsys as a file of kind k, refusing a directory
// and a file larger than k's limit without reading it all; with
// k.regular, also a device, pipe or socket (which could block or never
// end), as an included file must be. Errors are worded for the user: no
// path inside fsys (the root of the file system) is shown.
func readFile(fsys fs.FS, name string, k fileKind) ([]byte, error) {
	notDir := "is a directory, not a file: give the path of " + k.what
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, readError(err)
	}
	if st.IsDir() {
		return nil, errors.New(notDir)
	}
	if st.Mode().IsRegular() && st.Size() > int64(k.limit) {
		return nil, fmt.Errorf("is larger than %s: %s", sizeWords(k.limit), k.sizeHint)
	}
	if k.regular && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("is not a regular file (a device, pipe or socket): give the path of %s", k.what)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, readError(err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errors.New(notDir)
	}
	data, err := io.ReadAll(io.LimitReader(f, int64(k.limit)+1))
	if err != nil {
		return nil, readError(err)
	}
	if len(data) > k.limit {
		return nil, fmt.Errorf("is larger than %s: %s", sizeWords(k.limit), k.sizeHint)
	}
	return data, nil
}

// sizeWords writes a size limit of n bytes exactly: in MiB or KiB where it
// is a whole number of them (the limits coopsim sets: "64 MiB"), else in
// bytes.
func sizeWords(n int) string {
	switch {
	case n > 0 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n > 0 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// readError words a file-system error without the path it carries.
func readError(err error) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file: check the path")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied: the file cannot be read")
	case errors.As(err, &pe):
		return fmt.Errorf("cannot be read: %v", pe.Err)
	}
	return fmt.Errorf("cannot be read: %v", err)
}

// checkShape refuses a file larger than maxFileBytes or nesting deeper
// than maxDepth, scanning its bytes once (strings and comments skipped)
// before any decoding.
func checkShape(file string, data []byte) error {
	if len(data) > maxFileBytes {
		return &Error{File: file, Msg: fmt.Sprintf("the file is %d bytes, want at most %d: an experiment file is a few kilobytes", len(data), maxFileBytes)}
	}
	s := shapeScanner{data: data, keyMode: true, keyParts: 1}
	if at, ok := s.scan(); !ok {
		line, col := s.position(at)
		return &Error{File: file, Line: line, Column: col,
			Msg: fmt.Sprintf("tables, keys and lists nest more than %d levels deep here: flatten the file (parameter paths need at most 6)", maxDepth)}
	}
	return nil
}

// shapeScanner tracks nesting through a TOML file: the parts of the
// current table header, of the key being read, and the open inline tables
// and lists.
type shapeScanner struct {
	data        []byte
	headerParts int
	keyParts    int
	keyMode     bool   // reading a key (before '=')
	open        []byte // open '[' and '{' of values
}

// position returns the line and column of byte offset at.
func (s *shapeScanner) position(at int) (int, int) {
	line, start := 1, 0
	for i := 0; i < at && i < len(s.data); i++ {
		if s.data[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, at - start + 1
}

func (s *shapeScanner) depth() int { return s.headerParts + len(s.open) + s.keyParts }

// scan returns the offset at which nesting first exceeds maxDepth, and
// false; or true if it never does. Syntax errors are left to the decoder:
// the scan only has to end, and bound what it accepts.
func (s *shapeScanner) scan() (int, bool) {
	d := s.data
	for i := 0; i < len(d); {
		c := d[i]
		switch {
		case c == '\n':
			if len(s.open) == 0 {
				s.keyMode, s.keyParts = true, 1
			}
			i++
		case c == '#':
			for i < len(d) && d[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			i = skipString(d, i)
		case c == '[' && s.keyMode && len(s.open) == 0:
			end, parts := header(d, i)
			s.headerParts, s.keyParts = parts, 0
			if s.depth() > maxDepth {
				return i, false
			}
			i = end
		case s.keyMode && c == '.':
			s.keyParts++
			if s.depth() > maxDepth {
				return i, false
			}
			i++
		case s.keyMode && c == '=':
			s.keyMode = false
			i++
		case c == '[' || c == '{':
			s.open = append(s.open, c)
			if c == '{' {
				s.keyMode, s.keyParts = true, 1
			}
			if s.depth() > maxDepth {
				return i, false
			}
			i++
		case c == ']' || c == '}':
			if len(s.open) > 0 {
				s.open = s.open[:len(s.open)-1]
			}
			s.keyMode, s.keyParts = false, 0
			i++
		case c == ',' && len(s.open) > 0 && s.open[len(s.open)-1] == '{':
			s.keyMode, s.keyParts = true, 1
			i++
		default:
			i++
		}
	}
	return 0, true
}

// header returns the offset after the table header that starts at i
// ("[a.b]" or "[[a.b]]") and its number of key parts.
func header(d []byte, i int) (int, int) {
	parts := 1
	for i < len(d) && d[i] == '[' {
		i++
	}
	for i < len(d) && d[i] != ']' && d[i] != '\n' {
		switch d[i] {
		case '"', '\'':
			i = skipString(d, i)
			continue
		case '.':
			parts++
		}
		i++
	}
	for i < len(d) && d[i] == ']' {
		i++
	}
	return i, parts
}

// skipString returns the offset after the string that starts at i: basic
// ("..." with backslash escapes) or literal ('...'), single- or multi-line
// (tripled quotes). An unterminated string ends at the end of its line
// (single) or of the file (multi-line).
func skipString(d []byte, i int) int {
	q := d[i]
	if i+2 < len(d) && d[i+1] == q && d[i+2] == q {
		for j := i + 3; j < len(d); j++ {
			if q == '"' && d[j] == '\\' {
				j++
				continue
			}
			if d[j] == q && j+2 < len(d) && d[j+1] == q && d[j+2] == q {
				return j + 3
			}
		}
		return len(d)
	}
	for j := i + 1; j < len(d); j++ {
		switch {
		case q == '"' && d[j] == '\\':
			j++
		case d[j] == q:
			return j + 1
		case d[j] == '\n':
			return j
		}
	}
	return len(d)
}
