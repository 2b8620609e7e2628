package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzArgs runs the program with arbitrary arguments (the input split at
// spaces) in an empty temporary working directory holding small.toml, under
// a context that is already cancelled, so that any simulation stops at once.
// It must never panic, every error must be one line, and nothing may be
// written outside the working directory: inputs naming an absolute path
// or a parent directory are left out, and the test's own directory is
// checked unchanged. The seeds run under plain go test.
//
//	go test ./cmd/coopsim -run XXX -fuzz FuzzArgs -fuzztime 60s
func FuzzArgs(f *testing.F) {
	small, err := os.ReadFile(smallFile)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"", "help", "help run", "help nosuch", "-h", "--help", "version", "regimes", "params", "default",
		"validate small.toml", "validate", "validate small.toml extra", "validate .",
		"run small.toml --out o --runs 3 --seed 7 --workers 1 --quiet",
		"run small.toml --out o --shard 2/3 --quiet", "run small.toml --shard 0/0", "run small.toml --shard 3/2",
		"run small.toml --resume o", "run small.toml --out o --resume p", "run --runs -1", "run --runs 0", "run --seed x",
		"run small.toml --workers 4097", "run small.toml --checkpoint -1s", "run small.toml --out o --force --no-plots",
		"run --out=o --runs=2 small.toml --quiet", "run small.toml small.toml", "run nosuch.toml", "run -- small.toml",
		"merge", "merge a b", "merge a --out a", "merge a --out o --force --no-plots",
		"plot", "plot o", "plot o --format gif", "plot o --width 20000 --height 20000 --dpi 1200", "plot o --dpi 0 --width -5",
		"calibrate --quick --quiet --out c", "calibrate small.toml --workers -1", "calibrate --targets nosuch.toml",
		"sensitivity", "sensitivity small.toml", "discover small.toml --merge a b", "nosuch", "rnu", "--workers",
	} {
		f.Add(s)
	}
	home, err := os.Getwd()
	if err != nil {
		f.Fatal(err)
	}
	before := listDir(f, home)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, " ")
		if line == "" {
			args = nil
		}
		for _, a := range args {
			_, v, _ := strings.Cut(a, "=")
			if filepath.IsAbs(a) || filepath.IsAbs(v) || strings.Contains(a, "..") || strings.ContainsRune(a, 0) {
				return
			}
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "small.toml"), small, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, &stdout, &stderr)
		if err != nil && strings.Contains(strings.TrimSpace(err.Error()), "\n") {
			t.Errorf("coopsim %s: error spans lines: %q", line, err)
		}
		if after := listDir(t, home); !slices.Equal(before, after) {
			t.Fatalf("coopsim %s wrote into the test's directory: %v, was %v", line, after, before)
		}
	})
}

func listDir(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
