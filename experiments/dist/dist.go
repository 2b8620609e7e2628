package dist

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// Kind is the kind of value a parameter takes.
type Kind uint8

// The kinds of parameter value.
const (
	// Real parameters take any number.
	Real Kind = iota
	// Integer parameters take whole numbers; draws are rounded.
	Integer
	// Month parameters take months (agents.Month, as a number of months);
	// the TOML table writes them "YYYY-MM" and draws are rounded.
	Month
)

func (k Kind) String() string {
	switch k {
	case Integer:
		return "integer"
	case Month:
		return "month"
	}
	return "real"
}

// Dist is a validated distribution of one parameter. Its methods are safe
// for concurrent use. Build one with [Spec.Resolve].
type Dist struct {
	// Family is "uniform", "normal", "lognormal", "triangular" or "discrete".
	Family string
	// Kind is the kind of the parameter's values.
	Kind Kind

	lo, hi    float64 // bounds (uniform, triangular) or truncation (±Inf if none)
	mode      float64
	mu, sigma float64 // normal: mean, sd; lognormal: log(median), sdlog
	median    float64
	pLo, pHi  float64   // truncation's CDF values (0, 1 without)
	values    []float64 // discrete, sorted
	cum       []float64 // discrete, cumulative weights normalised to 1
}

// init validates the family's parameters and precomputes what Quantile
// needs. bad builds a *SpecError for the key.
func (d *Dist) init(s *Spec, kind Kind, bad func(string, ...any) error) error {
	truncated := !math.IsInf(d.lo, -1) || !math.IsInf(d.hi, 1)
	if truncated && d.lo >= d.hi {
		return bad("low = %s ≥ high = %s: want low < high (swap them if the range is reversed)", text(s.Low), text(s.High))
	}
	switch d.Family {
	case "uniform":
		// checked above: low < high
	case "triangular":
		if !(d.lo <= d.mode && d.mode <= d.hi) {
			return bad("mode = %s is outside [low, high] = [%s, %s]: want low ≤ mode ≤ high", text(s.Mode), text(s.Low), text(s.High))
		}
	case "normal":
		if !(d.sigma > 0) || !finite(d.sigma) {
			return bad("sd = %g: want a finite sd > 0", d.sigma)
		}
		return d.truncate(bad)
	case "lognormal":
		if !(d.sigma > 0) || !finite(d.sigma) {
			return bad("sdlog = %g: want a finite sdlog > 0 (the sd of log x)", d.sigma)
		}
		if !(d.median > 0) {
			return bad("median = %s: want median > 0 (a lognormal is positive)", text(s.Median))
		}
		if s.Low != nil && d.lo < 0 {
			return bad("low = %s: want low ≥ 0 (a lognormal is positive)", text(s.Low))
		}
		d.mu = detmath.Log(d.median)
		return d.truncate(bad)
	case "discrete":
		return d.initDiscrete(s, kind, bad)
	}
	return nil
}

func text(v *Value) string {
	if v == nil {
		return "(none)"
	}
	return v.text
}

// truncate sets the CDF values of the truncation bounds of a normal or
// lognormal, refusing bounds that leave (almost) no probability.
func (d *Dist) truncate(bad func(string, ...any) error) error {
	d.pLo, d.pHi = d.cdf(d.lo), d.cdf(d.hi)
	if d.pHi-d.pLo < 1e-9 {
		return bad("low and high leave no probability (less than 1e-9): move them toward the centre or widen sd")
	}
	return nil
}

// z returns x standardised on the normal (log) scale.
func (d *Dist) z(x float64) float64 {
	if d.Family == "lognormal" {
		if x <= 0 {
			return math.Inf(-1)
		}
		x = detmath.Log(x)
	}
	return (x - d.mu) / d.sigma
}

// cdf is the untruncated normal or lognormal CDF.
func (d *Dist) cdf(x float64) float64 { return 0.5 * math.Erfc(-d.z(x)/math.Sqrt2) }

