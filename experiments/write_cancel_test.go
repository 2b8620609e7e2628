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
