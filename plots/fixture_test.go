package plots

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/coopsim/coopsim/experiments/report"
)

// Fixture result directories under testdata, written by writeFixture when
// the tests run with -regen and read by the tests otherwise. Their values
// are smooth closed-form curves (no randomness), chosen to look like a
// plausible experiment: OpenAI's direct revenue growing ~3% a month, small
// AWS and Google reseller fees (below $1B, so their panels use $M), and a
// baseline whose $5B cap on OpenAI's payments to Microsoft binds in 2027.
// Only six has the makers' shares (share/maker/<maker>), the channels'
// gross revenue and the spend breakdowns, as results written since the
// market v2 do; three stands for older results.
var fixtures = []struct {
	dir       string
	scenarios []string
	makers    bool
}{
	{"testdata/three", []string{"amended_2026", "exclusive_kept", "no_cap"}, false},
	{"testdata/six", []string{"amended_2026", "exclusive_kept", "no_cap", "shares_unchanged", "acquired_2027", "open_2025"}, true},
}

const (
	fixtureRuns   = 200
	fixtureMonths = 24 // 2026-01 to 2027-12
	fixtureCap    = 5e9
)

// fixtureMonthly returns the mean monthly value of a metric for scenario k
// at month m, in USD per month (shares as fractions).
func fixtureMonthly(metric string, k, m int) float64 {
	g := math.Pow(1.03+0.004*float64(k), float64(m)) // scenario-specific growth
	s := 1 + 0.08*float64(k)                         // scenario-specific level
	switch metric {
	case "net_revenue/openai":
		return 1.5e9 * g * s
	case "net_revenue/microsoft":
		if k == 4 { // acquired: Microsoft books OpenAI's revenue too, far beyond the rest
			return 0.6e9*g/s + 6e9*g
		}
		return 0.6e9 * g / s
	case "net_revenue/aws":
		return 40e6 * g * float64(k+1)
	case "net_revenue/google":
		return 4e6 * g * (1 + 0.5*float64(k))
	case "net_revenue/anthropic":
		return 1.2e9 * math.Pow(1.02, float64(m)) / s
	case "net_revenue/others":
		return 1.0e9 * math.Pow(1.01, float64(m)) / s
	case "transfer/openai_to_microsoft":
		if k == 0 && fixtureCum(k, m-1) >= fixtureCap {
			return 0 // the cap binds
		}
		return 0.2 * 1.5e9 * g * s
	case "transfer/microsoft_to_openai":
		return 0.2 * 0.5e9 * g / s
	case "cumulative_transfer/openai_to_microsoft":
		return fixtureCum(k, m)
	}
	if maker, ok := strings.CutPrefix(metric, "share/maker/"); ok {
		sum := 0.0
		for _, ch := range makerChannels(maker) {
			sum += fixtureMonthly("share/"+ch, k, m)
		}
		return sum
	}
	if ch, ok := strings.CutPrefix(metric, "gross_revenue/"); ok {
		return 2e8 * math.Pow(1.02, float64(m)) * fixtureMonthly("share/"+ch, k, m)
	}
	// Shares: no spend in the first two months (shares undefined); then
	// openai gains over time, azure loses, the others drift; in scenario 1
	// (exclusive kept) AWS and Google never sell.
	if m < 2 {
		return 0
	}
	t := float64(m) / fixtureMonths
	sh := map[string]float64{
		"share/openai": 0.30 + 0.10*t + 0.02*float64(k),
		"share/azure":  0.30 - 0.08*t - 0.03*float64(k),
		"share/aws":    0.08 + 0.04*t*float64(k),
		"share/gcp":    0.04 + 0.02*t*float64(k),
	}
	if k == 1 {
		sh["share/aws"], sh["share/gcp"] = 0, 0
	}
	// The rival channels split the rest: Anthropic's and Google's grow,
	// open models' shrink.
	rest := 1 - sh["share/openai"] - sh["share/azure"] - sh["share/aws"] - sh["share/gcp"]
	rivals := report.Channels[4:]
	total := 0.0
	w := make(map[string]float64, len(rivals))
	for i, ch := range rivals {
		w[ch] = 1 + float64(i%4)*t + 0.2*float64(i)
		total += w[ch]
	}
	for _, ch := range rivals {
		sh["share/"+ch] = rest * w[ch] / total
	}
	return sh[metric]
}

func fixtureCum(k, m int) float64 {
	c := 0.0
	for i := 0; i <= m; i++ {
		c += fixtureMonthly("transfer/openai_to_microsoft", k, i)
	}
	return c
}

var fixtureSeriesMetrics = func() []string {
	out := []string{}
	for _, f := range report.Firms {
		out = append(out, "net_revenue/"+f)
	}
	out = append(out, "transfer/openai_to_microsoft", "transfer/microsoft_to_openai", "cumulative_transfer/openai_to_microsoft")
	for _, c := range report.Channels {
		out = append(out, "share/"+c)
	}
	return out
}()

// spread returns the quantiles of a value with mean v: a band widening
// with the month, skewed up as revenue distributions are.
func spread(v float64, m int) (p5, p25, p50, p75, p95 float64) {
	w := 0.05 + 0.01*float64(m)
	return v * (1 - 1.2*w), v * (1 - 0.5*w), v * (1 - 0.05*w), v * (1 + 0.5*w), v * (1 + 1.6*w)
}

