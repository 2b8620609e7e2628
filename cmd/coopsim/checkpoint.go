package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/internal/words"
)

// checkpoints saves a run's completed runs into its directory (partial.gob,
// atomically) periodically and when interrupted, so that a run killed
// outright (SIGKILL, the OOM killer, a lost node) or stopped by a second
// Ctrl-C resumes with --resume, losing at most one interval.
type checkpoints struct {
	plan    *runPlan
	resume  string // the command that finishes the run
	total   int    // the runs the run is to do
	mu      sync.Mutex
	saved   int  // runs in the last saved state; -1 before any
	writing bool // all runs done, the result files being written
}

func newCheckpoints(p *runPlan, resume string, total int) *checkpoints {
	return &checkpoints{plan: p, resume: resume, total: total, saved: -1}
}

// afterSave, if not nil, is called after each save, outside the lock,
// with the runs saved. Only tests set it: their child process pauses
// there, so that a signal or a SIGKILL finds a saved, unfinished run
// however slow the machine.
var afterSave func(runs int)

// save writes o as the run's partial result (a forced run's earlier
// results go first, as when it finishes).
func (c *checkpoints) save(o *experiments.Outcome) error {
	if err := c.write(o); err != nil {
		return err
	}
	if afterSave != nil {
		afterSave(len(o.RunIDs))
	}
	return nil
}

func (c *checkpoints) write(o *experiments.Outcome) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.plan.clearOld(); err != nil {
		return err
	}
	if err := o.SavePartial(c.plan.dir, false); err != nil {
		return err
	}
	c.saved = len(o.RunIDs)
	return nil
}

// startWriting records that every run is done and the result files are
// being written.
func (c *checkpoints) startWriting() {
	c.mu.Lock()
	c.writing = true
	c.mu.Unlock()
}

// interruptedWrite says, after a signal stopped the writing of the result
// files (which abandoned them), that the runs had finished and how to get
// the files: resume from the last checkpoint, or run again.
func (c *checkpoints) interruptedWrite(w io.Writer) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stoppedWriting(w, "interrupted")
	return &interruptedError{msg: "interrupted while writing the results", said: true}
}

// stoppedWriting says that the result files were not all written though
// every run had finished, and how to get them. The caller holds c.mu.
func (c *checkpoints) stoppedWriting(w io.Writer, what string) {
	fmt.Fprintf(w, "coopsim: %s while writing the results: all %s had finished, but the result files in %s were not all written (no %s)\n",
		what, words.Plural(c.total, "run"), c.plan.dir, report.SummaryFile)
	if c.saved < 0 {
		fmt.Fprintf(w, "coopsim: no checkpoint was saved: to write them, run the same command again with --force\n")
		return
	}
	fmt.Fprintf(w, "coopsim: to finish from the last checkpoint (%d of %s), run: %s\n", c.saved, words.Plural(c.total, "run"), c.resume)
}

// lastWords tells, when a second signal ends the process, what the last
// saved state holds and how to resume from it. It waits for a save in
// progress, so the state it names is on disk. While the result files are
// written it removes their temporary files first.
func (c *checkpoints) lastWords(w io.Writer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writing {
		removeTemps(c.plan.dir)
		c.stoppedWriting(w, "stopped")
		return
	}
	if c.saved < 0 {
		fmt.Fprintf(w, "coopsim: stopped before any runs were saved in %s: nothing to resume\n", c.plan.dir)
		return
	}
	fmt.Fprintf(w, "coopsim: stopped; the last saved state keeps %d of %s in %s\n", c.saved, words.Plural(c.total, "run"), c.plan.dir)
	fmt.Fprintf(w, "coopsim: to finish, run: %s\n", c.resume)
}

// onSecondSignal is what a second Ctrl-C (or SIGTERM) says before the
// process exits: set while a run can be resumed.
var onSecondSignal atomic.Pointer[checkpoints]

// notifyContext returns a context cancelled by the first SIGINT or SIGTERM
// (the command winds down and saves its work). A second signal ends the
// process at once with status 130, after saying what the last saved state
// holds and how to resume from it.
func notifyContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		cancel()
		<-sig
		if c := onSecondSignal.Load(); c != nil {
			c.lastWords(os.Stderr)
		}
		os.Exit(130)
	}()
	return ctx, func() { signal.Stop(sig); cancel() }
}
