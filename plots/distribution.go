package plots

import (
	"math"
	"sort"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
)

// NetRevenueDistribution draws each firm's net revenue over the report
// window (metric "net_revenue/<firm>" of summary.json), one panel per firm,
// one horizontal box per scenario built from the summary percentiles, the
// scenarios named on the first panel's axis. A scenario whose values lie far
// beyond all the others' in a panel (farApart) is not drawn to that panel's
// scale: its row holds its mean and an arrow instead, so that the others'
// boxes are not squashed.
func NetRevenueDistribution(d *report.Dir) (*Figure, error) {
	s := d.Summary
	f := &Figure{
		Title:   title(s, "net revenue by firm over "+window(s)),
		Caption: "Whiskers: 5th–95th percentile over runs; box: 25th–75th percentile (at least a few points wide); black bar: median; ring: mean.",
	}
	n := float64(len(s.Scenarios))
	row := make([]*plot.Plot, 0, len(report.Firms))
	var nothing, off bool // some firm books nothing in some scenario; some value is off scale
	for fi, firm := range report.Firms {
		ms, err := firmSummaries(s, report.MetricName(report.NetRevenue, firm))
		if err != nil {
			return nil, err
		}
		ext := make([][2]float64, len(ms))
		for i, m := range ms {
			ext[i] = [2]float64{math.Min(m.P5, m.Mean), math.Max(m.P95, m.Mean)}
			nothing = nothing || (m.P5 == 0 && m.P95 == 0 && m.Mean == 0)
		}
		far := farApart(ext)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, e := range ext {
			if far[i] == 0 {
				lo, hi = math.Min(lo, e[0]), math.Max(hi, e[1])
			}
		}
		u := moneyUnit(math.Max(math.Abs(lo), math.Abs(hi)))
		p := newPanel(firmName(firm))
		p.X.Label.Text = u.name
		p.X.Tick.Marker = niceTicker(4)
		// A margin keeps boxes and rings at the extremes off the axes.
		lo, hi = lo/u.div, hi/u.div
		p.X.Min, p.X.Max = lo-0.05*(hi-lo), hi+0.05*(hi-lo)
		if hi == lo {
			p.X.Min, p.X.Max = lo-1, hi+1
		}
		p.Y.Min, p.Y.Max = -0.6, n-0.4
		for i, m := range ms {
			y := n - 1 - float64(i)
			if far[i] != 0 {
				off = true
				p.Add(&offScale{Y: y, Label: "mean " + formatMoney(m.Mean), Left: far[i] < 0, Color: scenarioColor(i)})
				continue
			}
			p.Add(&quantileBox{Y: y, P5: m.P5 / u.div, P25: m.P25 / u.div, P50: m.P50 / u.div,
				P75: m.P75 / u.div, P95: m.P95 / u.div, Mean: m.Mean / u.div, Color: scenarioColor(i), Height: 0.6})
		}
		p.Y.Tick.Marker = scenarioTicks(s, fi == 0)
		row = append(row, p)
	}
	f.Panels = [][]*plot.Plot{row}
	f.Legend = []LegendEntry{
		{Label: "median", Thumbs: []plot.Thumbnailer{medianThumb{}}},
		{Label: "mean", Thumbs: []plot.Thumbnailer{glyphThumb{meanGlyph}}},
	}
	if nothing {
		f.Caption += " A lone ring at 0: the firm books no revenue in that scenario."
	}
	if off {
		f.Caption += " An arrow at a panel's edge: that scenario's revenue is far beyond the others' (its mean is given), so it is left off their scale."
	}
	return f, nil
}

// firmSummaries returns each scenario's summary of metric, in scenario
// order.
func firmSummaries(s *report.Summary, metric string) ([]report.MetricSummary, error) {
	ms := make([]report.MetricSummary, len(s.Scenarios))
	for i, sc := range s.Scenarios {
		m, err := metricSummary(s, sc.Name, metric)
		if err != nil {
			return nil, err
		}
		ms[i] = m
	}
	return ms, nil
}

// scenarioTicks labels rows n−1 (first scenario, at the top) down to 0 with
// the scenarios' labels, or keeps only the marks when labelled is false.
func scenarioTicks(s *report.Summary, labelled bool) plot.Ticker {
	n := len(s.Scenarios)
	ticks := make([]plot.Tick, n)
	for i, sc := range s.Scenarios {
		ticks[i] = plot.Tick{Value: float64(n - 1 - i)}
		if labelled {
			ticks[i].Label = s.Label(sc.Name)
		}
	}
	return plot.ConstantTicks(ticks)
}

// farApart finds the intervals that lie so far beyond all the others that
// drawing them to one scale would squash the rest: the fewest (at most half,
// one at least when there are three or more) whose gap to the rest's
// extent exceeds twice that extent. It returns +1 for those beyond the rest
// on the high side, −1 on the low side, 0 for the rest.
func farApart(ext [][2]float64) []int {
	far := make([]int, len(ext))
	for _, side := range []int{+1, -1} {
		idx := make([]int, 0, len(ext))
		for i := range ext {
			if far[i] == 0 {
				idx = append(idx, i)
			}
		}
		// Order by how far out each interval starts on this side.
		key := func(i int) float64 {
			if side > 0 {
				return ext[i][0]
			}
			return -ext[i][1]
		}
		sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) > key(idx[b]) })
		for k := 1; 2*k < len(idx); k++ {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, i := range idx[k:] {
				lo, hi = math.Min(lo, ext[i][0]), math.Max(hi, ext[i][1])
			}
			gap := key(idx[k-1]) - hi // side > 0
			if side < 0 {
				gap = key(idx[k-1]) + lo
			}
			if span := hi - lo; span > 0 && gap > 2*span {
				for _, i := range idx[:k] {
					far[i] = side
				}
				break
			}
		}
	}
	return far
}
