package plots

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
)

// band is one monthly series: X in decimal years, and the low, middle and
// high values in the series' units times a factor (see seriesBand). NaN
// marks a month where the series is undefined (see undefinedShares); the
// plotters leave a gap there.
type band struct {
	X, Lo, Mid, Hi []float64
}

// seriesBand reads one scenario's metric from series.csv: X in decimal
// years, Lo = factor·p5, Mid = factor·mean and Hi = factor·p95. Every line
// in the figures is a mean over runs: means are exact (the quantiles come
// from a sketch), add up (channel shares to 100%, cumulative payments to
// the monthly ones) and stay within a cap that binds.
func seriesBand(d *report.Dir, scenario, metric string, factor float64) (band, error) {
	rows := d.SeriesOf(scenario, metric)
	if len(rows) == 0 {
		return band{}, fmt.Errorf("%s has no rows for scenario %q, metric %q", report.SeriesFile, scenario, metric)
	}
	var b band
	for _, r := range rows {
		t, err := report.ParseMonth(r.Month)
		if err != nil {
			return band{}, err
		}
		b.X = append(b.X, decimalYear(t))
		b.Lo = append(b.Lo, factor*r.P5)
		b.Mid = append(b.Mid, factor*r.Mean)
		b.Hi = append(b.Hi, factor*r.P95)
	}
	return b, nil
}

// seriesBands reads the series prefix/<id> of every scenario and id
// (seriesBand, with factor), keyed by (scenario, id).
func seriesBands(d *report.Dir, prefix string, ids []string, factor float64) (map[[2]string]band, error) {
	out := make(map[[2]string]band)
	for _, sc := range d.Summary.Scenarios {
		for _, id := range ids {
			b, err := seriesBand(d, sc.Name, report.MetricName(prefix, id), factor)
			if err != nil {
				return nil, err
			}
			out[[2]string{sc.Name, id}] = b
		}
	}
	return out, nil
}

// blank sets month i of b to NaN (undefined).
func (b band) blank(i int) {
	b.Lo[i], b.Mid[i], b.Hi[i] = math.NaN(), math.NaN(), math.NaN()
}

func (b band) maxAbs() float64 {
	m := 0.0
	for _, s := range [][]float64{b.Lo, b.Mid, b.Hi} {
		for _, v := range s {
			if !math.IsNaN(v) {
				m = math.Max(m, math.Abs(v))
			}
		}
	}
	return m
}

func (b band) extent() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range [][]float64{b.Lo, b.Mid, b.Hi} {
		for _, v := range s {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// metricSummary returns a scenario's summary of a scalar metric.
func metricSummary(s *report.Summary, scenario, metric string) (report.MetricSummary, error) {
	sc := s.Scenario(scenario)
	if sc == nil {
		return report.MetricSummary{}, fmt.Errorf("%s has no scenario %q", report.SummaryFile, scenario)
	}
	m, ok := sc.Metric(metric)
	if !ok {
		return report.MetricSummary{}, fmt.Errorf("%s: scenario %q has no metric %q", report.SummaryFile, scenario, metric)
	}
	return m, nil
}

// nonBaseline returns the scenarios other than the baseline, in file order.
func nonBaseline(s *report.Summary) []report.ScenarioSummary {
	var out []report.ScenarioSummary
	for _, sc := range s.Scenarios {
		if sc.Name != s.Baseline {
			out = append(out, sc)
		}
	}
	return out
}

// title returns a figure's title lines: the experiment and what is shown,
// then the scenarios (baseline marked) and the number of runs.
func title(s *report.Summary, what string, scenarios ...string) []string {
	if scenarios == nil {
		scenarios = s.ScenarioNames()
	}
	names := make([]string, len(scenarios))
	for i, n := range scenarios {
		names[i] = s.Label(n)
	}
	label := "scenarios: "
	if len(names) == 1 {
		label = "scenario: "
	}
	return []string{
		s.Experiment + ": " + what,
		label + strings.Join(names, ", ") + " · " + strconv.Itoa(s.Runs) + " runs per scenario",
	}
}

// scenarioLegend returns one colour swatch per scenario.
func scenarioLegend(s *report.Summary) []LegendEntry {
	var out []LegendEntry
	for i, sc := range s.Scenarios {
		out = append(out, LegendEntry{Label: s.Label(sc.Name), Thumbs: []plot.Thumbnailer{swatch{scenarioColor(i)}}})
	}
	return out
}
