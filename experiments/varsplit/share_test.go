package varsplit

import "testing"

// TestShareText: the share and its SE, a dash for an output that does not
// vary (a firm with no revenue in a scenario: no variance to split), and
// nothing without a split.
func TestShareText(t *testing.T) {
	for _, c := range []struct {
		v    *Split
		want string
	}{
		{nil, ""},
		{&Split{Total: 4, Parametric: 3, Noise: 1, Share: 0.75, ShareSE: 0.05}, "p 75±5%"},
		{&Split{}, "p —"},
	} {
		if got := c.v.ShareText(); got != c.want {
			t.Errorf("ShareText(%+v) = %q, want %q", c.v, got, c.want)
		}
	}
}
