package report

import (
	"math"
	"testing"
)

// close reports whether a and b agree to a relative tolerance of 1e-12,
// enough for the few floating-point operations in these hand computations.
func close(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

func TestQuantileType7(t *testing.T) {
	// Type 7: h = (n-1)p, Q = x[floor h] + frac(h)·(x[floor h + 1] - x[floor h]).
	odd := []float64{1, 2, 3, 4, 10} // n = 5, so h = 4p
	even := []float64{1, 2, 3, 4}    // n = 4, so h = 3p
	for _, tc := range []struct {
		p    float64
		x    []float64
		want float64
		why  string
	}{
		{0, odd, 1, "h=0: minimum"},
		{0.05, odd, 1.2, "h=0.2: 1 + 0.2·(2-1)"},
		{0.25, odd, 2, "h=1: x[1]"},
		{0.5, odd, 3, "h=2: x[2]"},
		{0.75, odd, 4, "h=3: x[3]"},
		{0.95, odd, 8.8, "h=3.8: 4 + 0.8·(10-4); numpy.quantile gives 8.8"},
		{1, odd, 10, "h=4: maximum"},
		{0.05, even, 1.15, "h=0.15: 1 + 0.15·(2-1)"},
		{0.5, even, 2.5, "h=1.5: 2 + 0.5·(3-2)"},
		{0.95, even, 3.85, "h=2.85: 3 + 0.85·(4-3)"},
		{0.3, []float64{7}, 7, "one value"},
	} {
		if got := Quantile(tc.p, tc.x); !close(got, tc.want) {
			t.Errorf("Quantile(%v, %v) = %v, want %v (%s)", tc.p, tc.x, got, tc.want, tc.why)
		}
	}
}

func TestDescribe(t *testing.T) {
	in := []float64{10, 1, 3, 4, 2} // unsorted on purpose
	got := Describe(in)
	// mean = 20/5 = 4; squared deviations 9+4+1+0+36 = 50; sd = sqrt(50/4);
	// se = sd/sqrt(5). Percentiles as in TestQuantileType7.
	sd := math.Sqrt(50.0 / 4)
	want := MetricSummary{N: 5, Mean: 4, SD: sd, SE: sd / math.Sqrt(5), P5: 1.2, P25: 2, P50: 3, P75: 4, P95: 8.8}
	checkSummary(t, got, want)
	if in[0] != 10 {
		t.Errorf("Describe modified its input: %v", in)
	}
	checkSummary(t, Describe([]float64{5}), MetricSummary{N: 1, Mean: 5, P5: 5, P25: 5, P50: 5, P75: 5, P95: 5})
	checkSummary(t, Describe(nil), MetricSummary{})
}

func checkSummary(t *testing.T, got, want MetricSummary) {
	t.Helper()
	g := []float64{float64(got.N), got.Mean, got.SD, got.SE, got.P5, got.P25, got.P50, got.P75, got.P95}
	w := []float64{float64(want.N), want.Mean, want.SD, want.SE, want.P5, want.P25, want.P50, want.P75, want.P95}
	for i := range g {
		if !close(g[i], w[i]) {
			t.Errorf("got %+v,\nwant %+v", got, want)
			return
		}
	}
}

func TestPaired(t *testing.T) {
	// d = {2, 3, 4, 5, 6}: mean 4, sd = sqrt(10/4), se = sd/sqrt(5) = sqrt(0.5);
	// t(0.975, 4 df) = 2.7764451051977987 (R: qt(0.975, 4)).
	d, err := Paired([]float64{3, 5, 7, 9, 11}, []float64{1, 2, 3, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	se := math.Sqrt(0.5)
	const t4 = 2.7764451051977987
	if !close(d.Mean, 4) || !close(d.SE, se) || math.Abs(d.Lo95-(4-t4*se)) > 1e-9 || math.Abs(d.Hi95-(4+t4*se)) > 1e-9 {
		t.Errorf("Paired = %+v, want mean 4, se %v, interval 4 ± %v", d, se, t4*se)
	}
	// One run: no interval can be computed; documented as se 0 and lo = hi = mean.
	d, err = Paired([]float64{3}, []float64{1})
	if err != nil || d != (Difference{Mean: 2, Lo95: 2, Hi95: 2}) {
		t.Errorf("Paired of one run = %+v, %v", d, err)
	}
	if _, err := Paired([]float64{1}, []float64{1, 2}); err == nil {
		t.Error("Paired of unequal lengths: no error")
	}
	if _, err := Paired(nil, nil); err == nil {
		t.Error("Paired of no runs: no error")
	}
}
