package calibration

import (
	"fmt"
	"strings"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
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
	shown := names
	if len(shown) > maxNamesShown {
		shown = append(shown[:maxNamesShown:maxNamesShown], fmt.Sprintf("… (%d in all)", len(names)))
	}
	return market.Config{}, nil, fmt.Errorf("%s: no scenario %q%s: its scenarios are %s", e.Source, name, suggest.DidYouMean(name, names), strings.Join(shown, ", "))
}

// maxNamesShown bounds the scenario names an error lists (a sweep can make
// thousands), so that the message stays within a few lines.
const maxNamesShown = 10
