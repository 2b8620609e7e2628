package experiments

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// countdownCtx is a context whose Err turns to context.Canceled at its
// n-th call: a signal arriving in the middle of the writing.
type countdownCtx struct {
	context.Context
	left atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func (c *countdownCtx) Deadline() (time.Time, bool) { return time.Time{}, false }

// TestWriteAllCancelled: a context done while the result files are
// written abandons them: the error is the context's, and the directory
// holds no temporary file and no summary.json (a 4 GB .series.csv.tmp-*
// was once left behind).
func TestWriteAllCancelled(t *testing.T) {
	o := mustRun(t, mustLoad(t, filepath.Join("testdata", "small.toml")), Options{Workers: 2})
	for _, n := range []int64{0, 3} {
		dir := filepath.Join(t.TempDir(), "out")
		ctx := &countdownCtx{Context: context.Background()}
		ctx.left.Store(n)
		if _, err := o.WriteAllContext(ctx, dir); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled after %d checks: err %v, want context.Canceled", n, err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("cancelled after %d checks: %s left in the directory", n, e.Name())
		}
	}
}

// TestSeriesCSVBytes: the estimate of series.csv's size is within 40% of
// the file a run writes (it warns of many GB, so the order matters, not
// the digits).
func TestSeriesCSVBytes(t *testing.T) {
	e := mustLoad(t, filepath.Join("testdata", "small.toml"))
	dir := writeAll(t, mustRun(t, e, Options{Workers: 2}))
	fi, err := os.Stat(filepath.Join(dir, "series.csv"))
	if err != nil {
		t.Fatal(err)
	}
	est, got := float64(e.SeriesCSVBytes()), float64(fi.Size())
	t.Logf("estimate %.0f bytes, file %.0f (%.2f)", est, got, est/got)
	if est < 0.6*got || est > 1.4*got {
		t.Errorf("SeriesCSVBytes = %.0f, series.csv is %.0f bytes", est, got)
	}
}