func writeFixture(dir string, scenarios []string, makers bool) error {
	metrics := fixtureSeriesMetrics
	if makers {
		for _, m := range report.Makers {
			metrics = append(metrics[:len(metrics):len(metrics)], "share/maker/"+m)
		}
		for _, ch := range report.Channels {
			metrics = append(metrics, report.MetricName(report.GrossRevenue, ch))
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sw, err := report.CreateSeries(filepath.Join(dir, report.SeriesFile))
	if err != nil {
		return err
	}
	for k, sc := range scenarios {
		for m := range fixtureMonths {
			month := fmt.Sprintf("%d-%02d", 2026+m/12, m%12+1)
			for _, metric := range metrics {
				v := fixtureMonthly(metric, k, m)
				r := report.SeriesRow{Scenario: sc, Month: month, Metric: metric, Mean: v}
				if v == 0 {
					r.P5, r.P25, r.P50, r.P75, r.P95 = 0, 0, 0, 0, 0
				} else if metric == "cumulative_transfer/openai_to_microsoft" && k == 0 {
					r.P5, r.P25, r.P50, r.P75, r.P95 = v*0.9, v*0.97, v, v, v // capped above
				} else {
					r.P5, r.P25, r.P50, r.P75, r.P95 = spread(v, m)
				}
				if strings.HasPrefix(metric, "share/") { // a share's runs lie in [0, 1]
					r.P75, r.P95 = math.Min(r.P75, 1), math.Min(r.P95, 1)
				}
				if err := sw.Write(r); err != nil {
					return err
				}
			}
		}
	}
	if err := sw.Commit(); err != nil {
		return err
	}
	s := &report.Summary{
		Experiment: "fixture-" + filepath.Base(dir), Seed: 1, Runs: fixtureRuns, CodeVersion: "test",
		ExperimentHash: "0000000000000000000000000000000000000000000000000000000000000000",
		Baseline:       scenarios[0], WindowStart: "2026-01", WindowEnd: "2027-12", Start: "2019-07", End: "2027-12",
	}
	for k, sc := range scenarios {
		ss := report.ScenarioSummary{Name: sc, Regime: sc}
		if k == 0 || k == 3 {
			ss.Cap = &report.Cap{AmountUSD: fixtureCap + 2e9*float64(k), Start: "2026-01", End: "2032-12"}
		}
		if makers {
			ss.Metrics = append(ss.Metrics, v2Scalars(k)...)
		}
		for fi, firm := range report.Firms {
			metric := report.MetricName(report.NetRevenue, firm)
			total := 0.0
			for m := range fixtureMonths {
				total += fixtureMonthly(metric, k, m)
			}
			ms := report.MetricSummary{Metric: metric, N: fixtureRuns, Mean: total, SD: 0.12 * total}
			ms.SE = ms.SD / math.Sqrt(fixtureRuns)
			ms.P5, ms.P25, ms.P50, ms.P75, ms.P95 = spread(total, 10)
			ss.Metrics = append(ss.Metrics, ms)
			if k > 0 {
				base := 0.0
				for m := range fixtureMonths {
					base += fixtureMonthly(metric, 0, m)
				}
				se := 0.01 * math.Abs(total-base) * float64(1+fi%3)
				const t199 = 1.9719565442493954 // t quantile 0.975, 199 df
				ss.Differences = append(ss.Differences, report.Difference{Metric: metric, Mean: total - base, SE: se,
					Lo95: total - base - t199*se, Hi95: total - base + t199*se})
			}
		}
		s.Scenarios = append(s.Scenarios, ss)
	}
	return report.WriteSummary(filepath.Join(dir, report.SummaryFile), s)
}

// v2Scalars returns the market v2's scalars of scenario k over the window:
// each channel's gross revenue (its buyers' spend) and its split by buyer
// segment and by incumbent cloud. Regulated buyers lean to the channels
// sold on Azure, and a buyer's incumbent cloud to the channels on that
// cloud, as the figures should show.
func v2Scalars(k int) []report.MetricSummary {
	scalar := func(metric string, total float64) report.MetricSummary {
		ms := report.MetricSummary{Metric: metric, N: fixtureRuns, Mean: total, SD: 0.12 * total}
		ms.SE = ms.SD / math.Sqrt(fixtureRuns)
		ms.P5, ms.P25, ms.P50, ms.P75, ms.P95 = spread(total, 10)
		return ms
	}
	split := func(base []float64, lean int, by float64) []float64 {
		w := append([]float64(nil), base...)
		sum := 0.0
		for i := range w {
			if i == lean {
				w[i] *= by
			}
			sum += w[i]
		}
		for i := range w {
			w[i] /= sum
		}
		return w
	}
	var out []report.MetricSummary
	for _, ch := range report.Channels {
		total := 0.0
		for m := range fixtureMonths {
			total += fixtureMonthly("gross_revenue/"+ch, k, m)
		}
		out = append(out, scalar(report.MetricName(report.GrossRevenue, ch), total))
		venue, _ := channelVenue(ch)
		lean := -1
		if venue == "azure" {
			lean = 0
		}
		for i, g := range split([]float64{0.3, 0.3, 0.4}, lean, 2) {
			out = append(out, scalar(report.BreakdownName(report.Spend, ch, report.BySegment, report.Segments[i]), g*total))
		}
		lean = -1
		for i, c := range report.Clouds {
			if c == venue {
				lean = i
			}
		}
		for i, g := range split([]float64{0.35, 0.3, 0.2, 0.15}, lean, 6) {
			out = append(out, scalar(report.BreakdownName(report.Spend, ch, report.ByCloud, report.Clouds[i]), g*total))
		}
	}
	return out
}
