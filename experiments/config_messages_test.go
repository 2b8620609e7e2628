package experiments

import (
	"context"
	"path/filepath"
	"testing"
)

// msgCase is an invalid experiment and its whole error message.
type msgCase struct {
	name, toml, want string
}

// checkMessages loads each case as bad.toml and compares its whole error
// message, so that a message that loses its key, line or fix fails.
func checkMessages(t *testing.T, cases []msgCase) {
	t.Helper()
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadBytes([]byte(c.toml), "bad.toml", dir)
			if err == nil {
				t.Fatal("loaded, want an error")
			}
			if got := err.Error(); got != c.want {
				t.Errorf("error\n\t%s\nwant\n\t%s", got, c.want)
			}
			if n := len([]rune(err.Error())); n > maxErrorLen {
				t.Errorf("error is %d characters, want at most %d (four lines)", n, maxErrorLen)
			}
		})
	}
}

// TestMessagesRangeAndLine: a whole-number key given text names the key's
// own range, and errors under [market], [factors] and [sensitivity] name
// the line that sets the key, as top-level keys' errors do.
func TestMessagesRangeAndLine(t *testing.T) {
	t.Parallel()
	checkMessages(t, []msgCase{
		{"agents as text", minimal + "[market]\nbuyers.agents = \"500\"\n",
			`bad.toml:10: market.buyers.agents: "500", want a whole number from 1 to 50000000`},
		{"market value line", minimal + "[market]\nbuyers.budget_sigma = 9\n",
			`bad.toml:10: market.buyers.budget_sigma: 9, want 0 to 5`},
		{"factors line", minimal + "[factors]\n\"buyers.ramp_months\" = {low = 1, high = 1000}\n\n[sensitivity]\nmethod = \"morris\"\ntrajectories = 4\n[[sensitivity.output]]\nmetric = \"net_revenue/microsoft\"\nscenario = \"h\"\n",
			`bad.toml:9: factors: the base market at buyers.ramp_months = 1000: buyers.ramp_months = 1000, want 1 to 240: narrow the factors' ranges`},
		{"sensitivity line", minimal + "[factors]\n\"buyers.ramp_months\" = {low = 1, high = 100}\n\n[sensitivity]\nmethod = \"morris\"\ntrajectories = 1\n[[sensitivity.output]]\nmetric = \"net_revenue/microsoft\"\nscenario = \"h\"\n",
			`bad.toml:14: sensitivity.trajectories: 1, want 2 to 1048576`},
	})
}

// TestMessagesAgentsTimesWorkloads: agents within their stated range but
// too many for the workloads name buyers.agents and its maximum for them.
func TestMessagesAgentsTimesWorkloads(t *testing.T) {
	t.Parallel()
	checkMessages(t, []msgCase{
		{"default workloads", minimal + "[market]\nbuyers.agents = 50000000\n",
			`bad.toml:10: market.buyers.agents: 50000000, want 1 to 16666666 with buyers.workloads = 3 (at most 50000000 agents × workloads in all): lower buyers.agents or buyers.workloads`},
		{"workloads set", minimal + "[market]\nbuyers.agents = 10000000\nbuyers.workloads = 8\n",
			`bad.toml:10: market.buyers.agents: 10000000, want 1 to 6250000 with buyers.workloads = 8 (at most 50000000 agents × workloads in all): lower buyers.agents or buyers.workloads`},
	})
}

// TestMessagesTopLevelAfterTable: a top-level key written below a table
// header is read as the table's key; the message says to move it up.
func TestMessagesTopLevelAfterTable(t *testing.T) {
	t.Parallel()
	const head = "name = \"x\"\nseed = 1\nruns = 2\n\n"
	const tail = "\n[[scenario]]\nname = \"h\"\nregime = \"history\"\n"
	checkMessages(t, []msgCase{
		{"baseline under market", head + "[market]\nbuyers.agents = 500\nbaseline = \"h\"\n" + tail,
			`bad.toml:7: market.baseline: unknown parameter: baseline is a top-level key, and a key below a table's header belongs to the table: to set the top-level baseline, move it above the first table, [market] here`},
		{"end under report", head + "baseline = \"h\"\n[report]\nwindow_start = \"2025-01\"\nend = \"2030-12\"\n" + tail,
			`bad.toml:8: report.end: unknown key: end is a top-level key, and a key below a table's header belongs to the table: to set the top-level end, move it above the first table, [report] here`},
		{"runs under a scenario", head + "baseline = \"h\"\n" + tail + "runs = 4\n",
			`bad.toml:10: scenario.runs: unknown key: runs is a top-level key, and a key below a table's header belongs to the table: to set the top-level runs, move it above the first table, [[scenario]] here`},
	})
}

