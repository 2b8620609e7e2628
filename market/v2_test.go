package market

import (
	"math"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents"
)

// degenerate is a market in which every buyer adopts in the first month
// (2025-01) with no spread in its weights, no inertia, no sales teams, no
// adaptive pricing and no cloud pull, every channel open and no lag: each
// workload's one decision is a multinomial logit over all fourteen
// channels, whose probabilities depend only on its segment and cloud.
func degenerate(n, workloads int, decay float64) (Config, *Compiled) {
	c := DefaultConfig()
	c.Start, c.End = agents.MonthOf(2025, 1), agents.MonthOf(2025, 3)
	c.Buyers.Agents = n
	c.Buyers.Workloads, c.Buyers.WorkloadDecay = workloads, decay
	c.Buyers.Diffusion.AllAtStart = true
	c.Buyers.BudgetSigma = 0.8
	for s := range c.Buyers.Segments {
		for p := range c.Buyers.Segments[s].Weights {
			c.Buyers.Segments[s].Weights[p].CV = 0
		}
		c.Buyers.Segments[s].Weights[agents.PrefStay].Mean = 0
	}
	for ch := range c.Sellers {
		c.Sellers[ch].Reach = agents.Reach{}
		c.Sellers[ch].Adaptive.Enabled = false
		c.Opens[ch] = 0
	}
	c.Clouds.Pull = 0
	all := []agents.Channel{agents.ChannelOpenAI, agents.ChannelAzure, agents.ChannelAWS, agents.ChannelGCP}
	r := &Regime{Name: "all-open", Amendments: []Amendment{{Month: c.Start, Open: &all}}}
	reg, err := Compile(r, c.Start, c.End)
	if err != nil {
		panic(err)
	}
	return c, reg
}

// closedFormProbs is the multinomial logit of docs/model.md §7.3–7.4 written
// out independently of the simulator: channel constant + maker constant +
// maker standing (β·Σ e^(−λ·later releases by others)) + security and
// support, fit or misfit, less price net of the bundle discount.
func closedFormProbs(c *Config, seg agents.Segment, inc agents.Cloud, t Month) [agents.NumChannels]float64 {
	w := &c.Buyers.Segments[seg].Weights
	var v [agents.NumChannels]float64
	for ch := range v {
		sc := &c.Sellers[ch]
		m := agents.ChannelMaker[ch]
		standing := 0.0
		for _, r := range c.Makers.Releases[m] {
			if r == 0 || r > t {
				continue
			}
			later := 0
			for o := range c.Makers.Releases {
				for _, x := range c.Makers.Releases[o] {
					if agents.Maker(o) != m && x != 0 && x > r && x <= t {
						later++
					}
				}
			}
			standing += c.Makers.ReleaseWeight * math.Exp(-c.Makers.ReleaseFade*float64(later))
		}
		price := sc.ListPrice
		u := sc.Constant + c.Makers.Constant[m] + standing + w[agents.PrefSecurity].Mean*sc.Security + w[agents.PrefSupport].Mean*sc.Support
		switch cl := agents.ChannelCloud[ch]; {
		case cl == inc:
			price *= 1 - sc.BundleDiscount
			u += w[agents.PrefFit].Mean
		case cl != agents.CloudNone:
			u -= c.Clouds.Misfit
		}
		v[ch] = u - w[agents.PrefPrice].Mean*price
	}
	var p [agents.NumChannels]float64
	agents.LogitProbabilities(&v, 1<<agents.NumChannels-1, &p)
	return p
}

