package experiments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/market"
)

// Options say how to run an experiment; they never change its results.
type Options struct {
	// Workers is the number of goroutines (0: the experiment's workers, or
	// every core).
	Workers int
	// Shard runs only the k-th of n contiguous shares of the runs.
	Shard Shard
	// Progress, if set, is called from the workers as runs complete, with
	// the runs done and the runs planned so far.
	Progress func(done, total int)
	// Resume, if set, is an interrupted outcome of the same experiment and
	// shard: its runs are kept and not run again.
	Resume *Outcome
	// Checkpoint, if set, is called about every CheckpointEvery with the
	// runs completed so far, as an outcome that SavePartial can save (a
	// consistent state: no run is in flight while it is called). An error
	// stops the ensemble.
	Checkpoint      func(*Outcome) error
	CheckpointEvery time.Duration
}

// Shard is the k-th (1-based) of N shares of the runs; the zero Shard is
// the whole experiment.
type Shard struct{ K, N int }

// Whole reports whether s is the whole experiment (the zero Shard). Shard
// 1/1 is a shard: it saves a partial result for merge, as any other does.
func (s Shard) Whole() bool { return s.N == 0 }

// Range returns the runs [lo, hi) of the shard among runs.
func (s Shard) Range(runs int) (lo, hi int) {
	if s.Whole() {
		return 0, runs
	}
	return int(int64(s.K-1) * int64(runs) / int64(s.N)), int(int64(s.K) * int64(runs) / int64(s.N))
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// Outcome is what an ensemble computed: per-run scalars and monthly
// accumulators, per scenario.
type Outcome struct {
	Experiment *Experiment
	// RunIDs are the runs done, ascending.
	RunIDs []int
	// Shard is the share of the experiment's runs this outcome covers.
	Shard Shard
	// Metrics names the scalar metrics, in the order of each run's vector.
	Metrics []string
	// scalars[s][i*len(Metrics)+m] is metric m of scenario s in run RunIDs[i].
	scalars [][]float64
	// series[s] accumulates scenario s's monthly metrics over the runs.
	series []*seriesAcc
	// Stop says why a precision-mode experiment stopped; StopReason says
	// it in words (summary.json's stop_reason).
	Stop       Stop
	StopReason string
	// Decisions counts buyers' choices over all runs and scenarios.
	Decisions int64
	// Elapsed is the wall time spent simulating.
	Elapsed time.Duration
	// saved is when the last checkpoint was taken (or the run began).
	saved time.Time
}

// Scalars returns scenario s's values of metric m, one per run, in run order.
func (o *Outcome) Scalars(s, m int) []float64 {
	nm := len(o.Metrics)
	v := make([]float64, len(o.RunIDs))
	for i := range v {
		v[i] = o.scalars[s][i*nm+m]
	}
	return v
}

// MetricIndex returns the index of a scalar metric, or -1.
func (o *Outcome) MetricIndex(name string) int {
	for i, n := range o.Metrics {
		if n == name {
			return i
		}
	}
	return -1
}

// seriesAcc accumulates monthly series metrics: cell k*numSeries+j holds
// month k, metric j. Its add is safe for concurrent use (engine.Cells.AddRun).
type seriesAcc struct {
	*engine.Cells
	rows sync.Pool // *[]float64: one run's values, a buffer per adding goroutine
}

func newSeriesAcc(months int) *seriesAcc {
	return &seriesAcc{Cells: engine.NewCells(months * numSeries)}
}

// add adds one run's series.
func (a *seriesAcc) add(out *market.Series) {
	row, _ := a.rows.Get().(*[]float64)
	if row == nil { // the pool holds rows of this accumulator's size only
		r := make([]float64, a.Len())
		row = &r
	}
	for k := 0; k < out.Months(); k++ {
		seriesValues(out, k, (*[numSeries]float64)((*row)[k*numSeries:]))
	}
	a.AddRun(*row)
	a.rows.Put(row)
}

func (a *seriesAcc) merge(b *seriesAcc) { a.Merge(b.Cells) }

// Stop is why a precision-mode experiment stopped.
type Stop uint8

// The reasons to stop.
const (
	StopNone      Stop = iota // not precision mode, or not stopped yet
	StopPrecision             // every firm's net revenue reached the precision
	StopMaxRuns               // max_runs were done first
)

// ErrInterrupted reports an ensemble stopped by its context; the Outcome
// returned with it holds the completed runs.
var ErrInterrupted = errors.New("experiments: interrupted")

// Run runs experiment e. It returns the outcome of all its runs (or of its
// shard). If ctx is cancelled it stops after the runs in progress and
// returns ErrInterrupted with the runs completed so far.
func Run(ctx context.Context, e *Experiment, opt Options) (*Outcome, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = e.Workers
	}
	if !opt.Shard.Whole() && e.Precision > 0 {
		return nil, errors.New("precision mode cannot be sharded: set runs instead of precision to use --shard")
	}
	layout := newScalarLayout(e)
	o := newOutcome(e, layout, opt.Shard)
	have, err := o.resume(opt.Resume, opt.Shard)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	o.saved = start
	defer func() { o.Elapsed = time.Since(start) }()
	todo := func(lo, hi int) []int {
		ids := make([]int, 0, hi-lo)
		for r := lo; r < hi; r++ {
			if !have[r] {
				ids = append(ids, r)
			}
		}
		return ids
	}
	lo, hi := opt.Shard.Range(e.Runs)
	if e.Precision > 0 {
		lo, hi = 0, e.MaxRuns
	}
	ids := todo(lo, hi)
	if u := e.Uncertainty; u != nil {
		if err := u.checkUnchecked(e, ids); err != nil {
			return nil, err // before any run: a draw of --runs or --seed that the load did not check
		}
	}
	if e.Precision == 0 {
		err := o.runBatch(ctx, ids, workers, layout, &opt, hi-lo)
		o.sortRuns()
		return o, err
	}
	return o, o.runToPrecision(ctx, todo, workers, layout, &opt)
}

