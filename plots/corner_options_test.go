package plots

import "testing"

// TestCornerOptions: the corner plot gets at least 340 px a column at the
// default dpi and a height of at least 1/1.6 of its width, honours a
// taller height, and never passes MaxPixels: a larger size is shrunk with
// its dpi, keeping the figure's inches.
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
		got := CornerOptions(c.o, c.d)
		if px := int64(got.Width) * int64(got.Height); px > MaxPixels {
			t.Errorf("%+v, %d parameters: %d×%d = %d pixels, want at most %d", c.o, c.d, got.Width, got.Height, px, MaxPixels)
		}
		// The width in inches: at least 340/144 a column, and the given width.
		inW := float64(got.Width) / float64(got.DPI)
		wantW := max(float64(o.Width)/float64(o.DPI), float64(340*c.d)/float64(DefaultOptions.DPI))
		if inW < 0.97*wantW {
			t.Errorf("%+v, %d parameters: %.2f inches wide (%d px at %d dpi), want at least %.2f", c.o, c.d, inW, got.Width, got.DPI, wantW)
		}
		inH := float64(got.Height) / float64(got.DPI)
		if wantH := max(float64(o.Height)/float64(o.DPI), inW/1.6); inH < 0.97*wantH {
			t.Errorf("%+v, %d parameters: %.2f inches high, want at least %.2f", c.o, c.d, inH, wantH)
		}
	}
	if got := CornerOptions(Options{}, 3); got.Width != DefaultOptions.Width || got.Height != DefaultOptions.Height || got.DPI != DefaultOptions.DPI {
		t.Errorf("three parameters at the defaults: %+v, want the default size", got)
	}
}