// TestMessagesFarEnd: an end too far for the span or for other revenue's
// bound is refused at end's line, with the latest end that works (which
// TestLatestEnd in market checks is the latest).
func TestMessagesFarEnd(t *testing.T) {
	t.Parallel()
	far := func(end string) string { return top(`end = "` + end + `"`) }
	checkMessages(t, []msgCase{
		{"over 1200 months", far("2200-12"),
			`bad.toml:1: end: 2200-12 gives 2178 months from start 2019-07, want at most 1200 months: end at most 2074-08 (later, other_revenue could pass 1e+30 USD a month)`},
		{"other revenue", far("2080-12"),
			`bad.toml:1: end: 2080-12 lets other_revenue reach 4.59e+32 USD in a month (long_run_growth and its sd), want below 1e+30: end at most 2074-08, or lower other_revenue.long_run_growth or its sd`},
		{"over 1200 months, slow growth", far("2200-12") + "\n[market]\nother_revenue.long_run_growth = 0.01\nother_revenue.long_run_growth_sd = 0\n",
			`bad.toml:1: end: 2200-12 gives 2178 months from start 2019-07, want at most 1200 months: end at most 2119-06`},
	})
	if _, err := LoadBytes([]byte(far("2074-08")), "ok.toml", t.TempDir()); err != nil {
		t.Errorf("the latest end the message gives is refused: %v", err)
	}
}

// TestMessagesPosteriorRanges: a posterior row out of its parameter's
// range is refused at load (so by validate too) naming the csv file, its
// line, the column and the value, whichever row it is; a draw that still
// gives an invalid market leads with the parameter, uncut.
func TestMessagesPosteriorRanges(t *testing.T) {
	t.Parallel()
	const head = "name = \"x\"\nseed = 1\nruns = 4\nbaseline = \"h\"\n\n[[scenario]]\nname = \"h\"\nregime = \"history\"\n\n"
	const post = "[uncertainty]\nposterior = \"p.csv\"\n"
	const fix = ": fix or drop the row (every row is a draw the runs may use)"
	cases := []struct{ name, toml, csv, want string }{
		{"every row", post, "buyers.accounts,buyers.diffusion.p,buyers.budget_median_usd\n41996,7,3042\n50000,7,3000\n",
			"p.csv:2: buyers.diffusion.p: 7, want a rate in (0, 1] per month" + fix},
		{"one row", post, "chain,buyers.diffusion.p,buyers.accounts\n0,0.05,250000\n\n0,0.06,300000\n1,0.1,-5\n1,0.07,200000\n",
			"p.csv:5: buyers.accounts: -5, want a positive number" + fix},
		{"first row", post, "buyers.accounts\n-5\n250000\n",
			"p.csv:2: buyers.accounts: -5, want a positive number" + fix},
		{"above", post, "buyers.budget_sigma\n1\n1.5\n5.5\n2\n",
			"p.csv:4: buyers.budget_sigma: 5.5, want 0 to 5" + fix},
		{"whole number", post, "buyers.ramp_months\n12\n12.5\n",
			"p.csv:3: buyers.ramp_months: 12.5, want a whole number" + fix},
		{"whole number past int32", post, "buyers.ramp_months\n12\n3e9\n",
			"p.csv:3: buyers.ramp_months: 3e+09, want a whole number" + fix},
		{"distribution", "[uncertainty.market]\nspend_growth = {dist = \"uniform\", low = 5, high = 20}\n", "",
			`u.toml:11: uncertainty.market."spend_growth": spend_growth = 17.45015143367673, want -0.9 to 10: the draw of runs 2-3 gives scenario h an invalid market; narrow its distribution (low/high)`},
		{"draw with a posterior", post + "[uncertainty.market]\nspend_growth = {dist = \"uniform\", low = 5, high = 20}\n", "buyers.accounts,buyers.diffusion.p,buyers.budget_median_usd\n41996,0.05,3042\n50000,0.06,3000\n",
			`u.toml:13: uncertainty.market."spend_growth": spend_growth = 17.45015143367673, want -0.9 to 10: the draw of runs 2-3 gives scenario h an invalid market; narrow its distribution (low/high)`},
		{"draw of shares", post, "buyers.segments.regulated.share,buyers.segments.traditional.share\n0.3,0.6\n0.3,0.7\n",
			"u.toml:10: uncertainty: buyers.segments.<name>.share sum to 1.1, want 1: the draw of runs 0-1 (p.csv line 2) gives scenario h an invalid market; narrow the distributions (low/high) or fix the posterior file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, err := loadWithPosterior(t, head+c.toml, c.csv)
			if err == nil {
				t.Fatal("loaded, want an error")
			}
			if want := filepath.Join(dir, c.want); err.Error() != want {
				t.Errorf("error\n\t%s\nwant\n\t%s", err, want)
			}
		})
	}
}