func (d *Dist) initDiscrete(s *Spec, kind Kind, bad func(string, ...any) error) error {
	n := len(s.Values)
	if n == 0 {
		return bad("values is empty: give at least one value")
	}
	w := s.Weights
	if w != nil && len(w) != n {
		return bad("%d weights for %d values: give one weight per value, or none for equal weights", len(w), n)
	}
	type vw struct{ v, w float64 }
	pairs := make([]vw, n)
	total := 0.0
	for i := range s.Values {
		x, err := value(&s.Values[i], kind)
		if err != nil {
			return bad("values[%d] = %s: %v", i, s.Values[i].text, err)
		}
		pairs[i] = vw{x, 1}
		if w != nil {
			if !(w[i] >= 0) || !finite(w[i]) {
				return bad("weights[%d] = %g: want a finite weight ≥ 0", i, w[i])
			}
			pairs[i].w = w[i]
		}
		total += pairs[i].w
	}
	if !(total > 0) || !finite(total) {
		return bad("weights sum to %g: want a positive finite sum", total)
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].v < pairs[j].v })
	d.values, d.cum = make([]float64, n), make([]float64, n)
	c := 0.0
	for i, p := range pairs {
		c += p.w
		d.values[i], d.cum[i] = p.v, c/total
	}
	d.cum[n-1] = 1
	return nil
}

// Quantile returns the inverse CDF at u in (0, 1): the value below which a
// share u of draws fall. Integer and month values are rounded as the
// package doc says. u outside (0, 1) is clamped to the smallest or largest
// value the distribution can take (its support's ends, ±Inf for an
// untruncated normal).
func (d *Dist) Quantile(u float64) float64 {
	u = math.Min(1, math.Max(0, u))
	var x float64
	switch d.Family {
	case "uniform":
		if d.Kind != Real {
			n := d.hi - d.lo + 1
			return math.Min(d.hi, math.Floor(d.lo+u*n))
		}
		x = d.lo + u*(d.hi-d.lo)
	case "triangular":
		x = triangleQuantile(d.lo, d.mode, d.hi, u)
	case "normal", "lognormal":
		p := d.pLo + u*(d.pHi-d.pLo)
		x = d.mu + d.sigma*agents.NormalQuantile(p)
		if d.Family == "lognormal" {
			x = detmath.Exp(x)
		}
		x = math.Min(d.hi, math.Max(d.lo, x)) // rounding at the far ends only
	case "discrete":
		i := sort.SearchFloat64s(d.cum, u)
		return d.values[min(i, len(d.values)-1)]
	}
	if d.Kind != Real {
		x = math.Round(x)
	}
	return x
}

func triangleQuantile(a, c, b, u float64) float64 {
	f := (c - a) / (b - a)
	if u < f {
		return a + math.Sqrt(u*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-u)*(b-a)*(b-c))
}

// Draw returns the parameter's draw for the run whose stream is st: the
// quantile of the stream's uniform for (agents.PurposeUncertainty, id, 0).
// id is the parameter's [KeyID]. Draw allocates nothing.
func (d *Dist) Draw(st agents.Stream, id uint32) float64 {
	return d.Quantile(st.Float64(agents.PurposeUncertainty, id, 0))
}

// KeyID hashes a parameter's name (FNV-1a, 32 bits) into the id of its
// draws, so that a draw depends on the name, not on the parameter's place
// in a list.
func KeyID(name string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return h.Sum32()
}

// Mean returns the distribution's mean. For a discrete, and for a uniform
// over whole numbers, it is exact; for the other families on integer or
// month parameters it is the mean before rounding (rounding moves it by
// less than ½).
func (d *Dist) Mean() float64 { m, _ := d.moments(); return m }

// Var returns the distribution's variance, exact as Mean says; rounding to
// whole numbers adds about 1/12 to the continuous families' variance.
func (d *Dist) Var() float64 { _, v := d.moments(); return v }

func (d *Dist) moments() (mean, variance float64) {
	switch d.Family {
	case "uniform":
		n := d.hi - d.lo
		if d.Kind != Real {
			n++
			return (d.lo + d.hi) / 2, (n*n - 1) / 12
		}
		return (d.lo + d.hi) / 2, n * n / 12
	case "triangular":
		a, b, c := d.lo, d.hi, d.mode
		return (a + b + c) / 3, (a*a + b*b + c*c - a*b - a*c - b*c) / 18
	case "normal":
		return truncNormalMoments(d.mu, d.sigma, d.lo, d.hi)
	case "lognormal":
		m1, m2 := d.lognormalRaw(1), d.lognormalRaw(2)
		return m1, m2 - m1*m1
	}
	prev := 0.0
	for i, v := range d.values {
		p := d.cum[i] - prev
		prev = d.cum[i]
		mean += p * v
		variance += p * v * v
	}
	return mean, variance - mean*mean
}

