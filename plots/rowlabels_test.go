package plots

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"gonum.org/v1/plot"
)

// TestRowLabelsClear: a row label wrapped into two lines ("OpenAI on
// Vertex", as channel_shares.png's) at README's half size, 800×500 px at 72
// dpi, leaves clear columns between its lines and between it and the
// panels' "%" axis labels: the first three runs of inked columns left of
// the panels (the label's two lines, then "%") lie at least 4 px (a
// quarter line), then 9 px, apart.
// (Its lines were 2 px apart, a descender almost on the next line's
// capitals, and "%" 7 px from the strip's edge.)
func TestRowLabelsClear(t *testing.T) {
	t.Parallel()
	f := &Figure{HeightScale: 1.5}
	for range 7 {
		var row []*plot.Plot
		for range 8 {
			p := timePanel("")
			p.Y.Label.Text = "%"
			p.Y.Min, p.Y.Max, p.X.Min, p.X.Max = 0, 15, 2019, 2032
			row = append(row, p)
		}
		f.Panels = append(f.Panels, row)
		f.RowLabels = append(f.RowLabels, "OpenAI on Vertex")
	}
	var buf bytes.Buffer
	if _, err := f.Render(&buf, Options{Width: 800, Height: 500, DPI: 72}); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	runs := inkRuns(img)
	if len(runs) < 4 {
		t.Fatalf("inked column runs %v: want the label's two lines, %%, the tick labels and more", runs)
	}
	for i, want := range []int{4, 9} { // between the lines; to "%"
		if gap := runs[i+1][0] - runs[i][1]; gap < want {
			t.Errorf("inked columns %v and %v are %d px apart, want at least %d (runs %v)", runs[i], runs[i+1], gap, want, runs)
		}
	}
}

// inkRuns returns the runs of columns, left to right, that hold a pixel
// darker than mid grey: [first, end) each.
func inkRuns(img image.Image) [][2]int {
	b := img.Bounds()
	var runs [][2]int
	in := false
	for x := b.Min.X; x < b.Max.X; x++ {
		ink := false
		for y := b.Min.Y; y < b.Max.Y && !ink; y++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			ink = (r+g+bl)/3 < 0xC000
		}
		switch {
		case ink && !in:
			runs = append(runs, [2]int{x, x + 1})
		case ink:
			runs[len(runs)-1][1] = x + 1
		}
		in = ink
	}
	return runs
}
