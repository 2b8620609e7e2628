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
// a missing file, with *Error values naming the path; the limit is stated
// exactly whatever its size (whole messages are compared).
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
		{small, 9, "is larger than 9 bytes: hint"},
		{small, 1, "is larger than 1 byte: hint"},
		{huge, 1 << 10, "is larger than 1 KiB: hint"},
		{huge, 1536, "is larger than 1536 bytes: hint"},
		{huge, 3 << 19, "is larger than 1536 KiB: hint"},
		{huge, MaxPosteriorBytes, "is larger than 64 MiB: hint"},
		{dir, MaxPosteriorBytes, "is a directory, not a file: give the path of a file"},
		{filepath.Join(dir, "gone.csv"), MaxPosteriorBytes, "no such file: check the path"},
	} {
		_, err := ReadCapped(c.path, c.limit, "a file", "hint")
		var e *Error
		if !errors.As(err, &e) || e.File != c.path || e.Msg != c.want {
			t.Errorf("%s (limit %d): %v, want an *Error naming it, saying %q", c.path, c.limit, err, c.want)
		}
	}
}

// PosteriorSizeHint states MaxPosteriorBytes's size and the flag that
// keeps a posterior within it, and no other number: a count of draws would
// be calibration.MostDraws's (which depends on the parameters and chains)
// and could drift from it, as "about 58,000 draws a chain" did from the
// 40,000 --draws takes.
func TestPosteriorSizeHint(t *testing.T) {
	size := sizeWords(MaxPosteriorBytes)
	for _, want := range []string{"within " + size, "--draws"} {
		if !strings.Contains(PosteriorSizeHint, want) {
			t.Errorf("PosteriorSizeHint %q does not say %q", PosteriorSizeHint, want)
		}
	}
	if rest := strings.Replace(PosteriorSizeHint, size, "", 1); strings.ContainsAny(rest, "0123456789") {
		t.Errorf("PosteriorSizeHint %q gives a number besides its size %s", PosteriorSizeHint, size)
	}
}
