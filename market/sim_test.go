package market

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"testing"
	"unsafe"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// smallConfig is the default market with n buyer agents: the defaults
// everywhere else, so the tests exercise the shipped figures.
func smallConfig(n int) Config {
	c := DefaultConfig()
	c.Buyers.Agents = n
	return c
}

// compiled returns the built-in regime name compiled over cfg's span.
func compiled(t testing.TB, name string, cfg *Config) *Compiled {
	t.Helper()
	r, err := BuiltinRegime(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(r, cfg.Start, cfg.End)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// run runs one market into a fresh Series.
func run(t testing.TB, sim *Sim, cfg *Config, reg *Compiled, key agents.Key) *Series {
	t.Helper()
	out := new(Series)
	if err := sim.Run(cfg, reg, key, out, false); err != nil {
		t.Fatal(err)
	}
	return out
}

// monthIndex is the Series index of month y-mo.
func monthIndex(s *Series, y, mo int) int { return int(agents.MonthOf(y, mo) - s.Start) }

// relDiff is |a−b| relative to the scale, or absolute when scale is below 1
// (a month in which nobody spends anything).
func relDiff(a, b, scale float64) float64 {
	return math.Abs(a-b) / math.Max(1, math.Abs(scale))
}

// TestMoneyConserved checks, every month of every built-in regime and two
// run keys, that the firms' net revenue sums to buyer spend plus OpenAI's
// other revenue, gross revenue to spend, and firms' gross to spend plus other.
// Tolerance 1e-9 relative (the issue's): each sum adds at most a dozen
// rounded terms, so honest rounding stays below 1e-14; a lost or doubled
// transfer or fee shows up at 1e-3 or more.
func TestMoneyConserved(t *testing.T) {
	cfg := smallConfig(3000)
	var sim Sim
	for _, name := range BuiltinRegimeNames() {
		reg := compiled(t, name, &cfg)
		for _, key := range []agents.Key{{Seed: 1}, {Seed: 1, Run: 2}} {
			s := run(t, &sim, &cfg, reg, key)
			moved := 0.0
			for k := range s.Spend {
				total := s.Spend[k] + s.Other[k]
				var net, fg, gross float64
				for f := 0; f < NumFirms; f++ {
					net += s.FirmNet[k][f]
					fg += s.FirmGross[k][f]
				}
				for a := 0; a < agents.NumAlternatives; a++ {
					gross += s.Gross[k][a]
				}
				if d := relDiff(net, total, total); d > 1e-9 {
					t.Errorf("%s %v %s: Σ FirmNet = %g, Spend+Other = %g (rel %g)", name, key, s.Start+Month(k), net, total, d)
				}
				if d := relDiff(fg, total, total); d > 1e-9 {
					t.Errorf("%s %v %s: Σ FirmGross = %g, Spend+Other = %g", name, key, s.Start+Month(k), fg, total)
				}
				if d := relDiff(gross, s.Spend[k], s.Spend[k]); d > 1e-9 {
					t.Errorf("%s %v %s: Σ Gross = %g, Spend = %g", name, key, s.Start+Month(k), gross, s.Spend[k])
				}
				moved += s.ToMicrosoft[k] + s.ToOpenAI[k]
			}
			if name != "acquired-2024" && !(moved > 0) {
				t.Errorf("%s: no transfers at all: the conservation check saw none to lose", name)
			}
		}
	}
}

// TestLockedChannelSellsNothing: a channel sells nothing before it opens.
// In history OpenAI on AWS may sell from 2026-04 and on Google Cloud from
// 2027-01; the rival channels open on their dates (Claude on Bedrock
// 2023-09, on Microsoft Foundry 2025-11, Gemini 2023-12, open models on a
// cloud 2023-07). Before that each books nothing and has no customers,
// and afterwards it does (else the check is vacuous); AWS books nothing
// before the first channel on it opens (2023-07).
func TestLockedChannelSellsNothing(t *testing.T) {
	cfg := smallConfig(3000)
	s := run(t, new(Sim), &cfg, compiled(t, "history", &cfg), agents.Key{Seed: 3})
	unlock := cfg.Opens
	unlock[agents.ChannelOpenAI], unlock[agents.ChannelAzure] = cfg.Start, cfg.Start
	unlock[agents.ChannelAWS], unlock[agents.ChannelGCP] = agents.MonthOf(2026, 4), agents.MonthOf(2027, 1)
	for c := agents.Channel(0); c < agents.NumChannels; c++ {
		sold := false
		for k := range s.Spend {
			m := s.Start + Month(k)
			g, n := s.Gross[k][c], s.Customers[k][c]
			if m < unlock[c] && (g != 0 || n != 0) {
				t.Errorf("%s in %s, before it opens in %s: gross %g, customers %g; want 0", c, m, unlock[c], g, n)
			}
			if m >= unlock[c] && g > 0 && n > 0 {
				sold = true
			}
		}
		if !sold {
			t.Errorf("%s never sells after it opens in %s", c, unlock[c])
		}
	}
	for k := range s.Spend {
		if m := s.Start + Month(k); m < agents.MonthOf(2023, 7) && s.FirmGross[k][FirmAWS] != 0 {
			t.Errorf("AWS books %g in %s, before anything sells on it", s.FirmGross[k][FirmAWS], m)
		}
	}
}

// withCap returns history with every cap amendment's cap set to usd.
func withCap(t *testing.T, usd float64) *Regime {
	t.Helper()
	r, err := BuiltinRegime("history")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i := range r.Amendments {
		if r.Amendments[i].CapUSD != nil {
			r.Amendments[i].CapUSD = &usd
			found = true
		}
	}
	if !found {
		t.Fatal("history has no cap amendment")
	}
	return r
}

// TestTinyCapBinds: with a $1M cap over 2026-04..2030-12 OpenAI's payments
// inside the window sum to the cap (relative 1e-12: the last payment is
// cap − paid-so-far, so the sum is exact but for one or two roundings),
// CapBound turns true, and payments outside the window are uncapped.
func TestTinyCapBinds(t *testing.T) {
	cfg := smallConfig(3000)
	const capUSD = 1e6
	reg, err := Compile(withCap(t, capUSD), cfg.Start, cfg.End)
	if err != nil {
		t.Fatal(err)
	}
	s := run(t, new(Sim), &cfg, reg, agents.Key{Seed: 4})
	from, to := agents.MonthOf(2026, 4), agents.MonthOf(2030, 12)
	inside, before := 0.0, 0.0
	for k, p := range s.ToMicrosoft {
		m := s.Start + Month(k)
		switch {
		case m < from:
			before += p
			if s.CapBound[k] {
				t.Errorf("CapBound true in %s, before the cap window", m)
			}
		case m <= to:
			inside += p
		default:
			if p != 0 {
				t.Errorf("ToMicrosoft %g in %s, after the share ends in 2030-12", p, m)
			}
		}
	}
	if d := math.Abs(inside-capUSD) / capUSD; d > 1e-12 {
		t.Errorf("payments inside the cap window sum to %.10g, want the cap %g (rel %g)", inside, capUSD, d)
	}
	if !s.CapBound[monthIndex(s, 2030, 12)] {
		t.Error("CapBound is false at 2030-12 with a $1M cap")
	}
	if last := s.CumToMicrosoft[len(s.CumToMicrosoft)-1]; math.Abs(last-capUSD)/capUSD > 1e-12 {
		t.Errorf("CumToMicrosoft ends at %g, want the cap %g", last, capUSD)
	}
	// Before the window OpenAI pays 20% of a billion-dollar business: far
	// more than the cap.
	if !(before > 100*capUSD) {
		t.Errorf("payments before the cap window sum to %g: want uncapped payments (> %g)", before, 100*capUSD)
	}
	// The default $38B cap binds too (OpenAI's other revenue alone makes 20%
	// of it exceed $38B by 2030), but later.
	def := run(t, new(Sim), &cfg, compiled(t, "history", &cfg), agents.Key{Seed: 4})
	if !def.CapBound[len(def.CapBound)-1] {
		t.Log("the reported $38B cap does not bind in this run")
	}
}

// TestHistoryTransfers: Microsoft pays OpenAI its share of Azure OpenAI
// revenue until the 2026 amendment and nothing from 2026-04 on.
func TestHistoryTransfers(t *testing.T) {
	cfg := smallConfig(3000)
	s := run(t, new(Sim), &cfg, compiled(t, "history", &cfg), agents.Key{Seed: 5})
	paid := false
	for k, p := range s.ToOpenAI {
		m := s.Start + Month(k)
		if m >= agents.MonthOf(2026, 4) && p != 0 {
			t.Errorf("ToOpenAI = %g in %s, want 0 from 2026-04", p, m)
		}
		if m < agents.MonthOf(2026, 4) && p > 0 {
			paid = true
		}
	}
	if !paid {
		t.Error("Microsoft never pays OpenAI before 2026-04")
	}
}

// TestAcquiredNoTransfers: after Microsoft acquires OpenAI (2024-01) nothing
// flows between them and OpenAI books nothing of its own.
func TestAcquiredNoTransfers(t *testing.T) {
	cfg := smallConfig(3000)
	s := run(t, new(Sim), &cfg, compiled(t, "acquired-2024", &cfg), agents.Key{Seed: 6})
	acq := monthIndex(s, 2024, 1)
	before := 0.0
	for k := range s.Spend {
		if k < acq {
			before += s.ToMicrosoft[k] + s.ToOpenAI[k] + s.FirmGross[k][FirmOpenAI]
			continue
		}
		if s.ToMicrosoft[k] != 0 || s.ToOpenAI[k] != 0 || s.FirmGross[k][FirmOpenAI] != 0 || s.FirmNet[k][FirmOpenAI] != 0 {
			t.Errorf("%s: ToMicrosoft %g, ToOpenAI %g, OpenAI gross %g, net %g; want all 0 after the acquisition",
				s.Start+Month(k), s.ToMicrosoft[k], s.ToOpenAI[k], s.FirmGross[k][FirmOpenAI], s.FirmNet[k][FirmOpenAI])
		}
	}
	if !(before > 0) {
		t.Error("nothing booked or transferred before the acquisition either: the check is vacuous")
	}
	if !(s.Gross[acq+1][agents.ChannelOpenAI] > 0) {
		t.Error("the OpenAI channel sells nothing after the acquisition: its revenue should go to Microsoft, not vanish")
	}
}

// TestSameKeySameSeries: a run is a pure function of (config, regime, key).
func TestSameKeySameSeries(t *testing.T) {
	cfg := smallConfig(2000)
	reg := compiled(t, "history", &cfg)
	a := run(t, new(Sim), &cfg, reg, agents.Key{Seed: 9, Run: 4})
	b := run(t, new(Sim), &cfg, reg, agents.Key{Seed: 9, Run: 4})
	if !reflect.DeepEqual(a, b) {
		t.Error("two fresh Sims give different Series for the same key")
	}
	c := run(t, new(Sim), &cfg, reg, agents.Key{Seed: 9, Run: 5})
	if reflect.DeepEqual(a.Gross, c.Gross) {
		t.Error("runs 4 and 5 give the same Series: the run key is ignored")
	}
}

// TestCommonPopulation: two regimes of one run see the same buyers (common
// random numbers), and so the same adoption path.
func TestCommonPopulation(t *testing.T) {
	cfg := smallConfig(2000)
	key := agents.Key{Seed: 2, Run: 7}
	var simA, simB Sim
	a := run(t, &simA, &cfg, compiled(t, "history", &cfg), key)
	b := run(t, &simB, &cfg, compiled(t, "acquired-2024", &cfg), key)
	if !reflect.DeepEqual(simA.popc.pop, simB.popc.pop) {
		t.Error("history and acquired-2024 draw different buyer populations in the same run")
	}
	var want agents.Population
	want.Generate(&cfg.Buyers, key, cfg.Start)
	if !reflect.DeepEqual(simA.popc.pop, want) {
		t.Error("the Sim's population differs from agents.Population.Generate for the same key")
	}
	if !reflect.DeepEqual(a.Adopted, b.Adopted) || !reflect.DeepEqual(a.Other, b.Other) {
		t.Error("adoption or other revenue differ between regimes of the same run")
	}
	if reflect.DeepEqual(a.FirmNet, b.FirmNet) {
		t.Error("history and acquired-2024 give the same books")
	}
}

// TestSimReuse: a Sim that has run other regimes, keys and configs gives
// exactly the Series of a fresh Sim. The Sim caches the population, the
// schedules, the targeting orders, other revenue and each buyer's logit
// weights, so every cache must be invalidated by what it depends on. The
// weights are kept from run to run where a channel shows the same view
// (scenarios of a run share the population): a seller's security, support
// or bundle discount, the misfit and a cloud moved by cloud pull must each
// make them stale.
func TestSimReuse(t *testing.T) {
	base := smallConfig(1500)
	bundle := withParam(t, base, "sellers.azure.bundle_discount", 0.3)
	random := withParam(t, base, "sellers.openai.targeting", "random")
	buyers := withParam(t, base, "buyers.budget_sigma", 1.0)
	other := withParam(t, base, "other_revenue.long_run_growth", 0.4)
	shorter := base
	shorter.Start, shorter.End = agents.MonthOf(2022, 1), agents.MonthOf(2028, 6)
	extreme := withParam(t, base, "buyers.segments.regulated.security.mean", 500.0) // preference weights too large for cached weights: the log-sum-exp path
	growth := withParam(t, base, "spend_growth", 0.1)                               // accounting only: the buyers' dynamics may be reused
	margin := withParam(t, base, "sellers.open.margin", 0.7)
	security := withParam(t, base, "sellers.aws.security", 0.1)
	support := withParam(t, base, "sellers.anthropic_aws.support", 1.0)
	awsBundle := withParam(t, base, "sellers.aws.bundle_discount", 0.3)
	misfit := withParam(t, base, "clouds.misfit", 2.5)
	pull := withParam(t, base, "clouds.pull", 0.6) // many buyers move their cloud
	k1, k2 := agents.Key{Seed: 1, Run: 1}, agents.Key{Seed: 1, Run: 2}
	steps := []struct {
		cfg       *Config
		regime    string
		key       agents.Key
		breakdown bool
	}{
		{&base, "history", k1, false},
		// Regimes buyers see alike (they differ in money flows only), with
		// and without the breakdown.
		{&base, "amended-no-cap", k1, true},
		{&base, "history", k1, true},
		{&base, "amended-no-cap", k1, false},
		{&growth, "history", k1, false},
		{&margin, "amended-no-cap", k1, true},
		{&base, "history", k1, false},
		{&base, "amended-2026", k2, false},
		{&base, "history", k1, false},
		{&base, "acquired-2024", k1, false},
		{&bundle, "history", k1, false},
		{&base, "history", k1, false},
		{&random, "history", k2, false},
		{&base, "history", k2, false},
		{&buyers, "history", k1, false},
		{&other, "history", k1, false},
		{&shorter, "history", k1, false},
		{&extreme, "history", k1, false},
		{&base, "history", k1, false},
		{&base, "open-early-2025", k1, false},
		{&security, "open-early-2025", k1, false},
		{&base, "history", k1, false},
		{&support, "history", k1, false},
		{&base, "original-2019", k1, false}, // not in the dynamics cache: simulated
		{&awsBundle, "amended-2026", k1, false},
		{&base, "amended-2026", k1, false},
		{&misfit, "history", k1, false},
		{&pull, "history", k1, false},
		{&pull, "amended-2026", k1, false},
		{&pull, "history", k1, false},
		{&base, "history", k1, false},
	}
	var reused Sim
	for i, st := range steps {
		reg := compiled(t, st.regime, st.cfg)
		got, want := new(Series), new(Series)
		if err := reused.Run(st.cfg, reg, st.key, got, st.breakdown); err != nil {
			t.Fatal(err)
		}
		if err := new(Sim).Run(st.cfg, reg, st.key, want, st.breakdown); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("step %d (%s, %v): a reused Sim's Series differs from a fresh Sim's", i, st.regime, st.key)
		}
		checkCachedWeights(t, &reused, i)
	}
}

// checkCachedWeights checks, after a run, that every cached weight a
// buyer holds for the current view of an open channel is the weight its
// buyer's part of the utility gives now: a stale weight that a Series
// happens not to show (a choice it did not flip) still fails here.
func checkCachedWeights(t *testing.T, s *Sim, step int) {
	t.Helper()
	// A run that reused dynamics entered no month: the cache and the
	// month's view are still the last simulated run's, and must agree.
	bad := 0
	for bs := range s.logit.buyers {
		bc := &s.logit.buyers[bs]
		if bc.slow {
			continue
		}
		slot := bs * s.W
		for c := 0; c < nChan; c++ {
			if !s.env.avail.Has(c) || bc.ver[c] != s.logit.ver[c] {
				continue
			}
			if want := detmath.Exp(s.buyerUtility(slot, c)); bc.w[c] != want {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("step %d: %d cached weights of current views differ from their buyers' utilities", step, bad)
	}
}

// withParam returns base with the parameter at path set to v.
func withParam(t *testing.T, base Config, path string, v any) Config {
	t.Helper()
	if err := SetParam(&base, path, v); err != nil {
		t.Fatal(err)
	}
	if err := base.Validate(); err != nil {
		t.Fatalf("%s = %v: %v", path, v, err)
	}
	return base
}

// TestParametersMatter: changing only a seller parameter changes the run;
// changing the buyers' configuration regenerates the population.
func TestParametersMatter(t *testing.T) {
	cfg := smallConfig(2000)
	reg := compiled(t, "history", &cfg)
	key := agents.Key{Seed: 8}
	var sim Sim
	a := run(t, &sim, &cfg, reg, key)
	popA := sim.popc.pop.Budget[:len(sim.popc.pop.Budget):len(sim.popc.pop.Budget)]
	popA = append([]float64(nil), popA...)

	b2 := withParam(t, cfg, "sellers.azure.bundle_discount", 0.3)
	b := run(t, &sim, &b2, reg, key)
	if reflect.DeepEqual(a.Gross, b.Gross) {
		t.Error("sellers.azure.bundle_discount 0.1 → 0.3 leaves the Series unchanged")
	}
	if !reflect.DeepEqual(a.Adopted, b.Adopted) {
		t.Error("a seller parameter changed the buyers' adoption")
	}

	c2 := withParam(t, cfg, "buyers.budget_median_usd", 2000.0)
	c := run(t, &sim, &c2, reg, key)
	for i, v := range sim.popc.pop.Budget {
		if want := 2 * popA[i]; math.Abs(v-want) > 1e-12*want {
			t.Fatalf("buyer %d's budget is %g after doubling the median, want %g: the population was not regenerated", i, v, want)
		}
	}
	if reflect.DeepEqual(a.Spend, c.Spend) {
		t.Error("doubling buyers.budget_median_usd leaves spend unchanged")
	}
}

// TestRunAllocatesNothing: after a warm-up, Sim.Run allocates nothing,
// whether it reuses the population (same key) or draws a new one.
func TestRunAllocatesNothing(t *testing.T) {
	cfg := smallConfig(500)
	reg := compiled(t, "history", &cfg)
	var sim Sim
	var out Series
	key := agents.Key{Seed: 1}
	if err := sim.Run(&cfg, reg, key, &out, true); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() {
		if err := sim.Run(&cfg, reg, key, &out, true); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Run with the same key allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(20, func() {
		key.Run++
		if err := sim.Run(&cfg, reg, key, &out, false); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Run with a new key each time allocates %v times, want 0", n)
	}
	// AllocsPerRun divides by the runs and truncates, so an allocation every
	// few runs (a buffer sized to one population's count, outgrown by a
	// later population) reads as 0 there. Count every malloc instead. The
	// count is process-wide: now and then another goroutine of the test
	// binary allocates meanwhile (a memory profile at rate 1 showed none
	// under Sim.Run when this counted 1), so take the best of three
	// batches of 100 runs, each on one P after a collection. A Sim that
	// allocates in its runs fails all three.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	best := uint64(math.MaxUint64)
	for attempt := 0; attempt < 3 && best > 0; attempt++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for i := 0; i < 100; i++ {
			key.Run++
			if err := sim.Run(&cfg, reg, key, &out, false); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		best = min(best, after.Mallocs-before.Mallocs)
	}
	if best != 0 {
		t.Errorf("100 runs with new keys allocate %d times (best of 3 batches), want 0", best)
	}
}

// TestAdoptionMatchesBass: with 20,000 buyers the simulated adopted share
// follows the Bass closed form. A buyer adopts in the month its continuous
// adoption time falls in (Population.Generate truncates the delay), so by
// the end of month Start+j the share is F(j+1). Each buyer adopts
// independently, so the share is a binomial proportion: se =
// sqrt(F(1−F)/n); we allow 4 se (two-sided p ≈ 6e-5 per check). Being a
// month off moves F by 2 to 8 se, which the checks at several months catch.
func TestAdoptionMatchesBass(t *testing.T) {
	cfg := smallConfig(20_000)
	s := run(t, new(Sim), &cfg, compiled(t, "history", &cfg), agents.Key{Seed: 11})
	d := cfg.Buyers.Diffusion
	n := float64(cfg.Buyers.Agents)
	for _, j := range []int{0, 2, 5, 8, 12, 18, 24, 48, 100} {
		k := int(d.Start-s.Start) + j
		f := d.AdoptedShare(float64(j + 1))
		se := math.Sqrt(f * (1 - f) / n)
		if got := s.Adopted[k]; math.Abs(got-f) > 4*se {
			t.Errorf("%s (%d months after %s): adopted %.4f, Bass F(%d) = %.4f ± %.4f (4 se)", s.Start+Month(k), j, d.Start, got, j+1, f, 4*se)
		}
	}
	if k := int(d.Start-s.Start) - 1; s.Adopted[k] != 0 {
		t.Errorf("adopted %g in %s, before diffusion starts", s.Adopted[k], d.Start-1)
	}
}

// TestReleaseLagInRun: a channel opened with a release lag of 2.3 months has
// no customers for ceil(2.3) = 3 months, then some.
func TestReleaseLagInRun(t *testing.T) {
	cfg := smallConfig(3000)
	r := lagRegime(2.3, false)
	reg, err := Compile(&r, cfg.Start, cfg.End)
	if err != nil {
		t.Fatal(err)
	}
	s := run(t, new(Sim), &cfg, reg, agents.Key{Seed: 12})
	open := monthIndex(s, 2026, 4)
	for k := open; k < open+3; k++ {
		if s.Customers[k][agents.ChannelAWS] != 0 {
			t.Errorf("aws has %g customers in %s, within its 2.3-month release lag", s.Customers[k][agents.ChannelAWS], s.Start+Month(k))
		}
	}
	if !(s.Customers[open+6][agents.ChannelAWS] > 0) {
		t.Error("aws has no customers 6 months after opening")
	}
}

// TestDecisionDraws: every decision of a buyer in a month has its own
// uniform draw, including pitches by different sellers in the same month.
func TestDecisionDraws(t *testing.T) {
	env := monthEnv{st: agents.Key{Seed: 1}.Stream(), t: agents.MonthOf(2027, 3)}
	seen := map[float64]string{}
	for _, d := range []struct {
		p     agents.Purpose
		pitch int
	}{
		{agents.PurposeDecideAdopt, -1}, {agents.PurposeDecideRenew, -1}, {agents.PurposeDecideForced, -1},
		{agents.PurposeDecidePitch, 0}, {agents.PurposeDecidePitch, 1}, {agents.PurposeDecidePitch, 2}, {agents.PurposeDecidePitch, 3},
	} {
		u := env.draw(d.p, 42, d.pitch)
		if !(u > 0 && u < 1) {
			t.Errorf("draw %v = %g, want in (0,1)", d, u)
		}
		if prev, ok := seen[u]; ok {
			t.Errorf("draw %v reuses the uniform of %s", d, prev)
		}
		seen[u] = fmt.Sprint(d)
	}
}

// TestRecordsFillCacheLines: a decision reads a buyer's packed records, so
// the buyer's must be one 64-byte cache line (large slices start on a
// page) and its weights at most three.
func TestRecordsFillCacheLines(t *testing.T) {
	if n := unsafe.Sizeof(buyerRecord{}); n != 64 {
		t.Errorf("buyerRecord is %d bytes, want 64", n)
	}
	// Fourteen channels' weights and versions take three lines; a record
	// of another size than a multiple of 64 bytes would straddle lines.
	if n := unsafe.Sizeof(buyerWeights{}); n != 192 {
		t.Errorf("buyerWeights is %d bytes, want 192 (three whole cache lines)", n)
	}
}

// TestBuyerSlot: buyerSlot's multiplication gives slot/W for every W
// allowed, at small slots, around every multiple of W up to 2^16, and at
// the largest slots a valid configuration has (fewer than 50,000,000
// workloads), where the multiplier's error is largest.
func TestBuyerSlot(t *testing.T) {
	for W := 1; W <= agents.MaxWorkloads; W++ {
		s := Sim{wMul: buyerSlotMul(W)}
		check := func(slot int) {
			if got := s.buyerSlot(slot); got != slot/W {
				t.Fatalf("W=%d: buyerSlot(%d) = %d, want %d", W, slot, got, slot/W)
			}
		}
		for slot := 0; slot < 1<<16; slot++ {
			check(slot)
		}
		for slot := 50_000_000 - 1<<16; slot < 50_000_000; slot++ {
			check(slot)
		}
		check(1<<26 - 1)
	}
}
