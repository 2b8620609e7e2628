package suggest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageDocs checks the repository's habit of one doc.go per library
// package: each package outside cmd/ has a doc.go holding its package
// comment, and no other file of it has one (two would be joined by go doc).
func TestPackageDocs(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("%s is not the module root: %v", root, err)
	}
	docs := map[string]bool{} // package folder → has a doc.go with a comment
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "out" || rel == "cmd") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(rel))
		if _, seen := docs[dir]; !seen {
			docs[dir] = false
		}
		f, err := parser.ParseFile(fset, p, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		switch hasDoc := f.Doc != nil; {
		case d.Name() == "doc.go":
			docs[dir] = hasDoc
		case hasDoc:
			t.Errorf("%s: package comment outside doc.go: move it there", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 5 {
		t.Fatalf("found only %d packages under %s: the walk is broken", len(docs), root)
	}
	for dir, ok := range docs {
		if !ok {
			t.Errorf("%s/: no doc.go with a package comment", dir)
		}
	}
}
