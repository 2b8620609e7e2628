package plots

import (
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes in points. At the default 1600×1000 px and 144 dpi the canvas
// is 800×500 pt, so 14 pt text is 28 px high.
const (
	titleSize = 18
	subSize   = 14
	panelSize = 15
	labelSize = 15
	tickSize  = 14
	// gridTitleSize is the size of column titles in a grid of small
	// multiples, whose panels are narrow.
	gridTitleSize = 13
)

func rgb(hex uint32) color.RGBA {
	return color.RGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 255}
}

// scenarioPalette gives each scenario its colour, by its position in the
// experiment, in every figure. It starts from the Okabe–Ito palette (Okabe &
// Ito 2008, "Color Universal Design"), which stays distinguishable under the
// common colour-vision deficiencies, but replaces its sky blue (too close to
// its blue) and its yellow (faint on white) with the wine and olive of Paul
// Tol's "muted" scheme. No other encoding in the figures uses these colours:
// channels and firms are told apart by panel, never by colour.
var scenarioPalette = []color.RGBA{
	rgb(0x0072B2), // blue
	rgb(0xE69F00), // orange
	rgb(0x009E73), // bluish green
	rgb(0xD55E00), // vermillion
	rgb(0xCC79A7), // reddish purple
	rgb(0x882255), // wine
	rgb(0x000000), // black
	rgb(0x999933), // olive
}

// scenarioColor returns the colour of the i-th scenario.
func scenarioColor(i int) color.RGBA { return scenarioPalette[i%len(scenarioPalette)] }

// overlaidWidth returns the line width of the i-th of n lines drawn over
// each other, base for the last: earlier lines are wider, so that a line
// that coincides with a later one still shows as a stripe on both sides of
// it.
func overlaidWidth(i, n int, base float64) float64 {
	return base + 1.1*float64(n-1-i)
}

func withAlpha(c color.RGBA, a float64) color.NRGBA {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: uint8(math.Round(255 * a))}
}

var gray = color.RGBA{R: 0x66, G: 0x66, B: 0x66, A: 255}

func textStyle(size float64) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, vg.Points(size)),
		Handler: plot.DefaultTextHandler,
	}
}

// newPanel returns a plot with the package's font sizes and a light grid.
func newPanel(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = panelSize
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = labelSize
		a.Tick.Label.Font.Size = tickSize
		a.Label.Padding = vg.Points(2)
	}
	p.Y.Tick.Marker = niceTicker(5)
	p.X.Tick.Marker = niceTicker(4)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 225}
	g.Horizontal.Color = color.Gray{Y: 225}
	p.Add(g)
	return p
}

// timePanel returns a panel whose x axis is time in decimal years.
func timePanel(title string) *plot.Plot {
	p := newPanel(title)
	p.X.Tick.Marker = plot.TickerFunc(yearTicks)
	return p
}

// decimalYear converts "YYYY-MM" (already validated by package report)
// into year + (month-1)/12, so that 2026-01 is 2026.0.
func decimalYear(t time.Time) float64 { return float64(t.Year()) + float64(t.Month()-1)/12 }

// yearTicks labels whole years, every 1, 2, 5 or 10 years so that at most
// about six labels appear; minor ticks mark quarters (short spans) or years.
func yearTicks(min, max float64) []plot.Tick { return yearTicksN(min, max, 6) }

// fewYearTicks is yearTicks for narrow panels: about three labels ("2020
// 2025 2030" over 2019–2032; the figure drops every other one where they
// would still touch).
func fewYearTicks(min, max float64) []plot.Tick { return yearTicksN(min, max, 3) }

// yearTicksN is yearTicks with at most about n labels.
func yearTicksN(min, max float64, n int) []plot.Tick {
	span := max - min
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 50} {
		step = s
		if span/float64(s) <= float64(n) {
			break
		}
	}
	minor := 1.0
	if span <= 4 {
		minor = 0.25
	}
	var ticks []plot.Tick
	for v := math.Ceil(min/minor) * minor; v <= max+1e-9; v += minor {
		t := plot.Tick{Value: v}
		if y := math.Round(v); math.Abs(v-y) < 1e-9 && int(y)%step == 0 {
			t.Label = strconv.Itoa(int(y))
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// niceTicker returns a ticker with at most n labelled ticks (n+2 where n
// would give fewer than three) at multiples of 1, 2 or 5 × 10^k (not 2.5,
// whose labels need a decimal more than the axes beside them), with labels printed with as few decimals as the
// step needs.
func niceTicker(n int) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick { return niceTicks(min, max, n) })
}

