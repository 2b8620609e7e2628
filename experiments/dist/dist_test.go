package dist

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/coopsim/coopsim/agents"
)

func f(x float64) *float64 { return &x }

func mustResolve(t *testing.T, s Spec, kind Kind) *Dist {
	t.Helper()
	d, err := s.Resolve("test", kind)
	if err != nil {
		t.Fatalf("Resolve(%+v): %v", s, err)
	}
	return d
}

// quantiler is what gonum's distributions and ours share.
type quantiler interface{ Quantile(float64) float64 }

func TestQuantileMatchesGonum(t *testing.T) {
	cases := []struct {
		name string
		spec Spec
		ref  quantiler
	}{
		{"uniform", Spec{Dist: "uniform", Low: Num(-2), High: Num(5)}, distuv.Uniform{Min: -2, Max: 5}},
		{"normal", Spec{Dist: "normal", Mean: Num(3), SD: f(0.7)}, distuv.Normal{Mu: 3, Sigma: 0.7}},
		{"lognormal", Spec{Dist: "lognormal", Median: Num(38e9), SDLog: f(0.3)}, distuv.LogNormal{Mu: math.Log(38e9), Sigma: 0.3}},
		{"triangular", Spec{Dist: "triangular", Low: Num(20), Mode: Num(38), High: Num(50)}, distuv.NewTriangle(20, 50, 38, nil)},
		{"triangular at low", Spec{Dist: "triangular", Low: Num(0), Mode: Num(0), High: Num(1)}, distuv.NewTriangle(0, 1, 0, nil)},
	}
	for _, c := range cases {
		d := mustResolve(t, c.spec, Real)
		for u := 0.001; u < 1; u += 0.0137 {
			got, want := d.Quantile(u), c.ref.Quantile(u)
			if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: Quantile(%g) = %.12g, gonum %.12g", c.name, u, got, want)
			}
		}
	}
}

// A truncated normal's quantile is the normal's quantile of the CDF mapped
// into [Φ(low), Φ(high)]; its draws all lie in the bounds.
func TestTruncatedQuantile(t *testing.T) {
	d := mustResolve(t, Spec{Dist: "normal", Mean: Num(0.3), SD: f(0.2), Low: Num(0), High: Num(1)}, Real)
	ref := distuv.Normal{Mu: 0.3, Sigma: 0.2}
	pl, ph := ref.CDF(0), ref.CDF(1)
	for u := 0.0005; u < 1; u += 0.011 {
		got, want := d.Quantile(u), ref.Quantile(pl+u*(ph-pl))
		if math.Abs(got-want) > 1e-9 || got < 0 || got > 1 {
			t.Errorf("Quantile(%g) = %g, want %g in [0, 1]", u, got, want)
		}
	}
	ln := mustResolve(t, Spec{Dist: "lognormal", Median: Num(1), SDLog: f(1), High: Num(2)}, Real)
	lref := distuv.LogNormal{Mu: 0, Sigma: 1}
	for u := 0.0005; u < 1; u += 0.011 {
		if got, want := ln.Quantile(u), lref.Quantile(u*lref.CDF(2)); math.Abs(got-want) > 1e-9 {
			t.Errorf("lognormal Quantile(%g) = %g, want %g", u, got, want)
		}
	}
}

// Draws over runs have the distribution's mean and variance within 4
// standard errors: se(mean) = sd/√n, se(variance) = √((m4 − s⁴)/n) from
// the sample's fourth central moment.
func TestDrawMoments(t *testing.T) {
	const n = 40_000
	specs := map[string]Spec{
		"uniform":          {Dist: "uniform", Low: Num(1), High: Num(3)},
		"normal":           {Dist: "normal", Mean: Num(-1), SD: f(2)},
		"normal truncated": {Dist: "normal", Mean: Num(0.1), SD: f(0.2), Low: Num(0), High: Num(0.6)},
		"lognormal":        {Dist: "lognormal", Median: Num(2), SDLog: f(0.5)},
		"lognormal trunc":  {Dist: "lognormal", Median: Num(2), SDLog: f(0.8), Low: Num(1), High: Num(6)},
		"triangular":       {Dist: "triangular", Low: Num(0), Mode: Num(3), High: Num(4)},
		"discrete":         {Dist: "discrete", Values: []Value{*Num(3), *Num(1), *Num(2)}, Weights: []float64{1, 2, 5}},
		"integer uniform":  {Dist: "uniform", Low: Num(-2), High: Num(4)},
	}
	for name, s := range specs {
		kind := Real
		if strings.HasPrefix(name, "integer") {
			kind = Integer
		}
		d := mustResolve(t, s, kind)
		id := KeyID(name)
		xs := make([]float64, n)
		for r := range xs {
			xs[r] = d.Draw(agents.Key{Seed: 7, Run: uint64(r)}.Stream(), id)
		}
		m, v, m4 := sampleMoments(xs)
		if se := math.Sqrt(d.Var() / n); math.Abs(m-d.Mean()) > 4*se {
			t.Errorf("%s: mean %g, want %g ± 4×%g", name, m, d.Mean(), se)
		}
		if se := math.Sqrt((m4 - v*v) / n); math.Abs(v-d.Var()) > 4*se {
			t.Errorf("%s: variance %g, want %g ± 4×%g", name, v, d.Var(), se)
		}
	}
}

