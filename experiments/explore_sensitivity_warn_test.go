package experiments

import (
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/design"
)

// TestScrambleFixWithinMaxBaseSize: the Sobol warning never advises a
// base_size above design.MaxBaseSize. With so many scrambles that 32 rows
// each would pass it, it advises fewer scrambles: the base size's own
// share, or the most base_size takes with its share.
func TestScrambleFixWithinMaxBaseSize(t *testing.T) {
	for _, c := range []struct {
		base, scrambles int
		want            string
	}{
		{8, 2, "raise base_size to 64"},
		{128, 8, "raise base_size to 256, or lower scrambles to 4"},
		{1 << 22, 1 << 20, "lower scrambles to 131072, or to 524288 with base_size 16777216 (the most it takes; 1048576 scrambles would need 33554432)"},
		{design.MaxBaseSize, design.MaxBaseSize / 2, "lower scrambles to 524288, or to 524288 with base_size 16777216"},
	} {
		s := &SensitivitySpec{Method: "sobol", BaseSize: c.base, Scrambles: c.scrambles}
		if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0], c.want) {
			t.Errorf("base_size %d in %d scrambles: warnings %q, want one saying %q", c.base, c.scrambles, w, c.want)
		}
	}
	// Every design CheckSaltelli takes with under 32 rows a scramble.
	for scr := design.MinScrambles; scr <= design.MaxBaseSize/2; scr *= 2 {
		for base := 2 * scr; base < minScrambleRows*scr && base <= design.MaxBaseSize; base *= 2 {
			w := (&SensitivitySpec{Method: "sobol", BaseSize: base, Scrambles: scr}).Warnings()
			if len(w) != 1 {
				t.Fatalf("base_size %d in %d scrambles: warnings %q, want one", base, scr, w)
			}
			if raise := strings.Contains(w[0], "raise base_size"); raise != (minScrambleRows*scr <= design.MaxBaseSize) {
				t.Errorf("base_size %d in %d scrambles: %q: advises raising base_size %v, want it only up to %d", base, scr, w[0], raise, design.MaxBaseSize)
			}
		}
	}
}
