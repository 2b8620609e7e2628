package agents

import (
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// testBuyers is a plausible buyer configuration (the market's defaults are
// in package market, which agents may not import).
func testBuyers(n int) BuyerConfig {
	c := BuyerConfig{Agents: n, Accounts: 200_000, BudgetMedian: 1000, BudgetSigma: 1.6,
		RampMonths: 12, RenewalMonths: 12, Workloads: 1, WorkloadDecay: 1,
		CloudShares: [NumClouds]float64{0.24, 0.31, 0.11, 0.34},
		Diffusion:   Diffusion{Start: ChatGPTShock, P: 0.02, Q: 0.15, Potential: 0.85}}
	shares := [NumSegments]float64{0.3, 0.2, 0.5}
	for s := range c.Segments {
		c.Segments[s].Share = shares[s]
		for k := range c.Segments[s].Weights {
			c.Segments[s].Weights[k] = Spread{Mean: 0.5 + float64(s) + 0.1*float64(k), CV: 0.4}
		}
	}
	c.Segments[SegmentTraditional].Weights[PrefStay] = Spread{Mean: 1.5, CV: 0} // no spread
	return c
}

var start = MonthOf(2019, 7)

// TestGeneratePerBuyer: a buyer's attributes depend on (key, buyer) only,
// not on how many buyers there are; another key gives other buyers.
func TestGeneratePerBuyer(t *testing.T) {
	small, large := testBuyers(300), testBuyers(3000)
	key := Key{Seed: 3, Run: 9}
	var a, b, c Population
	a.Generate(&small, key, start)
	b.Generate(&large, key, start)
	if a.Len() != 300 || b.Len() != 3000 || a.Weight != 200_000.0/300 {
		t.Fatalf("lengths %d, %d, weight %g", a.Len(), b.Len(), a.Weight)
	}
	if !reflect.DeepEqual(a.Budget, b.Budget[:300]) || !reflect.DeepEqual(a.Adopt, b.Adopt[:300]) ||
		!reflect.DeepEqual(a.Segment, b.Segment[:300]) || !reflect.DeepEqual(a.Incumbent, b.Incumbent[:300]) ||
		!reflect.DeepEqual(a.Phase, b.Phase[:300]) {
		t.Error("the first 300 buyers differ between populations of 300 and 3000")
	}
	for k := range a.Pref {
		if !reflect.DeepEqual(a.Pref[k], b.Pref[k][:300]) {
			t.Errorf("preference %s of the first 300 buyers differs", PreferenceNames[k])
		}
	}
	// Reusing a larger population's storage gives the same result.
	b.Generate(&small, key, start)
	if !reflect.DeepEqual(a, b) {
		t.Error("regenerating into reused storage differs from a fresh population")
	}
	c.Generate(&small, Key{Seed: 3, Run: 10}, start)
	if reflect.DeepEqual(a.Budget, c.Budget) {
		t.Error("runs 9 and 10 draw the same budgets")
	}
}

// TestGenerateDistributions: with 50,000 buyers, segment and cloud shares,
// the budget median and the preference weights' means and CVs match the
// configuration. Shares are binomial proportions (se = sqrt(p(1−p)/n));
// the share of budgets below the median is 1/2 (se = sqrt(1/4n)); a
// weight's sample mean has se = mean·CV/sqrt(n_segment); 4 se everywhere.
func TestGenerateDistributions(t *testing.T) {
	const n = 50_000
	cfg := testBuyers(n)
	cfg.Segments[SegmentDigitalNative].Share, cfg.Segments[SegmentTraditional].Share = 0, 0.7 // an empty segment
	var p Population
	p.Generate(&cfg, Key{Seed: 4}, start)
	var seg [NumSegments]int
	var cloud [NumClouds]int
	below := 0
	for i := 0; i < n; i++ {
		seg[p.Segment[i]]++
		cloud[p.Incumbent[i]]++
		if p.Budget[i] < cfg.BudgetMedian {
			below++
		}
		if p.Phase[i] < 1 || int(p.Phase[i]) > cfg.RenewalMonths {
			t.Fatalf("buyer %d: phase %d, want 1..%d", i, p.Phase[i], cfg.RenewalMonths)
		}
		if !(p.Budget[i] > 0) || math.IsInf(p.Budget[i], 0) {
			t.Fatalf("buyer %d: budget %g", i, p.Budget[i])
		}
	}
	share := func(name string, got int, want float64) {
		t.Helper()
		f := float64(got) / n
		se := math.Sqrt(want * (1 - want) / n)
		if want == 0 && got != 0 || math.Abs(f-want) > 4*se {
			t.Errorf("%s: share %.4f, want %.4f ± %.4f", name, f, want, 4*se)
		}
	}
	for s := range seg {
		share("segment "+SegmentNames[s], seg[s], cfg.Segments[s].Share)
	}
	for c := range cloud {
		share("cloud "+CloudNames[c], cloud[c], cfg.CloudShares[c])
	}
	share("budgets below the median", below, 0.5)
	for _, s := range []Segment{SegmentRegulated, SegmentTraditional} {
		for k := 0; k < NumPreferences; k++ {
			w := cfg.Segments[s].Weights[k]
			var xs []float64
			for i := 0; i < n; i++ {
				if p.Segment[i] == s {
					xs = append(xs, p.Pref[k][i])
				}
			}
			mean, sd := meanSD(xs)
			if w.CV == 0 {
				if sd != 0 || mean != w.Mean {
					t.Errorf("%s %s: CV 0 but mean %g, sd %g; want exactly %g", SegmentNames[s], PreferenceNames[k], mean, sd, w.Mean)
				}
				continue
			}
			se := w.Mean * w.CV / math.Sqrt(float64(len(xs)))
			if math.Abs(mean-w.Mean) > 4*se {
				t.Errorf("%s %s: mean %.4f, want %.4f ± %.4f", SegmentNames[s], PreferenceNames[k], mean, w.Mean, 4*se)
			}
			// The sample CV's standard error, by the delta method: the sample
			// variance of n draws has relative variance (κ+2)/n, κ the
			// lognormal's excess kurtosis e^{4s}+2e^{3s}+3e^{2s}−6 with
			// s = ln(1+CV²), so the sd has relative se √((κ+2)/n)/2, and
			// the mean adds CV/√n.
			s2 := math.Log1p(w.CV * w.CV)
			kurt := math.Exp(4*s2) + 2*math.Exp(3*s2) + 3*math.Exp(2*s2) - 6
			nf := float64(len(xs))
			relSE := math.Hypot(math.Sqrt((kurt+2)/nf)/2, w.CV/math.Sqrt(nf))
			if cv := sd / mean; math.Abs(cv-w.CV) > 4*relSE*w.CV {
				t.Errorf("%s %s: CV %.3f, want %.3f ± %.3f", SegmentNames[s], PreferenceNames[k], cv, w.CV, 4*relSE*w.CV)
			}
		}
	}
}

func meanSD(xs []float64) (float64, float64) {
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)-1))
}

