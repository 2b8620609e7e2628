package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMELayout checks that README's Layout table names every package
// of the repository (a folder holding non-test Go files) and no package
// that is gone, so that the package map stays true as packages come and go.
func TestREADMELayout(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal("README.md has no '## Layout' section")
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(layout, "\n") {
		if name, ok := strings.CutPrefix(line, "| `"); ok {
			if i := strings.Index(name, "/` |"); i > 0 {
				listed[name[:i]] = true
			}
		}
	}
	pkgs := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "out") && rel != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			pkgs[filepath.ToSlash(filepath.Dir(rel))] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 5 {
		t.Fatalf("found only %d packages under %s: the walk is broken", len(pkgs), root)
	}
	for p := range pkgs {
		if !listed[p] {
			t.Errorf("README's Layout table lacks package %s/", p)
		}
	}
	for p := range listed {
		if !pkgs[p] {
			t.Errorf("README's Layout table lists %s/, which holds no package", p)
		}
	}
}
