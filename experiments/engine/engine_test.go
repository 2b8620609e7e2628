package engine

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopsim/coopsim/market"
)

// tiny returns a small valid market and its compiled "history" regime.
func tiny(t testing.TB) Case {
	t.Helper()
	cfg := market.DefaultConfig()
	cfg.Buyers.Agents = 100
	r, err := market.BuiltinRegime("history")
	if err != nil {
		t.Fatal(err)
	}
	reg, err := market.Compile(r, cfg.Start, cfg.End)
	if err != nil {
		t.Fatal(err)
	}
	return Case{Market: &cfg, Regime: reg}
}

// spend runs plan p (Collect filled in) and returns each job's total
// spend per case, by job index.
func spend(t *testing.T, p Plan) ([][]float64, int, error) {
	t.Helper()
	out := make([][]float64, len(p.Runs))
	for i := range out {
		out[i] = make([]float64, max(len(p.Cases), 2))
	}
	p.Collect = func(i, c int, s *market.Series) error {
		for k := range s.Months() {
			out[i][c] += s.Spend[k]
		}
		return nil
	}
	done, err := Run(context.Background(), p)
	return out, done, err
}

// TestWorkersAndKeys: a plan's values do not depend on the number of
// workers; job i is keyed by {Seed, Runs[i]} (the same run number gives
// the same values at another position, another seed other values); every
// case of a job sees the same key (two equal cases, equal values).
func TestWorkersAndKeys(t *testing.T) {
	c := tiny(t)
	runs := []int{0, 1, 2, 3, 4, 5, 6, 7}
	one, done, err := spend(t, Plan{Seed: 3, Runs: runs, Cases: []Case{c, c}, Workers: 1})
	if err != nil || done != len(runs) {
		t.Fatalf("Run: %d done, %v", done, err)
	}
	four, _, _ := spend(t, Plan{Seed: 3, Runs: runs, Cases: []Case{c, c}, Workers: 4})
	if !slices.EqualFunc(one, four, slices.Equal) {
		t.Errorf("1 worker %v, 4 workers %v", one, four)
	}
	for i := range one {
		if one[i][0] != one[i][1] {
			t.Errorf("job %d: equal cases gave %v and %v (common random numbers broken)", i, one[i][0], one[i][1])
		}
	}
	rev, _, _ := spend(t, Plan{Seed: 3, Runs: []int{7, 6}, Cases: []Case{c}, Workers: 2})
	if rev[0][0] != one[7][0] || rev[1][0] != one[6][0] {
		t.Errorf("run 7 at position 0 gave %v, at position 7 %v", rev[0][0], one[7][0])
	}
	other, _, _ := spend(t, Plan{Seed: 4, Runs: []int{7}, Cases: []Case{c}, Workers: 1})
	if other[0][0] == one[7][0] {
		t.Errorf("seeds 3 and 4 gave the same run 7")
	}
}

// TestErrorCancels: an error in one job stops the other workers from
// claiming more jobs, and the first error is returned as a *RunError.
func TestErrorCancels(t *testing.T) {
	c := tiny(t)
	runs := make([]int, 400)
	for i := range runs {
		runs[i] = i
	}
	boom := errors.New("boom")
	// stopped is set once the pool has seen the failure and stopped
	// claiming (not when job 5's Collect returns: under load its worker
	// may wait long before the pool sees the error, while the others go
	// on).
	var stopped atomic.Bool
	var after atomic.Int64
	p := Plan{Seed: 1, Runs: runs, Cases: []Case{c}, Workers: 4, Collect: func(i, _ int, _ *market.Series) error {
		if stopped.Load() {
			after.Add(1)
		}
		if i == 5 {
			return boom
		}
		return nil
	}, stopped: func() { stopped.Store(true) }}
	_, err := Run(context.Background(), p)
	var re *RunError
	if !errors.As(err, &re) || !errors.Is(err, boom) || re.Run != 5 {
		t.Fatalf("Run = %v, want a *RunError of run 5 wrapping boom", err)
	}
	// Workers stop claiming once the pool has seen the error: only the
	// jobs then in flight on the other three workers (each claimed before
	// it saw the stop) may still be collected.
	if n := after.Load(); n > 3 {
		t.Errorf("%d jobs collected after job 5 failed, with 4 workers: the others were not cancelled", n)
	}
	// A failing simulation (an invalid regime span) is a *RunError too.
	bad := c
	short := *c.Market
	short.End = short.Start + 5
	bad.Market = &short
	_, err = Run(context.Background(), Plan{Runs: []int{0, 1}, Cases: []Case{bad}, Collect: func(int, int, *market.Series) error { return nil }})
	if !errors.As(err, &re) || !errors.Is(err, market.ErrSpan) {
		t.Errorf("Run with a mis-compiled regime = %v, want a *RunError wrapping market.ErrSpan", err)
	}
}

