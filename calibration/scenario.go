package calibration

import (
	"fmt"
	"strings"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/market"
)

// Scenario returns the market and the regime of scenario name of the
// experiment e (its baseline scenario when name is ""), to fit under:
// Fit(ctx, cfg, t, Options{Regime: r}, ...) calibrates the market of any
// experiment file under its regime, a built-in one or the file's own
// [[regime]].
func Scenario(e *experiments.Experiment, name string) (cfg market.Config, r *market.Regime, err error) {
	if name == "" {
		sc := &e.Scenarios[e.Baseline]
		return sc.Market, sc.Regime, nil
	}
	names := make([]string, len(e.Scenarios))
	for i := range e.Scenarios {
		if e.Scenarios[i].Name == name {
			return e.Scenarios[i].Market, e.Scenarios[i].Regime, nil
		}
		names[i] = e.Scenarios[i].Name
	}
	return market.Config{}, nil, fmt.Errorf("calibration: experiment %s has no scenario %q: its scenarios are %s", e.Name, name, strings.Join(names, ", "))
}
