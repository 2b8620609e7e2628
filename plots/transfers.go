package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// maxCumulative is the largest number of scenarios whose cumulative
// payments share the transfers figure's cumulative panel; with more, only
// the baseline and the scenarios with a cap are drawn there.
const maxCumulative = 3

// cumulativeScenarios returns the indices of the scenarios drawn in the
// cumulative panel of the transfers figure: all of them up to
// maxCumulative, else the baseline and those with a cap.
func cumulativeScenarios(s *report.Summary) []int {
	var out []int
	for i, sc := range s.Scenarios {
		if len(s.Scenarios) <= maxCumulative || sc.Name == s.Baseline || sc.Cap != nil {
			out = append(out, i)
		}
	}
	return out
}

// transferData is what the transfers figure draws, per scenario: the
// monthly payments each way and the cumulative payments from OpenAI to
// Microsoft.
type transferData struct {
	out, in, cum []band
	shown        []int   // scenarios in the cumulative panel
	monthlyMax   float64 // over all monthly bands, US dollars
	cumMax       float64 // over the shown cumulative bands and their caps
	// capDraws holds the range of the runs' drawn cap amounts, when the
	// experiment draws them.
	capDraws report.CapDraws
}

// drawnCaps returns the range over every drawn cap of the shown scenarios
// with a cap, and whether there is one.
func drawnCaps(s *report.Summary, td *transferData) (report.DrawRange, bool) {
	all, found := report.DrawRange{Lo: math.Inf(1), Hi: math.Inf(-1)}, false
	for _, i := range td.shown {
		if sc := s.Scenarios[i]; sc.Cap != nil {
			if r, ok := td.capDraws.Of(sc.Regime); ok {
				all, found = report.DrawRange{Lo: min(all.Lo, r.Lo), Hi: max(all.Hi, r.Hi)}, true
			}
		}
	}
	return all, found
}

// formatRange writes a range of dollar amounts to two significant digits:
// "$20B–$60B".
func formatRange(r report.DrawRange) string {
	return formatMoney(roundSig(r.Lo, 2)) + "–" + formatMoney(roundSig(r.Hi, 2))
}

// Line styles of the transfers figure.
var (
	outStyle = lineStyle(nil, 2.5)        // OpenAI → Microsoft
	inStyle  = lineStyle(nil, 2.5, 2, 4)  // Microsoft → OpenAI
	capStyle = lineStyle(nil, 1.8, 10, 5) // a cap
	capColor = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
)

// readTransfers reads the transfer series of every scenario (means and
// 5–95% bands of "transfer/openai_to_microsoft",
// "transfer/microsoft_to_openai" and
// "cumulative_transfer/openai_to_microsoft").
func readTransfers(d *report.Dir) (*transferData, error) {
	s := d.Summary
	n := len(s.Scenarios)
	td := &transferData{out: make([]band, n), in: make([]band, n), cum: make([]band, n), shown: cumulativeScenarios(s)}
	for i, sc := range s.Scenarios {
		var err error
		if td.out[i], err = seriesBand(d, sc.Name, report.TransferOpenAIToMS, 1); err != nil {
			return nil, err
		}
		if td.in[i], err = seriesBand(d, sc.Name, report.TransferMSToOpenAI, 1); err != nil {
			return nil, err
		}
		if td.cum[i], err = seriesBand(d, sc.Name, report.CumTransferOpenAIToMS, 1); err != nil {
			return nil, err
		}
		td.monthlyMax = math.Max(td.monthlyMax, math.Max(td.out[i].maxAbs(), td.in[i].maxAbs()))
	}
	var err error
	if td.capDraws, err = report.ReadCapDraws(d.Path); err != nil {
		return nil, err
	}
	for _, i := range td.shown {
		td.cumMax = math.Max(td.cumMax, td.cum[i].maxAbs())
		if c := s.Scenarios[i].Cap; c != nil {
			td.cumMax = math.Max(td.cumMax, c.AmountUSD)
		}
	}
	return td, nil
}

// Transfers draws, per scenario, the monthly transfers each way (mean line
// and 5–95% band), and in the bottom-right panel the cumulative payments
// from OpenAI to Microsoft (cumulativeScenarios) with a dashed line,
// labelled with its amount, at each cap over the cap's months. Where the
// experiment draws the cap's amount (params.csv), the line is the regime's
// stated cap and the legend gives the range of the runs' draws.
func Transfers(d *report.Dir) (*Figure, error) {
	s := d.Summary
	td, err := readTransfers(d)
	if err != nil {
		return nil, err
	}
	f := &Figure{
		Title: title(s, "transfers between OpenAI and Microsoft"),
		Caption: "Lines: mean over runs; shaded bands: 5th–95th percentile of runs. Cumulative payments count from a cap's first month " +
			"where the scenario has a cap; where lines coincide, the earlier scenario is drawn wider underneath.",
		Legend: transferLegend(s, td),
	}
	if _, ok := drawnCaps(s, td); ok {
		f.Caption += " The dashed line is the regime's stated cap; the runs draw the cap's amount, so each run's payments stop at its own."
	}
	if len(td.shown) < len(s.Scenarios) {
		f.Caption += " The cumulative panel shows the baseline and the scenarios with a cap."
	}
	// The scenarios' panels fill the grid row by row; the cumulative panel
	// takes the bottom-right cell, and the legend the cell before it when
	// one is free (and wide enough; else a strip below, fullGrid leaving
	// no cell empty where it can).
	rows, cols := fullGrid(len(s.Scenarios) + 1)
	if rows > 2 {
		f.HeightScale = 0.5 * float64(rows) // a landscape page holds two rows of panels
	}
	f.Panels = make([][]*plot.Plot, rows)
	for r := range f.Panels {
		f.Panels[r] = make([]*plot.Plot, cols)
	}
	for i := range s.Scenarios {
		f.Panels[i/cols][i%cols] = monthlyPanel(s, td, i, i%cols == 0)
	}
	cum, err := cumulativePanel(s, td)
	if err != nil {
		return nil, err
	}
	f.Panels[rows-1][cols-1] = cum
	return f, nil
}

