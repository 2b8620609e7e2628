package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/market"
)

// Limits every command and file shares.
const (
	// MaxRuns is the most runs an experiment, a shard count or --runs may
	// ask for.
	MaxRuns = 10_000_000
	// MaxWorkers is the most goroutines --workers or a file may ask for.
	MaxWorkers = 4096
)

// Case is one simulation in a job: a market under a compiled regime. The
// market must be valid and the regime compiled for its months.
type Case struct {
	Market *market.Config
	Regime *market.Compiled
	// Breakdown asks for customers by segment and incumbent cloud.
	Breakdown bool
}

// Plan is what Run simulates.
type Plan struct {
	// Seed is the master seed: job i runs with key {Seed, Runs[i]}.
	Seed uint64
	// Runs are the run numbers of the jobs, in the order they are claimed.
	Runs []int
	// Cases are simulated in every job, in order, with the job's key.
	Cases []Case
	// CasesOf, if set, gives job i's cases instead of Cases (for plans
	// whose jobs differ, e.g. one parameter vector per job).
	CasesOf func(i int) []Case
	// Workers is the number of goroutines (0 or less: GOMAXPROCS).
	Workers int
	// Collect receives case c of job i. Calls for different jobs run
	// concurrently; calls for one job come in case order from one
	// goroutine. out is reused after Collect returns. An error stops the
	// plan.
	Collect func(i, c int, out *market.Series) error
	// Progress, if set, is called after each job with the number of jobs
	// this Run has completed.
	Progress func(done int)
	// Checkpoint, if set, is called about every Every with the number of
	// jobs completed (a prefix of Runs) and no job in flight: the caller's
	// accumulators then hold exactly those jobs. An error stops the plan.
	Checkpoint func(done int) error
	Every      time.Duration
	// stopped, if set (by a test), is called when a failing job has
	// stopped the workers from claiming more.
	stopped func()
}

// RunError is the failure of one simulation or its collection.
type RunError struct {
	Run  int // the run number
	Case int // the case index within the job
	Err  error
}

func (e *RunError) Error() string { return fmt.Sprintf("run %d case %d: %v", e.Run, e.Case, e.Err) }

func (e *RunError) Unwrap() error { return e.Err }

// ErrCheckpoint wraps an error returned by Plan.Checkpoint.
var ErrCheckpoint = errors.New("engine: checkpoint")

// worker is one goroutine's simulator and output buffer, kept across the
// segments of a plan (its caches survive a checkpoint).
type worker struct {
	sim market.Sim
	out market.Series
}

// Run simulates the plan. It returns the number of jobs completed, always
// a prefix of p.Runs, and nil when all are. If ctx is cancelled it
// finishes the jobs in flight and returns ctx's error; if a simulation,
// Collect or Checkpoint fails it stops the other workers and returns the
// error (a *RunError of the lowest failed job; the done count is then
// meaningless).
func Run(ctx context.Context, p Plan) (int, error) {
	n := len(p.Runs)
	if n == 0 {
		return 0, nil
	}
	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n) // a worker with no job would only allocate
	s := &state{plan: &p, ws: make([]worker, workers)}
	for {
		done, paused, err := s.segment(ctx)
		if err != nil || !paused {
			return done, err
		}
		if err := p.Checkpoint(done); err != nil {
			return done, fmt.Errorf("%w: %w", ErrCheckpoint, err)
		}
	}
}

// state is a plan in progress.
type state struct {
	plan  *Plan
	ws    []worker
	next  atomic.Int64 // the next job to claim
	count atomic.Int64 // jobs completed, for Progress
}

