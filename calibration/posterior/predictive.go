package posterior

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/coopsim/coopsim/agents"
)

// Check is one target's posterior predictive check: the distribution of
// the figure the model predicts (a run's moment at a posterior draw, plus
// the figure's own uncertainty sd for a point target) against the
// observed value.
type Check struct {
	Name     string  `json:"name"`
	Observed float64 `json:"observed"`
	SD       float64 `json:"sd"`
	// Mean, Q10 and Q90 summarise the predictive distribution.
	Mean float64 `json:"mean"`
	Q10  float64 `json:"q10"`
	Q90  float64 `json:"q90"`
	// PIT is the share of predictive draws at or below the observed value:
	// for a point target, near 0 or 1 means the model cannot reproduce the
	// figure; for an inequality (Value is its bound) it should be near 0
	// for "at least" and near 1 for "at most".
	PIT float64 `json:"pit"`
	// Draws is the number of predictive draws.
	Draws int `json:"draws"`
}

// predictiveRun offsets the predictive runs' keys from the likelihood's
// runs {seed, 0..R−1}, so the check uses runs the fit never saw.
const predictiveRun = 1 << 32

// Predictive simulates one run at each of n posterior draws spread evenly
// over draws ([draw][param], natural scale) and returns each target's
// predictive check. Predictive draw k runs under key {seed, 2^32 + k}; a
// point target's measurement noise is the stream's normal for
// (agents.PurposePredictive, target, 1). The result does not depend on
// workers.
func Predictive(ctx context.Context, prob *Problem, draws [][]float64, n int, seed uint64, workers int) ([]Check, error) {
	if err := prob.validate(); err != nil {
		return nil, err
	}
	if len(draws) == 0 || n < 1 {
		return nil, fmt.Errorf("posterior: predictive check needs draws and n ≥ 1 (have %d draws, n = %d)", len(draws), n)
	}
	rows, runs := make([][]float64, n), make([]int, n)
	for k := range rows {
		rows[k], runs[k] = make([]float64, len(prob.Targets)), predictiveRun+k
	}
	b := &Batch{Seed: seed, Runs: runs, Rows: rows, Workers: max(1, workers),
		Theta: func(k int) []float64 { return draws[k*len(draws)/n] }}
	if err := prob.Sim.SimulateRuns(ctx, b); err != nil {
		return nil, fmt.Errorf("posterior: predictive check: %w", err)
	}
	for k := range rows {
		st := agents.Key{Seed: seed, Run: uint64(runs[k])}.Stream()
		for i, t := range prob.Targets {
			if t.Relation == Equal {
				rows[k][i] += t.SD * agents.NormalQuantile(st.Float64(agents.PurposePredictive, uint32(i), 1))
			}
		}
	}
	out := make([]Check, len(prob.Targets))
	for i, t := range prob.Targets {
		col := make([]float64, 0, n)
		below := 0
		for k := range rows {
			v := rows[k][i]
			if math.IsNaN(v) {
				continue
			}
			col = append(col, v)
			if v <= t.Value {
				below++
			}
		}
		sort.Float64s(col)
		m, _ := meanVar(col)
		out[i] = Check{Name: t.Name, Observed: t.Value, SD: t.SD, Mean: m,
			Q10: quantile(col, 0.1), Q90: quantile(col, 0.9), Draws: len(col)}
		if len(col) > 0 {
			out[i].PIT = float64(below) / float64(len(col))
		}
	}
	return out, nil
}