// TestGenerateAdoption: buyers adopt in the month their continuous Bass
// adoption time falls in, so the share adopted by the end of month
// Start+j is F(j+1); binomial se, 4 se. Nobody adopts before the start,
// and with AllAtStart everyone adopts in the first month.
func TestGenerateAdoption(t *testing.T) {
	const n = 40_000
	cfg := testBuyers(n)
	var p Population
	p.Generate(&cfg, Key{Seed: 6}, start)
	d := cfg.Diffusion
	for _, j := range []int{0, 1, 3, 6, 12, 24, 60} {
		adopted := 0
		for _, a := range p.Adopt {
			if a <= d.Start+Month(j) {
				adopted++
			}
			if a < d.Start {
				t.Fatalf("a buyer adopts in %s, before the diffusion starts in %s", a, d.Start)
			}
		}
		f := d.AdoptedShare(float64(j + 1))
		se := math.Sqrt(f * (1 - f) / n)
		if got := float64(adopted) / n; math.Abs(got-f) > 4*se {
			t.Errorf("adopted by %s: %.4f, Bass F(%d) = %.4f ± %.4f", d.Start+Month(j), got, j+1, f, 4*se)
		}
	}
	never := 0
	for _, a := range p.Adopt {
		if a == Never {
			never++
		}
	}
	if f, se := float64(never)/n, math.Sqrt(0.15*0.85/n); math.Abs(f-(1-d.Potential)) > 4*se {
		t.Errorf("%.4f never adopt, want 1 − potential = %.2f", f, 1-d.Potential)
	}
	cfg.Diffusion.AllAtStart = true
	p.Generate(&cfg, Key{Seed: 6}, start)
	for i, a := range p.Adopt {
		if a != start {
			t.Fatalf("AllAtStart: buyer %d adopts in %s, want %s", i, a, start)
		}
	}
}

