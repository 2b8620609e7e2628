package suggest

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3}, // the textbook example
		{"runs", "runz", 1},
		{"runs", "rnus", 2}, // a swap is two edits
		{"history", "history", 0},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	known := []string{"runs", "seed", "max_runs", "baseline"}
	for _, c := range []struct{ s, want string }{
		{"runz", ` (did you mean "runs"?)`},
		{"basline", ` (did you mean "baseline"?)`},
		{"zzzzzzzz", ""}, // nothing close
	} {
		if got := DidYouMean(c.s, known); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.s, got, c.want)
		}
	}
	if got := DidYouMean("x", nil); got != "" {
		t.Errorf("DidYouMean with no names = %q, want empty", got)
	}
}

// TestClosestTies checks that ties go to the name that sorts first, so the
// hint does not depend on the order of known.
func TestClosestTies(t *testing.T) {
	a, _, _ := Closest("ab", []string{"xb", "ax"})
	b, _, _ := Closest("ab", []string{"ax", "xb"})
	if a != "ax" || b != "ax" {
		t.Errorf("Closest tie = %q, %q, want ax both times", a, b)
	}
}

// TestLongInput checks that a huge string costs a bounded comparison.
func TestLongInput(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	if d := Distance(long, "b"); d != maxLen {
		t.Errorf("Distance(1 MiB of a, b) = %d, want %d (cut at maxLen)", d, maxLen)
	}
}
