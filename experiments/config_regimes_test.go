package experiments

import (
	"strings"
	"testing"
)

// TestRegimeForwardReference: a regime may be based on one defined below
// it in the file; it gets its base's amendments, then its own.
func TestRegimeForwardReference(t *testing.T) {
	t.Parallel()
	text := strings.Replace(minimal, `regime = "history"`, `regime = "a"`, 1) + `
[[regime]]
name = "a"
based_on = "b"
[[regime.amendment]]
month = "2027-01"
cap_usd = 2e9

[[regime]]
name = "b"
based_on = "history"
[[regime.amendment]]
month = "2026-01"
cap_usd = 1e9
`
	e, err := LoadBytes([]byte(text), "fwd.toml", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	reg := e.Scenarios[0].Regime
	if reg.Name != "a" {
		t.Fatalf("scenario's regime %q, want a", reg.Name)
	}
	// The file's own amendments are the ones without a note.
	var caps []float64
	for _, a := range reg.Amendments {
		if a.Note == "" && a.CapUSD != nil {
			caps = append(caps, *a.CapUSD)
		}
	}
	if len(caps) != 2 || caps[0] != 1e9 || caps[1] != 2e9 {
		t.Errorf("regime a's own caps %v, want b's 1e9 then a's 2e9", caps)
	}
}

// TestRegimeCycle: a chain of based_on that comes back is refused, naming
// the chain; a regime based on itself too.
func TestRegimeCycle(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ regimes, want string }{
		{"[[regime]]\nname = \"a\"\nbased_on = \"b\"\n[[regime]]\nname = \"b\"\nbased_on = \"a\"\n", "regime[0].based_on: regime cycle: a → b → a"},
		{"[[regime]]\nname = \"c\"\nbased_on = \"history\"\n[[regime]]\nname = \"a\"\nbased_on = \"a\"\n", "regime[1].based_on: regime cycle: a → a"},
		{"[[regime]]\nname = \"x\"\nbased_on = \"a\"\n[[regime]]\nname = \"a\"\nbased_on = \"b\"\n[[regime]]\nname = \"b\"\nbased_on = \"a\"\n", "regime cycle: a → b → a"},
	} {
		_, err := LoadBytes([]byte(minimal+c.regimes), "cyc.toml", t.TempDir())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