func sampleMoments(xs []float64) (mean, variance, m4 float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		d := (x - mean) * (x - mean)
		variance += d
		m4 += d * d
	}
	n := float64(len(xs))
	return mean, variance / (n - 1), m4 / n
}

// A uniform over months draws each month from low to high inclusive
// equally often (chi-square within its mean + 4 sd); a triangular over an
// integer rounds to whole numbers inside its range.
func TestMonthAndIntegerRounding(t *testing.T) {
	var s Spec
	if _, err := toml.Decode(`dist = "uniform"
low = "2027-01"
high = "2027-06"`, &s); err != nil {
		t.Fatal(err)
	}
	d := mustResolve(t, s, Month)
	lo := float64(agents.MonthOf(2027, 1))
	const n = 30_000
	counts := make([]float64, 6)
	for r := 0; r < n; r++ {
		x := d.Draw(agents.Key{Seed: 3, Run: uint64(r)}.Stream(), KeyID("m"))
		k := int(x - lo)
		if x != math.Trunc(x) || k < 0 || k >= 6 {
			t.Fatalf("draw %g is not a month in 2027-01..2027-06", x)
		}
		counts[k]++
	}
	chi := 0.0
	for _, c := range counts {
		e := n / 6.0
		chi += (c - e) * (c - e) / e
	}
	if lim := 5 + 4*math.Sqrt(10); chi > lim { // df 5: mean 5, sd √10
		t.Errorf("months chi-square %g > %g: counts %v", chi, lim, counts)
	}
	if d.Quantile(0) != lo || d.Quantile(1) != lo+5 {
		t.Errorf("ends %g, %g, want %g, %g", d.Quantile(0), d.Quantile(1), lo, lo+5)
	}
	tri := mustResolve(t, Spec{Dist: "triangular", Low: Num(1), Mode: Num(2), High: Num(9)}, Integer)
	for u := 0.0; u <= 1; u += 0.01 {
		x := tri.Quantile(u)
		if x != math.Round(x) || x < 1 || x > 9 {
			t.Fatalf("integer triangular Quantile(%g) = %g", u, x)
		}
	}
}

// A discrete's draws follow its weights (chi-square); a zero weight is
// never drawn.
func TestDiscreteWeights(t *testing.T) {
	d := mustResolve(t, Spec{Dist: "discrete", Values: []Value{*Num(10), *Num(20), *Num(30), *Num(40)}, Weights: []float64{1, 0, 3, 4}}, Integer)
	const n = 16_000
	counts := map[float64]float64{}
	for r := 0; r < n; r++ {
		counts[d.Draw(agents.Key{Seed: 11, Run: uint64(r)}.Stream(), 5)]++
	}
	if counts[20] != 0 {
		t.Errorf("a zero-weight value was drawn %g times", counts[20])
	}
	chi := 0.0
	for v, w := range map[float64]float64{10: 1, 30: 3, 40: 4} {
		e := n * w / 8
		chi += (counts[v] - e) * (counts[v] - e) / e
	}
	if lim := 2 + 4*2.0; chi > lim { // df 2: mean 2, sd 2
		t.Errorf("chi-square %g > %g: %v", chi, lim, counts)
	}
}

// Draws depend on the parameter's id and on the run, not only on one.
func TestDrawKeyed(t *testing.T) {
	d := mustResolve(t, Spec{Dist: "uniform", Low: Num(0), High: Num(1)}, Real)
	st := agents.Key{Seed: 1, Run: 2}.Stream()
	if d.Draw(st, KeyID("a")) == d.Draw(st, KeyID("b")) {
		t.Error("two parameters drew the same uniform")
	}
	if d.Draw(st, 9) == d.Draw(agents.Key{Seed: 1, Run: 3}.Stream(), 9) {
		t.Error("two runs drew the same uniform")
	}
	if d.Draw(st, 9) != d.Draw(agents.Key{Seed: 1, Run: 2}.Stream(), 9) {
		t.Error("the same key drew two values")
	}
}

