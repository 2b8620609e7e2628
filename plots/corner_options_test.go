package plots

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"gonum.org/v1/plot"
)

// TestCornerOptions: the corner plot is drawn with at least 340 px a
// column at the default dpi, square (or taller, for a taller height), and
// never past MaxPixels: a larger size is drawn smaller with its dpi,
// keeping the figure's inches.
func TestCornerOptions(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		o Options
		d int
	}{
		{Options{}, 3}, {Options{}, 15}, {Options{Height: 3000}, 4}, {Options{DPI: 600}, 15},
		{Options{Width: 5000, Height: 3200, DPI: 600}, 40}, {Options{DPI: 36}, 15},
	} {
		o := c.o.withDefaults()
		got := CornerOptions(c.o, c.d).drawn(cornerHeightScale)
		if px := int64(got.Width) * int64(got.Height); px > MaxPixels {
			t.Errorf("%+v, %d parameters: drawn %d×%d = %d pixels, want at most %d", c.o, c.d, got.Width, got.Height, px, MaxPixels)
		}
		// The width in inches: at least 340/144 a column, and the given width.
		inW := float64(got.Width) / float64(got.DPI)
		wantW := max(float64(o.Width)/float64(o.DPI), float64(340*c.d)/float64(DefaultOptions.DPI))
		if inW < 0.97*wantW {
			t.Errorf("%+v, %d parameters: %.2f inches wide (%d px at %d dpi), want at least %.2f", c.o, c.d, inW, got.Width, got.DPI, wantW)
		}
		inH := float64(got.Height) / float64(got.DPI)
		if wantH := max(cornerHeightScale*float64(o.Height)/float64(o.DPI), inW); inH < 0.97*wantH {
			t.Errorf("%+v, %d parameters: %.2f inches high, want at least %.2f", c.o, c.d, inH, wantH)
		}
	}
	if got := CornerOptions(Options{}, 3); got.Width != DefaultOptions.Width || got.Height != DefaultOptions.Height || got.DPI != DefaultOptions.DPI {
		t.Errorf("three parameters at the defaults: %+v, want the default size", got)
	}
}

// TestRenderMaxPixels: a figure whose HeightScale, or CornerOptions'
// widening, takes the options past MaxPixels is drawn within it, at the
// size Options.drawn says, with the same inches, and Render reports it
// shrunk with the size it asked for; one within it is drawn at its size
// and not reported, nor is an SVG drawn so (it keeps its inches).
func TestRenderMaxPixels(t *testing.T) {
	t.Parallel()
	corner := CornerOptions(Options{}, 13) // 4420 px wide, square at its HeightScale
	for _, c := range []struct {
		o      Options
		hs     float64
		shrunk bool
	}{
		{Options{Width: 800, Height: 500, DPI: 72}, 1.6, false},
		{Options{Width: 5000, Height: 3200}, 2, true},
		{corner, cornerHeightScale, true},
		{Options{Width: 5000, Height: 3200, Format: "svg"}, 2, false},
	} {
		f := &Figure{Title: []string{"t"}, Panels: [][]*plot.Plot{{plot.New()}}, HeightScale: c.hs}
		var buf bytes.Buffer
		got, err := f.Render(&buf, c.o)
		if err != nil {
			t.Fatal(err)
		}
		o := c.o.withDefaults()
		want := c.o.drawn(c.hs)
		asked := o
		asked.Height = int(math.Round(float64(o.Height) * c.hs))
		if got.Asked != asked || got.Drawn != want || got.Shrunk() != c.shrunk || got.Path != "" {
			t.Errorf("%+v × %g: Render says %+v (shrunk %v), want asked %+v, drawn %+v (shrunk %v)", c.o, c.hs, got, got.Shrunk(), asked, want, c.shrunk)
		}
		// The corner plot is drawn narrower than it asked, yet wider than
		// the --width it was widened from: only what it asked tells.
		if c.o == corner && (want.Width >= asked.Width || want.Width <= DefaultOptions.Width) {
			t.Errorf("corner plot: drawn %d wide, want narrower than the %d asked and wider than %d", want.Width, asked.Width, DefaultOptions.Width)
		}
		if o.Format == "png" {
			cfg, err := png.DecodeConfig(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Width != want.Width || cfg.Height != want.Height || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
				t.Errorf("%+v × %g: drawn %d×%d, want %d×%d within %d pixels", c.o, c.hs, cfg.Width, cfg.Height, want.Width, want.Height, MaxPixels)
			}
		}
		if in, wantIn := float64(want.Width)/float64(want.DPI), float64(o.Width)/float64(o.DPI); in < 0.98*wantIn || in > 1.02*wantIn {
			t.Errorf("%+v × %g: %.2f inches wide, want %.2f", c.o, c.hs, in, wantIn)
		}
	}
}
