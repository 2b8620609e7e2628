package experiments

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// Numeric edge cases, end to end: each builds a small experiment, runs it,
// writes every result file and checks that no number in any of them is NaN
// or infinite, then checks the result that the case should give. Cases that
// must be refused check that the error names the key and the allowed range.

// edgeHead is the top of every edge-case experiment: few buyers, few runs,
// a short span around the 2026 amendments.
const edgeHead = `name = "edge"
seed = 7
runs = 3
start = "2025-01"
end = "2027-12"
baseline = "s"
`

// edgeRun loads src, runs it, writes its result files into a temporary
// directory, checks every number in them is finite and returns the outcome
// and the directory.
func edgeRun(t *testing.T, src string) (*Outcome, string) {
	t.Helper()
	e, err := LoadBytes([]byte(src), "edge.toml", t.TempDir())
	if err != nil {
		t.Fatalf("load: %v\n%s", err, src)
	}
	o, err := Run(context.Background(), e, Options{Workers: 2})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := o.WriteAll(dir); err != nil {
		t.Fatalf("write: %v", err)
	}
	edgeFinite(t, dir)
	return o, dir
}

// edgeFinite fails if any number in runs.csv, series.csv or summary.json
// is NaN or infinite, or if a file has no data.
func edgeFinite(t *testing.T, dir string) {
	t.Helper()
	for _, p := range edgeProblems(dir) {
		t.Error(p)
	}
}

// edgeProblems lists every NaN or infinite number in the result files of
// dir, and files that are missing, unreadable or hold no numbers.
func edgeProblems(dir string) []string {
	var bad []string
	for _, f := range []string{report.RunsFile, report.SeriesFile} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil || len(rows) < 2 {
			bad = append(bad, fmt.Sprintf("%s: %d rows, %v", f, len(rows), err))
			continue
		}
		numbers := 0
		for i, row := range rows[1:] {
			for j, cell := range row {
				x, err := strconv.ParseFloat(cell, 64)
				if err != nil {
					if l := strings.ToLower(cell); strings.Contains(l, "nan") || strings.Contains(l, "inf") {
						bad = append(bad, fmt.Sprintf("%s line %d column %s: %q", f, i+2, rows[0][j], cell))
					}
					continue
				}
				numbers++
				if math.IsNaN(x) || math.IsInf(x, 0) {
					bad = append(bad, fmt.Sprintf("%s line %d column %s: %q", f, i+2, rows[0][j], cell))
				}
			}
		}
		if numbers == 0 {
			bad = append(bad, f+": no numbers")
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	if err != nil {
		return append(bad, err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return append(bad, "summary.json: "+err.Error())
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range x {
				walk(path+"["+strconv.Itoa(i)+"]", c)
			}
		case json.Number:
			if f, err := strconv.ParseFloat(string(x), 64); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				bad = append(bad, fmt.Sprintf("summary.json %s = %s", path, x))
			}
		case string:
			if l := strings.ToLower(x); l == "nan" || strings.HasSuffix(l, "inf") || strings.HasSuffix(l, "infinity") {
				bad = append(bad, fmt.Sprintf("summary.json %s = %q", path, x))
			}
		}
	}
	walk("", v)
	return bad
}

