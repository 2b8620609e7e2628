package market

import (
	"fmt"
	"testing"

	"github.com/coopsim/coopsim/agents"
)

// benchmarkRun times Sim.Run of a regime with the given buyers. A Sim keeps
// the buyer dynamics of the current run key (up to maxDynamics of them) and
// reuses them for regimes and configs that buyers see alike, so a benchmark
// that repeated one run would time the accounting only. Unless reuse is
// wanted, runs cycle through more configs than the Sim keeps, differing in
// a seller constant by multiples of 1e-12 (same population, dynamics
// recomputed every run; the buyers' cached logit weights carry over, as
// from one scenario of a run to the next); with freshPopulation each run
// also has a new key.
func benchmarkRun(b *testing.B, buyers int, regime string, freshPopulation bool) {
	benchmarkRunMode(b, buyers, regime, freshPopulation, false)
}

func benchmarkRunMode(b *testing.B, buyers int, regime string, freshPopulation, reuseDynamics bool) {
	cfg := DefaultConfig()
	cfg.Buyers.Agents = buyers
	cfgs := make([]Config, 2*maxDynamics+1)
	for j := range cfgs {
		cfgs[j] = cfg
		cfgs[j].Sellers[agents.ChannelGCP].Constant += float64(j) * 1e-12
	}
	r, err := BuiltinRegime(regime)
	if err != nil {
		b.Fatal(err)
	}
	c, err := Compile(r, cfg.Start, cfg.End)
	if err != nil {
		b.Fatal(err)
	}
	var sim Sim
	var out Series
	for j := range cfgs { // warm-up: buffers for every kept dynamics
		if err := sim.Run(&cfgs[j], c, agents.Key{Seed: 1}, &out, false); err != nil {
			b.Fatal(err)
		}
	}
	decisions := 0
	defer lockThread()()
	cpu0, cpuOK := threadCPU()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		key := agents.Key{Seed: 1}
		if freshPopulation {
			key.Run = uint64(i + 1)
		}
		cf := &cfgs[0]
		if !reuseDynamics {
			cf = &cfgs[i%len(cfgs)]
		}
		if err := sim.Run(cf, c, key, &out, false); err != nil {
			b.Fatal(err)
		}
		decisions += out.Decisions
	}
	cpu1, _ := threadCPU()
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/sec, "runs/s")
	if reuseDynamics {
		return // no buyer was simulated: buyer metrics would mislead
	}
	b.ReportMetric(float64(b.N)*float64(buyers)*float64(cfg.Months())/sec, "buyer-months/s")
	b.ReportMetric(float64(decisions)/sec, "decisions/s")
	b.ReportMetric(float64(decisions)/float64(b.N), "decisions/run")
	b.ReportMetric(sec*1e9/float64(decisions), "ns/decision")
	if cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(decisions), "cpu-ns/decision")
	}
}

// BenchmarkRun is one run of the history regime, 10,000 buyers, 2019-07 to
// 2032-12, on a population already drawn: what every scenario after the
// first of a run costs in an ensemble (scenarios share the population).
func BenchmarkRun(b *testing.B) { benchmarkRun(b, 10_000, "history", false) }

// BenchmarkRunFresh draws a new population every run: the first scenario of
// each run in an ensemble.
func BenchmarkRunFresh(b *testing.B) { benchmarkRun(b, 10_000, "history", true) }

// BenchmarkRunAccounting is a run whose buyer dynamics the Sim already has
// (same key, a regime buyers see alike): the accounting only, what a
// scenario that differs from another only in money flows costs.
func BenchmarkRunAccounting(b *testing.B) { benchmarkRunMode(b, 10_000, "history", false, true) }

// BenchmarkRunBuyers is BenchmarkRun in size tiers: the cost of a run is
// linear in its decisions, which grow with the buyers, so ns/decision
// should stay nearly flat; it grows where a decision waits on memory (the
// buyers' data no longer fit in cache). The 1,000,000 tier warms up on 33
// runs before timing (seconds each): run it alone, e.g.
// go test ./market -run '^$' -bench 'RunBuyers/1000000$' -benchtime 3x.
func BenchmarkRunBuyers(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchmarkRun(b, n, "history", false) })
	}
}

// BenchmarkCompile is the cost of resolving the history regime month by
// month over the default span (once per scenario, not per run).
func BenchmarkCompile(b *testing.B) {
	cfg := DefaultConfig()
	r, err := BuiltinRegime("history")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Compile(r, cfg.Start, cfg.End); err != nil {
			b.Fatal(err)
		}
	}
}