// TestClosedFormLogit: in the degenerate market the customers of each of
// the fourteen channels (four makers, three clouds and the makers' own
// APIs) match the multinomial logit formula within 4 standard errors.
func TestClosedFormLogit(t *testing.T) {
	cfg, reg := degenerate(20_000, 1, 1)
	var sim Sim
	s := run(t, &sim, &cfg, reg, agents.Key{Seed: 11})
	pop := &sim.popc.pop
	var want, variance [agents.NumChannels]float64
	for i := 0; i < pop.Len(); i++ {
		p := closedFormProbs(&cfg, pop.Segment[i], pop.Incumbent[i], cfg.Start)
		for ch := range p {
			want[ch] += p[ch]
			variance[ch] += p[ch] * (1 - p[ch])
		}
	}
	for ch := range want {
		got := s.Customers[0][ch] / pop.Weight
		se := math.Sqrt(variance[ch])
		if math.Abs(got-want[ch]) > 4*se+1e-9 {
			t.Errorf("%s: %g customers, logit formula %g ± %g (4 se)", agents.Channel(ch), got, want[ch], 4*se)
		}
		if want[ch] < 20 {
			t.Errorf("%s: expected only %g customers: the check is weak", agents.Channel(ch), want[ch])
		}
	}
}

// TestMultiHoming: with three workloads splitting the budget 4:2:1 and no
// spread, each workload chooses separately with the logit probabilities p,
// so an account buys through channel c with probability 1 − (1 − p)³ and
// the expected spend on c is p of all spend; both within 4 standard errors.
// With one workload the same market puts each account on one channel.
func TestMultiHoming(t *testing.T) {
	cfg, reg := degenerate(10_000, 3, 0.5)
	var sim Sim
	s := run(t, &sim, &cfg, reg, agents.Key{Seed: 12})
	pop := &sim.popc.pop
	var wantCust, varCust, wantSpend, varSpend [agents.NumChannels]float64
	total := 0.0
	for b := 0; b < pop.Buyers(); b++ {
		i := 3 * b
		p := closedFormProbs(&cfg, pop.Segment[i], pop.Incumbent[i], cfg.Start)
		budget := pop.Budget[i] + pop.Budget[i+1] + pop.Budget[i+2]
		if r := pop.Budget[i+1] / pop.Budget[i]; math.Abs(r-0.5) > 1e-12 {
			t.Fatalf("buyer %d: second workload's budget is %g of the first's, want 0.5", b, r)
		}
		total += budget
		for ch := range p {
			q := 1 - math.Pow(1-p[ch], 3)
			wantCust[ch] += q
			varCust[ch] += q * (1 - q)
			wantSpend[ch] += budget * p[ch]
			for w := 0; w < 3; w++ {
				varSpend[ch] += pop.Budget[i+w] * pop.Budget[i+w] * p[ch] * (1 - p[ch])
			}
		}
	}
	for ch := range wantCust {
		got := s.Customers[0][ch] / pop.Weight
		if se := math.Sqrt(varCust[ch]); math.Abs(got-wantCust[ch]) > 4*se {
			t.Errorf("%s: %g accounts, want 1−(1−p)³ summed: %g ± %g (4 se)", agents.Channel(ch), got, wantCust[ch], 4*se)
		}
		// The logit splits usage at list prices; revenue also has the
		// bundle discount off own-cloud buyers, so compare list usage.
		list := 0.0
		for j := ch * agents.NumSegments * agents.NumClouds; j < (ch+1)*agents.NumSegments*agents.NumClouds; j++ {
			list += sim.dync.entries[0].usage[0][j]
		}
		listTotal := 0.0
		for j := range sim.dync.entries[0].usage[0] {
			listTotal += sim.dync.entries[0].usage[0][j]
		}
		share := list / listTotal
		if se := math.Sqrt(varSpend[ch]) / total; math.Abs(share-wantSpend[ch]/total) > 4*se {
			t.Errorf("%s: spend share %g at list prices, want p averaged by budget %g ± %g (4 se)", agents.Channel(ch), share, wantSpend[ch]/total, 4*se)
		}
	}
	// Accounts on several channels: more customer slots than accounts.
	slots := 0.0
	for ch := range wantCust {
		slots += s.Customers[0][ch]
	}
	if slots <= cfg.Buyers.Accounts*1.2 {
		t.Errorf("three workloads give %g customer slots for %g accounts: no multi-homing", slots, cfg.Buyers.Accounts)
	}
	one, reg1 := degenerate(10_000, 1, 1)
	s1 := run(t, new(Sim), &one, reg1, agents.Key{Seed: 12})
	slots = 0
	for ch := range wantCust {
		slots += s1.Customers[0][ch]
	}
	if math.Abs(slots-one.Buyers.Accounts) > 1e-6*one.Buyers.Accounts {
		t.Errorf("one workload: %g customer slots for %g accounts, want one each", slots, one.Buyers.Accounts)
	}
}

