package experiments

import (
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
)

// A regime factor varies a contract term of one regime: its path is
// "regime.<regime name>.<term>", where term is an amendment key holding a
// number or a month (cap_usd, share_to_microsoft, cap_end, licence_end,
// ...) or release_lag_months.<channel>. Each design point sets the term in
// every amendment of the regime that sets it, in the scenarios run under
// that regime (a regime based on it keeps its own copy of the terms).
// "regime.*.<term>" sets it, to one value, in every scenario's regime
// whose amendments set it: the cap's amount of history, amended-2026 and
// open-early-2025 drawn once per run, so the scenarios stay paired.
const regimePrefix = "regime."

// anyRegime is the regime name of a "regime.*.<term>" factor.
const anyRegime = "*"

// regimeTerm is a resolved regime factor's target.
type regimeTerm struct {
	regime  string
	field   int    // index of the market.Amendment field
	channel string // for release_lag_months
}

// isRegimeFactor reports whether a factor path names a regime term.
func isRegimeFactor(path string) bool { return strings.HasPrefix(path, regimePrefix) }

// regimeFactor resolves a regime factor's path: the regime must be one a
// scenario runs under, and the term one of its amendments sets.
func (e *Experiment) regimeFactor(path string, bad func(string, ...any) error) (*regimeTerm, dist.Kind, error) {
	rest := strings.TrimPrefix(path, regimePrefix)
	var names []string
	for _, sc := range e.Scenarios {
		if !slices.Contains(names, sc.Regime.Name) {
			names = append(names, sc.Regime.Name)
		}
	}
	// Regime names may hold dots; the longest name that prefixes rest wins.
	var reg *market.Regime
	for _, sc := range e.Scenarios {
		n := sc.Regime.Name
		if strings.HasPrefix(rest, n+".") && (reg == nil || len(n) > len(reg.Name)) {
			reg = sc.Regime
		}
	}
	name := anyRegime
	if reg != nil {
		name = reg.Name
	} else if !strings.HasPrefix(rest, anyRegime+".") {
		return nil, 0, bad(`want regime.<regime>.<term> with a regime a scenario runs under (%s), or regime.*.<term> for all of them`, strings.Join(names, ", "))
	}
	term := strings.TrimPrefix(rest, name+".")
	key, channel, _ := strings.Cut(term, ".")
	at := amendmentField(key)
	t := reflect.TypeOf(market.Amendment{})
	if at < 0 {
		return nil, 0, bad("%q is not a contract term holding a number or month%s", key, didYouMeanTerm(key))
	}
	ft := t.Field(at).Type
	kind := dist.Real
	if ft == reflect.TypeOf((*agents.Month)(nil)) {
		kind = dist.Month
	}
	if ft.Kind() == reflect.Map {
		if !slices.Contains(agents.ChannelNames[:], channel) {
			return nil, 0, bad("release_lag_months needs a channel: release_lag_months.<%s>", strings.Join(agents.ChannelNames[:], "|"))
		}
	} else if channel != "" {
		return nil, 0, bad("%q takes no sub-key %q", key, channel)
	}
	rt := &regimeTerm{regime: name, field: at, channel: channel}
	if reg != nil && !rt.setsAny(reg) {
		return nil, 0, bad("no amendment of regime %s sets %s: only a term the regime already sets can vary (coopsim regimes shows them)", reg.Name, term)
	}
	if reg == nil && !slices.ContainsFunc(e.Scenarios, func(sc Scenario) bool { return rt.setsAny(sc.Regime) }) {
		return nil, 0, bad("no scenario's regime sets %s: only a term a regime already sets can vary (coopsim regimes shows them)", term)
	}
	return rt, kind, nil
}

// setsAny reports whether an amendment of regime r sets the term.
func (rt *regimeTerm) setsAny(r *market.Regime) bool {
	for i := range r.Amendments {
		if rt.setIn(&r.Amendments[i]) {
			return true
		}
	}
	return false
}