// transferLegend names the line styles, and the colours of the scenarios
// in the cumulative panel (the other panels name their scenario).
// A drawn cap's entry is the stated cap with the range of the runs' draws.
func transferLegend(s *report.Summary, td *transferData) []LegendEntry {
	thumb := func(ls draw.LineStyle) []plot.Thumbnailer { ls.Color = gray; return []plot.Thumbnailer{lineThumb(ls)} }
	capLabel := "cap"
	if r, ok := drawnCaps(s, td); ok {
		capLabel = "stated cap (runs draw " + formatRange(r) + ")"
	}
	out := []LegendEntry{
		{Label: "OpenAI → Microsoft", Thumbs: thumb(outStyle)},
		{Label: "Microsoft → OpenAI", Thumbs: thumb(inStyle)},
		{Label: capLabel, Thumbs: thumb(capStyle)},
	}
	for _, i := range td.shown {
		out = append(out, LegendEntry{Label: s.Label(s.Scenarios[i].Name),
			Thumbs: []plot.Thumbnailer{swatch{scenarioColor(i)}}})
	}
	return out
}

// monthlyPanel draws scenario i's monthly transfers each way. The monthly
// panels share one y scale; only the first column names its unit.
func monthlyPanel(s *report.Summary, td *transferData, i int, firstCol bool) *plot.Plot {
	mu := moneyUnit(td.monthlyMax)
	p := timePanel(s.Label(s.Scenarios[i].Name))
	if firstCol {
		p.Y.Label.Text = mu.name + " per month"
	}
	c := scenarioColor(i)
	for _, x := range []struct {
		b  band
		ls draw.LineStyle
	}{{td.out[i], outStyle}, {td.in[i], inStyle}} {
		bs, ls := bandPlotters(x.b, mu.div, c, 0.2, x.ls)
		p.Add(bs...)
		p.Add(ls...)
	}
	p.Y.Min, p.Y.Max = 0, td.monthlyMax/mu.div
	if td.monthlyMax == 0 {
		p.Y.Max = 1
	}
	return p
}

// cumulativePanel draws the cumulative payments of the shown scenarios,
// earlier ones wider underneath, and the caps over them.
func cumulativePanel(s *report.Summary, td *transferData) (*plot.Plot, error) {
	cu := moneyUnit(td.cumMax)
	p := timePanel("cumulative OpenAI → Microsoft (" + cu.name + ")")
	p.Y.Min = 0
	var lines []plot.Plotter
	for k, i := range td.shown {
		bs, ls := bandPlotters(td.cum[i], cu.div, scenarioColor(i), 0.15, lineStyle(nil, overlaidWidth(k, len(td.shown), 2.5)))
		p.Add(bs...)
		lines = append(lines, ls...)
	}
	p.Add(lines...)
	caps, err := capLines(s, td, cu)
	if err != nil {
		return nil, err
	}
	for _, c := range caps {
		p.Add(c)
	}
	p.Y.Max = td.cumMax / cu.div
	if len(caps) > 0 {
		p.Y.Max *= 1.3 // room for the cap labels above the lines
	}
	if p.Y.Max == 0 {
		p.Y.Max = 1
	}
	return p, nil
}

// capLines returns one dashed line per distinct cap of the shown scenarios
// over the cap's months (clipped to the months shown), labelled with its
// amount above its start ("stated cap" where the runs draw it), drawn
// over the curves.
func capLines(s *report.Summary, td *transferData, cu money) ([]*refLine, error) {
	type capKey struct {
		amount     float64
		start, end string
	}
	seen := make(map[capKey]bool)
	var out []*refLine
	for _, i := range td.shown {
		sc := s.Scenarios[i]
		if sc.Cap == nil {
			continue
		}
		k := capKey{sc.Cap.AmountUSD, sc.Cap.Start, sc.Cap.End}
		if seen[k] {
			continue
		}
		seen[k] = true
		t0, err0 := report.ParseMonth(k.start)
		t1, err1 := report.ParseMonth(k.end)
		if err0 != nil || err1 != nil {
			return nil, fmt.Errorf("%s: scenario %q: bad cap months", report.SummaryFile, sc.Name)
		}
		x := td.cum[i].X
		x0, x1 := math.Max(decimalYear(t0), x[0]), math.Min(decimalYear(t1), x[len(x)-1])
		if x0 > x1 {
			continue
		}
		ls := capStyle
		ls.Color = capColor
		y := k.amount / cu.div
		label := "cap " + formatMoney(k.amount)
		if _, ok := td.capDraws.Of(sc.Regime); ok {
			label = "stated cap " + formatMoney(k.amount)
		}
		out = append(out, &refLine{X0: x0, X1: x1, Y0: y, Y1: y, Style: ls, Label: label})
	}
	return out, nil
}

// fullGrid returns rows and columns for n panels that leave no cell
// empty where a landscape grid allows (columns between once and 2.5 times
// the rows: 9 panels are 3×3, not 2×5 with a hole), else gridShape's.
func fullGrid(n int) (rows, cols int) {
	r0, c0 := gridShape(n)
	if r0*c0 == n {
		return r0, c0
	}
	for r := 1; r <= n; r++ {
		if c := n / r; r*c == n && c >= r && float64(c) <= 2.5*float64(r) {
			return r, c
		}
	}
	return r0, c0
}
