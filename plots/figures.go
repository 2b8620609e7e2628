package plots

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// File names of the standard figures (PNG; other formats change the
// extension).
const (
	DistributionFile = "net_revenue_distribution.png"
	FanFile          = "annualized_net_revenue_fan.png"
	SharesFile       = "channel_shares.png"
	DifferencesFile  = "paired_differences.png"
	TransfersFile    = "transfers.png"
	CalibrationFile  = "calibration.png"
)

// maxOverlaid is the largest number of scenarios drawn in one panel of the
// fan chart; with more, it becomes a firm × scenario grid.
const maxOverlaid = 5

func window(s *report.Summary) string { return s.WindowStart + " to " + s.WindowEnd }

// NetRevenueDistribution draws each firm's net revenue over the report
// window (metric "net_revenue/<firm>" of summary.json), one panel per firm,
// one box per scenario built from the summary percentiles.
func NetRevenueDistribution(d *report.Dir) (*Figure, error) {
	s := d.Summary
	f := &Figure{
		Title:   title(s, "net revenue by firm over "+window(s)),
		Caption: "Whiskers: 5th–95th percentile over runs; box: 25th–75th percentile (at least a few points tall); black line: median; ring: mean.",
	}
	row := make([]*plot.Plot, 0, len(report.Firms))
	nothing := false // some firm books nothing in some scenario
	for fi, firm := range report.Firms {
		metric := report.MetricName(report.NetRevenue, firm)
		ms := make([]report.MetricSummary, len(s.Scenarios))
		maxAbs := 0.0
		for i, sc := range s.Scenarios {
			m, err := metricSummary(s, sc.Name, metric)
			if err != nil {
				return nil, err
			}
			ms[i] = m
			maxAbs = math.Max(maxAbs, math.Max(math.Abs(m.P5), math.Max(math.Abs(m.P95), math.Abs(m.Mean))))
		}
		u := moneyUnit(maxAbs)
		p := newPanel(firm)
		p.Y.Label.Text = "net revenue (" + u.name + ")"
		if fi > 0 {
			p.Y.Label.Text = u.name
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, m := range ms {
			lo, hi = math.Min(lo, math.Min(m.P5, m.Mean)/u.div), math.Max(hi, math.Max(m.P95, m.Mean)/u.div)
			nothing = nothing || (m.P5 == 0 && m.P95 == 0 && m.Mean == 0)
		}
		// A margin keeps boxes and rings at the extremes off the axes.
		p.Y.Min, p.Y.Max = lo-0.04*(hi-lo), hi+0.04*(hi-lo)
		for i, m := range ms {
			p.Add(&quantileBox{X: float64(i), P5: m.P5 / u.div, P25: m.P25 / u.div, P50: m.P50 / u.div,
				P75: m.P75 / u.div, P95: m.P95 / u.div, Mean: m.Mean / u.div, Color: scenarioColor(i), Width: 0.7})
		}
		p.X.Min, p.X.Max = -0.7, float64(len(ms))-0.3
		p.X.Tick.Marker = plot.ConstantTicks(nil)
		row = append(row, p)
	}
	f.Panels = [][]*plot.Plot{row}
	f.Legend = append(scenarioLegend(s), LegendEntry{Label: "mean", Thumbs: []plot.Thumbnailer{glyphThumb{meanGlyph}}})
	if nothing {
		f.Caption += " A ring on a short dash at 0: the firm books no revenue in that scenario."
	}
	return f, nil
}

// fanBands returns, per scenario and firm, the annualized net revenue bands
// behind the fan chart: 12 × the monthly p5, p50 and p95 of
// "net_revenue/<firm>" in series.csv, in US dollars per year.
func fanBands(d *report.Dir) (map[[2]string]band, error) {
	out := make(map[[2]string]band)
	for _, sc := range d.Summary.Scenarios {
		for _, firm := range report.Firms {
			b, err := seriesBand(d, sc.Name, report.MetricName(report.NetRevenue, firm), 12, false)
			if err != nil {
				return nil, err
			}
			out[[2]string{sc.Name, firm}] = b
		}
	}
	return out, nil
}

// AnnualizedNetRevenueFan draws fan charts of annualized net revenue
// (12 × monthly net revenue) per firm: median line and 5–95% band. With up
// to five scenarios each firm has one panel with one colour per scenario;
// with more, a grid with one row per firm (shared y axis) and one column
// per scenario.
func AnnualizedNetRevenueFan(d *report.Dir) (*Figure, error) {
	s := d.Summary
	bands, err := fanBands(d)
	if err != nil {
		return nil, err
	}
	f := &Figure{
		Title:   title(s, "annualized net revenue by firm (12 × monthly)"),
		Caption: "Lines: median over runs; shaded bands: 5th–95th percentile.",
		Legend:  scenarioLegend(s),
	}
	if len(s.Scenarios) <= maxOverlaid {
		rows, cols := gridShape(len(report.Firms) + 1)
		f.Panels = make([][]*plot.Plot, rows)
		for r := range f.Panels {
			f.Panels[r] = make([]*plot.Plot, cols)
		}
		for fi, firm := range report.Firms {
			maxAbs := 0.0
			for _, sc := range s.Scenarios {
				maxAbs = math.Max(maxAbs, bands[[2]string{sc.Name, firm}].maxAbs())
			}
			u := moneyUnit(maxAbs)
			p := timePanel(firm)
			p.Y.Label.Text = u.name + " per year"
			for i, sc := range s.Scenarios {
				pg, _ := bandPlotters(bands[[2]string{sc.Name, firm}], u.div, scenarioColor(i), 0.2, lineStyle(nil, 2.5))
				p.Add(pg)
			}
			for i, sc := range s.Scenarios {
				_, ln := bandPlotters(bands[[2]string{sc.Name, firm}], u.div, scenarioColor(i), 0.2, lineStyle(nil, 2.5))
				p.Add(ln)
			}
			f.Panels[fi/cols][fi%cols] = p
		}
		return f, nil
	}
	// Small multiples: rows are firms, columns scenarios.
	f.Legend = nil
	f.HeightScale = 1.5
	f.Caption = "Rows: firms (shared axis per row); columns: scenarios. " + f.Caption
	for _, firm := range report.Firms {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, sc := range s.Scenarios {
			l, h := bands[[2]string{sc.Name, firm}].extent()
			lo, hi = math.Min(lo, l), math.Max(hi, h)
		}
		u := moneyUnit(math.Max(math.Abs(lo), math.Abs(hi)))
		row := make([]*plot.Plot, len(s.Scenarios))
		for i, sc := range s.Scenarios {
			p := timePanel("")
			p.X.Tick.Marker = plot.TickerFunc(fewYearTicks)
			if firm == report.Firms[0] {
				p.Title.Text = sc.Name
				if sc.Name == s.Baseline {
					p.Title.Text += " (baseline)"
				}
			}
			pg, ln := bandPlotters(bands[[2]string{sc.Name, firm}], u.div, scenarioColor(i), 0.25, lineStyle(nil, 2))
			p.Add(pg, ln)
			p.Y.Min, p.Y.Max = lo/u.div, hi/u.div
			p.Y.Tick.Marker = niceTicker(3)
			if i == 0 {
				p.Y.Label.Text = firm + ", " + u.name + "/yr"
			} else {
				p.Y.Tick.Marker = blankLabels(niceTicker(3))
			}
			if firm != report.Firms[len(report.Firms)-1] {
				p.X.Tick.Marker = blankLabels(plot.TickerFunc(fewYearTicks))
			}
			row[i] = p
		}
		f.Panels = append(f.Panels, row)
	}
	return f, nil
}

// shareLines returns, per scenario and channel, the median share of buyer
// spend ("share/<channel>" p50 in series.csv) as a fraction.
func shareLines(d *report.Dir) (map[[2]string]band, error) {
	out := make(map[[2]string]band)
	for _, sc := range d.Summary.Scenarios {
		for _, ch := range report.Channels {
			b, err := seriesBand(d, sc.Name, report.MetricName(report.Share, ch), 1, false)
			if err != nil {
				return nil, err
			}
			out[[2]string{sc.Name, ch}] = b
		}
	}
	return out, nil
}

// ChannelShares draws the median share of buyer spend of each channel over
// time, one panel per scenario, in percent.
func ChannelShares(d *report.Dir) (*Figure, error) {
	s := d.Summary
	lines, err := shareLines(d)
	if err != nil {
		return nil, err
	}
	f := &Figure{
		Title:   title(s, "channel shares of buyer spend"),
		Caption: "Lines: median share over runs (medians need not sum to 100%). \"rivals\" is the outside option: other vendors and in-house builds.",
	}
	for i, ch := range report.Channels {
		f.Legend = append(f.Legend, LegendEntry{Label: ch, Thumbs: []plot.Thumbnailer{lineThumb(lineStyle(channelColor(ch, i), 3))}})
	}
	rows, cols := gridShape(len(s.Scenarios))
	f.Panels = make([][]*plot.Plot, rows)
	for r := range f.Panels {
		f.Panels[r] = make([]*plot.Plot, cols)
	}
	for i, sc := range s.Scenarios {
		name := sc.Name
		if name == s.Baseline {
			name += " (baseline)"
		}
		p := timePanel(name)
		p.Y.Min, p.Y.Max = 0, 100
		p.Y.Tick.Marker = niceTicker(5)
		if i%cols == 0 {
			p.Y.Label.Text = "share of spend (%)"
		} else {
			p.Y.Tick.Marker = blankLabels(niceTicker(5))
		}
		for ci, ch := range report.Channels {
			_, ln := bandPlotters(lines[[2]string{sc.Name, ch}], 0.01, channelColor(ch, ci), 0, lineStyle(nil, 3))
			p.Add(ln)
		}
		f.Panels[i/cols][i%cols] = p
	}
	return f, nil
}

// PairedDifferences draws the paired difference of each firm's net revenue
// to the baseline (summary.json "differences", metric
// "net_revenue/<firm>") with its 95% interval: one panel per firm, one row
// per non-baseline scenario, and a dashed line at zero.
func PairedDifferences(d *report.Dir) (*Figure, error) {
	s := d.Summary
	others := nonBaseline(s)
	if len(others) == 0 {
		return nil, fmt.Errorf("%s: no scenario besides the baseline %q: %w", report.SummaryFile, s.Baseline, errNoData)
	}
	names := make([]string, len(others))
	for i, sc := range others {
		names[i] = sc.Name
	}
	f := &Figure{
		Title: title(s, "paired difference in net revenue (scenario − baseline "+s.Baseline+") over "+window(s), names...),
		Caption: fmt.Sprintf("Points: mean of scenario − baseline net revenue over %d runs with common random numbers; bars: 95%% t interval.",
			s.Runs),
	}
	colorOf := make(map[string]int)
	for i, sc := range s.Scenarios {
		colorOf[sc.Name] = i
	}
	var row []*plot.Plot
	for fi, firm := range report.Firms {
		metric := report.MetricName(report.NetRevenue, firm)
		ds := make([]report.Difference, len(others))
		maxAbs := 0.0
		for i, sc := range others {
			diff, ok := sc.Difference(metric)
			if !ok {
				return nil, fmt.Errorf("%s: scenario %q has no difference for metric %q", report.SummaryFile, sc.Name, metric)
			}
			ds[i] = diff
			maxAbs = math.Max(maxAbs, math.Max(math.Abs(diff.Lo95), math.Abs(diff.Hi95)))
		}
		u := moneyUnit(maxAbs)
		p := newPanel(firm)
		p.X.Label.Text = "difference (" + u.name + ")"
		p.X.Tick.Marker = niceTicker(3)
		lo, hi := 0.0, 0.0
		for _, diff := range ds {
			lo, hi = math.Min(lo, diff.Lo95/u.div), math.Max(hi, diff.Hi95/u.div)
		}
		p.X.Min, p.X.Max = lo-0.08*(hi-lo), hi+0.08*(hi-lo)
		n := float64(len(others))
		p.Y.Min, p.Y.Max = -0.5, n-0.5
		p.Add(&refLine{X0: 0, X1: 0, Y0: -0.5, Y1: n - 0.5, Style: lineStyle(gray, 1.5, 6, 4)})
		for i, diff := range ds {
			p.Add(&interval{Y: n - 1 - float64(i), Lo: diff.Lo95 / u.div, Mid: diff.Mean / u.div, Hi: diff.Hi95 / u.div,
				Color: scenarioColor(colorOf[others[i].Name])})
		}
		var ticks []plot.Tick
		for i, name := range names {
			t := plot.Tick{Value: n - 1 - float64(i)}
			if fi == 0 {
				t.Label = name
			}
			ticks = append(ticks, t)
		}
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		row = append(row, p)
	}
	f.Panels = [][]*plot.Plot{row}
	return f, nil
}

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

// Transfers draws, per scenario, the monthly transfers each way (mean line
// and 5–95% band of "transfer/openai_to_microsoft" and
// "transfer/microsoft_to_openai" in series.csv), and one panel of the
// cumulative payments from OpenAI to Microsoft (cumulativeScenarios) with a
// dashed line, labelled with its amount, at each cap over the cap's months.
func Transfers(d *report.Dir) (*Figure, error) {
	s := d.Summary
	type pair struct{ out, in band }
	data := make([]pair, len(s.Scenarios))
	cum := make([]band, len(s.Scenarios))
	shown := cumulativeScenarios(s)
	monthlyMax, cumMax := 0.0, 0.0
	for i, sc := range s.Scenarios {
		var err error
		if data[i].out, err = seriesBand(d, sc.Name, report.TransferOpenAIToMS, 1, true); err != nil {
			return nil, err
		}
		if data[i].in, err = seriesBand(d, sc.Name, report.TransferMSToOpenAI, 1, true); err != nil {
			return nil, err
		}
		if cum[i], err = seriesBand(d, sc.Name, report.CumTransferOpenAIToMS, 1, true); err != nil {
			return nil, err
		}
		monthlyMax = math.Max(monthlyMax, math.Max(data[i].out.maxAbs(), data[i].in.maxAbs()))
	}
	for _, i := range shown {
		cumMax = math.Max(cumMax, cum[i].maxAbs())
		if c := s.Scenarios[i].Cap; c != nil {
			cumMax = math.Max(cumMax, c.AmountUSD)
		}
	}
	f := &Figure{
		Title:   title(s, "transfers between OpenAI and Microsoft"),
		Caption: "Lines: mean over runs; shaded bands: 5th–95th percentile. Cumulative payments count from a cap's first month where the scenario has a cap.",
	}
	if len(shown) < len(s.Scenarios) {
		f.Caption += " The cumulative panel shows the baseline and the scenarios with a cap."
	}
	solid, dotted, dashed := lineStyle(nil, 2.5), lineStyle(nil, 2.5, 2, 4), lineStyle(nil, 2, 10, 5)
	black := func(ls draw.LineStyle) draw.LineStyle { ls.Color = gray; return ls }
	f.Legend = scenarioLegend(s)
	f.Legend = append(f.Legend,
		LegendEntry{Label: "OpenAI → Microsoft", Thumbs: []plot.Thumbnailer{lineThumb(black(solid))}},
		LegendEntry{Label: "Microsoft → OpenAI", Thumbs: []plot.Thumbnailer{lineThumb(black(dotted))}},
		LegendEntry{Label: "cap on OpenAI → Microsoft", Thumbs: []plot.Thumbnailer{lineThumb(black(dashed))}},
	)
	rows, cols := gridShape(len(s.Scenarios) + 1)
	f.Panels = make([][]*plot.Plot, rows)
	for r := range f.Panels {
		f.Panels[r] = make([]*plot.Plot, cols)
	}
	mu := moneyUnit(monthlyMax)
	for i, sc := range s.Scenarios {
		name := sc.Name
		if name == s.Baseline {
			name += " (baseline)"
		}
		p := timePanel(name)
		// The monthly panels share their y axis: only the first column
		// labels it.
		if i%cols == 0 {
			p.Y.Label.Text = mu.name + " per month"
		} else {
			p.Y.Tick.Marker = blankLabels(p.Y.Tick.Marker)
		}
		c := scenarioColor(i)
		for _, x := range []struct {
			b  band
			ls draw.LineStyle
		}{{data[i].out, solid}, {data[i].in, dotted}} {
			pg, ln := bandPlotters(x.b, mu.div, c, 0.2, x.ls)
			p.Add(pg, ln)
		}
		p.Y.Min, p.Y.Max = 0, monthlyMax/mu.div
		f.Panels[i/cols][i%cols] = p
	}
	cu := moneyUnit(cumMax)
	p := timePanel("cumulative OpenAI → Microsoft")
	p.Y.Label.Text = cu.name
	p.Y.Min = 0
	// Caps shared by several scenarios are drawn once, in gray.
	type capKey struct {
		amount     float64
		start, end string
	}
	capOwners := make(map[capKey][]int)
	var caps []capKey
	for _, i := range shown {
		sc := s.Scenarios[i]
		pg, ln := bandPlotters(cum[i], cu.div, scenarioColor(i), 0.15, solid)
		p.Add(pg, ln)
		if sc.Cap != nil {
			k := capKey{sc.Cap.AmountUSD, sc.Cap.Start, sc.Cap.End}
			if capOwners[k] == nil {
				caps = append(caps, k)
			}
			capOwners[k] = append(capOwners[k], i)
		}
	}
	for _, k := range caps {
		i := capOwners[k][0]
		t0, err0 := report.ParseMonth(k.start)
		t1, err1 := report.ParseMonth(k.end)
		if err0 != nil || err1 != nil {
			return nil, fmt.Errorf("%s: scenario %q: bad cap months", report.SummaryFile, s.Scenarios[i].Name)
		}
		// Clip the cap line to the months shown.
		x0 := math.Max(decimalYear(t0), cum[i].X[0])
		x1 := math.Min(decimalYear(t1), cum[i].X[len(cum[i].X)-1])
		if x0 <= x1 {
			ls := dashed
			ls.Color = scenarioColor(i)
			if len(capOwners[k]) > 1 {
				ls.Color = gray
			}
			y := k.amount / cu.div
			p.Add(&refLine{X0: x0, X1: x1, Y0: y, Y1: y, Style: ls, Label: "cap " + formatMoney(k.amount)})
		}
	}
	if len(caps) > 0 {
		p.Y.Max = 1.25 * cumMax / cu.div // room for the cap labels above the lines
	}
	n := len(s.Scenarios)
	f.Panels[n/cols][n%cols] = p
	return f, nil
}