// TestReleaseRaisesShare: adding an Anthropic frontier release in 2024-01
// (controlled: same run key, nothing else changed) raises Anthropic's share
// of spend from then on and lowers OpenAI's; before it nothing changes.
func TestReleaseRaisesShare(t *testing.T) {
	base := smallConfig(4000)
	base.End = agents.MonthOf(2024, 12)
	more := base
	rel := &more.Makers.Releases[agents.MakerAnthropic]
	n := 0
	for rel[n] != 0 && rel[n] < agents.MonthOf(2024, 1) {
		n++
	}
	copy(rel[n+1:], rel[n:len(rel)-1])
	rel[n] = agents.MonthOf(2024, 1)
	reg := compiled(t, "history", &base)
	key := agents.Key{Seed: 13}
	a := run(t, new(Sim), &base, reg, key)
	b := run(t, new(Sim), &more, reg, key)
	share := func(s *Series, k int, m agents.Maker) float64 { return s.MakerGross[k][m] / s.Spend[k] }
	for k := range a.Spend {
		t0 := base.Start + Month(k)
		switch {
		case t0 < agents.MonthOf(2024, 1):
			if a.Spend[k] != b.Spend[k] || a.MakerGross[k] != b.MakerGross[k] {
				t.Fatalf("%s: the 2024-01 release changed the market before it", t0)
			}
		case t0 >= agents.MonthOf(2024, 3):
			if !(share(b, k, agents.MakerAnthropic) > share(a, k, agents.MakerAnthropic)) ||
				!(share(b, k, agents.MakerOpenAI) < share(a, k, agents.MakerOpenAI)) {
				t.Errorf("%s: with the release Anthropic %.4f (was %.4f), OpenAI %.4f (was %.4f)", t0,
					share(b, k, agents.MakerAnthropic), share(a, k, agents.MakerAnthropic), share(b, k, agents.MakerOpenAI), share(a, k, agents.MakerOpenAI))
			}
		}
	}
}

// TestBreakdownSums: spend and customers by segment and by incumbent cloud
// add up to each channel's totals, and spend by maker to all spend, every
// month of the history regime.
func TestBreakdownSums(t *testing.T) {
	cfg := smallConfig(3000)
	reg := compiled(t, "history", &cfg)
	var s Series
	if err := new(Sim).Run(&cfg, reg, agents.Key{Seed: 14}, &s, true); err != nil {
		t.Fatal(err)
	}
	for k := range s.Spend {
		makers := 0.0
		for _, v := range s.MakerGross[k] {
			makers += v
		}
		if relDiff(makers, s.Spend[k], s.Spend[k]) > 1e-9 {
			t.Errorf("%s: Σ spend by maker %g, spend %g", s.Start+Month(k), makers, s.Spend[k])
		}
		for ch := 0; ch < agents.NumChannels; ch++ {
			var seg, cl, segN, clN float64
			for g := range s.SpendBySegment[k] {
				seg += s.SpendBySegment[k][g][ch]
				segN += s.BySegment[k][g][ch]
			}
			for g := range s.SpendByCloud[k] {
				cl += s.SpendByCloud[k][g][ch]
				clN += s.ByCloud[k][g][ch]
			}
			g := s.Gross[k][ch]
			if relDiff(seg, g, g) > 1e-9 || relDiff(cl, g, g) > 1e-9 {
				t.Errorf("%s %s: spend by segment %g, by cloud %g, gross %g", s.Start+Month(k), agents.Channel(ch), seg, cl, g)
			}
			if c := s.Customers[k][ch]; relDiff(segN, c, c) > 1e-9 || relDiff(clN, c, c) > 1e-9 {
				t.Errorf("%s %s: customers by segment %g, by cloud %g, total %g", s.Start+Month(k), agents.Channel(ch), segN, clN, c)
			}
		}
	}
	if s.CloudMoves == 0 {
		t.Error("no buyer moved its cloud in the history regime: cloud pull never acted")
	}
}

