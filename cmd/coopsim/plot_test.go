package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/cmd/coopsim/internal/outdir"
	"github.com/coopsim/coopsim/experiments/report"
)

// TestPlotErrorsOnePrefix: plot's error on a bad result file names the
// file once, in the user's words, with no package prefixes; a directory
// that is not a result directory is said to be one.
func TestPlotErrorsOnePrefix(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, report.SummaryFile)
	if err := os.WriteFile(p, []byte(`{"experiment": 3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := cliRun(context.Background(), "plot", dir)
	want := p + " line 1: field experiment: want text, got a number (was the file edited? rerun or restore it)"
	if err == nil || err.Error() != want {
		t.Errorf("plot of an edited summary.json:\n got %v\nwant %s", err, want)
	}
	empty := t.TempDir()
	cliFails(t, []string{"plot: no " + filepath.Join(empty, report.SummaryFile) + " (nor fit.json): " + empty + " is not a result directory", "run, merge or calibrate"}, "plot", empty)
	cliFails(t, []string{"plot: no directory " + filepath.Join(empty, "nope")}, "plot", filepath.Join(empty, "nope"))
}

// TestPlotRespectsRunInProgress: plot refuses a directory a run is still
// writing (no summary.json yet), naming the holder, and writes nothing.
func TestPlotRespectsRunInProgress(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "running")
	l, err := outdir.Acquire(dir, "coopsim run --seed 7 --out running")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	cliFails(t, []string{"output directory " + dir + " is in use", fmt.Sprintf("pid %d", os.Getpid()), "--seed 7"}, "plot", dir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != outdir.LockFile {
			t.Errorf("plot wrote %s into a directory in use", e.Name())
		}
	}
	if _, _, err := cliRun(context.Background(), "plot", dir); err != nil && strings.Contains(err.Error(), "plots: ") {
		t.Errorf("doubled prefix: %v", err)
	}
}
