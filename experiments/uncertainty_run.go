package experiments

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/coopsim/coopsim/experiments/atomicfile"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// casesOf returns the engine's per-job cases for the runs ids: every
// scenario's market with the run's draw applied (a scenario's own
// settings win), and its regime recompiled with the draw's regime terms.
// The draws were validated before the batch ran (checkRuns), so applying
// them cannot fail here.
func (u *Uncertainty) casesOf(e *Experiment, ids []int) func(i int) []engine.Case {
	skips := make([]map[string]bool, len(e.Scenarios))
	for s := range e.Scenarios {
		skips[s] = e.Scenarios[s].overridden()
	}
	n := len(u.Paths())
	return func(i int) []engine.Case {
		v := make([]float64, n)
		u.Draw(e.Seed, ids[i], v)
		cfgs := make([]market.Config, len(e.Scenarios))
		cases := make([]engine.Case, len(e.Scenarios))
		for s := range e.Scenarios {
			cfgs[s] = e.Scenarios[s].Market
			if err := u.apply(&cfgs[s], v, skips[s]); err != nil {
				panic(fmt.Sprintf("experiments: a draw checked before the runs failed: %v", err)) // checkRuns applied the same draw
			}
			reg, err := u.compiled(&e.Scenarios[s], v)
			if err != nil {
				panic(fmt.Sprintf("experiments: a draw checked before the runs failed: %v", err)) // checkRuns compiled the same draw
			}
			cases[s] = engine.Case{Market: &cfgs[s], Regime: reg, Breakdown: true} // the result files carry the breakdowns
		}
		return cases
	}
}

// ParamsFile is the tidy file of each run's uncertain parameters
// (report.ParamsFile, where its reader lives).
const ParamsFile = report.ParamsFile

// WriteParams writes params.csv into dir: one row "run,parameter,value"
// per run of the outcome and uncertain parameter, runs ascending and
// parameters in Uncertainty.Paths order, values in the shortest form that
// reads back exactly. The draws are recomputed from (seed, run), so the
// file is the same for any workers, shards and resumes. Nothing is written
// for an experiment without uncertainty.
func (o *Outcome) WriteParams(dir string) error {
	u := o.Experiment.Uncertainty
	if u == nil {
		return nil
	}
	paths := u.Paths()
	v := make([]float64, len(paths))
	err := atomicfile.Write(filepath.Join(dir, ParamsFile), func(f io.Writer) error {
		w := bufio.NewWriter(f)
		w.WriteString("run,parameter,value\n")
		for _, r := range o.RunIDs {
			u.Draw(o.Experiment.Seed, r, v)
			for j, p := range paths {
				w.WriteString(strconv.Itoa(r))
				w.WriteString(",")
				w.WriteString(p)
				w.WriteString(",")
				w.WriteString(strconv.FormatFloat(v[j], 'g', -1, 64))
				w.WriteString("\n")
			}
		}
		return w.Flush()
	})
	if err != nil {
		return fmt.Errorf("experiments: %s: %w", ParamsFile, err)
	}
	return nil
}
