package experiments

import "testing"

// TestLocate checks the lines found for key paths as the loader names them.
func TestLocate(t *testing.T) {
	t.Parallel()
	src := []byte(`name = "x"          # 1
runs = 2
[report]
window_end = "2026-01"
[[scenario]]        # 5
name = "a"
[[scenario]]
name = "b"
[scenario.set]
"buyers.agents" = {a = 1}   # 10
[[regime]]
name = "r"
[[regime.amendment]]
month = "2026-01"
[[regime.amendment]]  # 15
open = "aws"
[[regime]]
[[regime.amendment]]
month = "2027-01"
`)
	for _, c := range []struct {
		key  string
		want int
	}{
		{"name", 1},
		{"runs", 2},
		{"report", 3},
		{"report.window_end", 4},
		{"report.annualized_at[0]", 3}, // not set: its table
		{"scenario[0].name", 6},
		{"scenario[1].name", 8},
		{"scenario[1].set.buyers.agents", 10},
		{"scenario[1].set.buyers.agents.a", 10}, // inside an inline table: its key
		{"regime[0].amendment[1].open[0]", 16},
		{"regime[1].amendment[0].month", 19},
		{"regime[0].amendment[0].month", 14},
		{"seed", 0},
		{"scenario h", 0},
	} {
		if got := locate(src, c.key); got != c.want {
			t.Errorf("locate(%q) = %d, want %d", c.key, got, c.want)
		}
	}
}