// TestEdgeProblemsFinds: the scan finds a NaN or an Inf in each file (so a
// clean scan means something).
func TestEdgeProblemsFinds(t *testing.T) {
	t.Parallel()
	_, dir := edgeRun(t, edgeHistory("buyers.agents = 50"))
	if p := edgeProblems(dir); len(p) != 0 {
		t.Fatalf("clean results reported: %v", p)
	}
	for _, c := range []struct{ file, old, new string }{
		{report.RunsFile, "s,0,spend/total,", "s,0,spend/total,NaN\ns,0,spend/total,"},
		{report.SeriesFile, ",share/open,", ",share/open,+Inf,"},
		{report.SummaryFile, `"sd": `, `"sd": "NaN", "x": `},
	} {
		t.Run(c.file, func(t *testing.T) {
			bad := t.TempDir()
			for _, f := range []string{report.RunsFile, report.SeriesFile, report.SummaryFile} {
				data, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				if f == c.file {
					if !bytes.Contains(data, []byte(c.old)) {
						t.Fatalf("%s has no %q", f, c.old)
					}
					data = bytes.Replace(data, []byte(c.old), []byte(c.new), 1)
				}
				if err := os.WriteFile(filepath.Join(bad, f), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if len(edgeProblems(bad)) == 0 {
				t.Errorf("a non-finite number in %s went unnoticed", c.file)
			}
		})
	}
}

// edgeMetric returns scenario s's values of the named metric, one per run.
func edgeMetric(t *testing.T, o *Outcome, s int, name string) []float64 {
	t.Helper()
	m := o.MetricIndex(name)
	if m < 0 {
		t.Fatalf("no metric %q (have %v)", name, o.Metrics)
	}
	return o.Scalars(s, m)
}

// edgeWant fails unless every run's value of the metric satisfies ok.
func edgeWant(t *testing.T, o *Outcome, name, what string, ok func(float64) bool) {
	t.Helper()
	for s := range o.Experiment.Scenarios {
		for i, v := range edgeMetric(t, o, s, name) {
			if !ok(v) {
				t.Errorf("scenario %s run %d: %s = %g, want %s", o.Experiment.Scenarios[s].Name, o.RunIDs[i], name, v, what)
			}
		}
	}
}

// edgeChannels are the channels that sell OpenAI models; rivalChannels
// the other makers'.
var (
	edgeChannels  = agents.ChannelNames[:agents.NumOpenAIChannels]
	rivalChannels = agents.ChannelNames[agents.NumOpenAIChannels:]
)

func zero(v float64) bool     { return v == 0 }
func positive(v float64) bool { return v > 0 }

// edgeSeries returns the series.csv rows of one metric as month → mean.
func edgeSeries(t *testing.T, dir, metric string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	err := report.StreamSeries(filepath.Join(dir, report.SeriesFile), func(r report.SeriesRow) error {
		if r.Metric == metric {
			out[r.Month] = r.Mean
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("series.csv has no %s", metric)
	}
	return out
}

// edgeRegime is a regime of one amendment at the start (2025-01) with the
// given lines, and a scenario "s" on it with the given overrides.
func edgeRegime(amendment, set string) string {
	return edgeHead + `
[[regime]]
name = "r"
[[regime.amendment]]
month = "2025-01"
` + amendment + `

[[scenario]]
name = "s"
regime = "r"
[scenario.set]
` + set + "\n"
}

// edgeHistory is a scenario "s" on the history regime with a [market] table.
func edgeHistory(market string) string {
	return edgeHead + `
[market]
` + market + `

[[scenario]]
name = "s"
regime = "history"
`
}

// TestEdgeExtremeWeights: preference weights at the 1e6 limit take the
// log-sum-exp path and give finite results that follow the weight.
func TestEdgeExtremeWeights(t *testing.T) {
	t.Parallel()
	set := func(pref string, mean float64) string {
		var b strings.Builder
		for _, s := range agents.SegmentNames {
			b.WriteString("buyers.segments." + s + "." + pref + ".mean = " + strconv.FormatFloat(mean, 'g', -1, 64) + "\n")
			b.WriteString("buyers.segments." + s + "." + pref + ".cv = 0\n")
		}
		return b.String()
	}
	t.Run("security", func(t *testing.T) {
		// Security 1e6: every buyer takes a channel of security 1 (on a
		// cloud), never a maker's own API (0.4) or open models in-house (0.8).
		o, _ := edgeRun(t, edgeHistory("buyers.agents = 300\n"+set("security", 1e6)))
		for _, c := range []string{"openai", "anthropic", "google", "open"} {
			edgeWant(t, o, "gross_revenue/"+c, "0", zero)
		}
		edgeWant(t, o, "gross_revenue/azure", "> 0", positive)
	})
	t.Run("price", func(t *testing.T) {
		// Price 1e6: the bundle discount (10% off on the buyer's own cloud)
		// is worth 1e5 utility; with every buyer on Azure or AWS, nothing
		// sells off their clouds.
		o, _ := edgeRun(t, edgeHistory("buyers.agents = 300\nbuyers.cloud_shares.azure = 0.5\nbuyers.cloud_shares.aws = 0.5\n"+
			"buyers.cloud_shares.gcp = 0\nbuyers.cloud_shares.other = 0\n"+set("price", 1e6)))
		for _, c := range []string{"openai", "gcp", "anthropic", "anthropic_gcp", "google", "google_gcp", "open", "open_gcp"} {
			edgeWant(t, o, "gross_revenue/"+c, "0", zero)
		}
		edgeWant(t, o, "gross_revenue/azure", "> 0", positive)
	})
	t.Run("every preference", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("buyers.agents = 300\n")
		for _, p := range agents.PreferenceNames {
			b.WriteString(set(p, 1e6))
		}
		o, _ := edgeRun(t, edgeHistory(b.String()))
		edgeWant(t, o, "spend/total", "> 0", positive)
	})
	t.Run("widest spread", func(t *testing.T) {
		// cv 10 around 1e6: weights far above 1e6 for some buyers.
		var b strings.Builder
		b.WriteString("buyers.agents = 300\n")
		for _, p := range agents.PreferenceNames {
			b.WriteString(strings.ReplaceAll(set(p, 1e6), ".cv = 0", ".cv = 10"))
		}
		o, _ := edgeRun(t, edgeHistory(b.String()))
		edgeWant(t, o, "spend/total", "> 0", positive)
	})
	t.Run("open models 1e6", func(t *testing.T) {
		o, _ := edgeRun(t, edgeHistory("buyers.agents = 300\nmakers.open.constant = 1e6"))
		for _, c := range agents.ChannelNames {
			if agents.ChannelMaker[mustChannel(t, c)] != agents.MakerOpen {
				edgeWant(t, o, "gross_revenue/"+c, "0", zero)
			}
		}
		edgeWant(t, o, "gross_revenue/open", "> 0", positive)
	})
	t.Run("open models -1e6", func(t *testing.T) {
		o, _ := edgeRun(t, edgeHistory("buyers.agents = 300\nmakers.open.constant = -1e6"))
		for _, c := range []string{"open", "open_azure", "open_aws", "open_gcp"} {
			edgeWant(t, o, "gross_revenue/"+c, "0", zero)
		}
		edgeWant(t, o, "spend/total", "> 0", positive)
	})
	t.Run("pitch and constants 1e6", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("buyers.agents = 300\npreview_penalty = 1e6\n")
		for _, c := range edgeChannels {
			b.WriteString("sellers." + c + ".pitch_bonus = 1e6\nsellers." + c + ".constant = -1e6\n")
		}
		o, _ := edgeRun(t, edgeHistory(b.String()))
		edgeWant(t, o, "spend/total", "> 0", positive)
	})
	t.Run("above the limit", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeHistory("buyers.segments.regulated.security.mean = 1.5e6")), "edge.toml", t.TempDir())
		edgeErr(t, err, "buyers.segments.regulated.security.mean", "0 to 1e6")
	})
}

