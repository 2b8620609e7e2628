package experiments

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// hash returns the sha256 of everything that determines the results.
func (e *Experiment) hash() string {
	h := sha256.New()
	fmt.Fprintf(h, "seed=%d runs=%d precision=%v max=%d batch=%d window=%s..%s ann=%v baseline=%d\n",
		e.Seed, e.Runs, e.Precision, e.MaxRuns, e.Batch, e.WindowStart, e.WindowEnd, e.AnnualizedAt, e.Baseline)
	for _, s := range e.Scenarios {
		fmt.Fprintf(h, "scenario %q regime %q\n%#v\n", s.Name, s.Regime.Name, s.Market)
		for _, t := range s.Compiled.Terms {
			fmt.Fprintf(h, "%v\n", t)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
