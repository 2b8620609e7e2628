package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// quantileBox draws one box from summary percentiles: whiskers from P5 to
// P95, a box from P25 to P75, a median line and a circle at the mean.
// Values are already in axis units.
type quantileBox struct {
	X                            float64
	P5, P25, P50, P75, P95, Mean float64
	Color                        color.RGBA
	Width                        float64 // in x data units
}

func (b *quantileBox) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	x := trX(b.X)
	hw := (trX(b.X+b.Width/2) - trX(b.X-b.Width/2)) / 2
	edge := lineStyle(b.Color, 2)
	// Whiskers and caps.
	c.StrokeLine2(edge, x, trY(b.P75), x, trY(b.P95))
	c.StrokeLine2(edge, x, trY(b.P25), x, trY(b.P5))
	c.StrokeLine2(edge, x-hw/2, trY(b.P95), x+hw/2, trY(b.P95))
	c.StrokeLine2(edge, x-hw/2, trY(b.P5), x+hw/2, trY(b.P5))
	// A box narrower than minBox (a firm whose revenue hardly varies
	// against a tall axis) is widened about its middle so that it stays
	// visible; a box of zero height (the firm books nothing) is not drawn.
	lo, hi := trY(b.P25), trY(b.P75)
	if b.P75 > b.P25 && hi-lo < minBox {
		mid := (lo + hi) / 2
		lo, hi = mid-minBox/2, mid+minBox/2
	}
	if b.P75 > b.P25 || b.P5 != b.P95 {
		box := []vg.Point{{X: x - hw, Y: lo}, {X: x + hw, Y: lo}, {X: x + hw, Y: hi}, {X: x - hw, Y: hi}}
		c.FillPolygon(withAlpha(b.Color, 0.45), c.ClipPolygonXY(box))
		c.StrokeLines(edge, c.ClipLinesXY(append(box, box[0]))...)
		c.StrokeLine2(lineStyle(color.Black, 3), x-hw, trY(b.P50), x+hw, trY(b.P50))
	}
	// The mean is a hollow ring, so that a narrow box shows through it.
	c.DrawGlyph(meanGlyph, vg.Point{X: x, Y: trY(b.Mean)})
}

// minBox is the smallest drawn height of a quantile box.
const minBox = vg.Length(6)

var meanGlyph = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(4.5), Shape: draw.RingGlyph{}}

func (b *quantileBox) DataRange() (xmin, xmax, ymin, ymax float64) {
	return b.X, b.X, min(b.P5, b.Mean), max(b.P95, b.Mean)
}

// interval draws a point at Mid with a horizontal bar from Lo to Hi at
// height Y (in axis units).
type interval struct {
	Y, Lo, Mid, Hi float64
	Color          color.RGBA
}

func (iv *interval) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	y := trY(iv.Y)
	ls := lineStyle(iv.Color, 3)
	capH := vg.Points(7)
	c.StrokeLines(ls, c.ClipLinesXY([]vg.Point{{X: trX(iv.Lo), Y: y}, {X: trX(iv.Hi), Y: y}})...)
	for _, v := range []float64{iv.Lo, iv.Hi} {
		c.StrokeLines(ls, c.ClipLinesXY([]vg.Point{{X: trX(v), Y: y - capH}, {X: trX(v), Y: y + capH}})...)
	}
	c.DrawGlyph(draw.GlyphStyle{Color: iv.Color, Radius: vg.Points(6), Shape: draw.CircleGlyph{}}, vg.Point{X: trX(iv.Mid), Y: y})
}

func (iv *interval) DataRange() (xmin, xmax, ymin, ymax float64) {
	return min(iv.Lo, iv.Mid), max(iv.Hi, iv.Mid), iv.Y, iv.Y
}

// refLine is a straight reference line from (X0, Y0) to (X1, Y1) in data
// units that does not widen the axes beyond its own extent.
type refLine struct {
	X0, Y0, X1, Y1 float64
	Style          draw.LineStyle
	// Label, if set, is written in the line's colour just above its
	// start (X0, Y0).
	Label string
}

func (l *refLine) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	c.StrokeLines(l.Style, c.ClipLinesXY([]vg.Point{{X: trX(l.X0), Y: trY(l.Y0)}, {X: trX(l.X1), Y: trY(l.Y1)}})...)
	if l.Label != "" {
		sty := textStyle(tickSize)
		sty.Color = l.Style.Color
		sty.YAlign = draw.YBottom
		c.FillText(sty, vg.Point{X: trX(l.X0), Y: trY(l.Y0) + l.Style.Width + 2}, l.Label)
	}
}

func (l *refLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return min(l.X0, l.X1), max(l.X0, l.X1), min(l.Y0, l.Y1), max(l.Y0, l.Y1)
}

func (l *refLine) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(l.Style, c.Min.X, y, c.Max.X, y)
}

// swatch is a legend thumbnail: a filled rectangle.
type swatch struct{ Color color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.Color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// glyphThumb is a legend thumbnail: glyphs at the centre.
type glyphThumb []draw.GlyphStyle

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	for _, s := range g {
		c.DrawGlyph(s, c.Center())
	}
}

// lineThumb draws a line style as a legend thumbnail.
func lineThumb(ls draw.LineStyle) plot.Thumbnailer { return &refLine{Style: ls} }

// bandPlotters returns a filled 5–95% band and a median line.
func bandPlotters(b band, u float64, c color.RGBA, alpha float64, ls draw.LineStyle) (*plotter.Polygon, *plotter.Line) {
	n := len(b.X)
	poly := make(plotter.XYs, 0, 2*n)
	mid := make(plotter.XYs, n)
	for i := range n {
		poly = append(poly, plotter.XY{X: b.X[i], Y: b.Hi[i] / u})
		mid[i] = plotter.XY{X: b.X[i], Y: b.Mid[i] / u}
	}
	for i := n - 1; i >= 0; i-- {
		poly = append(poly, plotter.XY{X: b.X[i], Y: b.Lo[i] / u})
	}
	pg, _ := plotter.NewPolygon(poly)
	pg.Color = withAlpha(c, alpha)
	pg.LineStyle.Width = 0
	ln, _ := plotter.NewLine(mid)
	ls.Color = c
	ln.LineStyle = ls
	return pg, ln
}