// edgeErr fails unless err is an invalid-experiment error that names every
// one of want (the key and the allowed range).
func edgeErr(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one naming %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not name %q", err, w)
		}
	}
}

// TestEdgeZeroBudgets: with no buyer spend, every money metric is zero but
// OpenAI's other revenue and what flows from it (its share to Microsoft).
func TestEdgeZeroBudgets(t *testing.T) {
	t.Parallel()
	o, dir := edgeRun(t, edgeHistory("buyers.agents = 200\nbuyers.budget_median_usd = 0\n[report]\nannualized_at = [\"2027-12\"]"))
	for _, c := range agents.ChannelNames {
		edgeWant(t, o, "gross_revenue/"+c, "0", zero)
		edgeWant(t, o, "annualized/"+c+"@2027-12", "0", zero)
	}
	for _, m := range []string{"spend/total", "net_revenue/aws", "net_revenue/google", "net_revenue/anthropic", "net_revenue/others",
		"gross_profit/aws", "gross_profit/google", "gross_profit/anthropic", "gross_profit/others", "transfer/microsoft_to_openai"} {
		edgeWant(t, o, m, "0", zero)
	}
	edgeWant(t, o, "other_revenue/openai", "> 0", positive)
	// OpenAI's and Microsoft's net revenue add up to the other revenue.
	for s := range o.Experiment.Scenarios {
		oai := edgeMetric(t, o, s, "net_revenue/openai")
		ms := edgeMetric(t, o, s, "net_revenue/microsoft")
		other := edgeMetric(t, o, s, "other_revenue/openai")
		for i := range oai {
			if math.Abs(oai[i]+ms[i]-other[i]) > 1e-6*other[i] {
				t.Errorf("run %d: openai %g + microsoft %g != other revenue %g", i, oai[i], ms[i], other[i])
			}
		}
	}
	for _, c := range agents.ChannelNames {
		for month, v := range edgeSeries(t, dir, "share/"+c) {
			if v != 0 {
				t.Errorf("share/%s in %s = %g with no spend, want 0", c, month, v)
			}
		}
	}
	t.Run("and no other revenue", func(t *testing.T) {
		// Nothing to pay anywhere: every metric is zero, and a zero cap
		// does not bind, for nothing was due.
		o, _ := edgeRun(t, edgeRegime(`open = ["openai", "azure", "aws", "gcp"]
share_to_microsoft = 0.2
share_to_openai = 0.2
cap_usd = 0`, "buyers.agents = 200\nbuyers.budget_median_usd = 0\nother_revenue.non_api_share = 0"))
		for _, m := range o.Metrics {
			if strings.HasPrefix(m, "customers/") {
				continue
			}
			edgeWant(t, o, m, "0", zero)
		}
	})
	t.Run("negative", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeHistory("buyers.budget_median_usd = -1")), "edge.toml", t.TempDir())
		edgeErr(t, err, "buyers.budget_median_usd", "0 or more")
	})
}

