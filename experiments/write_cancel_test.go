package experiments

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopsim/coopsim/experiments/report"
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

// TestWriteAllCancelledAfterRuns: a context done once runs.csv (or both
// runs.csv and series.csv) is written whole keeps the whole files, as
// WriteAll writes them, and writes no summary.json and leaves no temporary
// file; series.csv, written at the same time as runs.csv, is either whole
// or absent. (Not parallel: it sets afterWrite.)
func TestWriteAllCancelledAfterRuns(t *testing.T) {
	o := mustRun(t, mustLoad(t, filepath.Join("testdata", "small.toml")), Options{Workers: 2})
	want := writeAll(t, o)
	defer func() { afterWrite = nil }()
	for _, after := range [][]string{{report.RunsFile}, {report.RunsFile, report.SeriesFile}} {
		dir := filepath.Join(t.TempDir(), "out")
		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex
		done := make(map[string]bool)
		afterWrite = func(name string) {
			mu.Lock()
			defer mu.Unlock()
			done[name] = true
			for _, n := range after {
				if !done[n] {
					return
				}
			}
			cancel()
		}
		_, err := o.WriteAllContext(ctx, dir)
		afterWrite = nil
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled after %v: err %v, want context.Canceled", after, err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		kept := make(map[string]bool)
		for _, e := range entries {
			kept[e.Name()] = true
			if e.Name() != report.RunsFile && e.Name() != report.SeriesFile {
				t.Errorf("cancelled after %v: %s left in the directory", after, e.Name())
			}
		}
		for _, n := range after {
			if !kept[n] {
				t.Errorf("cancelled after %v: %s gone (directory: %v)", after, n, kept)
			}
		}
		names := make([]string, 0, len(kept))
		for name := range kept {
			names = append(names, name)
		}
		sameNamedFiles(t, want, dir, names) // WriteAll's bytes
	}
}

// TestSeriesCSVBytes: SeriesCSVBytes counts series.csv's rows and their
// scenario and metric names exactly, and takes seriesRowBytes for the rest
// of each row (month, six numbers, separators). That rest, measured on a
// written file, averages what seriesRowBytes's comment documents, 70 bytes
// over the run and 120 over its last two years, to the 10 bytes those
// figures are given to; seriesRowBytes lies between the two.
func TestSeriesCSVBytes(t *testing.T) {
	e := mustLoad(t, filepath.Join("testdata", "small.toml"))
	dir := writeAll(t, mustRun(t, e, Options{Workers: 2}))
	b, err := os.ReadFile(filepath.Join(dir, "series.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")[1:] // no header
	lastYears := e.Months() - 24
	month := make(map[string]int) // a month's index, from the first scenario's rows
	var names, rest, lateRest, lateRows int64
	for _, line := range lines {
		f := strings.Split(line, ",")
		if len(f) != len(report.SeriesHeader) {
			t.Fatalf("series.csv row %q has %d fields", line, len(f))
		}
		if _, ok := month[f[1]]; !ok {
			month[f[1]] = len(month)
		}
		n := int64(len(f[0]) + len(f[2]))
		names += n
		r := int64(len(line)) + 1 - n
		rest += r
		if month[f[1]] >= lastYears {
			lateRest += r
			lateRows++
		}
	}
	rows := int64(len(lines))
	if want := int64(len(e.Scenarios) * e.Months() * SeriesMetrics()); rows != want || len(month) != e.Months() {
		t.Fatalf("series.csv has %d rows over %d months, want scenarios × months × series = %d over %d", rows, len(month), want, e.Months())
	}
	avg, late := float64(rest)/float64(rows), float64(lateRest)/float64(lateRows)
	t.Logf("%d rows: %.1f bytes each besides the names, %.1f over the last two years (estimate %d)", rows, avg, late, seriesRowBytes)
	const doc, docLate, prec = 70, 120, 5 // seriesRowBytes's comment, to the nearest 10
	if math.Abs(avg-doc) > prec || math.Abs(late-docLate) > prec {
		t.Errorf("series.csv rows take %.1f bytes besides the names (%.1f over the last two years), not the %d (%d) seriesRowBytes's comment gives", avg, late, doc, docLate)
	}
	if seriesRowBytes < doc || seriesRowBytes > docLate {
		t.Errorf("seriesRowBytes = %d, outside the measured %d to %d", seriesRowBytes, doc, docLate)
	}
	if got, want := e.SeriesCSVBytes(), names+rows*seriesRowBytes; got != want {
		t.Errorf("SeriesCSVBytes = %d, want the names' %d bytes + %d rows × %d = %d", got, names, rows, seriesRowBytes, want)
	}
}