func TestInvalidSpecsRefused(t *testing.T) {
	v := func(xs ...float64) []Value {
		out := make([]Value, len(xs))
		for i, x := range xs {
			out[i] = *Num(x)
		}
		return out
	}
	m := func(y, mo int) *Value { return MonthValue(agents.MonthOf(y, mo)) }
	cases := []struct {
		name string
		spec Spec
		kind Kind
		want string // a word the message must hold (the key it is about)
	}{
		{"unknown family", Spec{Dist: "gaussian", Mean: Num(0), SD: f(1)}, Real, "dist"},
		{"no family", Spec{Low: Num(0), High: Num(1)}, Real, "dist"},
		{"normal sd zero", Spec{Dist: "normal", Mean: Num(0), SD: f(0)}, Real, "sd"},
		{"normal sd negative", Spec{Dist: "normal", Mean: Num(0), SD: f(-1)}, Real, "sd"},
		{"normal sd NaN", Spec{Dist: "normal", Mean: Num(0), SD: f(math.NaN())}, Real, "sd"},
		{"normal no sd", Spec{Dist: "normal", Mean: Num(0)}, Real, "sd"},
		{"normal truncation reversed", Spec{Dist: "normal", Mean: Num(0), SD: f(1), Low: Num(2), High: Num(1)}, Real, "low"},
		{"normal truncation empty", Spec{Dist: "normal", Mean: Num(0), SD: f(1), Low: Num(50)}, Real, "low"},
		{"uniform low = high", Spec{Dist: "uniform", Low: Num(1), High: Num(1)}, Real, "low"},
		{"uniform low > high", Spec{Dist: "uniform", Low: Num(2), High: Num(1)}, Real, "low"},
		{"uniform no high", Spec{Dist: "uniform", Low: Num(2)}, Real, "high"},
		{"uniform with sd", Spec{Dist: "uniform", Low: Num(0), High: Num(1), SD: f(1)}, Real, "sd"},
		{"month range reversed", Spec{Dist: "uniform", Low: m(2028, 1), High: m(2027, 6)}, Month, "low"},
		{"month given a number", Spec{Dist: "uniform", Low: Num(3), High: Num(5)}, Month, "YYYY-MM"},
		{"number given a month", Spec{Dist: "uniform", Low: m(2027, 1), High: m(2027, 5)}, Real, "low"},
		{"month lognormal", Spec{Dist: "lognormal", Median: m(2027, 1), SDLog: f(1)}, Month, "lognormal"},
		{"integer fraction", Spec{Dist: "uniform", Low: Num(0.5), High: Num(3)}, Integer, "whole"},
		{"infinite low", Spec{Dist: "uniform", Low: Num(math.Inf(-1)), High: Num(3)}, Real, "low"},
		{"lognormal median zero", Spec{Dist: "lognormal", Median: Num(0), SDLog: f(1)}, Real, "median"},
		{"lognormal sdlog zero", Spec{Dist: "lognormal", Median: Num(1), SDLog: f(0)}, Real, "sdlog"},
		{"lognormal low negative", Spec{Dist: "lognormal", Median: Num(1), SDLog: f(1), Low: Num(-1)}, Real, "low"},
		{"triangular mode above", Spec{Dist: "triangular", Low: Num(0), Mode: Num(5), High: Num(4)}, Real, "mode"},
		{"triangular mode below", Spec{Dist: "triangular", Low: Num(0), Mode: Num(-1), High: Num(4)}, Real, "mode"},
		{"triangular reversed", Spec{Dist: "triangular", Low: Num(4), Mode: Num(2), High: Num(0)}, Real, "low"},
		{"discrete empty", Spec{Dist: "discrete", Values: []Value{}}, Real, "values"},
		{"discrete no values", Spec{Dist: "discrete"}, Real, "values"},
		{"discrete weights count", Spec{Dist: "discrete", Values: v(1, 2), Weights: []float64{1}}, Real, "weights"},
		{"discrete negative weight", Spec{Dist: "discrete", Values: v(1, 2), Weights: []float64{1, -1}}, Real, "weights"},
		{"discrete zero weights", Spec{Dist: "discrete", Values: v(1, 2), Weights: []float64{0, 0}}, Real, "weights"},
		{"discrete NaN weight", Spec{Dist: "discrete", Values: v(1, 2), Weights: []float64{1, math.NaN()}}, Real, "weights"},
		{"discrete Inf weight", Spec{Dist: "discrete", Values: v(1, 2), Weights: []float64{1, math.Inf(1)}}, Real, "weights"},
		{"discrete fraction for integer", Spec{Dist: "discrete", Values: v(1, 2.5)}, Integer, "values[1]"},
	}
	for _, c := range cases {
		d, err := c.spec.Resolve(`uncertainty.market."x.y"`, c.kind)
		var se *SpecError
		if !errors.As(err, &se) {
			t.Errorf("%s: got %v, %v; want a *SpecError", c.name, d, err)
			continue
		}
		msg := err.Error()
		if se.Key != `uncertainty.market."x.y"` || !strings.Contains(msg, `uncertainty.market."x.y"`) ||
			!strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: message %q should be one line naming the key and %q", c.name, msg, c.want)
		}
	}
}