// TestEdgeOneBuyer: a market of one agent runs and its one agent stands for
// all accounts.
func TestEdgeOneBuyer(t *testing.T) {
	t.Parallel()
	o, _ := edgeRun(t, edgeHistory("buyers.agents = 1\nbuyers.workloads = 1\nbuyers.diffusion.all_at_start = true"))
	accounts := o.Experiment.Market.Buyers.Accounts
	for s := range o.Experiment.Scenarios {
		for i := range o.RunIDs {
			sum := 0.0
			for _, c := range agents.ChannelNames {
				sum += edgeMetric(t, o, s, "customers/"+c)[i]
			}
			if math.Abs(sum-accounts) > 1e-9*accounts {
				t.Errorf("run %d: customers sum to %g, want every account (%g): the one agent has adopted", i, sum, accounts)
			}
		}
	}
	edgeWant(t, o, "spend/total", "> 0", positive)
	t.Run("zero buyers", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeHistory("buyers.agents = 0")), "edge.toml", t.TempDir())
		edgeErr(t, err, "buyers.agents", "1 to 50000000")
	})
}

// TestEdgeOneMonth: a span of one month, with one run, runs and reports
// that month.
func TestEdgeOneMonth(t *testing.T) {
	t.Parallel()
	src := strings.Replace(strings.Replace(edgeHistory("buyers.agents = 200\nbuyers.diffusion.all_at_start = true\n[report]\nannualized_at = [\"2026-04\"]"),
		`start = "2025-01"`, `start = "2026-04"`, 1), `end = "2027-12"`, `end = "2026-04"`, 1)
	src = strings.Replace(src, "runs = 3", "runs = 1", 1)
	o, dir := edgeRun(t, src)
	if len(o.RunIDs) != 1 {
		t.Fatalf("%d runs, want 1", len(o.RunIDs))
	}
	edgeWant(t, o, "spend/total", "> 0", positive)
	if got := edgeSeries(t, dir, "gross_revenue/openai"); len(got) != 1 {
		t.Errorf("series.csv has %d months, want 1", len(got))
	}
	t.Run("end before start", func(t *testing.T) {
		bad := strings.Replace(src, `end = "2026-04"`, `end = "2026-03"`, 1)
		_, err := LoadBytes([]byte(bad), "edge.toml", t.TempDir())
		edgeErr(t, err, "end", "2026-03", "start 2026-04")
	})
}

