package design

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/experiments/dist"
)

// Quantiler is a distribution's inverse CDF: Quantile(p) is the value
// below which a fraction p of the mass lies, for p in (0, 1).
type Quantiler interface {
	Quantile(p float64) float64
}

// Factor is one input a design varies: a name, and either a range
// [Low, High] (uniform) or a distribution (Dist, which then overrides the
// range). Integer and month factors take whole values.
type Factor struct {
	Name      string
	Low, High float64
	Dist      Quantiler
	Kind      dist.Kind
}

// Validate reports a factor that cannot be sampled: no name, a non-finite,
// empty or reversed range, or whole-valued bounds that are not whole.
func (f Factor) Validate() error {
	if f.Name == "" {
		return &ParamError{Param: "name", Value: `""`, Want: "a factor name"}
	}
	if f.Dist != nil {
		return nil
	}
	bad := func(want string) error {
		return &ParamError{Param: f.Name, Value: fmt.Sprintf("[%g, %g]", f.Low, f.High), Want: want}
	}
	switch {
	case math.IsNaN(f.Low) || math.IsNaN(f.High) || math.IsInf(f.Low, 0) || math.IsInf(f.High, 0):
		return bad("a finite range")
	case f.Low > f.High:
		return bad("low below high (the range is reversed)")
	case f.Low == f.High:
		return bad("low below high (the range is empty)")
	case f.Kind != dist.Real && (f.Low != math.Trunc(f.Low) || f.High != math.Trunc(f.High)):
		return bad("whole-number bounds for a " + f.Kind.String() + " factor")
	}
	return nil
}

// Value maps a unit coordinate u in [0, 1] to the factor's value. A range
// maps linearly (u = 0 gives Low, u = 1 gives High); a distribution maps u
// through its quantile function, so u must then lie strictly inside
// (0, 1). A whole-valued factor over a range gives each of its
// High − Low + 1 values an equal share of [0, 1] (u = 1 gives High); one
// with a distribution rounds the quantile to the nearest whole number,
// halves away from zero. Either way the same u always gives the same value.
func (f Factor) Value(u float64) float64 {
	if f.Dist != nil {
		v := f.Dist.Quantile(u)
		if f.Kind != dist.Real {
			v = math.Round(v)
		}
		return v
	}
	if f.Kind == dist.Real {
		return f.Low + u*(f.High-f.Low)
	}
	span := f.High - f.Low
	return f.Low + min(math.Floor(u*(span+1)), span)
}

// ValidateFactors validates each factor and refuses duplicate names.
func ValidateFactors(fs []Factor) error {
	if len(fs) == 0 {
		return &ParamError{Param: "factors", Value: "none", Want: "at least one factor"}
	}
	seen := make(map[string]bool, len(fs))
	for _, f := range fs {
		if err := f.Validate(); err != nil {
			return err
		}
		if seen[f.Name] {
			return &ParamError{Param: f.Name, Value: "given twice", Want: "each factor once"}
		}
		seen[f.Name] = true
	}
	return nil
}

// ParamError reports a design parameter or factor that cannot be used:
// which one, the value given, and what is wanted. Callers that know the
// file key read it with errors.As.
type ParamError struct {
	Param string
	Value string
	Want  string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("design: %s = %s: want %s", e.Param, e.Value, e.Want)
}
