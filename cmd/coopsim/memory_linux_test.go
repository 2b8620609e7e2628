package main

import (
	"os"
	"testing"

	"github.com/coopsim/coopsim/experiments"
)

// TestRunRefusesWhatMemoryCannotHold: the 10,000,000 runs a file may ask
// for, of the default experiment, are refused on this machine before
// anything is written (they need about 935 GB; the test fails on a machine
// that has that much rather than run them).
func TestRunRefusesWhatMemoryCannotHold(t *testing.T) {
	t.Parallel()
	e, err := experiments.Default()
	if err != nil {
		t.Fatal(err)
	}
	if have := totalMemory(); have == 0 || e.ResultBytes(10_000_000) <= float64(have) {
		t.Fatalf("this machine's memory reads %d bytes: the test needs a known amount below %.0f", have, e.ResultBytes(10_000_000))
	}
	dir := t.TempDir() + "/out"
	cliFails(t, []string{"per-run results in memory", "ask for at most"}, "run", "--runs", "10000000", "--out", dir)
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s was created for a refused run", dir)
	}
}