// TestEdgeCapZero: a cap of zero stops every payment to Microsoft inside its
// window, and the cap binds in every run where a payment was due.
func TestEdgeCapZero(t *testing.T) {
	t.Parallel()
	o, dir := edgeRun(t, edgeRegime(`open = ["openai", "azure"]
share_to_microsoft = 0.2
share_to_openai = 0.2
cap_usd = 0`, "buyers.agents = 200"))
	edgeWant(t, o, "transfer/openai_to_microsoft", "0", zero)
	edgeWant(t, o, "cap_bound", "1 (OpenAI's other revenue is always due a share)", func(v float64) bool { return v == 1 })
	edgeWant(t, o, "transfer/microsoft_to_openai", "> 0 (the cap is one way)", positive)
	for _, m := range []string{"transfer/openai_to_microsoft", "cumulative_transfer/openai_to_microsoft"} {
		for month, v := range edgeSeries(t, dir, m) {
			if v != 0 {
				t.Errorf("%s in %s = %g under a zero cap", m, month, v)
			}
		}
	}
	t.Run("window", func(t *testing.T) {
		// A zero cap from 2026-01: payments before, none from then on.
		o, dir := edgeRun(t, edgeRegime(`open = ["openai", "azure"]
share_to_microsoft = 0.2
cap_usd = 0
cap_start = "2026-01"`, "buyers.agents = 200"))
		edgeWant(t, o, "cap_bound", "1", func(v float64) bool { return v == 1 })
		edgeWant(t, o, "transfer/openai_to_microsoft", "> 0 (paid in 2025)", positive)
		for month, v := range edgeSeries(t, dir, "transfer/openai_to_microsoft") {
			if in := month >= "2026-01"; in && v != 0 {
				t.Errorf("paid %g in %s, inside a zero cap's window", v, month)
			} else if !in && !(v > 0) {
				t.Errorf("paid %g in %s, before the cap's window, want > 0", v, month)
			}
		}
	})
	t.Run("negative", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeRegime("cap_usd = -1", "")), "edge.toml", t.TempDir())
		edgeErr(t, err, "cap_usd", "0 or more")
	})
}

// TestEdgeAllLocked: with every OpenAI channel locked, all buyer spend
// goes to the rival makers' channels and no OpenAI channel books anything.
func TestEdgeAllLocked(t *testing.T) {
	t.Parallel()
	o, _ := edgeRun(t, edgeRegime(`open = []
share_to_microsoft = 0.2
share_to_openai = 0.2`, "buyers.agents = 200"))
	for _, c := range edgeChannels {
		edgeWant(t, o, "gross_revenue/"+c, "0", zero)
		edgeWant(t, o, "customers/"+c, "0", zero)
	}
	edgeWant(t, o, "gross_revenue/open", "> 0", positive)
	edgeWant(t, o, "transfer/microsoft_to_openai", "0", zero)
	for s := range o.Experiment.Scenarios {
		spend := edgeMetric(t, o, s, "spend/total")
		rivals := make([]float64, len(spend))
		for _, c := range rivalChannels {
			for i, v := range edgeMetric(t, o, s, "gross_revenue/"+c) {
				rivals[i] += v
			}
		}
		for i := range spend {
			if math.Abs(rivals[i]-spend[i]) > 1e-9*spend[i] {
				t.Errorf("run %d: rival channels gross %g, want all spend %g", i, rivals[i], spend[i])
			}
		}
	}
}

