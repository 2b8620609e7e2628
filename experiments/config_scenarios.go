package experiments

import (
	"fmt"
	"slices"
	"strings"

	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
)

// scenarios builds the file's scenarios: each a regime and the base market
// with its own parameters set.
func (r *resolver) scenarios() error {
	if len(r.f.Scenarios) == 0 {
		return r.bad("scenario", "no scenarios: add at least one [[scenario]] with a name and a regime")
	}
	if n := len(r.f.Scenarios); n > maxScenarios {
		return r.bad("scenario", "%d scenarios, want at most %d", n, maxScenarios)
	}
	for i := range r.f.Scenarios {
		sf := &r.f.Scenarios[i]
		key := fmt.Sprintf("scenario[%d]", i)
		if err := r.scenarioName(sf.Name, key); err != nil {
			return err
		}
		names := r.regimeNames()
		if sf.Regime == "" {
			return r.bad(key+".regime", "missing: name a regime (%s)", strings.Join(names, ", "))
		}
		reg, ok := r.findRegime(sf.Regime)
		if !ok {
			return r.bad(key+".regime", "unknown regime %q%s (known: %s)", sf.Regime,
				suggest.DidYouMean(sf.Regime, names), strings.Join(names, ", "))
		}
		sc := Scenario{Name: sf.Name, Regime: reg, Market: cloneConfig(&r.e.Market)}
		ovs, err := flatten(sf.Set, "")
		if err != nil {
			return r.bad(key+".set", "%v", err)
		}
		for _, ov := range ovs {
			if err := setOverride(&sc.Market, ov); err != nil {
				return r.bad(key+".set."+ov.Path, "%s", detailOf(err))
			}
		}
		sc.Overrides = ovs
		r.add(sc)
	}
	return nil
}

// scenarioName checks a scenario's name.
func (r *resolver) scenarioName(name, key string) error {
	if name == "" {
		return r.bad(key+".name", "missing: name the scenario")
	}
	if err := r.checkLength(key+".name", name, maxNameLen); err != nil {
		return err
	}
	if strings.ContainsAny(name, ",\"") || strings.ContainsFunc(name, isControl) {
		return r.bad(key+".name", "%q: a scenario name may not contain commas, quotes, newlines or other control characters (it is a CSV field)", name)
	}
	if _, dup := r.byName[name]; dup {
		return r.bad(key+".name", "%q is used twice: scenario names must be unique", name)
	}
	return nil
}

// add appends a scenario.
func (r *resolver) add(sc Scenario) {
	r.byName[sc.Name] = len(r.e.Scenarios)
	r.e.Scenarios = append(r.e.Scenarios, sc)
}

// maxScenarios bounds the scenarios of an experiment, sweeps' grid points
// included, so that loading stays quick and small (each scenario holds its
// own market).
const maxScenarios = 10_000

// sweeps adds a scenario for each grid point of each sweep.
func (r *resolver) sweeps() error {
	for i := range r.f.Sweeps {
		sw := &r.f.Sweeps[i]
		key := fmt.Sprintf("sweep[%d]", i)
		bi, ok := r.byName[sw.Scenario]
		if !ok {
			return r.bad(key+".scenario", "unknown scenario %q (defined: %s)", sw.Scenario, strings.Join(scenarioNames(r.e.Scenarios), ", "))
		}
		axes, err := gridAxes(sw.Grid)
		if err != nil {
			return r.bad(key+".grid", "%s", msgOf(err))
		}
		points, room := 1, maxScenarios-len(r.e.Scenarios)
		for _, a := range axes {
			points *= len(a.values)
			if points > room {
				return r.bad(key+".grid", "more grid points than the %d scenarios an experiment may have in all (%d already)", maxScenarios, len(r.e.Scenarios))
			}
		}
		base := r.e.Scenarios[bi]
		for p := 0; p < points; p++ {
			if err := r.gridPoint(base, axes, p, key); err != nil {
				return err
			}
		}
	}
	return nil
}

// gridPoint adds the scenario of grid point p of a sweep over base.
func (r *resolver) gridPoint(base Scenario, axes []gridAxis, p int, key string) error {
	sc := Scenario{Regime: base.Regime, Market: cloneConfig(&base.Market)}
	sc.Overrides = slices.Clone(base.Overrides)
	pick := make([]int, len(axes)) // the point's value index per axis
	rem := p
	for ai := len(axes) - 1; ai >= 0; ai-- { // last axis varies fastest
		pick[ai] = rem % len(axes[ai].values)
		rem /= len(axes[ai].values)
	}
	var label []string
	for ai, a := range axes {
		v := a.values[pick[ai]]
		ov := Override{Path: a.path, Value: v}
		if err := setOverride(&sc.Market, ov); err != nil {
			return r.bad(key+".grid."+a.path, "%s", detailOf(err))
		}
		sc.Overrides = append(sc.Overrides, ov)
		label = append(label, a.path+"="+formatValue(v))
	}
	sc.Name = base.Name + "[" + strings.Join(label, ";") + "]"
	if _, dup := r.byName[sc.Name]; dup {
		return r.bad(key, "grid point %s duplicates an existing scenario", sc.Name)
	}
	r.add(sc)
	return nil
}

// baseline finds the scenario the others are compared with.
func (r *resolver) baseline() error {
	names := scenarioNames(r.e.Scenarios)
	if r.f.Baseline == "" {
		return r.bad("baseline", "missing: name the scenario the others are compared with (%s)", strings.Join(names, ", "))
	}
	bi, ok := r.byName[r.f.Baseline]
	if !ok {
		return r.bad("baseline", "unknown scenario %q%s (defined: %s)", r.f.Baseline,
			suggest.DidYouMean(r.f.Baseline, names), strings.Join(names, ", "))
	}
	r.e.Baseline = bi
	return nil
}

// compile validates every scenario's market and compiles its regime over
// the simulated months.
func (r *resolver) compile() error {
	e := r.e
	// Scenarios of one regime share its compiled terms (read only).
	compiled := map[*market.Regime]*market.Compiled{}
	for i := range e.Scenarios {
		sc := &e.Scenarios[i]
		sc.Market.Start, sc.Market.End = e.Market.Start, e.Market.End
		if err := sc.Market.Validate(); err != nil {
			return r.bad("scenario "+sc.Name, "%s", msgOf(err))
		}
		c, ok := compiled[sc.Regime]
		if !ok {
			var err error
			if c, err = market.Compile(sc.Regime, sc.Market.Start, sc.Market.End); err != nil {
				return r.bad("scenario "+sc.Name+" regime", "%s", msgOf(err))
			}
			compiled[sc.Regime] = c
		}
		sc.Compiled = c
	}
	return nil
}

func scenarioNames(s []Scenario) []string {
	names := make([]string, len(s))
	for i := range s {
		names[i] = s[i].Name
	}
	return names
}