func TestAdoptedShare(t *testing.T) {
	d := Diffusion{P: 0.02, Q: 0.15, Potential: 0.85}
	if d.AdoptedShare(0) != 0 || d.AdoptedShare(-3) != 0 {
		t.Error("adoption before the start")
	}
	if got := d.AdoptedShare(1e4); math.Abs(got-0.85) > 1e-12 {
		t.Errorf("long-run share %g, want the potential 0.85", got)
	}
	// The Bass hazard: f/(M−F) = p + q·F/M. Check numerically at t = 10.
	h := 1e-5
	F := d.AdoptedShare(10)
	f := (d.AdoptedShare(10+h) - d.AdoptedShare(10-h)) / (2 * h)
	if want := d.P + d.Q*F/d.Potential; math.Abs(f/(d.Potential-F)-want) > 1e-6 {
		t.Errorf("hazard %g, want p + qF/M = %g", f/(d.Potential-F), want)
	}
	// adoptionDelay inverts it.
	for _, u := range []float64{0.01, 0.3, 0.84} {
		if got := d.AdoptedShare(d.adoptionDelay(u)); math.Abs(got-u) > 1e-12 {
			t.Errorf("AdoptedShare(adoptionDelay(%g)) = %g", u, got)
		}
	}
	if !math.IsInf(d.adoptionDelay(0.9), 1) {
		t.Error("a draw above the potential adopts")
	}
	if (Diffusion{AllAtStart: true}).AdoptedShare(0) != 1 {
		t.Error("AllAtStart share is not 1")
	}
}

func TestBuyerConfigValidate(t *testing.T) {
	good := testBuyers(100)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		edit func(*BuyerConfig)
		key  string
	}{
		{func(c *BuyerConfig) { c.Agents = 0 }, "buyers.agents"},
		{func(c *BuyerConfig) { c.Accounts = math.Inf(1) }, "buyers.accounts"},
		{func(c *BuyerConfig) { c.BudgetSigma = math.NaN() }, "buyers.budget_sigma"},
		{func(c *BuyerConfig) { c.Diffusion.P = 0 }, "buyers.diffusion.p"},
		{func(c *BuyerConfig) { c.CloudShares[0] = 0.5 }, "buyers.cloud_shares"},
		{func(c *BuyerConfig) { c.Segments[1].Share = -0.1 }, "share"},
		{func(c *BuyerConfig) { c.Segments[2].Weights[PrefPrice].CV = 11 }, "buyers.segments.traditional.price.cv"},
	} {
		cfg := good
		c.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("Validate = %v, want an error naming %s", err, c.key)
		}
	}
	noDiff := good
	noDiff.Diffusion = Diffusion{AllAtStart: true}
	if err := noDiff.Validate(); err != nil {
		t.Errorf("AllAtStart needs no Bass rates: %v", err)
	}
}

func TestPick(t *testing.T) {
	cdf := []float64{0.2, 0.2, 0.7, 1, 1} // bins 1 and 4 empty
	for _, c := range []struct {
		u    float64
		want int
	}{{0, 0}, {0.19, 0}, {0.2, 2}, {0.69, 2}, {0.7, 3}, {0.999, 3}, {1, 3}} {
		if got := pick(cdf, c.u); got != c.want {
			t.Errorf("pick(%v) = %d, want %d", c.u, got, c.want)
		}
	}
}

