package posterior

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/internal/jsondecode"
	"github.com/coopsim/coopsim/internal/words"
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

// CSVError is a posterior.csv that ReadCSV refuses: the line of the file
// (1 is the header) and what is wrong, with the fix.
type CSVError struct {
	Line int
	Msg  string
}

func (e *CSVError) Error() string { return fmt.Sprintf("posterior: line %d: %s", e.Line, e.Msg) }

// ReadCSV reads into r the draws WriteCSV wrote: a header "chain" and the
// parameters' names (r.Names, or where they are unset, as fit.json has
// them, the names of r.Params), then one row per kept draw, chain after
// chain, the chains numbered 0, 1, ... and each as long as the first.
// Values must be finite numbers. It sets the draws (Draws, Chains) and
// Names; on an error, a *CSVError, r is unchanged.
func (r *Result) ReadCSV(rd io.Reader) error {
	names := r.Names
	if len(names) == 0 {
		for _, s := range r.Params {
			names = append(names, s.Name)
		}
	}
	cr := csv.NewReader(rd)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return &CSVError{Line: 1, Msg: "the file is empty: want a header chain," + strings.Join(names, ",") + " and one row per draw"}
		}
		return csvError(err, 1)
	}
	if want := append([]string{"chain"}, names...); !slices.Equal(head, want) {
		return &CSVError{Line: 1, Msg: headerMismatch(head, want)}
	}
	chains, err := readRows(cr, names)
	if err != nil {
		return err
	}
	r.Names, r.chains = names, chains
	return nil
}

// headerMismatch says how header head differs from want: both whole
// where they are short, else the columns missing, those not wanted, or
// the first column out of order (a long header elided would hide where
// they differ).
func headerMismatch(head, want []string) string {
	h, w := strings.Join(head, ","), strings.Join(want, ",")
	if len(h) <= 80 && len(w) <= 80 {
		return fmt.Sprintf("the header is %q, want %q", h, w)
	}
	var missing, extra []string
	for _, c := range want {
		if !slices.Contains(head, c) {
			missing = append(missing, strconv.Quote(words.Elide(c, maxQuoted)))
		}
	}
	for _, c := range head {
		if !slices.Contains(want, c) {
			extra = append(extra, strconv.Quote(words.Elide(c, maxQuoted)))
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "it lacks "+words.List(missing, 5))
	}
	if len(extra) > 0 {
		parts = append(parts, "it has "+words.List(extra, 5)+" besides")
	}
	if len(parts) == 0 {
		for i := range want {
			if i >= len(head) || head[i] != want[i] {
				parts = append(parts, fmt.Sprintf("column %d is %q, want %q (the columns are chain, then the parameters in fit.json's order)", i+1, words.Elide(head[min(i, len(head)-1)], maxQuoted), words.Elide(want[i], maxQuoted)))
				break
			}
		}
	}
	return fmt.Sprintf("the header's %d columns are not chain and fit.json's %d parameters: %s", len(head), len(want)-1, strings.Join(parts, "; "))
}

// maxQuoted is the most characters of a posterior.csv cell that a
// message quotes (words.Elide cuts a longer one in the middle).
const maxQuoted = 80