// TestDrawsCheckedBeyondTheFile: runs beyond the file's own (--runs) draw
// values the load never saw; a batch with an invalid draw is refused with
// the same message before its batch runs: never simulated.
func TestDrawsCheckedBeyondTheFile(t *testing.T) {
	t.Parallel()
	const src = "name = \"x\"\nseed = 1\nruns = 4\nbaseline = \"h\"\nend = \"2020-06\"\n\n[market]\nbuyers.agents = 20\n\n[[scenario]]\nname = \"h\"\nregime = \"history\"\n\n[uncertainty.market]\nspend_growth = {dist = \"uniform\", low = 5, high = 10.5}\n"
	e, err := LoadBytes([]byte(src), "d.toml", t.TempDir())
	if err != nil {
		t.Fatalf("the file's own 4 runs draw valid values, yet: %v", err)
	}
	more, err := e.WithRuns(200)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), more, Options{Workers: 1})
	const want = `d.toml:15: uncertainty.market."spend_growth": spend_growth = 10.270293619502446, want -0.9 to 10: the draw of runs 36-37 gives scenario h an invalid market; narrow its distribution (low/high)`
	if err == nil || err.Error() != want {
		t.Errorf("error\n\t%v\nwant\n\t%s", err, want)
	}
}

// TestDrawsCheckedBeforeAnyBatch: in precision mode a --runs beyond the
// file's max_runs draws values the load never saw, in later batches; the
// invalid one is refused before the first batch runs, not after hours of
// the batches before it.
func TestDrawsCheckedBeforeAnyBatch(t *testing.T) {
	t.Parallel()
	const src = "name = \"x\"\nseed = 1\nprecision = 0.0001\nmax_runs = 36\nbatch = 10\nbaseline = \"h\"\nend = \"2020-06\"\n\n[market]\nbuyers.agents = 20\n\n[[scenario]]\nname = \"h\"\nregime = \"history\"\n\n[uncertainty.market]\nspend_growth = {dist = \"uniform\", low = 5, high = 10.5}\n"
	e, err := LoadBytes([]byte(src), "d.toml", t.TempDir())
	if err != nil {
		t.Fatalf("the file's own 36 runs draw valid values, yet: %v", err)
	}
	more, err := e.WithRuns(200)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	_, err = Run(context.Background(), more, Options{Workers: 1, Progress: func(done, _ int) { ran = max(ran, done) }})
	const want = `d.toml:17: uncertainty.market."spend_growth": spend_growth = 10.270293619502446, want -0.9 to 10: the draw of runs 36-37 gives scenario h an invalid market; narrow its distribution (low/high)`
	if err == nil || err.Error() != want {
		t.Errorf("error\n\t%v\nwant\n\t%s", err, want)
	}
	if ran > 0 {
		t.Errorf("%d runs simulated before the invalid draw was refused, want none", ran)
	}
}
