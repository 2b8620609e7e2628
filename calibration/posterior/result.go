package posterior

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/coopsim/coopsim/agents/detmath"
)

// WeakContraction is the posterior contraction 1 − Var(post)/Var(prior)
// below which a parameter is reported as poorly identified: its posterior
// sd is more than √0.8 ≈ 0.89 of its prior sd, so the targets have
// hardly moved it.
const WeakContraction = 0.2

// Result is a posterior sample and its diagnostics.
type Result struct {
	// Names are the parameters' names, in Problem.Params order.
	Names []string `json:"-"`
	// Acceptance is each chain's acceptance rate after warm-up.
	Acceptance []float64 `json:"acceptance"`
	// Evaluations counts likelihood evaluations (each Options.Runs runs).
	Evaluations int `json:"evaluations"`
	// PriorMean and PriorVar are each prior's mean and variance on the
	// sampler's scale (log for Param.Log).
	PriorMean []float64 `json:"-"`
	PriorVar  []float64 `json:"-"`
	// Params summarises each parameter's posterior.
	Params []Summary `json:"params"`

	chains [][][]float64 // [chain][draw][param], natural scale
	log    []bool
}

// Summary is one parameter's posterior on its natural scale, with the
// sampler's diagnostics.
type Summary struct {
	Name string  `json:"name"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	// Q10, Q50, Q90 are the 10%, 50% and 90% quantiles (the central 80%
	// interval and the median).
	Q10 float64 `json:"q10"`
	Q50 float64 `json:"q50"`
	Q90 float64 `json:"q90"`
	// ESS is the multi-chain effective sample size and RHat the split
	// R-hat, both on the sampler's scale.
	ESS  float64 `json:"ess"`
	RHat float64 `json:"rhat"`
	// Contraction is 1 − Var(post)/Var(prior) on the sampler's scale.
	Contraction float64 `json:"contraction"`
	// PoorlyIdentified is Contraction < WeakContraction.
	PoorlyIdentified bool `json:"poorly_identified"`
}

// Draws returns the kept draws, chain after chain: [draw][param] on the
// natural scale. The slices are the result's own; do not modify them.
func (r *Result) Draws() [][]float64 {
	var out [][]float64
	for _, c := range r.chains {
		out = append(out, c...)
	}
	return out
}

// Chains returns the kept draws per chain: [chain][draw][param].
func (r *Result) Chains() [][][]float64 { return r.chains }

// PoorlyIdentified returns the names of the poorly identified parameters.
func (r *Result) PoorlyIdentified() []string {
	var out []string
	for _, s := range r.Params {
		if s.PoorlyIdentified {
			out = append(out, s.Name)
		}
	}
	return out
}

// column returns parameter j's draws per chain on the sampler's scale.
func (r *Result) column(j int) [][]float64 {
	out := make([][]float64, len(r.chains))
	for c, ch := range r.chains {
		out[c] = make([]float64, len(ch))
		for i, x := range ch {
			out[c][i] = x[j]
			if r.log[j] {
				out[c][i] = detmath.Log(x[j])
			}
		}
	}
	return out
}

func (r *Result) summarise() {
	r.Params = make([]Summary, len(r.Names))
	for j, name := range r.Names {
		work := r.column(j)
		var nat []float64
		for _, ch := range r.chains {
			for _, x := range ch {
				nat = append(nat, x[j])
			}
		}
		m, v := meanVar(nat)
		sort.Float64s(nat)
		_, wv := meanVar(flatten(work))
		s := Summary{Name: name, Mean: m, SD: math.Sqrt(v),
			Q10: quantile(nat, 0.1), Q50: quantile(nat, 0.5), Q90: quantile(nat, 0.9),
			ESS: ESS(work), RHat: SplitRHat(work)}
		if r.PriorVar[j] > 0 {
			s.Contraction = 1 - wv/r.PriorVar[j]
		}
		s.PoorlyIdentified = s.Contraction < WeakContraction
		r.Params[j] = s
	}
}

func flatten(xs [][]float64) []float64 {
	var out []float64
	for _, x := range xs {
		out = append(out, x...)
	}
	return out
}

// meanVar returns the mean and the unbiased variance of xs.
func meanVar(xs []float64) (float64, float64) {
	n := float64(len(xs))
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= n
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	if n < 2 {
		return m, 0
	}
	return m, ss / (n - 1)
}

// quantile returns the p-quantile of sorted xs by linear interpolation
// between order statistics (Hyndman & Fan 1996 type 7).
func quantile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := p * float64(len(sorted)-1)
	i := int(h)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// WriteCSV writes the draws as posterior.csv: a header "chain" and the
// parameters' names, then one row per kept draw, chain after chain, values
// in the shortest form that reads back exactly.
func (r *Result) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("chain")
	for _, n := range r.Names {
		bw.WriteString("," + n)
	}
	bw.WriteString("\n")
	for c, ch := range r.chains {
		for _, x := range ch {
			bw.WriteString(strconv.Itoa(c))
			for _, v := range x {
				bw.WriteString("," + strconv.FormatFloat(v, 'g', -1, 64))
			}
			bw.WriteString("\n")
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("posterior: %w", err)
	}
	return nil
}

// num is a float64 that JSON writes as null when it is not finite (an
// R-hat of stuck chains is +Inf; JSON has no infinities).
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// MarshalJSON writes the summary with non-finite values as null.
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name             string `json:"name"`
		Mean             num    `json:"mean"`
		SD               num    `json:"sd"`
		Q10              num    `json:"q10"`
		Q50              num    `json:"q50"`
		Q90              num    `json:"q90"`
		ESS              num    `json:"ess"`
		RHat             num    `json:"rhat"`
		Contraction      num    `json:"contraction"`
		PoorlyIdentified bool   `json:"poorly_identified"`
	}{s.Name, num(s.Mean), num(s.SD), num(s.Q10), num(s.Q50), num(s.Q90), num(s.ESS), num(s.RHat), num(s.Contraction), s.PoorlyIdentified})
}

// MarshalJSON writes the check with non-finite values as null.
func (c Check) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name     string `json:"name"`
		Observed num    `json:"observed"`
		SD       num    `json:"sd"`
		Mean     num    `json:"mean"`
		Q10      num    `json:"q10"`
		Q90      num    `json:"q90"`
		PIT      num    `json:"pit"`
		Draws    int    `json:"draws"`
	}{c.Name, num(c.Observed), num(c.SD), num(c.Mean), num(c.Q10), num(c.Q90), num(c.PIT), c.Draws})
}
