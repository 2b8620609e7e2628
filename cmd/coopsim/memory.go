package main

import (
	"fmt"
	"sort"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/internal/words"
)

// machineMemory returns the memory this process may use, in bytes (0:
// unknown); a variable so that a test can stand in a smaller machine.
var machineMemory = totalMemory

// memoryShort reports whether the results of runs runs of e (per-run
// results and monthly figures, experiments.MemoryBytes) would not fit in
// have bytes (0: unknown, never short), with the bytes they need and the
// most runs that fit: 0 when one run's alone are more than have.
func memoryShort(e *experiments.Experiment, runs int, have uint64) (need float64, most int, short bool) {
	need = e.MemoryBytes(runs)
	if have == 0 || need <= float64(have) {
		return need, runs, false
	}
	// The estimate grows with the runs: the first that does not fit, less one.
	most = sort.Search(runs, func(r int) bool { return e.MemoryBytes(r+1) > float64(have) })
	return need, most, true
}

// checkMemory refuses, before anything runs, an experiment whose runs
// runs (one of shards shards) would keep more results than the machine
// holds: a run that would end in the system killing the process, hours
// in.
func checkMemory(e *experiments.Experiment, runs, shards int) error {
	have := machineMemory()
	need, most, short := memoryShort(e, runs, have)
	if !short {
		return nil
	}
	if most == 0 {
		return noRunFits(e, have)
	}
	ask := fmt.Sprintf("ask for at most %d runs (--runs N, or runs in the file), or run shards (--shard K/N) on machines that hold them (merging them holds every run)", most)
	switch {
	case e.Precision > 0:
		ask = fmt.Sprintf("set max_runs to at most %d", most)
	case shards > 1:
		ask = fmt.Sprintf("ask for at most %d runs in all (--runs N, or runs in the file), or run this shard on a machine that holds it", most*shards)
	}
	if series := e.SeriesBytes(most); series > float64(have)/2 {
		// Fewer runs barely help where most of the memory is the monthly
		// figures of every scenario, which each shard holds in full too.
		ask = fmt.Sprintf("use fewer scenarios or a shorter span (start, end): the monthly figures, %s at %s, hardly shrink with fewer runs (%s)",
			byteSize(series), words.Plural(most, "run"), ask)
	}
	return fmt.Errorf("%s: %s of %s keep about %s of results in memory (%s), more than the %s this process may use: %s",
		e.Name, words.Plural(runs, "run"), words.Plural(len(e.Scenarios), "scenario"), byteSize(need), counted(e, runs), byteSize(float64(have)), ask)
}

// counted says what memoryShort's estimate for runs runs of e counts.
func counted(e *experiments.Experiment, runs int) string {
	return fmt.Sprintf("monthly figures %s: %d series × %s a scenario; per-run results %s: %d metrics a scenario and run",
		byteSize(e.SeriesBytes(runs)), experiments.SeriesMetrics(), words.Plural(e.Months(), "month"), byteSize(e.ResultBytes(runs)), e.Metrics())
}

// noRunFits is checkMemory's error when one run's results are more than
// the machine's have bytes: no number of runs or shards helps, only fewer
// scenarios, months or metrics (the estimate counts those, not the
// buyers) or more memory.
func noRunFits(e *experiments.Experiment, have uint64) error {
	return fmt.Errorf("%s: one run of %s keeps about %s of results in memory (%s), more than the %s this process may use (its machine's, cgroup's or Slurm job's limit), so no run fits: "+
		"use fewer scenarios, a shorter span (start, end) or fewer report.annualized_at months, or a machine with more memory",
		e.Name, words.Plural(len(e.Scenarios), "scenario"), byteSize(e.MemoryBytes(1)), counted(e, 1), byteSize(float64(have)))
}

// mergeOverhead is a merge's peak memory over memoryShort's estimate for
// its runs: it decodes each shard's saved accumulators beside the merged
// ones (measured on the default experiment: 1.99 GB merging two 100-run
// shards, 1.89 GB four 50-run shards, where the estimate for 200 runs is
// about 0.8 GB).
const mergeOverhead = 3

// checkMergeMemory refuses a merge whose runs would not fit in memory.
func checkMergeMemory(e *experiments.Experiment, runs int) error {
	have := machineMemory()
	need := mergeOverhead * e.MemoryBytes(runs)
	if have != 0 && need > float64(have) {
		return fmt.Errorf("%s: merging its %s keeps about %s of results in memory (the shards' saved results decoded beside the merged ones, about %d times the %s that running them keeps), more than the %s this process may use: merge the shards on a machine with more memory",
			e.Name, words.Plural(runs, "run"), byteSize(need), mergeOverhead, byteSize(e.MemoryBytes(runs)), byteSize(float64(have)))
	}
	return nil
}

// byteSize formats n bytes in GB, MB or kB.
func byteSize(n float64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", n/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.0f MB", n/1e6)
	}
	return fmt.Sprintf("%.0f kB", n/1e3)
}
