package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, e := range ents {
		n = append(n, e.Name())
	}
	return n
}

// TestWrite: a failed write creates nothing and leaves an existing file as
// it was; a successful one replaces it whole, with mode 0644, and leaves no
// temporary file.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	boom := errors.New("boom")
	big := strings.Repeat("half ", 100000) // more than the buffer: reaches the disk
	err := Write(p, func(w io.Writer) error { io.WriteString(w, big); return boom })
	if !errors.Is(err, boom) {
		t.Errorf("Write error = %v, want boom", err)
	}
	if n := names(t, dir); len(n) != 0 {
		t.Errorf("after a failed write the directory holds %q", n)
	}
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	Write(p, func(w io.Writer) error { io.WriteString(w, "new"); return boom })
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("after a failed write the file holds %q, want old", b)
	}
	if err := WriteBytes(p, []byte(big)); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != big {
		t.Errorf("the file holds %d bytes, want %d", len(b), len(big))
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	if n := names(t, dir); !slices.Equal(n, []string{"f.txt"}) {
		t.Errorf("the directory holds %q, want only f.txt", n)
	}
}

// TestCommitAbort: Abort removes the temporary file; Commit after Abort
// or Commit is refused; Create in a missing directory fails.
func TestCommitAbort(t *testing.T) {
	dir := t.TempDir()
	a, err := Create(filepath.Join(dir, "x"))
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(a, "data")
	if err := a.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(); !errors.Is(err, ErrDone) {
		t.Errorf("Commit after Abort = %v, want ErrDone", err)
	}
	if n := names(t, dir); len(n) != 0 {
		t.Errorf("after Abort the directory holds %q", n)
	}
	b, err := Create(filepath.Join(dir, "y"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); !errors.Is(err, ErrDone) || b.Abort() != nil {
		t.Errorf("second Commit = %v, want ErrDone; Abort after Commit must be a no-op", err)
	}
	if _, err := Create(filepath.Join(dir, "missing", "z")); err == nil {
		t.Error("Create in a missing directory succeeded")
	}
}

// TestIsTemp: the temporary files Create makes are told apart from their
// destinations and from other files.
func TestIsTemp(t *testing.T) {
	dir := t.TempDir()
	a, err := Create(filepath.Join(dir, "series.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Abort()
	tmp := filepath.Base(a.f.Name())
	if !IsTemp(tmp, "runs.csv", "series.csv") {
		t.Errorf("IsTemp(%q) = false for a temporary file of series.csv", tmp)
	}
	for _, name := range []string{"series.csv", ".series.csv", "series.csv.tmp-1", ".runs.csv.tmp-1x/", "notes.txt",
		".runs.csv.tmp-", ".runs.csv.tmp-old", ".runs.csv.tmp-12a", ".series.csv.tmp-backup", tmp} {
		if name == tmp {
			if IsTemp(name, "runs.csv") {
				t.Errorf("IsTemp(%q, runs.csv) = true", name)
			}
			continue
		}
		if IsTemp(name, "runs.csv", "series.csv") {
			t.Errorf("IsTemp(%q) = true", name)
		}
	}
}
