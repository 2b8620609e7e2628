package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/varsplit"
)

// TestParametricShare: the run summary's p column gives the share and its
// SE, a dash for a metric that does not vary (a firm with no revenue in a
// scenario: no variance to split), and nothing without a split.
func TestParametricShare(t *testing.T) {
	for _, c := range []struct {
		v    *varsplit.Split
		want string
	}{
		{nil, ""},
		{&varsplit.Split{Total: 4, Parametric: 3, Noise: 1, Share: 0.75, ShareSE: 0.05}, " p 75±5%"},
		{&varsplit.Split{}, " p —"},
	} {
		if got := parametricShare(c.v); got != c.want {
			t.Errorf("parametricShare(%+v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestShrunkFigures: coopsim plot names the PNG figures drawn narrower
// than --width (shrunk to stay within the pixel bound), with their size,
// and not those drawn at the width (however tall) or other formats.
func TestShrunkFigures(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, w, h int) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{write("wide.png", 100, 160), write("shrunk.png", 80, 120), filepath.Join(dir, "x.svg")}
	if got := strings.Join(shrunkFigures(files, 100), "; "); got != "shrunk.png 80×120" {
		t.Errorf("shrunkFigures = %q, want shrunk.png 80×120", got)
	}
}
