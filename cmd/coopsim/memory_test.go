package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/internal/words"
)

// TestMemoryShort: results that fit pass; those that do not are short,
// with the most runs that fit, which themselves fit while one more does
// not; a machine of unknown memory (0) is never short. The default
// experiment peaks at 1.9 GB for its 1,000 runs: they fit in 2 GiB, not
// in 1 GiB.
func TestMemoryShort(t *testing.T) {
	e, err := experiments.Default()
	if err != nil {
		t.Fatal(err)
	}
	const have = 2 << 30 // a 2 GiB machine
	if _, _, short := memoryShort(e, 1000, have); short {
		t.Error("1,000 runs of the default do not fit in 2 GiB")
	}
	if _, most, short := memoryShort(e, 1000, 1<<30); !short || most < 100 || most >= 1000 {
		t.Errorf("1,000 runs of the default on 1 GiB: short %v, at most %d runs; want short, with a few hundred runs", short, most)
	}
	need, most, short := memoryShort(e, 1_000_000, have)
	if !short || need <= have {
		t.Fatalf("1,000,000 runs of the default: need %.0f bytes, short %v; want more than 2 GiB", need, short)
	}
	if _, _, s := memoryShort(e, most, have); s {
		t.Errorf("the %d runs offered as fitting do not fit", most)
	}
	if _, _, s := memoryShort(e, most+1, have); !s {
		t.Errorf("%d runs fit in 2 GiB, though %d was offered as the most", most+1, most)
	}
	if _, _, s := memoryShort(e, 10_000_000, 0); s {
		t.Error("unknown memory: short, want no check")
	}
}

// withMemory makes the machine seem to hold have bytes for the rest of a
// test, which must not be parallel (the other tests read machineMemory).
func withMemory(t *testing.T, have uint64) {
	old := machineMemory
	machineMemory = func() uint64 { return have }
	t.Cleanup(func() { machineMemory = old })
}

// TestRunRefusesWhatMemoryCannotHold: on a machine of 1 GiB, a million runs
// of the default experiment are refused before anything is written, with
// the most runs that fit and what the estimate counts; the refusal of a
// shard counts all shards' runs, and a merge of shards that would not fit
// is refused too.
func TestRunRefusesWhatMemoryCannotHold(t *testing.T) {
	withMemory(t, 1<<30)
	dir := filepath.Join(t.TempDir(), "out")
	cliFails(t, []string{"of results in memory", "per-run results", "monthly figures", "more than the 1.1 GB this process may use", "ask for at most"}, "run", "--runs", "1000000", "--out", dir)
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s was created for a refused run", dir)
	}
	msg := cliFails(t, []string{"ask for at most", "runs in all"}, "run", "--runs", "1000000", "--shard", "1/4", "--out", dir)
	e, _ := experiments.Default()
	_, most, _ := memoryShort(e, 250_000, 1<<30)
	if !strings.Contains(msg, fmt.Sprintf("at most %d runs in all", 4*most)) {
		t.Errorf("shard refusal %q does not offer %d runs in all", msg, 4*most)
	}
	if err := checkMergeMemory(e, 1_000_000); err == nil || !strings.Contains(err.Error(), "merge the shards on a machine with more memory") {
		t.Errorf("merging a million runs on 1 GiB: %v", err)
	}
	if err := checkMergeMemory(e, 20); err != nil {
		t.Errorf("merging 20 runs on 1 GiB: %v", err)
	}
}

