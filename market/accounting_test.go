package market

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/coopsim/coopsim/agents"
)

// testFees are the default rival fees: 25% on Claude resold by a cloud,
// 1 (the cloud serves them) on open models on a cloud.
var testFees = func() (f [agents.NumChannels]float64) {
	c := DefaultConfig()
	for ch := range f {
		f[ch] = c.Sellers[ch].Fee
	}
	return f
}()

// plainTerms are 20%/20% shares forever, a 25% fee, no cap.
func plainTerms() Terms {
	t := initialTerms()
	t.ShareToMicrosoft, t.ShareToOpenAI, t.MarketplaceFee = 0.2, 0.2, 0.25
	return t
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// TestSettleConservesRandom: for random terms and revenues the firms' net
// revenue sums to Σgross + other, and profit to Σprofit + otherProfit.
// Tolerance 1e-12 relative: a dozen additions of values up to 1e9, each
// rounding by 2^-53 relative, stay below 1e-14.
func TestSettleConservesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < 20_000; it++ {
		terms := initialTerms()
		terms.ShareToMicrosoft, terms.ShareToOpenAI = rng.Float64(), rng.Float64()
		terms.MarketplaceFee = rng.Float64()
		terms.Acquired = rng.IntN(4) == 0
		mo := m(2020+rng.IntN(10), 1+rng.IntN(12))
		terms.ShareToMicrosoftUntil = mo + Month(rng.IntN(5)-2)
		terms.ShareToOpenAIUntil = mo + Month(rng.IntN(5)-2)
		if rng.IntN(2) == 0 {
			terms.HasCap, terms.CapUSD = true, 1e9*rng.Float64()
			terms.CapStart, terms.CapEnd = mo-Month(rng.IntN(3)), mo+Month(rng.IntN(3))
		}
		var gross, profit, fees [agents.NumAlternatives]float64
		for a := range fees {
			fees[a] = rng.Float64()
			if rng.IntN(4) == 0 {
				fees[a] = 1
			}
		}
		for a := range gross {
			if rng.IntN(5) > 0 {
				gross[a] = 1e9 * rng.ExpFloat64()
				profit[a] = gross[a] * (2*rng.Float64() - 0.5)
			}
		}
		other := 0.0
		if rng.IntN(2) == 0 {
			other = 1e9 * rng.ExpFloat64()
		}
		led := Ledger{PaidInCapWindow: 1e9 * rng.Float64()}
		a := Settle(mo, &terms, &gross, &profit, &fees, other, 0.4*other, &led)
		total := sum(gross[:]) + other
		ptotal := sum(profit[:]) + 0.4*other
		if d := relDiff(sum(a.FirmNet[:]), total, total); d > 1e-12 {
			t.Fatalf("iteration %d: Σ FirmNet = %g, Σ gross + other = %g (rel %g); terms %+v", it, sum(a.FirmNet[:]), total, d, terms)
		}
		if d := relDiff(sum(a.FirmGross[:]), total, total); d > 1e-12 {
			t.Fatalf("iteration %d: Σ FirmGross = %g, want %g", it, sum(a.FirmGross[:]), total)
		}
		if d := relDiff(sum(a.FirmProfit[:]), ptotal, math.Max(total, ptotal)); d > 1e-12 {
			t.Fatalf("iteration %d: Σ FirmProfit = %g, want %g", it, sum(a.FirmProfit[:]), ptotal)
		}
		if a.ToMicrosoft < 0 || a.ToOpenAI < 0 {
			t.Fatalf("iteration %d: negative transfer %g, %g", it, a.ToMicrosoft, a.ToOpenAI)
		}
		if terms.HasCap && led.PaidInCapWindow > math.Max(terms.CapUSD, 1e9) {
			t.Fatalf("iteration %d: paid %g in the window", it, led.PaidInCapWindow)
		}
	}
}