// TestRivalChannelsRegime: an amendment term closes a rival channel
// ("Claude never on Bedrock") or opens one early; Describe says so; an
// unknown channel is an error naming the term.
func TestRivalChannelsRegime(t *testing.T) {
	cfg := smallConfig(2000)
	h, err := BuiltinRegime("history")
	if err != nil {
		t.Fatal(err)
	}
	never := *h
	never.Name = "no-claude-on-bedrock"
	never.Amendments = append([]Amendment(nil), h.Amendments...)
	never.Amendments[0].RivalChannels = map[string]bool{"anthropic_aws": false, "google": true}
	reg, err := Compile(&never, cfg.Start, cfg.End)
	if err != nil {
		t.Fatal(err)
	}
	s := run(t, new(Sim), &cfg, reg, agents.Key{Seed: 15})
	base := run(t, new(Sim), &cfg, compiled(t, "history", &cfg), agents.Key{Seed: 15})
	early := false
	for k := range s.Spend {
		if s.Gross[k][agents.ChannelAnthropicAWS] != 0 || s.Customers[k][agents.ChannelAnthropicAWS] != 0 {
			t.Fatalf("%s: Claude sells on Bedrock though the regime closed it", s.Start+Month(k))
		}
		if s.Start+Month(k) < cfg.Opens[agents.ChannelGoogle] && s.Gross[k][agents.ChannelGoogle] > 0 {
			early = true
		}
	}
	if !early {
		t.Error("Gemini direct, opened by the regime from the start, sold nothing before its default date")
	}
	last := len(s.Spend) - 1
	if !(base.Gross[last][agents.ChannelAnthropicAWS] > 0) {
		t.Error("Claude never sells on Bedrock in history either: the check is vacuous")
	}
	if d := strings.Join(never.Describe(), "\n"); !strings.Contains(d, "rival channels closed: anthropic_aws") || !strings.Contains(d, "rival channels open: google") {
		t.Errorf("Describe does not name the rival channels:\n%s", d)
	}
	bad := Amendment{Month: cfg.Start, RivalChannels: map[string]bool{"claude_aws": false}}
	if err := bad.Validate("amendment 1"); err == nil || !strings.Contains(err.Error(), "rival_channels") {
		t.Errorf("unknown rival channel: error %v, want one naming rival_channels", err)
	}
}

// TestWorkloadSlots: a buyer's W workloads have consecutive record slots
// starting at a multiple of W (its weights' slot is that over W), so the
// workloads share their buyer's cached weights and account count.
func TestWorkloadSlots(t *testing.T) {
	cfg := smallConfig(3000)
	var sim Sim
	run(t, &sim, &cfg, compiled(t, "history", &cfg), agents.Key{Seed: 16})
	W := cfg.Buyers.Workloads
	seen := make([]bool, len(sim.popc.slotOf))
	for i, sl := range sim.popc.slotOf {
		first := sim.popc.slotOf[i-i%W]
		if first%int32(W) != 0 || sl != first+int32(i%W) {
			t.Fatalf("workload %d (buyer %d) at slot %d, its first workload at %d: want consecutive slots from a multiple of %d", i, i/W, sl, first, W)
		}
		if seen[sl] {
			t.Fatalf("slot %d used twice", sl)
		}
		seen[sl] = true
	}
}