// TestTargetOrders: largest first is sorted by budget, ties by index; own
// cloud first is a stable partition of it; random is a permutation that
// depends on the stream and the channel.
func TestTargetOrders(t *testing.T) {
	cfg := testBuyers(5000)
	var p Population
	p.Generate(&cfg, Key{Seed: 2}, start)
	p.Budget[10], p.Budget[20] = p.Budget[30], p.Budget[30] // ties
	by, _, _ := LargestFirst(nil, nil, nil, &p)
	for j := 1; j < len(by); j++ {
		a, b := by[j-1], by[j]
		if p.Budget[a] < p.Budget[b] || p.Budget[a] == p.Budget[b] && a > b {
			t.Fatalf("LargestFirst: position %d: buyer %d (%g) before %d (%g)", j, a, p.Budget[a], b, p.Budget[b])
		}
	}
	st := Key{Seed: 2}.Stream()
	own := TargetOrder(nil, &p, by, TargetOwnCloudFirst, ChannelAWS, st)
	k := 0
	for k < len(own) && p.Incumbent[own[k]] == CloudAWS {
		k++
	}
	for j := k; j < len(own); j++ {
		if p.Incumbent[own[j]] == CloudAWS {
			t.Fatalf("own cloud first: an AWS customer at %d after the first other at %d", j, k)
		}
	}
	var awsFirst, rest []int32
	for _, i := range by {
		if p.Incumbent[i] == CloudAWS {
			awsFirst = append(awsFirst, i)
		} else {
			rest = append(rest, i)
		}
	}
	if !reflect.DeepEqual(own, append(awsFirst, rest...)) {
		t.Error("own cloud first is not a stable partition of the budget order")
	}
	r1 := TargetOrder(nil, &p, by, TargetRandom, ChannelAzure, st)
	r2 := TargetOrder(nil, &p, by, TargetRandom, ChannelGCP, st)
	sorted := append([]int32(nil), r1...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	for i, v := range sorted {
		if int(v) != i {
			t.Fatal("random order is not a permutation")
		}
	}
	if reflect.DeepEqual(r1, r2) {
		t.Error("random orders of two channels coincide")
	}
	if got := TargetOrder(nil, &p, by, TargetLargestFirst, ChannelOpenAI, st); !reflect.DeepEqual(got, by) {
		t.Error("largest first is not the budget order")
	}
}

func TestReachAndPriceFloor(t *testing.T) {
	r := Reach{From: MonthOf(2023, 7), Initial: 200, Full: 2000, RampMonths: 24}
	for _, c := range []struct {
		m    Month
		want float64
	}{{MonthOf(2023, 6), 0}, {MonthOf(2023, 7), 200}, {MonthOf(2024, 7), 1100}, {MonthOf(2025, 7), 2000}, {MonthOf(2030, 1), 2000}} {
		if got := r.At(c.m); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Reach.At(%s) = %g, want %g", c.m, got, c.want)
		}
	}
	s := SellerConfig{ListPrice: 1, Margin: 0.4,
		Adaptive: AdaptivePricing{Enabled: true, LookbackMonths: 6, Trigger: 0.05, Step: 0.05, MarginFloor: 0.25}}
	// Cost 0.6 at list; margin 25% at price 0.6/0.75 = 0.8.
	if got := s.PriceFloor(); math.Abs(got-0.8) > 1e-15 {
		t.Errorf("PriceFloor = %g, want 0.8", got)
	}
	if err := s.Validate("sellers.azure"); err != nil {
		t.Error(err)
	}
	s.Adaptive.MarginFloor = 0.5
	if err := s.Validate("sellers.azure"); err == nil || !strings.Contains(err.Error(), "sellers.azure.adaptive.margin_floor") {
		t.Errorf("a floor above the margin: %v", err)
	}
	s.Adaptive.Enabled = false
	if s.PriceFloor() != 1 {
		t.Error("a non-adaptive seller's floor is not its list price")
	}
}

