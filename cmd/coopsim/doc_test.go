package main

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readmeCommands returns the coopsim command lines of README.md's fenced
// code blocks (lines that start with "coopsim " or "go run ./cmd/coopsim ",
// after an optional "$ " prompt), and the body of its first ```toml block.
func readmeCommands(t *testing.T, readme string) (cmds []string, toml string) {
	t.Helper()
	f, err := os.Open(readme)
	if err != nil {
		t.Fatalf("%v (the doc test runs the README's commands)", err)
	}
	defer f.Close()
	in, lang := false, ""
	var tomlLines []string
	tomlDone := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			if in && lang == "toml" && len(tomlLines) > 0 {
				tomlDone = true
			}
			in = !in
			lang = strings.TrimPrefix(trimmed, "```")
			continue
		}
		if !in {
			continue
		}
		if lang == "toml" && !tomlDone {
			tomlLines = append(tomlLines, line)
			continue
		}
		cmd := strings.TrimPrefix(trimmed, "$ ")
		if strings.HasPrefix(cmd, "coopsim ") || strings.HasPrefix(cmd, "go run ./cmd/coopsim ") || cmd == "coopsim" || cmd == "go run ./cmd/coopsim" {
			cmds = append(cmds, cmd)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cmds, strings.Join(tomlLines, "\n") + "\n"
}

// placeholder reports whether a command line stands for a family of
// commands (FILE, DIR, K/N, ...) rather than one to run as written.
func placeholder(cmd string) bool {
	for _, p := range []string{"FILE", "DIR", "K/N", "...", "…", "<", "$"} {
		if strings.Contains(cmd, p) {
			return true
		}
	}
	return false
}

// shellWords splits a command line as sh would for the simple lines of a
// README: words separated by blanks, '...' and "..." quoting, # comments.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			return words
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// TestREADME runs every coopsim command of README.md's code blocks, in
// order, in a fresh working directory, as a user following it would (STYLE
// 11: the manual is tested): each as its own process (this test binary in
// its child mode, TestMain) started in that directory, so that the test
// needs no t.Chdir and runs in parallel with the others. `go run
// ./cmd/coopsim` is this program. The directory holds a copy of the
// repository's .toml files at their paths (for commands that name
// experiments/...) and exp.toml, the user's own experiment of the
// scale-out commands: experiments/testdata/small.toml, so that they take a
// second. (The README's example experiment would take as long as the
// default; it is validated instead, with fitted.toml, the include it names,
// beside it.) Lines with placeholders (FILE, DIR, K/N, ...) are skipped.
// The quick start runs the full default experiment (8 scenarios × 1,000
// runs of 10,000 buyers): about 50 s of wall time on 2 idle cores; under
// -short each command is shrunk (shortArgs).
func TestREADME(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmds, example := readmeCommands(t, filepath.Join(root, "README.md"))
	if len(cmds) == 0 {
		t.Fatal("README.md has no coopsim commands in code blocks: nothing tested")
	}
	const quickStart = "go run ./cmd/coopsim run"
	found := false
	for _, c := range cmds {
		found = found || c == quickStart
	}
	if !found {
		t.Errorf("README.md lacks the quick start %q", quickStart)
	}

	work := t.TempDir()
	copyTOML(t, root, work)
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(work, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	small, err := os.ReadFile(filepath.Join(root, "experiments", "testdata", "small.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write("exp.toml", small)
	write("readme-example.toml", []byte(example))
	fitted, err := os.ReadFile(filepath.Join(root, "experiments", "default", "fitted.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write("fitted.toml", fitted)
	write(shortTargets, []byte(oneTarget))
	if strings.TrimSpace(example) == "" {
		t.Error("README.md has no ```toml example experiment")
	} else if stderr, err := coopsimIn(work, "validate", "readme-example.toml"); err != nil {
		t.Errorf("README's example experiment: %v\nstderr:\n%s", err, stderr)
	}

	ran := 0
	for _, line := range cmds {
		if placeholder(line) {
			t.Logf("skipped (placeholder): %s", line)
			continue
		}
		words := shellWords(line)
		args := words[1:] // coopsim ARGS
		if words[0] == "go" {
			args = words[3:] // go run ./cmd/coopsim ARGS
		}
		if testing.Short() {
			args = shortArgs(args)
		}
		start := time.Now()
		if stderr, err := coopsimIn(work, args...); err != nil {
			t.Errorf("README: %s: %v\nstderr:\n%s", line, err, stderr)
			continue
		}
		ran++
		t.Logf("ran: %s (%v)", line, time.Since(start).Round(time.Millisecond))
	}
	if ran == 0 {
		t.Error("every README command has a placeholder: nothing ran")
	}
	if !strings.Contains(strings.Join(cmds, "\n"), quickStart) {
		return
	}
	// The quick start says its results are in out/default.
	if _, err := os.Stat(filepath.Join(work, "out", "default", "summary.json")); err != nil {
		t.Errorf("quick start: %v", err)
	}
}

// shortTargets is the targets file of the README's calibrations under
// -short: oneTarget (calibrate_test.go), one target and one free parameter.
const shortTargets = "short-targets.toml"

// shortArgs shrinks a README command for `go test -short`: a run without
// --runs does 2 runs, a calibration is --quick and, without --targets,
// fits shortTargets (a fit of the default targets is seconds even with
// --quick). The full commands run without -short (CI runs them).
func shortArgs(args []string) []string {
	if len(args) == 0 {
		return args
	}
	has := func(flag string) bool {
		for _, a := range args {
			if a == flag || strings.HasPrefix(a, flag+"=") {
				return true
			}
		}
		return false
	}
	out := append([]string(nil), args...)
	switch args[0] {
	case "run":
		if !has("--runs") {
			out = append(out, "--runs", "2")
		}
	case "calibrate":
		if !has("--quick") {
			out = append(out, "--quick")
		}
		if !has("--targets") {
			out = append(out, "--targets", shortTargets)
		}
	}
	return out
}

// coopsimIn runs this program with args in directory dir, as a separate
// process (this test binary in its child mode, see TestMain), and returns
// its stderr and its error (an *exec.ExitError for a non-zero exit).
func coopsimIn(dir string, args ...string) (stderr string, err error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	var e bytes.Buffer
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "COOPSIM_CHILD=1")
	if testing.Short() {
		cmd.Env = append(cmd.Env, childSmallFigures+"=1")
	}
	cmd.Stderr = &e
	err = cmd.Run()
	return e.String(), err
}

// copyTOML copies every .toml file under root (but .git and out) to the
// same path under dst.
func copyTOML(t *testing.T, root, dst string) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if rel == ".git" || rel == "out" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".toml") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestShellWords pins the README command splitter.
func TestShellWords(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"coopsim run":                           "coopsim|run",
		"coopsim run  exp.toml   # a comment":   "coopsim|run|exp.toml",
		`coopsim run "my exp.toml" --out 'a b'`: "coopsim|run|my exp.toml|--out|a b",
		"go run ./cmd/coopsim run --seed 3#x":   "go|run|./cmd/coopsim|run|--seed|3#x",
	} {
		if got := strings.Join(shellWords(in), "|"); got != want {
			t.Errorf("shellWords(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []string{"coopsim run FILE", "coopsim plot DIR", "coopsim run x --shard K/N", "coopsim merge DIR... --out DIR"} {
		if !placeholder(c) {
			t.Errorf("%q is not seen as a placeholder", c)
		}
	}
	if placeholder("coopsim run exp.toml --shard 1/3 --out out/s1") {
		t.Error("a concrete command is seen as a placeholder")
	}
}
