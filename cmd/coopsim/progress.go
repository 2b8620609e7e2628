package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports long work on stderr: a live bar on a terminal (runs
// done, rate, time left), a plain line every few seconds otherwise (logs,
// CI, Slurm), nothing when quiet. Safe for concurrent use.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	bar     *progressbar.ProgressBar
	label   string
	unit    string
	total   int
	done    int
	start   time.Time
	last    time.Time
	every   time.Duration
	quiet   bool
	printed bool
}

// newProgress starts a progress report of total units of work, each
// called unit ("runs", "evaluations").
func newProgress(w io.Writer, total int, label, unit string, quiet bool) *progress {
	p := &progress{w: w, label: label, unit: unit, total: total, start: time.Now(), quiet: quiet, every: 5 * time.Second}
	p.last = p.start
	if quiet {
		return p
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(unit),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// Set records that done units of total are finished.
func (p *progress) Set(done, total int) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if done <= p.done && total == p.total {
		return
	}
	p.done = done
	if total != p.total {
		p.total = total
		if p.bar != nil {
			p.bar.ChangeMax(total)
		}
	}
	if p.bar != nil {
		_ = p.bar.Set(done)
		return
	}
	now := time.Now()
	if now.Sub(p.last) >= p.every || done == total {
		p.last = now
		el := now.Sub(p.start).Seconds()
		rate := float64(done) / el
		left := "?"
		if rate > 0 {
			left = (time.Duration(float64(p.total-done)/rate) * time.Second).Round(time.Second).String()
		}
		fmt.Fprintf(p.w, "%s: %d/%d %s, %.1f %s/s, %s left\n", p.label, done, p.total, p.unit, rate, p.unit, left)
		p.printed = true
	}
}

// Finish ends the report.
func (p *progress) Finish() {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}
