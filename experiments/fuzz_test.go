package experiments

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzLoad loads and validates arbitrary experiment files. It must never
// panic, and every rejection is one line (the CLI prints it as the one-line
// reason of DESIGN.md's "Bad input") marked ErrInvalid. Seeds: every
// example experiment, the embedded default and every bad case of
// TestLoadErrors. Includes resolve in this package's directory, so
// reference.toml's include = "default/fitted.toml" is found.
//
//	go test ./experiments -run XXX -fuzz FuzzLoad -fuzztime 120s
func FuzzLoad(f *testing.F) {
	for _, p := range exampleFiles(f) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(DefaultTOML())
	for _, c := range badCases {
		f.Add([]byte(c.toml))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := LoadBytes(data, "fuzz.toml", ".")
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("rejection spans lines: %q", msg)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("rejection %q is not ErrInvalid", msg)
			}
			return
		}
		if len(e.Scenarios) == 0 || e.Baseline < 0 || e.Baseline >= len(e.Scenarios) || e.Hash == "" || e.Runs < 1 {
			t.Errorf("accepted an experiment with %d scenarios, baseline %d, runs %d, hash %q", len(e.Scenarios), e.Baseline, e.Runs, e.Hash)
		}
		for _, s := range e.Scenarios {
			if s.Compiled == nil || s.Regime == nil {
				t.Errorf("scenario %s not compiled", s.Name)
			}
		}
		if e.WindowStart < e.Market.Start || e.WindowEnd > e.Market.End || e.WindowEnd < e.WindowStart {
			t.Errorf("accepted window %s..%s outside %s..%s", e.WindowStart, e.WindowEnd, e.Market.Start, e.Market.End)
		}
	})
}
