package experiments

import (
	"embed"
)

//go:embed default/default.toml default/fitted.toml
var defaultFS embed.FS

// DefaultName is the display name of the embedded default experiment.
const DefaultName = "(default experiment)"

// Default returns the embedded default experiment: every built-in regime
// against history, 1,000 runs of 10,000 buyers, 2019-07 to 2032-12, report
// window 2026-01 to 2030-12, on the calibrated market.
func Default() (*Experiment, error) {
	return load(defaultFS, "default/default.toml", DefaultName, "experiments/default", "default")
}

// DefaultTOML returns the text of the embedded default experiment, for
// users to copy and edit.
func DefaultTOML() []byte {
	b, err := defaultFS.ReadFile("default/default.toml")
	if err != nil {
		panic("experiments: embedded default missing: " + err.Error()) // a build error, not user input
	}
	return b
}