// TestSettleCap: payments stop exactly at the cap; a cap of 0 pays nothing
// inside its window; outside the window payments are uncapped.
func TestSettleCap(t *testing.T) {
	terms := plainTerms()
	terms.HasCap, terms.CapUSD = true, 100
	terms.CapStart, terms.CapEnd = m(2026, 1), m(2026, 12)
	var gross, profit [agents.NumAlternatives]float64
	gross[agents.ChannelOpenAI] = 150 // 20%: 30 due a month
	var led Ledger
	// Before the window: uncapped, and not counted against the cap.
	for mo := m(2025, 10); mo < m(2026, 1); mo++ {
		if a := Settle(mo, &terms, &gross, &profit, &testFees, 0, 0, &led); a.ToMicrosoft != 30 {
			t.Errorf("%s (before the window): paid %g, want 30", mo, a.ToMicrosoft)
		}
	}
	if led.PaidInCapWindow != 0 || led.CapBound {
		t.Errorf("ledger %+v before the window, want zero", led)
	}
	want := []float64{30, 30, 30, 10, 0, 0}
	bound := []bool{false, false, false, true, true, true}
	for i, w := range want {
		mo := m(2026, 1) + Month(i)
		a := Settle(mo, &terms, &gross, &profit, &testFees, 0, 0, &led)
		if a.ToMicrosoft != w || led.CapBound != bound[i] {
			t.Errorf("%s: paid %g (bound %v), want %g (%v)", mo, a.ToMicrosoft, led.CapBound, w, bound[i])
		}
		if a.FirmNet[FirmOpenAI] != 150-w || a.FirmNet[FirmMicrosoft] != w {
			t.Errorf("%s: nets %v", mo, a.FirmNet)
		}
	}
	if led.PaidInCapWindow != 100 {
		t.Errorf("paid %g in the window, want exactly the cap 100", led.PaidInCapWindow)
	}
	// After the window: uncapped again.
	if a := Settle(m(2027, 1), &terms, &gross, &profit, &testFees, 0, 0, &led); a.ToMicrosoft != 30 {
		t.Errorf("2027-01 (after the window): paid %g, want 30", a.ToMicrosoft)
	}

	// Cap 0: nothing inside the window, and the cap counts as bound.
	terms.CapUSD = 0
	led = Ledger{}
	if a := Settle(m(2026, 3), &terms, &gross, &profit, &testFees, 0, 0, &led); a.ToMicrosoft != 0 || !led.CapBound {
		t.Errorf("cap 0: paid %g, bound %v; want 0, true", a.ToMicrosoft, led.CapBound)
	}
	// A cap that is never reached never binds.
	terms.CapUSD = 1e6
	led = Ledger{}
	for mo := m(2026, 1); mo <= m(2026, 12); mo++ {
		Settle(mo, &terms, &gross, &profit, &testFees, 0, 0, &led)
	}
	if led.CapBound || led.PaidInCapWindow != 360 {
		t.Errorf("a loose cap: ledger %+v, want 360 paid, not bound", led)
	}
	// Random payments against a cap: the sum stops exactly at it.
	rng := rand.New(rand.NewPCG(3, 4))
	terms.CapUSD = 1234.5678
	led = Ledger{}
	paid := 0.0
	for i := 0; i < 100; i++ {
		gross[agents.ChannelOpenAI] = 300 * rng.Float64()
		paid += Settle(m(2026, 6), &terms, &gross, &profit, &testFees, 0, 0, &led).ToMicrosoft
	}
	if math.Abs(paid-terms.CapUSD) > 1e-12*terms.CapUSD || !led.CapBound {
		t.Errorf("random payments sum to %.10g against a cap of %g (bound %v)", paid, terms.CapUSD, led.CapBound)
	}
}