// appliesTo reports whether the term is to be set in regime r: r is its
// regime, or it is a regime.*.<term> and r sets the term.
func (rt *regimeTerm) appliesTo(r *market.Regime) bool {
	if rt.regime == anyRegime {
		return rt.setsAny(r)
	}
	return rt.regime == r.Name
}

// overlap returns a regime of the experiment in which rt and o (one of
// them a regime.*.<term>) set the same term, where one would silently
// overwrite the other, or "" if there is none.
func (rt *regimeTerm) overlap(o *regimeTerm, e *Experiment) string {
	if rt.field != o.field || rt.channel != o.channel || (rt.regime != anyRegime && o.regime != anyRegime) {
		return ""
	}
	for _, sc := range e.Scenarios {
		if rt.appliesTo(sc.Regime) && o.appliesTo(sc.Regime) {
			return sc.Regime.Name
		}
	}
	return ""
}

// regimeTerms lists the amendment keys a regime factor may vary.
func regimeTerms() []string {
	var out []string
	t := reflect.TypeOf(market.Amendment{})
	for i := 0; i < t.NumField(); i++ {
		if termField(t.Field(i).Type) {
			k, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
			out = append(out, k)
		}
	}
	return out
}

func didYouMeanTerm(key string) string {
	if s := suggest.DidYouMean(key, regimeTerms()); s != "" {
		return s
	}
	return "; the terms are " + strings.Join(regimeTerms(), ", ")
}

// termField reports whether an amendment field's type holds a number or a
// month a factor can set.
func termField(ft reflect.Type) bool {
	return ft == reflect.TypeOf((*float64)(nil)) || ft == reflect.TypeOf((*agents.Month)(nil)) ||
		ft == reflect.TypeOf(map[string]float64(nil))
}

// amendmentField returns the index of the amendment field with toml key
// key, if a factor can set it, else -1.
func amendmentField(key string) int {
	t := reflect.TypeOf(market.Amendment{})
	for i := 0; i < t.NumField(); i++ {
		k, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
		if k == key && key != "month" && termField(t.Field(i).Type) {
			return i
		}
	}
	return -1
}

// setIn reports whether amendment a sets the term (without changing it).
func (rt *regimeTerm) setIn(a *market.Amendment) bool {
	f := reflect.ValueOf(a).Elem().Field(rt.field)
	if f.Kind() == reflect.Map {
		_, ok := a.ReleaseLag[rt.channel]
		return ok
	}
	return !f.IsNil()
}

// apply returns a copy of regime r with the term set to v in every
// amendment that sets it. r is not changed (built-in regimes are shared).
func (rt *regimeTerm) apply(r *market.Regime, v float64) *market.Regime {
	c := *r
	c.Amendments = slices.Clone(r.Amendments)
	for i := range c.Amendments {
		a := &c.Amendments[i]
		if !rt.setIn(a) {
			continue
		}
		f := reflect.ValueOf(a).Elem().Field(rt.field)
		switch {
		case f.Kind() == reflect.Map:
			m := make(map[string]float64, len(a.ReleaseLag))
			for k, x := range a.ReleaseLag {
				m[k] = x
			}
			m[rt.channel] = v
			a.ReleaseLag = m
		case f.Type().Elem() == reflect.TypeOf(agents.Month(0)):
			m := agents.Month(math.Round(v))
			f.Set(reflect.ValueOf(&m))
		default:
			x := v
			f.Set(reflect.ValueOf(&x))
		}
	}
	return &c
}

// applyRegimeFactors sets the regime factors' values in scenario sc (whose
// market is already set) and recompiles its regime if any applied.
func applyRegimeFactors(sc *Scenario, fs []Factor, vals []float64) error {
	changed := false
	for j, f := range fs {
		if f.term == nil || !f.term.appliesTo(sc.Regime) {
			continue
		}
		sc.Regime = f.term.apply(sc.Regime, vals[j])
		changed = true
	}
	if !changed {
		return nil
	}
	c, err := market.Compile(sc.Regime, sc.Market.Start, sc.Market.End)
	if err != nil {
		return err
	}
	sc.Compiled = c
	return nil
}