// TestCancelPrefix: a cancelled plan returns ctx's error and a done count
// such that exactly the jobs below it were collected.
func TestCancelPrefix(t *testing.T) {
	c := tiny(t)
	runs := make([]int, 200)
	for i := range runs {
		runs[i] = i
	}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	got := map[int]bool{}
	p := Plan{Runs: runs, Cases: []Case{c}, Workers: 3, Collect: func(i, _ int, _ *market.Series) error {
		mu.Lock()
		got[i] = true
		if len(got) == 20 {
			cancel()
		}
		mu.Unlock()
		return nil
	}}
	done, err := Run(ctx, p)
	if !errors.Is(err, context.Canceled) || done < 20 || done == len(runs) {
		t.Fatalf("cancelled Run: %d done, %v", done, err)
	}
	for i := range runs {
		if got[i] != (i < done) {
			t.Fatalf("done = %d but job %d collected = %v", done, i, got[i])
		}
	}
}

// TestCheckpoint: checkpoints come with no job in flight, each sees a
// prefix of the jobs exactly collected, their counts grow, and the
// values are those of a plan without checkpoints.
func TestCheckpoint(t *testing.T) {
	c := tiny(t)
	runs := make([]int, 60)
	for i := range runs {
		runs[i] = i
	}
	want, _, _ := spend(t, Plan{Seed: 9, Runs: runs, Cases: []Case{c}, Workers: 2})
	var inFlight, collected atomic.Int64
	var points []int
	got := make([]float64, len(runs))
	p := Plan{Seed: 9, Runs: runs, Cases: []Case{c}, Workers: 3, Every: time.Millisecond,
		Collect: func(i, _ int, s *market.Series) error {
			inFlight.Add(1)
			defer inFlight.Add(-1)
			for k := range s.Months() {
				got[i] += s.Spend[k]
			}
			collected.Add(1)
			time.Sleep(time.Millisecond) // long enough for several checkpoints
			return nil
		},
		Checkpoint: func(done int) error {
			if inFlight.Load() != 0 || int(collected.Load()) != done {
				t.Errorf("checkpoint at %d: %d in flight, %d collected", done, inFlight.Load(), collected.Load())
			}
			points = append(points, done)
			return nil
		}}
	done, err := Run(context.Background(), p)
	if err != nil || done != len(runs) {
		t.Fatalf("Run: %d done, %v", done, err)
	}
	if len(points) == 0 || !slices.IsSorted(points) {
		t.Errorf("checkpoints at %v: want some, ascending", points)
	}
	for i := range runs {
		if got[i] != want[i][0] {
			t.Fatalf("job %d: %v with checkpoints, %v without", i, got[i], want[i][0])
		}
	}
	// A failing checkpoint stops the plan with ErrCheckpoint.
	p.Checkpoint = func(int) error { return errors.New("disk full") }
	if _, err := Run(context.Background(), p); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("failing checkpoint: %v, want ErrCheckpoint", err)
	}
}

// TestMeanSEAndPrecise checks MeanSE on values with a known answer and
// the precision rule's Student t and minimum.
func TestMeanSEAndPrecise(t *testing.T) {
	m, se := MeanSE([]float64{1, 2, 3, 4, 5})
	if m != 3 || math.Abs(se-math.Sqrt(2.5/5)) > 1e-15 {
		t.Errorf("MeanSE(1..5) = %v, %v; want 3, %v", m, se, math.Sqrt(0.5))
	}
	if m, se := MeanSE([]float64{7}); m != 7 || se != 0 {
		t.Errorf("MeanSE(7) = %v, %v; want 7, 0", m, se)
	}
	// t(0.975, 9) = 2.2621571628 (tables).
	if got := T95(10); math.Abs(got-2.2621571628) > 1e-8 {
		t.Errorf("T95(10) = %v, want 2.2621571628", got)
	}
	// Ten values of mean 100 and se 1: ±2.26 is within 3% but not 2%.
	v := []float64{97, 103, 97, 103, 97, 103, 97, 103, 97, 103}
	_, se = MeanSE(v) // sd = 3.162, se = 1
	if math.Abs(se-1) > 1e-12 || !Precise(v, 0.03) || Precise(v, 0.02) {
		t.Errorf("Precise: se %v, 3%%: %v, 2%%: %v; want 1, true, false", se, Precise(v, 0.03), Precise(v, 0.02))
	}
	if Precise([]float64{100, 100.001}, 0.5) {
		t.Errorf("Precise stopped after 2 runs, want at least %d", MinPrecisionRuns)
	}
}

