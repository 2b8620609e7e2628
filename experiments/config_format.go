package experiments

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
)

// fileFormat is the TOML layout. Unknown keys are errors.
type fileFormat struct {
	Name      string           `toml:"name"`
	Include   any              `toml:"include"`
	Seed      *int64           `toml:"seed"`
	Runs      *int64           `toml:"runs"`
	Precision *float64         `toml:"precision"`
	MaxRuns   *int64           `toml:"max_runs"`
	Batch     *int64           `toml:"batch"`
	Workers   *int64           `toml:"workers"`
	Start     *string          `toml:"start"`
	End       *string          `toml:"end"`
	Baseline  string           `toml:"baseline"`
	Report    reportFormat     `toml:"report"`
	Output    outFormat        `toml:"output"`
	Market    map[string]any   `toml:"market"`
	Regimes   []regimeFormat   `toml:"regime"`
	Scenarios []scenarioFormat `toml:"scenario"`
	Sweeps    []sweepFormat    `toml:"sweep"`
	// Meta is free-form: notes a researcher keeps with the experiment.
	Meta map[string]any `toml:"meta"`
	// Factors, Sensitivity and Discover are read, and checked whenever a
	// file has them, by explore_config.go.
	Factors     map[string]any `toml:"factors"`
	Sensitivity map[string]any `toml:"sensitivity"`
	Discover    map[string]any `toml:"discover"`
	// Uncertainty is read by config_uncertainty.go.
	Uncertainty *uncertaintyFormat `toml:"uncertainty"`
}

type reportFormat struct {
	WindowStart  string   `toml:"window_start"`
	WindowEnd    string   `toml:"window_end"`
	AnnualizedAt []string `toml:"annualized_at"`
}

type regimeFormat struct {
	Name        string             `toml:"name"`
	BasedOn     string             `toml:"based_on"`
	Description string             `toml:"description"`
	Amendments  []market.Amendment `toml:"amendment"`
}

type scenarioFormat struct {
	Name   string         `toml:"name"`
	Regime string         `toml:"regime"`
	Set    map[string]any `toml:"set"`
}

type sweepFormat struct {
	Scenario string         `toml:"scenario"`
	Grid     map[string]any `toml:"grid"`
}

// includeFormat is what an included file may hold.
type includeFormat struct {
	Market map[string]any `toml:"market"`
	// Include is decoded only to say that includes do not nest.
	Include any `toml:"include"`
}

// knownKeys lists the keys allowed at each level, for "did you mean",
// read from the formats' toml tags so that they cannot drift apart.
var knownKeys = map[string][]string{
	"":                 tomlKeys(fileFormat{}),
	"report":           tomlKeys(reportFormat{}),
	"output":           tomlKeys(outFormat{}),
	"regime":           tomlKeys(regimeFormat{}),
	"regime.amendment": tomlKeys(market.Amendment{}),
	"scenario":         tomlKeys(scenarioFormat{}),
	"sweep":            tomlKeys(sweepFormat{}),
	"uncertainty":      tomlKeys(uncertaintyFormat{}),
}

// tomlKeys returns the toml keys of a struct's fields.
func tomlKeys(v any) []string {
	t := reflect.TypeOf(v)
	keys := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// unknownKeys reports the first key the decoder did not use.
func unknownKeys(file string, keys []toml.Key) error {
	for _, k := range keys {
		path := []string(k)
		// Free-form tables (parameter paths, notes) are checked when applied.
		if freeForm(path) {
			continue
		}
		last := path[len(path)-1]
		if len(path) == 2 { // a key of a top-level table
			if hint := misplacedTopLevel(last, path[0]); hint != "" {
				return &Error{File: file, Key: k.String(), Msg: "unknown key" + hint}
			}
		}
		if len(path) == 4 && path[0] == "uncertainty" && path[1] == "market" { // a distribution's
			known := tomlKeys(dist.Spec{})
			params := slices.DeleteFunc(slices.Clone(known), func(k string) bool { return k == "dist" })
			return &Error{File: file, Key: k.String(), Msg: "unknown key" + suggest.DidYouMean(last, known) +
				fmt.Sprintf("; a distribution takes dist (%s) and its parameters among %s", strings.Join(dist.Families, ", "), strings.Join(params, ", "))}
		}
		level := "" // the table the key is in: its known keys
		if len(path) > 1 {
			level = strings.Join(path[:len(path)-1], ".")
		}
		known := knownKeys[level]
		return &Error{File: file, Key: k.String(), // quoted where a part needs it
			Msg: "unknown key" + suggest.DidYouMean(last, known) + "; see experiments/reference.toml for the format"}
	}
	return nil
}

// freeForm reports whether a key lies in a table whose keys are parameter
// paths or free text rather than fixed names.
func freeForm(path []string) bool {
	switch {
	case len(path) > 1 && (path[0] == "market" || path[0] == "meta"):
		return true
	case len(path) > 1 && path[0] == "include": // refused as a table when read
		return true
	case len(path) > 1 && exploreTable(path[0]):
		return true // checked by explore_config.go
	case len(path) > 2 && path[0] == "scenario" && path[1] == "set":
		return true
	case len(path) > 2 && path[0] == "sweep" && path[1] == "grid":
		return true
	case len(path) > 3 && path[0] == "regime" && path[1] == "amendment" && path[2] == "release_lag_months":
		return true
	}
	return false
}
