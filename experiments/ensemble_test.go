package experiments

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// resultFiles are the files of a result directory that must not depend on
// workers, shards or resumes.
var resultFiles = []string{report.RunsFile, report.SeriesFile, report.SummaryFile}

func mustLoad(t testing.TB, path string) *Experiment {
	t.Helper()
	e, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustRun(t testing.TB, e *Experiment, opt Options) *Outcome {
	t.Helper()
	o, err := Run(context.Background(), e, opt)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// writeAll writes o's result files into a new directory and returns it.
func writeAll(t testing.TB, o *Outcome) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := o.WriteAll(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sameFiles fails unless dirs a and b hold byte-identical result files.
func sameFiles(t testing.TB, a, b string) {
	t.Helper()
	sameNamedFiles(t, a, b, resultFiles)
}

// sameNamedFiles reports each of the files names that differs between
// directories a and b.
func sameNamedFiles(t testing.TB, a, b string, names []string) {
	t.Helper()
	for _, f := range names {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s: %s", f, a, b, firstDiff(x, y))
		}
	}
}

// firstDiff describes the first differing line of two files.
func firstDiff(x, y []byte) string {
	xl, yl := strings.Split(string(x), "\n"), strings.Split(string(y), "\n")
	for i := 0; i < min(len(xl), len(yl)); i++ {
		if xl[i] != yl[i] {
			return fmt.Sprintf("line %d: %q vs %q", i+1, xl[i], yl[i])
		}
	}
	return fmt.Sprintf("%d vs %d lines", len(xl), len(yl))
}

// TestWorkersIdentical: the result files do not depend on the number of
// workers (README.md, "Reproducibility").
func TestWorkersIdentical(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	one := mustRun(t, e, Options{Workers: 1})
	four := mustRun(t, e, Options{Workers: 4})
	if one.Decisions != four.Decisions {
		t.Errorf("decisions: %d with 1 worker, %d with 4", one.Decisions, four.Decisions)
	}
	sameFiles(t, writeAll(t, one), writeAll(t, four))
}

// TestConservation: in runs.csv, for every scenario and run, the five
// firms' net revenue adds up to what buyers spent plus OpenAI's other
// revenue (transfers between firms cancel). Tolerance: each of the ~60
// monthly terms of a firm's total carries a rounding error of about
// 1e-16 relative; 1e-9 leaves six orders of magnitude for the sums over
// buyers and channels, and a missing or double-counted transfer (percent
// of revenue) still fails.
func TestConservation(t *testing.T) {
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
	net := map[key]float64{}
	rhs := map[key]float64{}
	nets := map[key]int{}
	for _, r := range rows {
		k := key{r.Scenario, r.Run}
		switch {
		case strings.HasPrefix(r.Metric, report.NetRevenue+"/"):
			net[k] += r.Value
			nets[k]++
		case r.Metric == report.SpendTotal || r.Metric == report.OtherRevenueOpenAI:
			rhs[k] += r.Value
		}
	}
	if want := len(e.Scenarios) * e.Runs; len(net) != want {
		t.Fatalf("%d (scenario, run) pairs in runs.csv, want %d", len(net), want)
	}
	for k, n := range net {
		if nets[k] != len(report.Firms) {
			t.Errorf("%v: %d net revenue metrics, want %d", k, nets[k], len(report.Firms))
		}
		if rhs[k] <= 0 {
			t.Errorf("%v: spend + other revenue = %g, want > 0", k, rhs[k])
		}
		if d := math.Abs(n - rhs[k]); d > 1e-9*math.Abs(rhs[k]) {
			t.Errorf("%v: net revenue sums to %.17g, spend + other revenue %.17g (rel. diff %.2g)", k, n, rhs[k], d/rhs[k])
		}
	}
}

// TestCommonRandomNumbers: run r of every scenario sees the same buyers
// and draws, so the paired difference of two regimes has a smaller
// standard error than if they were independent, sqrt(se_a² + se_b²).
// It runs the default market (10,000 buyers, calibrated) with history and
// amended-no-cap, 24 runs.
func TestCommonRandomNumbers(t *testing.T) {
	t.Parallel()
	const runs = 24
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	e := def.WithSeed(def.Seed)
	e.Scenarios = nil
	for _, s := range def.Scenarios {
		if s.Name == "history" || s.Name == "amended-no-cap" {
			if testing.Short() {
				s.Market.Buyers.Agents = 2_000 // of 10,000: the pairing works at any size
			}
			e.Scenarios = append(e.Scenarios, s)
		}
	}
	e.Baseline = 0
	if e, err = e.WithRuns(runs); err != nil {
		t.Fatal(err)
	}
	sum, err := mustRun(t, e, Options{}).Summary()
	if err != nil {
		t.Fatal(err)
	}
	base, alt := &sum.Scenarios[0], &sum.Scenarios[1]
	if base.Name != "history" || alt.Name != "amended-no-cap" {
		t.Fatalf("scenarios %s, %s", base.Name, alt.Name)
	}
	ratio := func(metric string) float64 {
		t.Helper()
		a, ok1 := alt.Metric(metric)
		b, ok2 := base.Metric(metric)
		var d *report.Difference
		for i := range alt.Differences {
			if alt.Differences[i].Metric == metric {
				d = &alt.Differences[i]
			}
		}
		if !ok1 || !ok2 || d == nil {
			t.Fatalf("%s missing from the summary", metric)
		}
		unpaired := math.Hypot(a.SE, b.SE)
		if unpaired == 0 {
			t.Fatalf("%s: no variation over runs", metric)
		}
		t.Logf("%s: paired se %.4g, unpaired se %.4g, ratio %.4f", metric, d.SE, unpaired, d.SE/unpaired)
		return d.SE / unpaired
	}
	// Microsoft's difference between the regimes is mostly the transfer:
	// in history the cap binds and the transfer in the window is about the
	// same in every run, without the cap it is a share of OpenAI's revenue.
	// So pairing removes only history's small variance and the ratio sits
	// at about 1 (0.997 on the default market before calibration, 1.002
	// after): logged, not asserted, since it says nothing about CRN.
	ratio(report.MetricName(report.NetRevenue, "microsoft"))
	// For OpenAI, ask for a margin no independent draws would reach: with
	// independent scenarios the ratio is 1 in expectation, and an estimated
	// se from n runs has relative sd about 1/sqrt(2(n-1)); three of those
	// below 1 is 0.56 for 24 runs, which independent draws undercut with
	// probability about 0.1%.
	limit := 1 - 3/math.Sqrt(2*(runs-1))
	if r := ratio(report.MetricName(report.NetRevenue, "openai")); !(r < limit) {
		t.Errorf("net_revenue/openai: paired se / unpaired se = %.3f, want < %.3f", r, limit)
	}

	// The test can fail: pairing amended-no-cap of another seed with
	// history (independent draws) does not reach the margin.
	other := mustRun(t, e.WithSeed(e.Seed+1), Options{})
	m := other.MetricIndex(report.MetricName(report.NetRevenue, "openai"))
	first := mustRun(t, e, Options{})
	d, err := report.Paired(other.Scalars(1, m), first.Scalars(0, m))
	if err != nil {
		t.Fatal(err)
	}
	_, seA := engine.MeanSE(other.Scalars(1, m))
	_, seB := engine.MeanSE(first.Scalars(0, m))
	if r := d.SE / math.Hypot(seA, seB); r < limit {
		t.Errorf("independent draws: ratio %.3f is below %.3f too: the test cannot tell CRN from none", r, limit)
	}
}

// interrupted runs e to the end (want: the directory of its files), then
// again cancelled after 3 runs, and returns how many runs that did and its
// partial result as saved and loaded back (with LoadPartial's complete).
func interrupted(t *testing.T, e *Experiment) (want string, done int, p *Outcome, complete bool) {
	t.Helper()
	want = writeAll(t, mustRun(t, e, Options{Workers: 2}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o, err := Run(ctx, e, Options{Workers: 2, Progress: func(done, total int) {
		if done >= 3 {
			cancel()
		}
	}})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Run after cancel: %v, want ErrInterrupted", err)
	}
	if n := len(o.RunIDs); n < 3 || n >= e.Runs {
		t.Fatalf("%d runs done before the interrupt, want 3 to %d", n, e.Runs-1)
	}
	dir := t.TempDir()
	if err := o.SavePartial(dir, false); err != nil {
		t.Fatal(err)
	}
	p, complete, err = LoadPartial(dir)
	if err != nil {
		t.Fatal(err)
	}
	return want, len(o.RunIDs), p, complete
}

// TestInterruptResume: an ensemble cancelled midway keeps its completed
// runs; saved, loaded and resumed it writes the same files as one that was
// never interrupted.
func TestInterruptResume(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	want, done, p, complete := interrupted(t, e)
	if complete || len(p.RunIDs) != done {
		t.Fatalf("loaded partial: complete %v, %d runs; want false, %d", complete, len(p.RunIDs), done)
	}
	var calls atomic.Int64 // Progress is called from the workers
	r, err := Run(context.Background(), e, Options{Workers: 3, Resume: p, Progress: func(int, int) { calls.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if calls := int(calls.Load()); calls != e.Runs-len(p.RunIDs) {
		t.Errorf("resume ran %d runs, want the %d missing", calls, e.Runs-len(p.RunIDs))
	}
	sameFiles(t, want, writeAll(t, r))

	// A partial of another experiment or shard is refused.
	if _, err := Run(context.Background(), e.WithSeed(99), Options{Resume: p}); err == nil || !strings.Contains(err.Error(), "different experiment") {
		t.Errorf("resume with another seed: %v, want a refusal", err)
	}
	if _, err := Run(context.Background(), e, Options{Resume: p, Shard: Shard{1, 2}}); err == nil || !strings.Contains(err.Error(), "shard") {
		t.Errorf("resume as a shard: %v, want a refusal", err)
	}
}

// TestPrecisionMode: a precision experiment stops at a batch boundary,
// the first where every firm's 95% half-width is within precision of its
// mean (or at max_runs), says why, and resumes to the same files.
func TestPrecisionMode(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/precision.toml")
	o := mustRun(t, e, Options{Workers: 2})
	n := len(o.RunIDs)
	if o.StopReason == "" || n%e.Batch != 0 || n > e.MaxRuns {
		t.Fatalf("stopped after %d runs (%q); want a reason and a multiple of batch %d, at most %d", n, o.StopReason, e.Batch, e.MaxRuns)
	}
	// Recompute the rule at each batch boundary from the per-run values.
	// Student's t with k-1 degrees of freedom, as the summary's intervals,
	// and never before engine.MinPrecisionRuns runs.
	reached := func(k int) bool {
		if k < engine.MinPrecisionRuns {
			return false
		}
		for s := range e.Scenarios {
			for f := 0; f < market.NumFirms; f++ {
				mean, se := engine.MeanSE(o.Scalars(s, f)[:k])
				d, err := report.Paired(o.Scalars(s, f)[:k], make([]float64, k))
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(d.SE-se) > 1e-9*math.Abs(se) {
					t.Fatalf("the rule's se %v, the summary's %v", se, d.SE)
				}
				if d.Hi95-d.Mean > e.Precision*math.Abs(mean) {
					return false
				}
			}
		}
		return true
	}
	for k := e.Batch; k < n; k += e.Batch {
		if reached(k) {
			t.Errorf("precision was reached after %d runs, but it ran %d", k, n)
		}
	}
	switch {
	case n < e.MaxRuns && !(reached(n) && o.StopReason == fmt.Sprintf("precision reached after %d runs", n)):
		t.Errorf("stopped after %d runs: %q; precision reached: %v", n, o.StopReason, reached(n))
	case n == e.MaxRuns && !reached(n) && (o.Stop != StopMaxRuns || !strings.HasPrefix(o.StopReason, "max_runs reached")):
		t.Errorf("stopped at max_runs: %q", o.StopReason)
	}
	if n == e.Batch {
		t.Fatalf("precision reached in the first batch: the test needs a harder target to check resume across batches")
	}
	want := writeAll(t, o)
	sum, err := report.ReadSummary(filepath.Join(want, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if sum.StopReason != o.StopReason || sum.Runs != n {
		t.Errorf("summary.json: stop_reason %q, runs %d; want %q, %d", sum.StopReason, sum.Runs, o.StopReason, n)
	}

	// Interrupted inside a batch (early, late, just before the end) and
	// resumed: same files. A late cut holds runs of the next batch, which
	// must not count towards an earlier batch's precision check.
	for _, cut := range []int{e.Batch + 1, 2*e.Batch - 1, n - 1} {
		ctx, cancel := context.WithCancel(context.Background())
		part, err := Run(ctx, e, Options{Workers: 1, Progress: func(done, total int) {
			if done == cut {
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, ErrInterrupted) || len(part.RunIDs) != cut || part.StopReason != "" {
			t.Fatalf("interrupted: %v after %d runs (%q), want ErrInterrupted after %d", err, len(part.RunIDs), part.StopReason, cut)
		}
		dir := t.TempDir()
		if err := part.SavePartial(dir, false); err != nil {
			t.Fatal(err)
		}
		p, _, err := LoadPartial(dir)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, want, writeAll(t, mustRun(t, e, Options{Workers: 2, Resume: p})))
	}

	// Cut to one batch of runs, it stops at max_runs and says so.
	short, err := e.WithRuns(e.Batch)
	if err != nil {
		t.Fatal(err)
	}
	so := mustRun(t, short, Options{})
	if want := fmt.Sprintf("max_runs reached (%d runs) before precision %g", e.Batch, e.Precision); so.StopReason != want || len(so.RunIDs) != e.Batch {
		t.Errorf("max_runs %d: %q after %d runs, want %q", e.Batch, so.StopReason, len(so.RunIDs), want)
	}

	// Precision mode cannot be sharded (its stopping point is global).
	if _, err := Run(context.Background(), e, Options{Shard: Shard{1, 2}}); err == nil || !strings.Contains(err.Error(), "precision mode cannot be sharded") {
		t.Errorf("sharded precision run: %v", err)
	}
}

// TestShardRange: the shards of any size partition the runs.
func TestShardRange(t *testing.T) {
	t.Parallel()
	for _, runs := range []int{1, 2, 7, 8, 1000} {
		for n := 1; n <= 9; n++ {
			next := 0
			for k := 1; k <= n; k++ {
				lo, hi := Shard{k, n}.Range(runs)
				if lo != next || hi < lo {
					t.Fatalf("runs %d, shard %d/%d: [%d, %d), want it to start at %d", runs, k, n, lo, hi, next)
				}
				next = hi
			}
			if next != runs {
				t.Errorf("runs %d in %d shards: they end at %d", runs, n, next)
			}
		}
	}
	if lo, hi := (Shard{}).Range(5); lo != 0 || hi != 5 {
		t.Errorf("whole: [%d, %d)", lo, hi)
	}
}

// TestPrecisionMinimumRuns: a loose precision with batches of two runs
// stops at engine.MinPrecisionRuns, not after the first two runs (a
// standard error from two runs is itself too uncertain to stop on).
func TestPrecisionMinimumRuns(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/precision.toml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(strings.Replace(string(b), "precision = 0.25", "precision = 0.99", 1), "batch = 4", "batch = 2", 1)
	path := filepath.Join(t.TempDir(), "loose.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	o := mustRun(t, mustLoad(t, path), Options{Workers: 2})
	if n := len(o.RunIDs); n != engine.MinPrecisionRuns || o.Stop != StopPrecision {
		t.Errorf("a ±99%% precision in batches of 2 stopped after %d runs (%q), want %d", n, o.StopReason, engine.MinPrecisionRuns)
	}
}

// TestCheckpoints: the states a running ensemble hands to Checkpoint,
// saved and resumed, finish to the files of an uninterrupted run; each
// holds a prefix of the runs; the last holds fewer runs than the whole;
// in precision mode too (checkpoints inside and between batches).
func TestCheckpoints(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/small.toml", "testdata/precision.toml"} {
		e := mustLoad(t, file)
		full := mustRun(t, e, Options{Workers: 2})
		want := writeAll(t, full)
		var dirs []string
		var counts []int
		_ = mustRun(t, e, Options{Workers: 2, CheckpointEvery: time.Nanosecond, Checkpoint: func(o *Outcome) error {
			counts = append(counts, len(o.RunIDs))
			if k := len(counts); k <= 3 { // saving is slow (fsync): the first few
				dir := filepath.Join(t.TempDir(), "cp")
				if err := o.SavePartial(dir, false); err != nil {
					return err
				}
				dirs = append(dirs, dir)
			}
			for i, r := range o.RunIDs {
				if r != i {
					t.Fatalf("%s: a checkpoint holds runs %v, not a prefix", file, o.RunIDs)
				}
			}
			return nil
		}})
		if len(dirs) < 3 || !slices.IsSorted(counts) || counts[len(counts)-1] >= len(full.RunIDs) {
			t.Fatalf("%s: checkpoints with %v runs: want several, growing", file, counts)
		}
		for i := range dirs {
			p, complete, err := LoadPartial(dirs[i])
			if err != nil || complete {
				t.Fatalf("%s: checkpoint %d: %v (complete %v)", file, i, err, complete)
			}
			got := writeAll(t, mustRun(t, p.Experiment, Options{Workers: 3, Resume: p}))
			sameFiles(t, want, got)
		}
	}
	// A failing checkpoint stops the ensemble with its error.
	e := mustLoad(t, "testdata/small.toml")
	disk := errors.New("disk full")
	_, err := Run(context.Background(), e, Options{CheckpointEvery: time.Nanosecond, Checkpoint: func(*Outcome) error { return disk }})
	if !errors.Is(err, disk) || !errors.Is(err, engine.ErrCheckpoint) {
		t.Errorf("failing checkpoint: %v, want it wrapped in engine.ErrCheckpoint", err)
	}
}
