package main

import (
	"fmt"

	"github.com/coopsim/coopsim/experiments"
)

// machineMemory returns the memory this process may use, in bytes (0:
// unknown); a variable so that a test can stand in a smaller machine.
var machineMemory = totalMemory

// memoryShort reports whether the per-run results of runs runs of e would
// not fit in have bytes (0: unknown, never short), with the bytes they
// need and the most runs that fit: 0 when one run's results alone are
// more than have.
func memoryShort(e *experiments.Experiment, runs int, have uint64) (need float64, most int, short bool) {
	need = e.ResultBytes(runs)
	if have == 0 || need <= float64(have) {
		return need, runs, false
	}
	return need, int(float64(runs) * float64(have) / need), true
}

// checkMemory refuses, before anything runs, an experiment whose runs
// runs (one of shards shards) would keep more per-run results than the
// machine holds: a run that would end in the system killing the process,
// hours in.
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
	return fmt.Errorf("%s: %s of %s keep about %s of per-run results in memory (%d metrics a scenario and run), more than this machine's %s: %s",
		e.Name, plural(runs, "run"), plural(len(e.Scenarios), "scenario"), byteSize(need), e.Metrics(), byteSize(float64(have)), ask)
}

// noRunFits is checkMemory's error when one run's per-run results are more
// than the machine's have bytes: no number of runs or shards helps, only
// fewer metrics a run (the estimate counts each scenario's metrics, not the
// buyers) or more memory.
func noRunFits(e *experiments.Experiment, have uint64) error {
	return fmt.Errorf("%s: one run of %s keeps about %s of per-run results in memory (%d metrics a scenario), more than this machine's %s, so no run fits: "+
		"use fewer scenarios or fewer report.annualized_at months (each adds one metric a channel), or a machine with more memory (this is its memory, or its cgroup's memory.max where lower)",
		e.Name, plural(len(e.Scenarios), "scenario"), byteSize(e.ResultBytes(1)), e.Metrics(), byteSize(float64(have)))
}

// checkMergeMemory refuses a merge whose runs would not fit in memory.
func checkMergeMemory(e *experiments.Experiment, runs int) error {
	have := machineMemory()
	if need, _, short := memoryShort(e, runs, have); short {
		return fmt.Errorf("%s: merging its %s keeps about %s of per-run results in memory, more than this machine's %s: merge the shards on a machine with more memory",
			e.Name, plural(runs, "run"), byteSize(need), byteSize(float64(have)))
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