func TestMonthsAndNames(t *testing.T) {
	m, err := ParseMonth("2026-04")
	if err != nil || m != MonthOf(2026, 4) || m.String() != "2026-04" || m.Year() != 2026 || m.Num() != 4 {
		t.Errorf("ParseMonth(2026-04) = %v (%s), %v", int(m), m, err)
	}
	for _, bad := range []string{"2026-4", "2026/04", "2026-13", "1800-01", "abcd-01", ""} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("ParseMonth(%q) succeeded", bad)
		}
	}
	if got := MonthOf(2024, 1).YearsSince(MonthOf(2022, 7)); got != 1.5 {
		t.Errorf("YearsSince = %g", got)
	}
	for c := NumOpenAIChannels; c < NumChannels; c++ {
		if r, err := ParseRivalChannel(ChannelNames[c]); err != nil || r != Channel(c) {
			t.Errorf("rival channel %d: %v, %v", c, r, err)
		}
		if _, err := ParseChannel(ChannelNames[c]); err == nil {
			t.Errorf("rival channel %s parses as an OpenAI channel", Channel(c))
		}
	}
	for c := 0; c < NumOpenAIChannels; c++ {
		var ch Channel
		b, _ := Channel(c).MarshalText()
		if err := ch.UnmarshalText(b); err != nil || ch != Channel(c) {
			t.Errorf("channel %d round trip: %v, %v", c, ch, err)
		}
	}
	if _, err := ParseChannel("rivals"); err == nil {
		t.Error("rivals parses as a channel")
	}
	for i := range TargetingNames {
		var tg Targeting
		b, _ := Targeting(i).MarshalText()
		if err := tg.UnmarshalText(b); err != nil || tg != Targeting(i) {
			t.Errorf("targeting %d round trip: %v, %v", i, tg, err)
		}
	}
}

// TestWorkloads: with W workloads a buyer's attributes are copied to each
// and its budget split decay^w / Σ decay^j; the first workload's
// attributes are those of the buyer drawn with one workload (the draws are
// keyed by buyer), so multi-homing leaves who the buyers are unchanged.
func TestWorkloads(t *testing.T) {
	one := testBuyers(500)
	three := one
	three.Workloads, three.WorkloadDecay = 3, 0.5
	if err := three.Validate(); err != nil {
		t.Fatal(err)
	}
	var p1, p3 Population
	p1.Generate(&one, Key{Seed: 4}, start)
	p3.Generate(&three, Key{Seed: 4}, start)
	if p3.Len() != 1500 || p3.Buyers() != 500 || p1.Buyers() != 500 {
		t.Fatalf("lengths %d, %d buyers, %d", p3.Len(), p3.Buyers(), p1.Buyers())
	}
	want := [3]float64{4.0 / 7, 2.0 / 7, 1.0 / 7}
	for b := 0; b < 500; b++ {
		sum := 0.0
		for w := 0; w < 3; w++ {
			i := 3*b + w
			if got := p3.Budget[i] / p1.Budget[b]; math.Abs(got-want[w]) > 1e-12 {
				t.Fatalf("buyer %d workload %d: budget share %g, want %g", b, w, got, want[w])
			}
			sum += p3.Budget[i]
			if p3.Segment[i] != p1.Segment[b] || p3.Incumbent[i] != p1.Incumbent[b] || p3.Adopt[i] != p1.Adopt[b] ||
				p3.Phase[i] != p1.Phase[b] || p3.Pref[PrefStay][i] != p1.Pref[PrefStay][b] {
				t.Fatalf("buyer %d workload %d: attributes differ from the buyer's", b, w)
			}
		}
		if math.Abs(sum-p1.Budget[b]) > 1e-9*p1.Budget[b] {
			t.Fatalf("buyer %d: workloads' budgets sum to %g, want %g", b, sum, p1.Budget[b])
		}
	}
	bad := one
	bad.Workloads = MaxWorkloads + 1
	if bad.Validate() == nil {
		t.Error("too many workloads validate")
	}
}