// newOutcome returns the empty outcome of experiment e's shard.
func newOutcome(e *Experiment, layout *scalarLayout, shard Shard) *Outcome {
	o := &Outcome{Experiment: e, Metrics: layout.names, Shard: shard}
	o.scalars = make([][]float64, len(e.Scenarios))
	o.series = make([]*seriesAcc, len(e.Scenarios))
	for s := range o.series {
		o.series[s] = newSeriesAcc(e.Months())
	}
	return o
}

// resume adds the runs of the interrupted outcome p (none if nil) to o,
// which runs shard, and returns the runs it holds.
func (o *Outcome) resume(p *Outcome, shard Shard) (map[int]bool, error) {
	have := map[int]bool{}
	if p == nil {
		return have, nil
	}
	if err := o.compatible(p); err != nil {
		return nil, err
	}
	if p.Shard != shard {
		return nil, fmt.Errorf("cannot resume: the interrupted run was shard %v, this is shard %v", p.Shard, shard)
	}
	if err := o.absorb(p); err != nil {
		return nil, err
	}
	for _, r := range p.RunIDs {
		have[r] = true
	}
	return have, nil
}

// runToPrecision runs precision mode's batches (the runs todo gives of
// each, those not done already) until every firm's net revenue is known
// to ±precision×|mean| (95%, Student's t), or max_runs. Batches have fixed
// boundaries, so a resumed experiment stops where an uninterrupted one
// would.
func (o *Outcome) runToPrecision(ctx context.Context, todo func(lo, hi int) []int, workers int, layout *scalarLayout, opt *Options) error {
	e := o.Experiment
	for done := 0; done < e.MaxRuns; {
		n := min(e.Batch, e.MaxRuns-done)
		err := o.runBatch(ctx, todo(done, done+n), workers, layout, opt, e.MaxRuns)
		o.sortRuns()
		if err != nil {
			return err
		}
		done += n
		if o.precisionReached(done) {
			o.Stop, o.StopReason = StopPrecision, fmt.Sprintf("precision reached after %d runs", done)
			return nil
		}
		if done < e.MaxRuns {
			if err := o.checkpointDue(opt); err != nil {
				return err
			}
		}
	}
	o.Stop, o.StopReason = StopMaxRuns, fmt.Sprintf("max_runs reached (%d runs) before precision %g", e.MaxRuns, e.Precision)
	return nil
}