// TestSettleSharesAndFees: the shares' bases, their end dates, the
// marketplace fee split for aws and gcp, and other revenue.
func TestSettleSharesAndFees(t *testing.T) {
	terms := plainTerms()
	gross := [agents.NumAlternatives]float64{100, 200, 400, 800, 50}
	profit := [agents.NumAlternatives]float64{40, 80, 160, 320, 20}
	var led Ledger
	a := Settle(m(2027, 1), &terms, &gross, &profit, &testFees, 1000, 400, &led)
	// OpenAI books its channel, 75% of aws and gcp, and its other revenue.
	wantGross := [NumFirms]float64{100 + 0.75*400 + 0.75*800 + 1000, 200, 0.25 * 400, 0.25 * 800, 50, 0}
	if a.FirmGross != wantGross {
		t.Errorf("FirmGross %v, want %v", a.FirmGross, wantGross)
	}
	if a.ToMicrosoft != 0.2*wantGross[FirmOpenAI] || a.ToOpenAI != 0.2*200 {
		t.Errorf("transfers %g to Microsoft, %g to OpenAI; want %g, %g", a.ToMicrosoft, a.ToOpenAI, 0.2*wantGross[FirmOpenAI], 0.2*200)
	}
	wantNet := wantGross
	wantNet[FirmOpenAI] += a.ToOpenAI - a.ToMicrosoft
	wantNet[FirmMicrosoft] += a.ToMicrosoft - a.ToOpenAI
	if a.FirmNet != wantNet {
		t.Errorf("FirmNet %v, want %v", a.FirmNet, wantNet)
	}
	// Without other revenue in the base, OpenAI pays 20% of its model sales.
	noOther := terms
	noOther.ShareIncludesOther = false
	var led2 Ledger
	if b := Settle(m(2027, 1), &noOther, &gross, &profit, &testFees, 1000, 400, &led2); b.ToMicrosoft != 0.2*(wantGross[FirmOpenAI]-1000) {
		t.Errorf("share of model sales only: %g to Microsoft, want %g", b.ToMicrosoft, 0.2*(wantGross[FirmOpenAI]-1000))
	}
	// The clouds' fee is all margin (OpenAI serves the models).
	if a.FirmProfit[FirmAWS] != 0.25*400 || a.FirmProfit[FirmGoogle] != 0.25*800 {
		t.Errorf("cloud profits %g, %g", a.FirmProfit[FirmAWS], a.FirmProfit[FirmGoogle])
	}
	// Shares end after their dates (inclusive).
	terms.ShareToMicrosoftUntil, terms.ShareToOpenAIUntil = m(2027, 1), m(2026, 12)
	if a := Settle(m(2027, 1), &terms, &gross, &profit, &testFees, 0, 0, &led); a.ToMicrosoft == 0 || a.ToOpenAI != 0 {
		t.Errorf("2027-01: transfers %g, %g; want the share to Microsoft only", a.ToMicrosoft, a.ToOpenAI)
	}
	if a := Settle(m(2027, 2), &terms, &gross, &profit, &testFees, 0, 0, &led); a.ToMicrosoft != 0 || a.ToOpenAI != 0 {
		t.Errorf("2027-02: transfers %g, %g; want none", a.ToMicrosoft, a.ToOpenAI)
	}
	// Rival channels: Claude direct is Anthropic's; on Bedrock AWS keeps its
	// fee (all margin) and Anthropic the rest; Gemini on Vertex is all
	// Google's; open models in-house are others', on a cloud the cloud's.
	var rg, rp [agents.NumChannels]float64
	rg[agents.ChannelAnthropic], rg[agents.ChannelAnthropicAWS] = 10, 100
	rg[agents.ChannelGoogleGCP], rg[agents.ChannelOpen], rg[agents.ChannelOpenAzure] = 1000, 7, 30
	rp[agents.ChannelAnthropicAWS], rp[agents.ChannelOpenAzure] = 40, 12
	r := Settle(m(2027, 1), &terms, &rg, &rp, &testFees, 0, 0, &led)
	wantRival := [NumFirms]float64{0, 30, 25, 1000, 10 + 75, 7}
	if r.FirmGross != wantRival {
		t.Errorf("rival channels: FirmGross %v, want %v", r.FirmGross, wantRival)
	}
	if r.FirmProfit[FirmAWS] != 25 || r.FirmProfit[FirmAnthropic] != 40-25 || r.FirmProfit[FirmMicrosoft] != 12 {
		t.Errorf("rival channels: profits %v", r.FirmProfit)
	}
	// A fee of 0 leaves the clouds nothing.
	terms.MarketplaceFee = 0
	if a := Settle(m(2027, 1), &terms, &gross, &profit, &testFees, 0, 0, &led); a.FirmGross[FirmAWS] != 0 || a.FirmGross[FirmGoogle] != 0 {
		t.Errorf("fee 0: clouds book %g, %g", a.FirmGross[FirmAWS], a.FirmGross[FirmGoogle])
	}
}