// lognormalRaw returns E[X^k] of the (truncated) lognormal:
// exp(kμ + k²σ²/2)·[Φ(β−kσ) − Φ(α−kσ)]/Z with α, β the standardised log bounds.
func (d *Dist) lognormalRaw(k float64) float64 {
	a, b := d.z(d.lo), d.z(d.hi)
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	return detmath.Exp(k*d.mu+k*k*d.sigma*d.sigma/2) * (phi(b-k*d.sigma) - phi(a-k*d.sigma)) / (d.pHi - d.pLo)
}

// truncNormalMoments returns the mean and variance of a normal(mu, sigma)
// truncated to [lo, hi] (Johnson, Kotz & Balakrishnan 1994, ch. 13).
func truncNormalMoments(mu, sigma, lo, hi float64) (float64, float64) {
	a, b := (lo-mu)/sigma, (hi-mu)/sigma
	pdf := func(x float64) float64 {
		if math.IsInf(x, 0) {
			return 0
		}
		return detmath.Exp(-x*x/2) / math.Sqrt(2*math.Pi)
	}
	xpdf := func(x float64) float64 {
		if math.IsInf(x, 0) {
			return 0
		}
		return x * pdf(x)
	}
	z := 0.5*math.Erfc(-b/math.Sqrt2) - 0.5*math.Erfc(-a/math.Sqrt2)
	r := (pdf(a) - pdf(b)) / z
	return mu + sigma*r, sigma * sigma * (1 + (xpdf(a)-xpdf(b))/z - r*r)
}

// String describes the distribution in its TOML form's terms.
func (d *Dist) String() string {
	switch d.Family {
	case "uniform":
		return fmt.Sprintf("uniform[%g, %g]", d.lo, d.hi)
	case "triangular":
		return fmt.Sprintf("triangular[%g, %g, %g]", d.lo, d.mode, d.hi)
	case "normal":
		return fmt.Sprintf("normal(%g, %g)%s", d.mu, d.sigma, d.truncText())
	case "lognormal":
		return fmt.Sprintf("lognormal(median %g, sdlog %g)%s", d.median, d.sigma, d.truncText())
	}
	return fmt.Sprintf("discrete%v", d.values)
}

func (d *Dist) truncText() string {
	if math.IsInf(d.lo, -1) && math.IsInf(d.hi, 1) {
		return ""
	}
	return fmt.Sprintf(" on [%g, %g]", d.lo, d.hi)
}

// LogProb returns the log density at x (for a discrete, the log
// probability of the value x), −Inf outside the support. For integer and
// month parameters of a continuous family it is the density before
// rounding; a uniform over whole numbers gives each its log probability.
func (d *Dist) LogProb(x float64) float64 {
	if math.IsNaN(x) || x < d.lo || x > d.hi {
		return math.Inf(-1)
	}
	switch d.Family {
	case "uniform":
		if d.Kind != Real {
			if x != math.Trunc(x) {
				return math.Inf(-1)
			}
			return -detmath.Log(d.hi - d.lo + 1)
		}
		return -detmath.Log(d.hi - d.lo)
	case "triangular":
		a, b, c := d.lo, d.hi, d.mode
		switch {
		case x < c:
			return detmath.Log(2 * (x - a) / ((b - a) * (c - a)))
		case x > c:
			return detmath.Log(2 * (b - x) / ((b - a) * (b - c)))
		}
		return detmath.Log(2 / (b - a))
	case "normal", "lognormal":
		z := d.z(x)
		lp := -0.5*z*z - detmath.Log(d.sigma) - 0.5*detmath.Log(2*math.Pi) - detmath.Log(d.pHi-d.pLo)
		if d.Family == "lognormal" {
			if x <= 0 {
				return math.Inf(-1)
			}
			lp -= detmath.Log(x)
		}
		return lp
	}
	i := sort.SearchFloat64s(d.values, x)
	p := 0.0
	for ; i < len(d.values) && d.values[i] == x; i++ {
		if i == 0 {
			p += d.cum[0]
		} else {
			p += d.cum[i] - d.cum[i-1]
		}
	}
	return detmath.Log(p)
}
