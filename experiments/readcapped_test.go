package experiments

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ReadCapped reads a file up to its limit and refuses a larger one (by its
// size: a sparse file of 64 MiB + 1 byte is never read), a directory and
// a missing file, with *Error values naming the path.
func TestReadCapped(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.csv")
	if err := os.WriteFile(small, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadCapped(small, 10, "a file", "hint"); err != nil || string(b) != "0123456789" {
		t.Errorf("10 bytes under a limit of 10: %q, %v", b, err)
	}
	huge := filepath.Join(dir, "huge.csv")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxPosteriorBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, c := range []struct {
		path  string
		limit int
		want  string
	}{
		{small, 9, "larger than 0 MiB: hint"},
		{huge, MaxPosteriorBytes, "larger than 64 MiB: hint"},
		{dir, MaxPosteriorBytes, "is a directory, not a file: give the path of a file"},
		{filepath.Join(dir, "gone.csv"), MaxPosteriorBytes, "no such file"},
	} {
		_, err := ReadCapped(c.path, c.limit, "a file", "hint")
		var e *Error
		if !errors.As(err, &e) || e.File != c.path || !strings.Contains(e.Msg, c.want) {
			t.Errorf("%s (limit %d): %v, want an *Error naming it, with %q", c.path, c.limit, err, c.want)
		}
	}
}
