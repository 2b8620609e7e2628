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

// CalibrationFit draws simulated moments against calibration targets,
// normalized: for each target one row with a grey box at target ± 1.96·SD
// (relative to the target, so centred on 1) and the simulated mean over
// the target with a 95% bar (± 1.96·SE). Row labels give the target value
// in its unit. title names the calibration (experiment, runs). It returns
// an error for no points or a zero or non-finite target.
func CalibrationFit(points []FitPoint, title string) (*Figure, error) {
	if len(points) == 0 {
		return nil, errors.New("plots: calibration fit of no targets")
	}
	n := float64(len(points))
	p := newPanel("")
	p.X.Label.Text = "simulated / target (1 = exact fit)"
	p.Y.Min, p.Y.Max = -0.5, n-0.5
	var ticks []plot.Tick
	for i, fp := range points {
		if fp.Target == 0 || math.IsNaN(fp.Target) || math.IsInf(fp.Target, 0) {
			return nil, fmt.Errorf("plots: calibration target %q: target %v cannot normalize", fp.Name, fp.Target)
		}
		y := n - 1 - float64(i)
		a := math.Abs(fp.Target)
		lo, hi := 1-1.96*fp.TargetSD/a, 1+1.96*fp.TargetSD/a
		box, _ := plotter.NewPolygon(plotter.XYs{{X: lo, Y: y - 0.3}, {X: hi, Y: y - 0.3}, {X: hi, Y: y + 0.3}, {X: lo, Y: y + 0.3}})
		box.Color = withAlpha(gray, 0.3)
		box.LineStyle.Width = 0
		p.Add(box)
		r := fp.Simulated / fp.Target
		e := 1.96 * fp.SimulatedSE / a
		p.Add(&interval{Y: y, Lo: r - e, Mid: r, Hi: r + e, Color: okabeIto[0]})
		ticks = append(ticks, plot.Tick{Value: y, Label: fp.Name + ": " + formatValue(fp.Target, fp.Unit)})
	}
	p.Add(&refLine{X0: 1, X1: 1, Y0: -0.5, Y1: n - 0.5, Style: lineStyle(gray, 1.5, 6, 4)})
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Marker = niceTicker(6)
	w := p.X.Max - p.X.Min
	p.X.Min, p.X.Max = p.X.Min-0.05*w, p.X.Max+0.05*w
	return &Figure{
		Title:   []string{title, "calibration targets against simulated means"},
		Panels:  [][]*plot.Plot{{p}},
		Caption: "Grey boxes: target ± 1.96 SD; points: simulated mean / target with 95% bars (± 1.96 SE). Labels give each target's value.",
		Legend: []LegendEntry{
			{Label: "target ± 1.96 SD", Thumbs: []plot.Thumbnailer{swatch{withAlpha(gray, 0.3)}}},
			{Label: "simulated mean ± 1.96 SE", Thumbs: []plot.Thumbnailer{
				lineThumb(lineStyle(okabeIto[0], 3)),
				glyphThumb{{Color: okabeIto[0], Radius: vg.Points(6), Shape: draw.CircleGlyph{}}}}},
		},
	}, nil
}

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
