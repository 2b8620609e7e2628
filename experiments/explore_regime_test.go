package experiments

import (
	"fmt"
	"strings"
	"testing"
)

// TestRegimeTermOverlap: a factor regime.*.<term> beside regime.<name>.<term>
// for a regime that sets the term is refused (one would silently overwrite
// the other), naming both; the same term in two regimes named apart, or a
// * term beside another term, is fine.
func TestRegimeTermOverlap(t *testing.T) {
	t.Parallel()
	const tail = "\n[sensitivity]\nmethod = \"morris\"\ntrajectories = 4\n[[sensitivity.output]]\nmetric = \"net_revenue/microsoft\"\nscenario = \"h\"\n"
	both := minimal + "[factors]\n\"regime.*.cap_usd\" = {low = 1e9, high = 2e9}\n\"regime.history.cap_usd\" = {low = 3e9, high = 4e9}\n" + tail
	_, err := LoadBytes([]byte(both), "f.toml", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), `factors."regime.history.cap_usd": sets the same term as "regime.*.cap_usd" in regime history`) {
		t.Errorf("regime.*.cap_usd beside regime.history.cap_usd: %v, want it refused naming both", err)
	}
	// The error points at the second key's line (the file's 11th).
	if want := strings.Count(minimal, "\n") + 3; !strings.Contains(err.Error(), fmt.Sprintf("f.toml:%d: ", want)) {
		t.Errorf("error %q, want it at line %d, the second factor's", err, want)
	}
	// In [uncertainty.market] too.
	unc := minimal + "[uncertainty.market]\n\"regime.*.cap_usd\" = {dist = \"uniform\", low = 1e9, high = 2e9}\n\"regime.history.cap_usd\" = {dist = \"uniform\", low = 3e9, high = 4e9}\n"
	if _, err := LoadBytes([]byte(unc), "u.toml", t.TempDir()); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("u.toml:%d: ", strings.Count(minimal, "\n")+3)) {
		t.Errorf("[uncertainty.market]: %v, want it at the second key's line", err)
	}
	apart := minimal + "[factors]\n\"regime.*.cap_usd\" = {low = 1e9, high = 2e9}\n\"regime.history.marketplace_fee\" = {low = 0.1, high = 0.3}\n" + tail
	if _, err := LoadBytes([]byte(apart), "f.toml", t.TempDir()); err != nil {
		t.Errorf("regime.*.cap_usd beside regime.history.marketplace_fee: %v, want it accepted", err)
	}
}
