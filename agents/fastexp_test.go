package agents

import (
	"math"
	"testing"
)

// TestExp compares with math.Exp over [-708, 709]: the relative
// error stays within 4 units of 2^-53 (table entry, polynomial and three
// products each round once).
func TestExp(t *testing.T) {
	worst := 0.0
	check := func(x float64) {
		got, want := Exp(x), math.Exp(x)
		rel := math.Abs(got-want) / want
		if rel > worst {
			worst = rel
		}
		if rel > 4*0x1p-53 {
			t.Fatalf("Exp(%v) = %v, math.Exp = %v, relative error %g", x, got, want, rel)
		}
	}
	for x := 709.0; x > -708; x -= 0.000731 {
		check(x)
	}
	for _, x := range []float64{0, -0.0, -1e-300, 1e-300, -math.Ln2 / 128, -math.Ln2, math.Ln2, -707.9, 708.9} {
		check(x)
	}
	if got := Exp(-709); got != 0 {
		t.Errorf("Exp(-709) = %v, want 0", got)
	}
	if got := Exp(710); !math.IsInf(got, 1) {
		t.Errorf("Exp(710) = %v, want +Inf", got)
	}
	t.Logf("worst relative error %.3g (2^-53 = %.3g)", worst, 0x1p-53)
}