// mustChannel parses a channel name.
func mustChannel(t *testing.T, name string) agents.Channel {
	t.Helper()
	c, err := agents.ParseAnyChannel(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEdgeSegmentShares: a segment share of 1 puts every buyer in that
// segment, the others (share 0) have none, and the run is finite.
func TestEdgeSegmentShares(t *testing.T) {
	t.Parallel()
	for _, seg := range agents.SegmentNames {
		t.Run(seg, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("buyers.agents = 200\nbuyers.diffusion.all_at_start = true\n")
			for _, s := range agents.SegmentNames {
				share := "0"
				if s == seg {
					share = "1"
				}
				b.WriteString("buyers.segments." + s + ".share = " + share + "\n")
			}
			o, _ := edgeRun(t, edgeHistory(b.String()))
			edgeWant(t, o, "spend/total", "> 0", positive)
			sc := &o.Experiment.Scenarios[0]
			bySeg, _ := edgeBreakdown(t, sc)
			for si, name := range agents.SegmentNames {
				n := 0.0
				for _, c := range bySeg[si] {
					n += c
				}
				if (name == seg) != (n > 0) {
					t.Errorf("segment %s has %g customers with share of %s = 1", name, n, seg)
				}
			}
		})
	}
	t.Run("above 1", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeHistory("buyers.segments.regulated.share = 1.2")), "edge.toml", t.TempDir())
		edgeErr(t, err, "buyers.segments", "share", "between 0 and 1")
	})
	t.Run("not summing to 1", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeHistory("buyers.segments.regulated.share = 0.9")), "edge.toml", t.TempDir())
		edgeErr(t, err, "buyers.segments", "want 1")
	})
}

// edgeBreakdown runs run 0 of scenario sc with the customer breakdown and
// returns the last month's customers by segment and by incumbent cloud.
func edgeBreakdown(t *testing.T, sc *Scenario) ([agents.NumSegments][agents.NumAlternatives]float64, [agents.NumClouds][agents.NumAlternatives]float64) {
	t.Helper()
	var sim market.Sim
	var out market.Series
	if err := sim.Run(&sc.Market, sc.Compiled, agents.Key{Seed: 7}, &out, true); err != nil {
		t.Fatal(err)
	}
	k := out.Months() - 1
	return out.BySegment[k], out.ByCloud[k]
}

// TestEdgeCloudShares: a cloud share of 1 makes every buyer that cloud's
// customer; with all on AWS, Azure's bundle discount reaches nobody.
func TestEdgeCloudShares(t *testing.T) {
	t.Parallel()
	for _, cl := range agents.CloudNames {
		t.Run(cl, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("buyers.agents = 200\nbuyers.diffusion.all_at_start = true\nclouds.pull = 0\n")
			for _, c := range agents.CloudNames {
				share := "0"
				if c == cl {
					share = "1"
				}
				b.WriteString("buyers.cloud_shares." + c + " = " + share + "\n")
			}
			o, _ := edgeRun(t, edgeHistory(b.String()))
			edgeWant(t, o, "spend/total", "> 0", positive)
			_, byCloud := edgeBreakdown(t, &o.Experiment.Scenarios[0])
			for ci, name := range agents.CloudNames {
				n := 0.0
				for _, c := range byCloud[ci] {
					n += c
				}
				if (name == cl) != (n > 0) {
					t.Errorf("cloud %s has %g customers with cloud_shares.%s = 1", name, n, cl)
				}
			}
		})
	}
	t.Run("negative", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeHistory("buyers.cloud_shares.aws = -0.1")), "edge.toml", t.TempDir())
		edgeErr(t, err, "buyers.cloud_shares", "between 0 and 1")
	})
}