func niceTicks(min, max float64, n int) []plot.Tick {
	if !(max > min) {
		return []plot.Tick{{Value: min, Label: formatTick(min, 0)}}
	}
	raw := (max - min) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	count := func(step float64) float64 { return math.Floor(max/step) - math.Ceil(min/step) + 1 }
	var step float64
	steps := []float64{mag, 2 * mag, 5 * mag, 10 * mag, 20 * mag}
	for k, s := range steps {
		step = s
		if count(s) <= float64(n) {
			// Fewer than three labels leave an axis hard to read: take
			// the next smaller step if it gives at most two labels more.
			if count(s) < 3 && k > 0 && count(steps[k-1]) <= float64(n+2) {
				step = steps[k-1]
			}
			break
		}
	}
	prec := decimals(step)
	var ticks []plot.Tick
	for k := math.Ceil(min / step); k*step <= max*(1+1e-12)+1e-300; k++ {
		v := k * step
		ticks = append(ticks, plot.Tick{Value: v, Label: formatTick(v, prec)})
		if mv := v + step/2; mv < max {
			ticks = append(ticks, plot.Tick{Value: mv})
		}
	}
	if len(ticks) > 0 && ticks[0].Value-step/2 > min {
		ticks = append(ticks, plot.Tick{Value: ticks[0].Value - step/2})
	}
	return ticks
}

// decimals returns the number of decimals needed to print multiples of
// step exactly (up to 10).
func decimals(step float64) int {
	for p := 0; p < 10; p++ {
		v := step * math.Pow(10, float64(p))
		if math.Abs(v-math.Round(v)) < 1e-6*v {
			return p
		}
	}
	return 10
}

func formatTick(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if s == "-0" || (len(s) > 1 && s[0] == '-' && allZero(s[1:])) {
		s = s[1:]
	}
	return minus(s)
}

// minus writes a leading hyphen-minus as a proper minus sign (U+2212), as
// typeset numbers have it.
func minus(s string) string {
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return "−" + rest
	}
	return s
}

func allZero(s string) bool {
	for _, r := range s {
		if r != '0' && r != '.' {
			return false
		}
	}
	return true
}

// blankLabels keeps t's tick marks but drops their labels, for inner panels
// of a grid that share an axis with their neighbours. Major ticks keep a
// blank label (" ") rather than none: gonum/plot pads the data area for the
// overhang of tick labels at the axis ends, and an empty label has none, so
// without it the data of inner panels would sit a few points lower (or
// further left) than that of the labelled panel beside them.
func blankLabels(t plot.Ticker) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		ts := t.Ticks(min, max)
		for i := range ts {
			if ts[i].Label != "" {
				ts[i].Label = " "
			}
		}
		return ts
	})
}

// money is a dollar unit for an axis.
type money struct {
	div  float64 // dollars per unit
	name string  // "$B" or "$M"
}

// perYear follows a money unit in every label of a yearly amount: "$B/yr"
// (short enough for the small multiples' axes).
const perYear = "/yr"

// moneyUnit picks $B, or $M where every value's magnitude is below $1B.
func moneyUnit(maxAbs float64) money {
	if maxAbs >= 1e9 {
		return money{1e9, "$B"}
	}
	return money{1e6, "$M"}
}

// formatMoney writes v dollars with three significant digits in $B or $M,
// a negative amount with a minus sign: "−$1.2B".
func formatMoney(v float64) string {
	u := moneyUnit(math.Abs(v))
	s := "$" + strconv.FormatFloat(math.Abs(v)/u.div, 'g', 3, 64) + u.name[1:]
	if v < 0 {
		s = "−" + s
	}
	return s
}

// solid and dashed line styles.
func lineStyle(c color.Color, width float64, dashes ...float64) draw.LineStyle {
	ls := draw.LineStyle{Color: c, Width: vg.Points(width)}
	for _, d := range dashes {
		ls.Dashes = append(ls.Dashes, vg.Points(d))
	}
	return ls
}

// gridShape returns rows and columns for n panels on a landscape canvas:
// about 1.6 times as many columns as rows.
func gridShape(n int) (rows, cols int) {
	rows = max(1, int(math.Round(math.Sqrt(float64(n)/1.6))))
	cols = (n + rows - 1) / rows
	return rows, cols
}
