package dist

import (
	"fmt"
	"math"
	"strings"

	"github.com/coopsim/coopsim/agents"
)

// Value is a number or a "YYYY-MM" month in a distribution's TOML table.
type Value struct {
	num   float64
	month bool
	text  string
}

// UnmarshalTOML reads a number (integer or float) or a "YYYY-MM" string.
func (v *Value) UnmarshalTOML(x any) error {
	switch t := x.(type) {
	case int64:
		*v = Value{num: float64(t), text: fmt.Sprint(t)}
	case float64:
		*v = Value{num: t, text: fmt.Sprint(t)}
	case string:
		m, err := agents.ParseMonth(t)
		if err != nil {
			return fmt.Errorf("%q is neither a number nor a month YYYY-MM", t)
		}
		*v = Value{num: float64(m), month: true, text: t}
	default:
		return fmt.Errorf("%s is neither a number nor a month YYYY-MM", agents.FormatValue(x))
	}
	return nil
}

// Num returns a plain number as a Value (for specs built in Go).
func Num(x float64) *Value { return &Value{num: x, text: fmt.Sprint(x)} }

// MonthValue returns a month as a Value (for specs built in Go).
func MonthValue(m agents.Month) *Value {
	return &Value{num: float64(m), month: true, text: m.String()}
}

// Spec is a distribution as written in TOML (see the package doc). Unset
// fields are nil. Resolve validates it and returns the [Dist].
type Spec struct {
	Dist    string    `toml:"dist"`
	Low     *Value    `toml:"low"`
	High    *Value    `toml:"high"`
	Mode    *Value    `toml:"mode"`
	Mean    *Value    `toml:"mean"`
	SD      *float64  `toml:"sd"`
	Median  *Value    `toml:"median"`
	SDLog   *float64  `toml:"sdlog"`
	Values  []Value   `toml:"values"`
	Weights []float64 `toml:"weights"`
}

// Families lists the distribution families, in the order the doc gives them.
var Families = []string{"uniform", "normal", "lognormal", "triangular", "discrete"}

// fields lists, per family, the keys it needs and those it may have.
var fields = map[string]struct{ need, may []string }{
	"uniform":    {need: []string{"low", "high"}},
	"normal":     {need: []string{"mean", "sd"}, may: []string{"low", "high"}},
	"lognormal":  {need: []string{"median", "sdlog"}, may: []string{"low", "high"}},
	"triangular": {need: []string{"low", "mode", "high"}},
	"discrete":   {need: []string{"values"}, may: []string{"weights"}},
}

// SpecError is an invalid distribution: the key it was given under and
// what is wrong with it, including the fix, in one line.
type SpecError struct {
	Key string
	Msg string
}

func (e *SpecError) Error() string { return "dist: " + e.Key + ": " + e.Msg }

// present returns the keys set in s.
func (s *Spec) present() map[string]bool {
	return map[string]bool{"low": s.Low != nil, "high": s.High != nil, "mode": s.Mode != nil,
		"mean": s.Mean != nil, "sd": s.SD != nil, "median": s.Median != nil, "sdlog": s.SDLog != nil,
		"values": s.Values != nil, "weights": s.Weights != nil}
}

// Resolve validates the spec for a parameter of the given kind and returns
// its distribution. key names the parameter in errors (e.g.
// `uncertainty.market."regime.cap"`); every error is a *SpecError.
func (s *Spec) Resolve(key string, kind Kind) (*Dist, error) {
	bad := func(format string, a ...any) error {
		return &SpecError{Key: key, Msg: fmt.Sprintf(format, a...)}
	}
	f, ok := fields[s.Dist]
	if !ok {
		return nil, bad("dist = %q: want one of %s", s.Dist, strings.Join(Families, ", "))
	}
	have := s.present()
	allowed := map[string]bool{}
	for _, k := range append(append([]string(nil), f.need...), f.may...) {
		allowed[k] = true
	}
	for _, k := range f.need {
		if !have[k] {
			return nil, bad("a %s needs %s (have %s)", s.Dist, strings.Join(f.need, ", "), listSet(have))
		}
	}
	for _, k := range []string{"low", "high", "mode", "mean", "sd", "median", "sdlog", "values", "weights"} {
		if have[k] && !allowed[k] {
			return nil, bad("a %s takes no %s; give %s", s.Dist, k, strings.Join(append(append([]string(nil), f.need...), f.may...), ", "))
		}
	}
	if kind == Month && s.Dist == "lognormal" {
		return nil, bad(`a month cannot be lognormal; use a uniform, normal, triangular or discrete over "YYYY-MM" months`)
	}
	d := &Dist{Family: s.Dist, Kind: kind, lo: math.Inf(-1), hi: math.Inf(1)}
	for _, nv := range []struct {
		name string
		v    *Value
		dst  *float64
	}{{"low", s.Low, &d.lo}, {"high", s.High, &d.hi}, {"mode", s.Mode, &d.mode}, {"mean", s.Mean, &d.mu}, {"median", s.Median, &d.median}} {
		if nv.v == nil {
			continue
		}
		x, err := value(nv.v, kind)
		if err != nil {
			return nil, bad("%s = %s: %v", nv.name, nv.v.text, err)
		}
		*nv.dst = x
	}
	if s.SD != nil {
		d.sigma = *s.SD
	}
	if s.SDLog != nil {
		d.sigma = *s.SDLog
	}
	if err := d.init(s, kind, bad); err != nil {
		return nil, err
	}
	return d, nil
}

// value converts v for a parameter of kind, refusing a month where a
// number is wanted and the reverse, and a fraction for an integer.
func value(v *Value, kind Kind) (float64, error) {
	switch {
	case kind == Month && !v.month:
		return 0, fmt.Errorf(`the parameter is a month: write it as "YYYY-MM"`)
	case kind != Month && v.month:
		return 0, fmt.Errorf("the parameter is a number, not a month: write a number")
	case !finite(v.num):
		return 0, fmt.Errorf("want a finite number")
	case kind == Integer && v.num != math.Trunc(v.num):
		return 0, fmt.Errorf("the parameter is a whole number: write one")
	}
	return v.num, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func listSet(have map[string]bool) string {
	var out []string
	for _, k := range []string{"low", "high", "mode", "mean", "sd", "median", "sdlog", "values", "weights"} {
		if have[k] {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
