package experiments

import (
	"strings"
	"testing"
)

// TestFactorRangeError: a factor whose range leaves what the market accepts
// is refused naming the key and its range, without a package prefix
// ("agents: ") inside the message.
func TestFactorRangeError(t *testing.T) {
	t.Parallel()
	text := minimal + "[factors]\n\"buyers.ramp_months\" = {low = 1, high = 1000}\n\n[sensitivity]\nmethod = \"morris\"\ntrajectories = 4\n[[sensitivity.output]]\nmetric = \"net_revenue/microsoft\"\nscenario = \"h\"\n"
	_, err := LoadBytes([]byte(text), "f.toml", t.TempDir())
	if err == nil {
		t.Fatal("no error for buyers.ramp_months up to 1000, want one naming its range 1 to 240")
	}
	msg := err.Error()
	if !strings.Contains(msg, "buyers.ramp_months = ") || !strings.Contains(msg, "want 1 to 240") || !strings.Contains(msg, "narrow the factors' ranges") {
		t.Errorf("error %q, want it to name buyers.ramp_months, its range 1 to 240 and the fix", msg)
	}
	if strings.Contains(msg, "agents:") || strings.Contains(msg, "market:") {
		t.Errorf("error %q has a package prefix inside", msg)
	}
}