// TestCheckMemoryNoRunFits: on a machine smaller than one run's per-run
// results, memoryShort offers 0 runs and checkMemory says that no run fits
// and what the estimate counts, for a plain run, a shard and a run to a
// precision, never "at most 0"; on a larger machine that is still short it
// offers the most runs that fit, at least one.
func TestCheckMemoryNoRunFits(t *testing.T) {
	e, err := experiments.Default()
	if err != nil {
		t.Fatal(err)
	}
	one := e.MemoryBytes(1)
	tiny := uint64(one / 2)
	if _, most, short := memoryShort(e, 1, tiny); !short || most != 0 {
		t.Fatalf("one run on a machine of %d bytes (one run needs %.0f): short %v, most %d; want short with 0 runs", tiny, one, short, most)
	}
	withMemory(t, tiny)
	precise := *e
	precise.Precision, precise.MaxRuns, precise.Batch = 0.01, 1000, 100
	for _, c := range []struct {
		e            *experiments.Experiment
		runs, shards int
	}{{e, 1000, 1}, {e, 250, 4}, {&precise, 1000, 1}} {
		err := checkMemory(c.e, c.runs, c.shards)
		if err == nil {
			t.Fatalf("%d runs (%d shards) on %d bytes: no error", c.runs, c.shards, tiny)
		}
		msg := err.Error()
		for _, w := range []string{"one run of " + words.Plural(len(e.Scenarios), "scenario") + " keeps about " + byteSize(one), fmt.Sprintf("%d metrics a scenario and run", e.Metrics()),
			"more than the " + byteSize(float64(tiny)) + " this process may use", "so no run fits", "fewer scenarios", "a machine with more memory"} {
			if !strings.Contains(msg, w) {
				t.Errorf("%d runs (%d shards): %q lacks %q", c.runs, c.shards, msg, w)
			}
		}
		if strings.Contains(msg, "at most 0") || strings.Contains(msg, " 0 MB") {
			t.Errorf("%d runs (%d shards): %q", c.runs, c.shards, msg)
		}
	}
	have := uint64(e.MemoryBytes(10)) + 1 // ten runs fit, eleven do not
	withMemory(t, have)
	err = checkMemory(e, 1000, 1)
	if err == nil || !strings.Contains(err.Error(), "ask for at most 10 runs") || strings.Contains(err.Error(), "no run fits") {
		t.Errorf("1,000 runs where 10 fit: %v", err)
	}
}

// TestManyScenariosRefused: 2,000 scenarios (a sweep) of 162 months keep
// monthly figures of tens of gigabytes however few the runs; on a 16 GiB
// machine the run is refused before anything is written, saying that no
// run fits and to use fewer scenarios or a shorter span (it used to start,
// and be killed by the system).
func TestManyScenariosRefused(t *testing.T) {
	withMemory(t, 16<<30)
	tmp := t.TempDir()
	file := sweepFile(t, tmp, 2000, "2019-07", "2032-12", "")
	// With room for the monthly figures and a few runs, fewer runs are not
	// the remedy: fewer scenarios are.
	e, err := experiments.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	withMemory(t, uint64(e.MemoryBytes(3))+1)
	cliFails(t, []string{"2001 scenarios keep about", "use fewer scenarios or a shorter span (start, end): the monthly figures", "hardly shrink with fewer runs (ask for at most 3 runs"}, "run", file, "--runs", "100", "--out", filepath.Join(tmp, "out3"))
	withMemory(t, 16<<30)
	dir := filepath.Join(tmp, "out")
	cliFails(t, []string{"one run of 2001 scenarios", "monthly figures", "255 series × 162 months", "so no run fits", "fewer scenarios, a shorter span"}, "run", file, "--out", dir)
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s was created for a refused run", dir)
	}
}

// sweepFile writes into dir an experiment of the history scenario and a
// sweep of points more (200 buyers, 2 runs, start to end, the extra TOML
// before [market]) and returns its path.
func sweepFile(t *testing.T, dir string, points int, start, end, extra string) string {
	t.Helper()
	grid := make([]string, points)
	for i := range grid {
		grid[i] = fmt.Sprint(i + 1)
	}
	src := "name = \"many\"\nseed = 1\nruns = 2\nstart = \"" + start + "\"\nend = \"" + end + "\"\nbaseline = \"history\"\n" + extra +
		"[market]\nbuyers.agents = 200\n[[scenario]]\nname = \"history\"\nregime = \"history\"\n" +
		"[[sweep]]\nscenario = \"history\"\n[sweep.grid]\n\"sellers.openai.reach.full\" = [" + strings.Join(grid, ", ") + "]\n"
	file := filepath.Join(dir, "many.toml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestTotalMemory: on Linux the machine's memory is read (and is more
// than the 64 MiB any machine that builds Go has).
func TestTotalMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		if totalMemory() != 0 {
			t.Errorf("totalMemory on %s = %d, want 0 (unknown)", runtime.GOOS, totalMemory())
		}
		return
	}
	if got := totalMemory(); got < 64<<20 {
		t.Errorf("totalMemory = %d bytes, want the machine's memory", got)
	}
}