// TestSettleAcquired: after an acquisition OpenAI's books are Microsoft's,
// nothing flows between them, and the cap ledger does not move.
func TestSettleAcquired(t *testing.T) {
	terms := plainTerms()
	terms.Acquired = true
	terms.HasCap, terms.CapUSD, terms.CapStart, terms.CapEnd = true, 10, m(2020, 1), EndOfTime
	gross := [agents.NumAlternatives]float64{100, 200, 400, 0, 50}
	profit := [agents.NumAlternatives]float64{40, 80, 160, 0, 20}
	var led Ledger
	a := Settle(m(2025, 1), &terms, &gross, &profit, &testFees, 1000, 400, &led)
	if a.ToMicrosoft != 0 || a.ToOpenAI != 0 || led != (Ledger{}) {
		t.Errorf("transfers %g, %g and ledger %+v after an acquisition", a.ToMicrosoft, a.ToOpenAI, led)
	}
	if a.FirmGross[FirmOpenAI] != 0 || a.FirmNet[FirmOpenAI] != 0 || a.FirmProfit[FirmOpenAI] != 0 {
		t.Errorf("OpenAI books %g gross, %g net, %g profit", a.FirmGross[FirmOpenAI], a.FirmNet[FirmOpenAI], a.FirmProfit[FirmOpenAI])
	}
	if want := 100 + 200 + 0.75*400 + 1000.0; a.FirmNet[FirmMicrosoft] != want {
		t.Errorf("Microsoft nets %g, want %g", a.FirmNet[FirmMicrosoft], want)
	}
	if a.FirmNet[FirmAWS] != 100 {
		t.Errorf("AWS keeps its fee after the acquisition: got %g, want 100", a.FirmNet[FirmAWS])
	}
}

// TestSettleNewCapWindow: a cap with a new window counts afresh, so a
// second window pays up to its own cap even after the first one bound.
func TestSettleNewCapWindow(t *testing.T) {
	terms := plainTerms()
	terms.HasCap, terms.CapUSD, terms.CapStart, terms.CapEnd = true, 100, m(2026, 1), m(2026, 12)
	gross := [agents.NumAlternatives]float64{1000, 0, 0, 0, 0}
	var profit [agents.NumAlternatives]float64
	var led Ledger
	first := 0.0
	for mo := 1; mo <= 12; mo++ {
		first += Settle(m(2026, mo), &terms, &gross, &profit, &testFees, 0, 0, &led).ToMicrosoft
	}
	if first != 100 || !led.CapBound {
		t.Fatalf("first window paid %g (bound %v), want the cap of 100", first, led.CapBound)
	}
	terms.CapUSD, terms.CapStart, terms.CapEnd = 50, m(2027, 1), m(2027, 12)
	second := 0.0
	for mo := 1; mo <= 12; mo++ {
		second += Settle(m(2027, mo), &terms, &gross, &profit, &testFees, 0, 0, &led).ToMicrosoft
	}
	if second != 50 {
		t.Errorf("second window paid %g, want its own cap of 50", second)
	}
}