// precisionReached reports whether every firm's net revenue over the runs
// below done is known to ±precision×|mean| at 95% in every scenario, by
// the rule of engine.Precise: Student's t, as the summary's intervals, and
// at least engine.MinPrecisionRuns runs. Only those runs count: a resumed
// experiment may hold runs of a later batch already, and must decide as an
// uninterrupted one did.
func (o *Outcome) precisionReached(done int) bool {
	e := o.Experiment
	n := sort.SearchInts(o.RunIDs, done) // RunIDs are sorted
	for s := range e.Scenarios {
		for f := 0; f < market.NumFirms; f++ {
			if !engine.Precise(o.Scalars(s, f)[:n], e.Precision) { // net revenue metrics come first
				return false
			}
		}
	}
	return true
}

// runBatch runs the runs ids (ascending, after every run already in o) on
// the engine's workers: nothing in the result depends on which worker ran
// what.
func (o *Outcome) runBatch(ctx context.Context, ids []int, workers int, layout *scalarLayout, opt *Options, total int) error {
	e := o.Experiment
	nm := len(layout.names)
	base := len(o.RunIDs)
	if len(ids) == 0 {
		return nil
	}
	for s := range o.scalars {
		o.scalars[s] = append(o.scalars[s], make([]float64, len(ids)*nm)...)
	}
	cases := make([]engine.Case, len(e.Scenarios))
	for s := range e.Scenarios {
		cases[s] = engine.Case{Market: &e.Scenarios[s].Market, Regime: e.Scenarios[s].Compiled, Breakdown: true} // the result files carry the breakdowns
	}
	var decisions atomic.Int64
	// The monthly accumulators are shared by the workers: adding to them
	// is exact and commutative, so the order in which workers add cannot
	// matter, and memory does not grow with the number of workers.
	plan := engine.Plan{Seed: e.Seed, Runs: ids, Cases: cases, Workers: workers,
		Collect: func(i, s int, out *market.Series) error {
			decisions.Add(int64(out.Decisions))
			layout.fill(out, o.scalars[s][(base+i)*nm:(base+i+1)*nm])
			o.series[s].add(out)
			return nil
		}}
	if e.Uncertainty != nil {
		plan.CasesOf = e.Uncertainty.casesOf(e, ids) // each run's draw, checked by Run
	}
	if opt.Progress != nil {
		plan.Progress = func(d int) { opt.Progress(base+d, total) }
	}
	if opt.Checkpoint != nil && opt.CheckpointEvery > 0 {
		plan.Every = opt.CheckpointEvery
		plan.Checkpoint = func(done int) error {
			return o.checkpoint(opt, ids[:done], decisions.Load())
		}
	}
	kept, err := engine.Run(ctx, plan)
	if errors.Is(err, engine.ErrCheckpoint) {
		o.series = nil // the outcome holds a batch half-added
		return fmt.Errorf("experiments: %w", err)
	}
	if re := (*engine.RunError)(nil); errors.As(err, &re) {
		o.series = nil // part of a run may be in it: the outcome is unusable
		return fmt.Errorf("experiments: scenario %s run %d: %w", e.Scenarios[re.Case].Name, re.Run, re.Err)
	}
	// The completed runs are a prefix of ids (the engine's workers claim
	// runs in order and finish every run they claim).
	o.Decisions += decisions.Load()
	o.RunIDs = append(o.RunIDs, ids[:kept]...)
	for s := range o.scalars {
		o.scalars[s] = o.scalars[s][:(base+kept)*nm]
	}
	if kept < len(ids) {
		return ErrInterrupted
	}
	return err
}