// TestCellsOrderFree: cells filled in any order, or merged from parts,
// hold identical means and quantiles, also through State. There are more
// runs than a batch (batchRuns), and a part is read while it holds an
// unfinished batch, so added, pending and flushed runs all meet.
func TestCellsOrderFree(t *testing.T) {
	vals := []float64{3.5, -1, 0, 1e9, 2.25, 7, 7, -0.5}
	rng := rand.New(rand.NewPCG(8, 9))
	for len(vals) < 3*batchRuns+5 {
		vals = append(vals, rng.NormFloat64()*100)
	}
	all := NewCells(2)
	for _, x := range vals {
		all.AddRun([]float64{x, 2 * x})
	}
	a, b := NewCells(2), NewCells(2)
	for i := len(vals) - 1; i >= 0; i-- {
		part := a
		if i%3 == 0 {
			part = b
		}
		part.AddRun([]float64{vals[i], 2 * vals[i]})
		if i == len(vals)/2 {
			a = CellsFromState(a.State()) // a checkpoint mid-batch
		}
	}
	b.Merge(a)
	back := CellsFromState(b.State())
	sum, sumAbs := 0.0, 0.0
	for _, x := range vals {
		sum += x
		sumAbs += math.Abs(x)
	}
	for i := range 2 {
		for _, c := range []*Cells{b, back} {
			if c.Runs() != len(vals) || c.Mean(i) != all.Mean(i) || c.Quantile(i, 0.5) != all.Quantile(i, 0.5) || c.Quantile(i, 0.05) != all.Quantile(i, 0.05) {
				t.Errorf("cell %d: %d runs, mean %v, median %v; want %d, %v, %v", i, c.Runs(), c.Mean(i), c.Quantile(i, 0.5), len(vals), all.Mean(i), all.Quantile(i, 0.5))
			}
		}
	}
	// The float sum here errs by at most (n−1)·2⁻⁵³·Σ|x|, the cells' exact
	// sum by n·2⁻⁴⁸ (each value truncated to a multiple of 2⁻⁴⁸), and each
	// division rounds once: the means differ by at most this.
	want := sum / float64(len(vals))
	tol := 0x1p-53*(sumAbs+2*math.Abs(want)) + 0x1p-48
	if d := math.Abs(all.Mean(0) - want); !(d <= tol) {
		t.Errorf("mean %v, want %v ± %g", all.Mean(0), want, tol)
	}
}

// TestDo: Do's pool visits every index once, gives each call a worker
// index below workers, and returns the lowest failed index's error.
func TestDo(t *testing.T) {
	const n, workers = 500, 4
	var mu sync.Mutex
	seen := make([]int, n)
	done, err := Do(context.Background(), n, workers, func(i, w int) error {
		if w < 0 || w >= workers {
			t.Errorf("worker index %d", w)
		}
		mu.Lock()
		seen[i]++
		mu.Unlock()
		return nil
	})
	if err != nil || done != n {
		t.Fatalf("Do: %d done, %v", done, err)
	}
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("index %d visited %d times", i, c)
		}
	}
	// Indexes 7 and 3 fail; 3's error is returned whichever fails first
	// (7 is slowed down less than 3, so it usually fails first).
	for range 5 {
		_, err = Do(context.Background(), n, workers, func(i, _ int) error {
			switch i {
			case 3:
				time.Sleep(2 * time.Millisecond)
				return errors.New("three")
			case 7:
				return errors.New("seven")
			}
			return nil
		})
		if err == nil || err.Error() != "three" {
			t.Fatalf("Do with indexes 3 and 7 failing: %v, want three", err)
		}
	}
	if done, err := Do(context.Background(), 0, workers, nil); done != 0 || err != nil {
		t.Errorf("Do of nothing: %d, %v", done, err)
	}
}

// TestCellsConcurrentAddRun: runs added by several goroutines at once
// (batches being added while others fill) give the bits of the same runs
// added one after another.
func TestCellsConcurrentAddRun(t *testing.T) {
	const runs, size, workers = 5*batchRuns + 3, 50, 4
	vals := make([][]float64, runs)
	rng := rand.New(rand.NewPCG(1, 2))
	for r := range vals {
		vals[r] = make([]float64, size)
		for i := range vals[r] {
			vals[r][i] = rng.ExpFloat64() * float64(i+1)
		}
	}
	seq := NewCells(size)
	for _, v := range vals {
		seq.AddRun(v)
	}
	par := NewCells(size)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := w; r < runs; r += workers {
				par.AddRun(vals[r])
			}
		}()
	}
	wg.Wait()
	if par.Runs() != runs {
		t.Fatalf("%d runs, want %d", par.Runs(), runs)
	}
	_, a := seq.State()
	_, b := par.State()
	if !reflect.DeepEqual(a, b) {
		t.Error("cells added concurrently differ from the same runs added in order")
	}
}