// readRows reads posterior.csv's rows after the header, a value of each
// named parameter a row, into chains [chain][draw][param].
func readRows(cr *csv.Reader, names []string) ([][][]float64, error) {
	var chains [][][]float64
	line := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err, line+1)
		}
		line, _ = cr.FieldPos(0)
		c, err := strconv.Atoi(rec[0])
		switch {
		case err != nil || c < 0:
			return nil, &CSVError{Line: line, Msg: fmt.Sprintf("chain %q is not a chain number: want a whole number from 0 in the first column", words.Elide(rec[0], maxQuoted))}
		case c != len(chains)-1 && c != len(chains):
			return nil, &CSVError{Line: line, Msg: fmt.Sprintf("chain %d follows chain %d: want the chains 0, 1, ... one after another", c, len(chains)-1)}
		case c == len(chains):
			if c > 0 && len(chains[c-1]) != len(chains[0]) {
				return nil, &CSVError{Line: line, Msg: fmt.Sprintf("chain %d ends after %d draws, chain 0 has %d: want chains of equal length", c-1, len(chains[c-1]), len(chains[0]))}
			}
			chains = append(chains, nil)
		}
		x := make([]float64, len(names))
		for j := range x {
			v, err := strconv.ParseFloat(rec[j+1], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &CSVError{Line: line, Msg: fmt.Sprintf("column %s: %q is not a finite number: every draw needs one", names[j], words.Elide(rec[j+1], maxQuoted))}
			}
			x[j] = v
		}
		chains[c] = append(chains[c], x)
	}
	if len(chains) == 0 {
		return nil, &CSVError{Line: line, Msg: "no draws after the header: want one row per draw"}
	}
	if last := len(chains) - 1; len(chains[last]) != len(chains[0]) {
		return nil, &CSVError{Line: line, Msg: fmt.Sprintf("the file ends after %d draws of chain %d, chain 0 has %d: want chains of equal length (is it cut short?)", len(chains[last]), last, len(chains[0]))}
	}
	return chains, nil
}

// csvError words a CSV syntax error at line (where the reader does not
// know it better).
func csvError(err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return &CSVError{Line: pe.Line, Msg: "a different number of values from the header: want one value a column"}
		}
		return &CSVError{Line: pe.Line, Msg: fmt.Sprintf("not valid CSV (%v)", pe.Err)}
	}
	return &CSVError{Line: line, Msg: fmt.Sprintf("cannot be read: %v", err)}
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

// UnmarshalJSON reads null as NaN: MarshalJSON writes a value that is
// not finite as null, so a value read back is not finite where the one
// written was not (+Inf and NaN alike read back as NaN).
func (x *num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*x = num(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*x = num(f)
	return nil
}

// summaryJSON is Summary in fit.json: non-finite values are null.
type summaryJSON struct {
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
}

// MarshalJSON writes the summary with non-finite values as null.
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(summaryJSON{s.Name, num(s.Mean), num(s.SD), num(s.Q10), num(s.Q50), num(s.Q90), num(s.ESS), num(s.RHat), num(s.Contraction), s.PoorlyIdentified})
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN. Its errors
// are *jsondecode.Error values (a key it does not know is one), placed by
// the key path and offset in b, so that a reader decoding the whole file
// with jsondecode names the file's line and key path.
func (s *Summary) UnmarshalJSON(b []byte) error {
	var a summaryJSON
	if err := jsondecode.Decode(b, &a); err != nil {
		return err
	}
	*s = Summary{a.Name, float64(a.Mean), float64(a.SD), float64(a.Q10), float64(a.Q50), float64(a.Q90), float64(a.ESS), float64(a.RHat), float64(a.Contraction), a.PoorlyIdentified}
	return nil
}

// checkJSON is Check in fit.json: non-finite values are null.
type checkJSON struct {
	Name     string `json:"name"`
	Observed num    `json:"observed"`
	SD       num    `json:"sd"`
	Mean     num    `json:"mean"`
	Q10      num    `json:"q10"`
	Q90      num    `json:"q90"`
	PIT      num    `json:"pit"`
	Draws    int    `json:"draws"`
}

// MarshalJSON writes the check with non-finite values as null.
func (c Check) MarshalJSON() ([]byte, error) {
	return json.Marshal(checkJSON{c.Name, num(c.Observed), num(c.SD), num(c.Mean), num(c.Q10), num(c.Q90), num(c.PIT), c.Draws})
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN, its errors
// as Summary's.
func (c *Check) UnmarshalJSON(b []byte) error {
	var a checkJSON
	if err := jsondecode.Decode(b, &a); err != nil {
		return err
	}
	*c = Check{a.Name, float64(a.Observed), float64(a.SD), float64(a.Mean), float64(a.Q10), float64(a.Q90), float64(a.PIT), a.Draws}
	return nil
}
