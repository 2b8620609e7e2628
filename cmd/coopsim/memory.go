package main

import (
	"fmt"

	"github.com/coopsim/coopsim/experiments"
)

// checkMemory refuses, before anything runs, an experiment whose runs
// runs would keep more per-run results than a machine of have bytes holds
// (a run that would end in the system killing the process, hours in); 0
// is a machine of unknown memory.
func checkMemory(e *experiments.Experiment, runs int, have uint64) error {
	if have == 0 {
		return nil
	}
	need := e.ResultBytes(runs)
	if need <= float64(have) {
		return nil
	}
	most := int(float64(runs) * float64(have) / need)
	ask := "ask for at most %d runs (--runs N, or runs in the file), or run shards (--shard K/N) on machines that hold them (merging them holds every run)"
	if e.Precision > 0 {
		ask = "set max_runs to at most %d"
	}
	return fmt.Errorf("%s: %s of %s keep about %s of per-run results in memory (%d metrics a scenario and run), more than this machine's %s: "+ask,
		e.Name, plural(runs, "run"), plural(len(e.Scenarios), "scenario"), byteSize(need), e.Metrics(), byteSize(float64(have)), most)
}

// byteSize formats n bytes in GB or MB.
func byteSize(n float64) string {
	if n >= 1e9 {
		return fmt.Sprintf("%.1f GB", n/1e9)
	}
	return fmt.Sprintf("%.0f MB", n/1e6)
}
