package main

import (
	"testing"

	"github.com/coopsim/coopsim/experiments/varsplit"
)

// TestParametricShare: the run summary's p column gives the share and its
// SE, a dash for a metric that does not vary (a firm with no revenue in a
// scenario: no variance to split), and nothing without a split.
func TestParametricShare(t *testing.T) {
	for _, c := range []struct {
		v    *varsplit.Split
		want string
	}{
		{nil, ""},
		{&varsplit.Split{Total: 4, Parametric: 3, Noise: 1, Share: 0.75, ShareSE: 0.05}, " p 75±5%"},
		{&varsplit.Split{}, " p —"},
	} {
		if got := parametricShare(c.v); got != c.want {
			t.Errorf("parametricShare(%+v) = %q, want %q", c.v, got, c.want)
		}
	}
}