// checkpoint hands opt.Checkpoint the outcome with the runs before this
// batch and the batch's completed runs done (no run in flight: the engine
// calls between segments), holding decisions more decisions.
func (o *Outcome) checkpoint(opt *Options, done []int, decisions int64) error {
	nm := len(o.Metrics)
	n := len(o.RunIDs) + len(done)
	snap := &Outcome{Experiment: o.Experiment, Shard: o.Shard, Metrics: o.Metrics, series: o.series,
		RunIDs: append(slices.Clone(o.RunIDs), done...), Decisions: o.Decisions + decisions}
	snap.scalars = make([][]float64, len(o.scalars))
	for s := range o.scalars {
		snap.scalars[s] = o.scalars[s][:n*nm]
	}
	snap.sortRuns() // a resumed run's runs may come before the batch's
	if err := opt.Checkpoint(snap); err != nil {
		return err
	}
	o.saved = time.Now()
	return nil
}

// checkpointDue checkpoints between batches (precision mode) when the last
// checkpoint is older than opt.CheckpointEvery: batches may be shorter
// than the interval.
func (o *Outcome) checkpointDue(opt *Options) error {
	if opt.Checkpoint == nil || opt.CheckpointEvery <= 0 || time.Since(o.saved) < opt.CheckpointEvery {
		return nil
	}
	if err := opt.Checkpoint(o); err != nil {
		return fmt.Errorf("experiments: %w: %w", engine.ErrCheckpoint, err)
	}
	o.saved = time.Now()
	return nil
}

// sortRuns puts the runs in ascending order (resumes and merges append
// runs out of order), permuting the scalars with them.
func (o *Outcome) sortRuns() {
	if slices.IsSorted(o.RunIDs) {
		return
	}
	nm := len(o.Metrics)
	idx := make([]int, len(o.RunIDs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return o.RunIDs[idx[a]] < o.RunIDs[idx[b]] })
	ids := make([]int, len(idx))
	for i, j := range idx {
		ids[i] = o.RunIDs[j]
	}
	for s := range o.scalars {
		v := make([]float64, len(o.scalars[s]))
		for i, j := range idx {
			copy(v[i*nm:(i+1)*nm], o.scalars[s][j*nm:(j+1)*nm])
		}
		o.scalars[s] = v
	}
	o.RunIDs = ids
}

// absorb adds another outcome's runs (disjoint from o's) to o.
func (o *Outcome) absorb(p *Outcome) error {
	seen := make(map[int]bool, len(o.RunIDs))
	for _, r := range o.RunIDs {
		seen[r] = true
	}
	for _, r := range p.RunIDs {
		if seen[r] {
			return fmt.Errorf("run %d appears twice: the partial results overlap", r)
		}
	}
	o.RunIDs = append(o.RunIDs, p.RunIDs...)
	for s := range o.scalars {
		o.scalars[s] = append(o.scalars[s], p.scalars[s]...)
		o.series[s].merge(p.series[s])
	}
	o.Decisions += p.Decisions
	o.sortRuns()
	return nil
}

// compatible checks that p is a partial outcome of the same experiment.
func (o *Outcome) compatible(p *Outcome) error {
	if p.Experiment.Hash != o.Experiment.Hash {
		return errors.New("the partial results are of a different experiment (its file, seed or runs differ)")
	}
	if !slices.Equal(p.Metrics, o.Metrics) || len(p.scalars) != len(o.scalars) {
		return errors.New("the partial results have other metrics or scenarios")
	}
	return nil
}
