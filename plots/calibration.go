package plots

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/coopsim/coopsim/experiments/report"
)

// FitPoint is one calibration target against its simulated moment
// (report.FitPoint: calibration's Result.Points gives them).
type FitPoint = report.FitPoint

// InequalitySlack is how far, in standard deviations of the target, the
// simulated moment may lie on the wrong side of an inequality's bound and
// still meet it (the fit's optimum lies on a binding bound, on either side
// by simulation noise). The calibration figure shades the side of the bound
// that meets it from there.
const InequalitySlack = 0.5

func inequality(fp FitPoint) bool { return fp.Relation == ">=" || fp.Relation == "<=" }

// fitLabel returns a row's label: the name and the target's value, or the
// relation, the bound and whether it is met.
func fitLabel(fp FitPoint) string {
	name := typeset(fp.Name)
	if !inequality(fp) {
		return name + ": " + formatValue(fp.Target, fp.Unit)
	}
	rel, met := "≥ ", "met"
	if fp.Relation == "<=" {
		rel = "≤ "
	}
	if !fp.Met {
		met = "MISSED"
	}
	return name + ": " + rel + formatValue(fp.Target, fp.Unit) + ", " + met
}

// typeset writes a target's name (calibration/targets.toml's labels, typed
// with ASCII hyphens) as print has it: a hyphen between spaces is a
// difference ("Azure share: regulated - others") and becomes a minus sign
// (U+2212); one between digits is a range ("2023-2024") and becomes an en
// dash, except in a date (YYYY-MM). Hyphenated words stay.
func typeset(name string) string {
	name = strings.ReplaceAll(name, " - ", " − ")
	r := []rune(name)
	for i := 1; i+1 < len(r); i++ {
		if r[i] != '-' || !isDigit(r[i-1]) || !isDigit(r[i+1]) {
			continue
		}
		// Not in a date (YYYY-MM or YYYY-MM-DD).
		b, a := i-1, i+1
		for b >= 0 && isDigit(r[b]) {
			b--
		}
		for a < len(r) && isDigit(r[a]) {
			a++
		}
		date := i-1-b == 4 && a-i-1 == 2 // YYYY-MM
		inDate := (b >= 0 && (r[b] == '-' || r[b] == '–')) || (a < len(r) && r[a] == '-')
		if !date && !inDate {
			r[i] = '–'
		}
	}
	return string(r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

var fitColor = scenarioPalette[0]

// CalibrationFit draws simulated moments against calibration targets,
// normalized by the target: for each target one row with a grey box at
// target ± 1.96·SD (so centred on 1), or for an inequality a grey region on
// the side of its bound that meets it, and the simulated mean over the
// target with a 95% bar (± 1.96·SE). Row labels give the target value in
// its unit, or the bound and whether it is met. A met inequality whose
// point lies far out on its side is drawn as an arrow at the axis edge, so
// that it does not stretch the axis of the others. title names the
// calibration (experiment, runs). It returns an error for no points or a
// zero or non-finite target.
func CalibrationFit(points []FitPoint, title string) (*Figure, error) {
	if len(points) == 0 {
		return nil, errors.New("plots: calibration fit of no targets")
	}
	for _, fp := range points {
		if fp.Target == 0 || math.IsNaN(fp.Target) || math.IsInf(fp.Target, 0) {
			return nil, fmt.Errorf("plots: calibration target %q: target %v cannot normalize", fp.Name, fp.Target)
		}
	}
	n := float64(len(points))
	p := newPanel("")
	p.X.Label.Text = "simulated / target (1 = exact fit, or the bound)"
	p.Y.Min, p.Y.Max = -0.5, n-0.5
	lo, hi := fitRange(points)
	var ticks []plot.Tick
	for i, fp := range points {
		y := n - 1 - float64(i)
		fitRow(p, fp, y, lo, hi)
		ticks = append(ticks, plot.Tick{Value: y, Label: fitLabel(fp)})
	}
	p.Add(&refLine{X0: 1, X1: 1, Y0: -0.5, Y1: n - 0.5, Style: lineStyle(gray, 1.5, 6, 4)})
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Marker = niceTicker(6)
	p.X.Min, p.X.Max = lo, hi
	return &Figure{
		Title:   []string{title, "calibration targets against simulated means"},
		Panels:  [][]*plot.Plot{{p}},
		Caption: "Grey: target ± 1.96 SD, or the side of an inequality's bound that meets it; points: simulated mean / target with 95% bars (± 1.96 SE).",
		Legend: []LegendEntry{
			{Label: "target ± 1.96 SD, or where a bound is met", Thumbs: []plot.Thumbnailer{swatch{withAlpha(gray, 0.3)}}},
			{Label: "simulated mean ± 1.96 SE", Thumbs: []plot.Thumbnailer{
				lineThumb(lineStyle(fitColor, 3)),
				glyphThumb{{Color: fitColor, Radius: vg.Points(6), Shape: draw.CircleGlyph{}}}}},
		},
	}, nil
}

// fitRatios returns a point's simulated mean over its target with the 95% bar,
// and its grey box (or region, for an inequality), all normalized.
func fitRatios(fp FitPoint) (r, e, boxLo, boxHi float64) {
	a := math.Abs(fp.Target)
	r, e = fp.Simulated/fp.Target, 1.96*fp.SimulatedSE/a
	switch fp.Relation {
	case ">=":
		return r, e, 1 - InequalitySlack*fp.TargetSD/a, math.Inf(1)
	case "<=":
		return r, e, math.Inf(-1), 1 + InequalitySlack*fp.TargetSD/a
	}
	boxLo = 1 - 1.96*fp.TargetSD/a
	if fp.NonNegative && fp.Target > 0 {
		boxLo = max(boxLo, 0) // a share of 0.07 ± 0.16 is not below 0
	}
	return r, e, boxLo, 1 + 1.96*fp.TargetSD/a
}

// fitRange returns the x axis: every box and bar of a target value, the
// bounds, the bars of inequalities that are missed and of those met not
// far beyond the rest, with a margin. Met inequalities far out on their
// side stay off it (fitRow draws an arrow).
func fitRange(points []FitPoint) (lo, hi float64) {
	lo, hi = 1, 1
	for _, fp := range points {
		r, e, bl, bh := fitRatios(fp)
		if !inequality(fp) {
			lo, hi = min(lo, bl, r-e), max(hi, bh, r+e)
		} else if !fp.Met {
			lo, hi = min(lo, r-e), max(hi, r+e)
		} else if fp.Relation == ">=" {
			lo = min(lo, bl)
		} else {
			hi = max(hi, bh)
		}
	}
	// A met inequality's point not far beyond stretches the axis a little
	// rather than becoming an arrow.
	w := hi - lo
	for _, fp := range points {
		if r, e, _, _ := fitRatios(fp); inequality(fp) && fp.Met && r+e <= hi+w/2 && r-e >= lo-w/2 {
			lo, hi = min(lo, r-e), max(hi, r+e)
		}
	}
	if w = hi - lo; w == 0 {
		w = 1
	}
	return lo - 0.05*w, hi + 0.05*w
}

// fitRow draws one target's grey box or region and its simulated point at
// height y on an axis from lo to hi.
func fitRow(p *plot.Plot, fp FitPoint, y, lo, hi float64) {
	r, e, bl, bh := fitRatios(fp)
	bl, bh = max(bl, lo), min(bh, hi)
	box, _ := plotter.NewPolygon(plotter.XYs{{X: bl, Y: y - 0.3}, {X: bh, Y: y - 0.3}, {X: bh, Y: y + 0.3}, {X: bl, Y: y + 0.3}})
	box.Color = withAlpha(gray, 0.3)
	box.LineStyle.Width = 0
	p.Add(box)
	if r-e > hi || r+e < lo {
		p.Add(&offScale{Y: y, Label: "simulated " + formatValue(fp.Simulated, fp.Unit) + " (" + formatRatio(r) + ")",
			Left: r+e < lo, Color: fitColor})
		return
	}
	p.Add(&interval{Y: y, Lo: r - e, Mid: r, Hi: r + e, Color: fitColor})
}

// formatRatio writes a ratio as "3.6×".
func formatRatio(r float64) string { return minus(strconv.FormatFloat(r, 'g', 2, 64)) + "×" }

func formatValue(v float64, unit string) string {
	if unit == "USD" {
		return formatMoney(v)
	}
	s := strconv.FormatFloat(v, 'g', 3, 64)
	if a := math.Abs(v); a >= 1000 && a < 1e15 {
		s = thousands(strconv.FormatFloat(roundSig(v, 3), 'f', 0, 64))
	}
	if unit != "" {
		s += " " + unit
	}
	return s
}

// roundSig rounds v to n significant digits.
func roundSig(v float64, n int) float64 {
	if v == 0 {
		return 0
	}
	e := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*e) / e
}

// thousands inserts commas into an integer's digits: "60000" → "60,000".
func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