// TestEdgeShareToMicrosoftOne: OpenAI paying all its revenue keeps only
// what Microsoft pays it.
func TestEdgeShareToMicrosoftOne(t *testing.T) {
	t.Parallel()
	o, _ := edgeRun(t, edgeRegime(`open = ["openai", "azure", "aws", "gcp"]
share_to_microsoft = 1
share_to_openai = 0.2`, "buyers.agents = 200"))
	edgeWant(t, o, "transfer/openai_to_microsoft", "> 0", positive)
	for s := range o.Experiment.Scenarios {
		net := edgeMetric(t, o, s, "net_revenue/openai")
		in := edgeMetric(t, o, s, "transfer/microsoft_to_openai")
		for i := range net {
			if math.Abs(net[i]-in[i]) > 1e-6*math.Max(1, in[i]) {
				t.Errorf("run %d: OpenAI nets %g, want only Microsoft's payments %g", i, net[i], in[i])
			}
		}
	}
	t.Run("above 1", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeRegime("share_to_microsoft = 1.01", "")), "edge.toml", t.TempDir())
		edgeErr(t, err, "share_to_microsoft", "from 0 to 1")
	})
	t.Run("share_to_openai above 1", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeRegime("share_to_openai = -0.5", "")), "edge.toml", t.TempDir())
		edgeErr(t, err, "share_to_openai", "from 0 to 1")
	})
}

// TestEdgeMarketplaceFee: with the rival channels on AWS and Google Cloud
// closed, a fee of 0 leaves AWS and Google nothing; a fee of 1 leaves them
// all of their channel's revenue and OpenAI none of it.
func TestEdgeMarketplaceFee(t *testing.T) {
	t.Parallel()
	const open = `open = ["openai", "azure", "aws", "gcp"]
rival_channels = { anthropic_aws = false, anthropic_gcp = false, google = false, google_gcp = false, open_aws = false, open_gcp = false }
`
	t.Run("0", func(t *testing.T) {
		o, _ := edgeRun(t, edgeRegime(open+"marketplace_fee = 0", "buyers.agents = 300"))
		edgeWant(t, o, "gross_revenue/aws", "> 0", positive)
		edgeWant(t, o, "net_revenue/aws", "0", zero)
		edgeWant(t, o, "net_revenue/google", "0", zero)
	})
	t.Run("1", func(t *testing.T) {
		o, _ := edgeRun(t, edgeRegime(open+"marketplace_fee = 1", "buyers.agents = 300"))
		edgeWant(t, o, "gross_revenue/aws", "> 0", positive)
		for s := range o.Experiment.Scenarios {
			for _, p := range [][2]string{{"aws", "aws"}, {"google", "gcp"}} {
				net := edgeMetric(t, o, s, "net_revenue/"+p[0])
				gross := edgeMetric(t, o, s, "gross_revenue/"+p[1])
				for i := range net {
					if math.Abs(net[i]-gross[i]) > 1e-9*math.Max(1, gross[i]) {
						t.Errorf("run %d: %s nets %g, want all of %s's %g", i, p[0], net[i], p[1], gross[i])
					}
				}
			}
		}
	})
	t.Run("above 1", func(t *testing.T) {
		_, err := LoadBytes([]byte(edgeRegime("marketplace_fee = 2", "")), "edge.toml", t.TempDir())
		edgeErr(t, err, "marketplace_fee", "from 0 to 1")
	})
}