// segment runs workers until every job is claimed, ctx is cancelled, a
// worker fails, or the checkpoint interval ends; it returns with no job in
// flight the jobs done, and why it stopped short: err is a failure or
// ctx's error; paused says it stopped for a checkpoint.
func (s *state) segment(ctx context.Context) (done int, paused bool, err error) {
	p := s.plan
	var pause func() bool
	if p.Checkpoint != nil && p.Every > 0 {
		// The workers read the clock at each claim (a claim starts a run of
		// milliseconds): a timer goroutine setting a flag can fire late on
		// a loaded machine, so that the segments' lengths, and with a tiny
		// interval the number of checkpoints, would depend on the load.
		deadline := time.Now().Add(p.Every)
		pause = func() bool { return !time.Now().Before(deadline) }
	}
	return pool(ctx, &s.next, len(p.Runs), len(s.ws), pause, p.stopped, func(i, w int) error { return s.job(&s.ws[w], i) })
}

// Do runs job(i, w) for every i in [0, n) on up to workers goroutines (0
// or less: GOMAXPROCS); w in [0, workers) names the goroutine, for state
// kept per worker. It is Run's pool without the market: workers claim i in
// order and finish every i they claim, so the jobs done are a prefix of
// [0, n). A failing job stops the others from claiming more, and Do
// returns the failure of the lowest i that failed; a cancelled ctx, ctx's
// error.
func Do(ctx context.Context, n, workers int, job func(i, w int) error) (done int, err error) {
	if n == 0 {
		return 0, nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	done, _, err = pool(ctx, &next, n, min(workers, n), nil, nil, job)
	return done, err
}

// pool runs job(i, w) for the unclaimed i in [next, n) on workers
// goroutines until all are claimed, ctx is cancelled, a job fails, or
// pause (if not nil) reports true; every worker does at least one job, so that a
// pause cannot stall the jobs; stopped (if not nil) is called when a
// failing job has stopped the others from claiming. It returns, with no
// job in flight, the jobs done (next), whether it paused, and the lowest
// failed job's error or ctx's error.
func pool(ctx context.Context, next *atomic.Int64, n, workers int, pause func() bool, stopped func(), job func(i, w int) error) (done int, paused bool, err error) {
	var stop atomic.Bool
	var mu sync.Mutex
	failed, first := n, error(nil) // the lowest failed job and its error
	var cancelled error            // ctx's error, if a worker saw it (under mu)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// ctx.Err is asked once per claim (a caller's context may
			// count the asks).
			for once := true; !stop.Load() && (once || pause == nil || !pause()); once = false {
				if next.Load() >= int64(n) {
					return
				}
				if err := ctx.Err(); err != nil {
					mu.Lock()
					cancelled = err
					mu.Unlock()
					stop.Store(true)
					return
				}
				i := int(next.Add(1) - 1)
				if i >= n {
					next.Add(-1) // keep next at most n
					return
				}
				if err := job(i, w); err != nil {
					stop.Store(true)
					if stopped != nil {
						stopped()
					}
					mu.Lock()
					if i < failed {
						failed, first = i, err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	done = int(next.Load()) // every claimed job finished
	switch {
	case first != nil:
		return done, false, first
	case done == n:
		return done, false, nil
	case cancelled != nil:
		return done, false, cancelled
	}
	return done, pause != nil && pause(), nil
}

// job simulates and collects every case of job i.
func (s *state) job(wk *worker, i int) error {
	p := s.plan
	cases := p.Cases
	if p.CasesOf != nil {
		cases = p.CasesOf(i)
	}
	key := agents.Key{Seed: p.Seed, Run: uint64(p.Runs[i])}
	for c := range cases {
		cs := &cases[c]
		if err := wk.sim.Run(cs.Market, cs.Regime, key, &wk.out, cs.Breakdown); err != nil {
			return &RunError{Run: p.Runs[i], Case: c, Err: err}
		}
		if err := p.Collect(i, c, &wk.out); err != nil {
			return &RunError{Run: p.Runs[i], Case: c, Err: err}
		}
	}
	d := s.count.Add(1)
	if p.Progress != nil {
		p.Progress(int(d))
	}
	return nil
}
