package experiments

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/report"
)

// breakdownCheck is one identity the breakdowns must meet in the result
// files: the parts' names and the total's.
type breakdownCheck struct {
	total string
	parts []string
}

// breakdownChecks lists, for every channel, its spend and customers split
// by segment and by cloud against the channel's own metric (totalSpend
// names its spend: gross_revenue/<channel>), and the makers' spend against
// spend/total.
func breakdownChecks() []breakdownCheck {
	var cs []breakdownCheck
	for _, c := range agents.ChannelNames {
		for _, p := range []struct{ prefix, total string }{
			{report.Spend, report.MetricName(report.GrossRevenue, c)},
			{report.Customers, report.MetricName(report.Customers, c)},
		} {
			var seg, cloud []string
			for _, g := range agents.SegmentNames {
				seg = append(seg, report.BreakdownName(p.prefix, c, report.BySegment, g))
			}
			for _, g := range agents.CloudNames {
				cloud = append(cloud, report.BreakdownName(p.prefix, c, report.ByCloud, g))
			}
			cs = append(cs, breakdownCheck{p.total, seg}, breakdownCheck{p.total, cloud})
		}
	}
	var makers []string
	for _, m := range agents.MakerNames {
		makers = append(makers, report.MetricName(report.SpendMaker, m))
	}
	return append(cs, breakdownCheck{report.SpendTotal, makers})
}

// checkSums applies the checks to one set of values by name; what names a
// row (scenario, run or month) is where. Tolerance: the parts and the total
// are sums of the same terms in another order, so they differ by rounding
// (a few ulps of the total per term: 1e-9 relative is far above that and
// far below a part left out or counted twice).
func checkSums(t *testing.T, where string, v map[string]float64) {
	t.Helper()
	for _, c := range breakdownChecks() {
		total, ok := v[c.total]
		if !ok {
			t.Fatalf("%s: no %s", where, c.total)
		}
		sum := 0.0
		for _, p := range c.parts {
			x, ok := v[p]
			if !ok {
				t.Fatalf("%s: no %s", where, p)
			}
			sum += x
		}
		if math.Abs(sum-total) > 1e-9*math.Max(1, math.Abs(total)) {
			t.Errorf("%s: %v sum to %g, %s is %g", where, c.parts, sum, c.total, total)
		}
	}
}

// TestBreakdownFiles: runs.csv, summary.json and series.csv carry spend and
// customers by channel × segment and × incumbent cloud and spend by maker;
// in every run (runs.csv) and every month's mean (series.csv), the parts sum
// to the channel's total and the makers' spend to spend/total, and the
// makers' shares are their spend over spend/total. The breakdowns are not
// all zero (a breakdown left unfilled would pass the sums with zero
// totals, which the channel totals are not).
func TestBreakdownFiles(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	dir := writeAll(t, mustRun(t, e, Options{Workers: 2}))
	rows, err := report.ReadRuns(filepath.Join(dir, report.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		scenario string
		run      int
	}
	runs := map[key]map[string]float64{}
	for _, r := range rows {
		k := key{r.Scenario, r.Run}
		if runs[k] == nil {
			runs[k] = map[string]float64{}
		}
		runs[k][r.Metric] = r.Value
	}
	if len(runs) != len(e.Scenarios)*e.Runs {
		t.Fatalf("runs.csv has %d scenario-runs, want %d", len(runs), len(e.Scenarios)*e.Runs)
	}
	regulatedAzure := 0.0
	for k, v := range runs {
		where := fmt.Sprintf("%s run %d", k.scenario, k.run)
		checkSums(t, where, v)
		for _, m := range agents.MakerNames {
			got := v[report.MetricName(report.ShareMaker, m)]
			want := v[report.MetricName(report.SpendMaker, m)] / v[report.SpendTotal]
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("%s: share/maker/%s = %g, want spend/maker/%s over spend/total = %g", where, m, got, m, want)
			}
		}
		regulatedAzure += v[report.BreakdownName(report.Customers, "azure", report.BySegment, "regulated")]
	}
	if regulatedAzure == 0 {
		t.Error("no run has regulated customers on Azure: the breakdown is not filled")
	}

	sum, err := report.ReadSummary(filepath.Join(dir, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range breakdownChecks() {
		for _, name := range append(slices.Clone(c.parts), c.total) {
			if _, ok := sum.Scenarios[0].Metric(name); !ok {
				t.Errorf("summary.json has no %s", name)
			}
		}
	}

	series, err := report.ReadSeries(filepath.Join(dir, report.SeriesFile))
	if err != nil {
		t.Fatal(err)
	}
	type month struct{ scenario, month string }
	means := map[month]map[string]float64{}
	for _, r := range series {
		k := month{r.Scenario, r.Month}
		if means[k] == nil {
			means[k] = map[string]float64{}
		}
		means[k][r.Metric] = r.Mean
	}
	for k, v := range means {
		// series.csv has no spend/total: the makers' spend sums to the
		// channels' gross revenue.
		total := 0.0
		for _, c := range agents.ChannelNames {
			total += v[report.MetricName(report.GrossRevenue, c)]
		}
		v[report.SpendTotal] = total
		checkSums(t, k.scenario+" "+k.month, v)
	}
}
