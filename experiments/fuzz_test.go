package experiments

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzLoad loads and validates arbitrary experiment files. It must never
// panic, and every rejection is one short line (at most maxErrorLen
// characters: the CLI prints it as the reason a bad file is refused)
// marked ErrInvalid. Seeds: every example experiment, the embedded
// default, every bad case of TestLoadErrors, the deeply nested files of
// TestDeepNestingRefused and includeSeeds. Includes resolve in this
// package's directory, so reference.toml's include =
// "default/fitted.toml" is found.
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
	for _, c := range deepCases {
		f.Add([]byte(c.toml))
	}
	for _, s := range includeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := LoadBytes(data, "fuzz.toml", ".")
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("rejection spans lines: %q", msg)
			}
			if n := len([]rune(msg)); n > maxErrorLen {
				t.Errorf("rejection is %d characters, want at most %d: %.200q", n, maxErrorLen, msg)
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

// includeSeeds include files of this package's directory in ways that
// must be refused: a file that is not an include (an experiment), a
// directory, the same file twice over, a path with odd characters.
var includeSeeds = []string{
	top(`include = "reference.toml"`),
	top(`include = "default"`),
	top(`include = ["default/fitted.toml", "default/default.toml"]`),
	top(`include = "default/fitted.toml\u0000"`),
	top(`include = ["default/fitted.toml", 3]`),
	top(`include = { a = "default/fitted.toml" }`),
}