// A TOML table of specs decodes, with unknown keys left for the caller's
// undecoded-key check, and resolves.
func TestDecodeTOML(t *testing.T) {
	var in struct {
		Params map[string]Spec `toml:"params"`
	}
	md, err := toml.Decode(`[params]
"regime.cap" = {dist = "triangular", low = 20e9, mode = 38e9, high = 50e9}
"unlock" = {dist = "normal", mean = "2030-01", sd = 6, low = "2028-01", high = "2032-12"}
"n" = {dist = "discrete", values = [1, 2, 3], weights = [1, 1, 2], colour = "red"}
`, &in)
	if err != nil {
		t.Fatal(err)
	}
	if und := md.Undecoded(); len(und) != 1 || und[0].String() != "params.n.colour" {
		t.Errorf("undecoded %v, want params.n.colour", und)
	}
	cap := mustResolve(t, in.Params["regime.cap"], Real)
	if got := cap.Quantile(0.5); !(got > 20e9 && got < 50e9) {
		t.Errorf("cap median %g", got)
	}
	un := mustResolve(t, in.Params["unlock"], Month)
	if got := agents.Month(un.Quantile(0.5)); got != agents.MonthOf(2030, 1) {
		t.Errorf("unlock median %s, want 2030-01", got)
	}
	var bad struct{ P Spec }
	for _, c := range []struct{ text, want string }{
		{`P = {dist = "uniform", low = true, high = 2}`, "true is neither a number nor a month YYYY-MM"},
		{`P = {dist = "uniform", low = [1], high = 2}`, "a list is neither a number nor a month YYYY-MM"},
	} {
		_, err := toml.Decode(c.text, &bad)
		// The message is in the user's words: no Go type name.
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "bool)") || strings.Contains(err.Error(), "[]interface") {
			t.Errorf("%s: error %v, want %q", c.text, err, c.want)
		}
	}
}

// LogProb matches gonum's LogProb, truncation renormalises, and the
// density is −Inf outside the support.
func TestLogProbMatchesGonum(t *testing.T) {
	type lp interface{ LogProb(float64) float64 }
	cases := []struct {
		spec Spec
		ref  lp
		xs   []float64
	}{
		{Spec{Dist: "uniform", Low: Num(-2), High: Num(5)}, distuv.Uniform{Min: -2, Max: 5}, []float64{-1.5, 0, 4.9}},
		{Spec{Dist: "normal", Mean: Num(3), SD: f(0.7)}, distuv.Normal{Mu: 3, Sigma: 0.7}, []float64{1, 3, 4.2}},
		{Spec{Dist: "lognormal", Median: Num(2), SDLog: f(0.3)}, distuv.LogNormal{Mu: math.Log(2), Sigma: 0.3}, []float64{0.5, 2, 3.3}},
		{Spec{Dist: "triangular", Low: Num(20), Mode: Num(38), High: Num(50)}, distuv.NewTriangle(20, 50, 38, nil), []float64{21, 38, 49}},
	}
	for _, c := range cases {
		d := mustResolve(t, c.spec, Real)
		for _, x := range c.xs {
			if got, want := d.LogProb(x), c.ref.LogProb(x); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s LogProb(%g) = %g, gonum %g", d, x, got, want)
			}
		}
	}
	tr := mustResolve(t, Spec{Dist: "normal", Mean: Num(0), SD: f(1), Low: Num(0)}, Real)
	if got, want := tr.LogProb(0.5), distuv.UnitNormal.LogProb(0.5)+math.Log(2); math.Abs(got-want) > 1e-12 {
		t.Errorf("half-normal LogProb %g, want %g", got, want)
	}
	if !math.IsInf(tr.LogProb(-0.1), -1) {
		t.Error("LogProb below the truncation is not -Inf")
	}
	disc := mustResolve(t, Spec{Dist: "discrete", Values: []Value{*Num(1), *Num(2), *Num(1)}, Weights: []float64{1, 2, 1}}, Real)
	if got := disc.LogProb(1); math.Abs(got-math.Log(0.5)) > 1e-12 {
		t.Errorf("discrete LogProb(1) = %g, want log 0.5", got)
	}
	if !math.IsInf(disc.LogProb(1.5), -1) {
		t.Error("discrete LogProb off its values is not -Inf")
	}
}
