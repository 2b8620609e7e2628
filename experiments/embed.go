package experiments

import (
	"bytes"
	"embed"
)

//go:embed default/default.toml default/fitted.toml default/posterior.csv
var defaultFS embed.FS

// DefaultPosteriorFile is the name of the default experiment's posterior
// sample, beside it (its [uncertainty] table names it).
const DefaultPosteriorFile = "posterior.csv"

// DefaultName is the display name of the embedded default experiment.
const DefaultName = "(default experiment)"

// Default returns the embedded default experiment: every built-in regime
// against history, 1,000 runs of 10,000 buyers, 2019-07 to 2032-12, report
// window 2026-01 to 2030-12, on the calibrated market, each pair of runs
// drawing its fitted parameters from the shipped posterior.
func Default() (*Experiment, error) {
	return load(defaultFS, "default/default.toml", DefaultName, "experiments/default", "default")
}

// DefaultTOML returns the text of the embedded default experiment, for
// users to copy and edit. It runs wherever it is saved with
// DefaultPosterior beside it (as DefaultPosteriorFile): the include of the
// calibrated market (fitted.toml) is replaced by that file's [market]
// table, so it loads to the same experiment (same hash) as Default.
func DefaultTOML() []byte {
	exp, fit := mustRead("default/default.toml"), mustRead("default/fitted.toml")
	const include = "include = \"fitted.toml\"\n"
	if !bytes.Contains(exp, []byte(include)) || !bytes.HasPrefix(bytes.TrimLeft(stripComments(fit), "\n"), []byte("[market]\n")) {
		// Not the shape expected (TestDefaultTOMLStandsAlone fails): the
		// text as it is.
		return exp
	}
	exp = bytes.Replace(exp, []byte(include), []byte("# The calibrated market (fitted.toml) is inlined in [market] below.\n"), 1)
	var b bytes.Buffer
	if own := bytes.Index(exp, []byte("\n[market]\n")); own >= 0 {
		// The experiment sets market keys of its own (others than the
		// fit's: TOML allows a key once): the fit's go at the top of its
		// [market] table, as if included.
		at := own + len("\n[market]\n")
		body := bytes.Replace(fit, []byte("[market]\n"), nil, 1)
		b.Write(exp[:at])
		b.Write(body)
		b.WriteString("# The experiment's own:\n")
		b.Write(exp[at:])
		return b.Bytes()
	}
	// The [market] table goes before the first table, after the top-level keys.
	at := bytes.Index(exp, []byte("\n[")) + 1
	if at == 0 {
		at = len(exp)
	}
	b.Write(exp[:at])
	b.Write(fit)
	b.WriteString("\n")
	b.Write(exp[at:])
	return b.Bytes()
}

// DefaultPosterior returns the default experiment's posterior sample, the
// text of its DefaultPosteriorFile.
func DefaultPosterior() []byte { return mustRead("default/" + DefaultPosteriorFile) }

func mustRead(name string) []byte {
	b, err := defaultFS.ReadFile(name)
	if err != nil {
		panic("experiments: embedded default missing: " + err.Error()) // a build error, not user input
	}
	return b
}

// stripComments drops the whole-line comments of a TOML text.
func stripComments(b []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("#")) {
			out = append(out, line...)
		}
	}
	return out
}