// TestEdgePriceCutToZero: sellers with a margin of 1 have a price floor of
// 0, and adaptive pricing that cuts 99% at every fall in share takes their
// price below the smallest float64 within a long span. Gross profit then
// was 0·∞ = NaN (regression); at margin 1 there is no cost, so gross profit
// is the revenue, and every number stays finite.
func TestEdgePriceCutToZero(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`buyers.agents = 300
spend_growth = 0
other_revenue.long_run_growth = 0
other_revenue.long_run_growth_sd = 0
`)
	for _, c := range edgeChannels {
		p := "sellers." + c + "."
		b.WriteString(p + "margin = 1\n" + p + "list_price = 1e-6\n" + p + "adaptive.enabled = true\n" +
			p + "adaptive.from = \"2019-07\"\n" + p + "adaptive.lookback_months = 1\n" + p + "adaptive.trigger = 0\n" +
			p + "adaptive.step = 0.99\n" + p + "adaptive.margin_floor = 0\n")
	}
	src := strings.NewReplacer(`start = "2025-01"`, `start = "2019-07"`, `end = "2027-12"`, `end = "2119-06"`,
		`regime = "history"`, `regime = "amended-2026"`).Replace(edgeHistory(b.String()))
	o, _ := edgeRun(t, src)
	// The premise: some channel's price did reach 0.
	sc := &o.Experiment.Scenarios[0]
	var sim market.Sim
	var out market.Series
	if err := sim.Run(&sc.Market, sc.Compiled, agents.Key{Seed: 7}, &out, false); err != nil {
		t.Fatal(err)
	}
	reached := false
	for k := range out.Price {
		for _, p := range out.Price[k] {
			reached = reached || p == 0
		}
	}
	if !reached {
		t.Fatal("no price fell to 0: the case no longer tests what it should")
	}
	for _, f := range market.FirmNames {
		edgeWant(t, o, "gross_profit/"+f, "finite", func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) })
	}
}

// TestEnsembleMemoryPerRun: what an Outcome keeps grows with the runs only
// by the per-run scalars (one float64 per metric and scenario, and the run
// id), not by monthly values: those go into per-scenario accumulators (exact
// sums and quantile sketches) whose size does not depend on the runs. It
// measures the live heap an Outcome holds after 200 and after 2,000 runs of
// a tiny market over 36 months, less what the sketches' bins hold (they
// widen as more extreme values arrive, bounded by the values' range, not
// by the runs); keeping every month of every run would add
// 36 × numSeries × 8 bytes a run, 30 times the scalars' bytes.
func TestEnsembleMemoryPerRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 2,200 runs")
	}
	src := edgeHistory("buyers.agents = 10")
	e, err := LoadBytes([]byte(src), "edge.toml", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// held returns the live heap an outcome of runs holds, the part of it
	// in sketch bins (bounded by the range of values, not by the runs) and
	// the number of metrics.
	held := func(runs int) (bytes, bins float64, metrics int) {
		e, err := e.WithRuns(runs)
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		o, err := Run(context.Background(), e, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		for _, a := range o.series {
			bins += float64(a.BinBytes())
		}
		runtime.KeepAlive(o)
		return float64(after.HeapAlloc) - float64(before.HeapAlloc), bins, len(o.Metrics)
	}
	small, smallBins, nm := held(200)
	large, largeBins, _ := held(2000)
	perRun := (large - largeBins - (small - smallBins)) / 1800
	scalars := float64(len(e.Scenarios)*nm*8 + 8) // scalars and the run id
	monthly := float64(e.Months() * numSeries * 8)
	t.Logf("outcome holds %.0f bytes after 200 runs (%.0f in sketch bins), %.0f after 2000 (%.0f): %.0f bytes a run besides the bins; scalars %.0f bytes a run, a run's monthly values %.0f",
		small, smallBins, large, largeBins, perRun, scalars, monthly)
	// Slack for the growth of the run ids' slice (appended one by one) and
	// the allocator's rounding.
	if perRun > 1.5*scalars {
		t.Errorf("the ensemble keeps %.0f bytes a run besides sketch bins, want at most 1.5 times the %.0f bytes of its scalars", perRun, scalars)
	}
}
