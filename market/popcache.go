package market

import (
	"math"

	"github.com/coopsim/coopsim/agents"
)

// populationKey is everything a buyer population and its schedule are made
// from: the buyer configuration, the run key and the simulated months.
type populationKey struct {
	buyers agents.BuyerConfig
	run    agents.Key
	start  Month
	months int
}

func populationKeyOf(cfg *Config, run agents.Key) populationKey {
	return populationKey{cfg.Buyers, run, cfg.Start, cfg.Months()}
}

// populationCache holds the buyer population of one populationKey, its
// schedule (who adopts and renews when) and the sellers' targeting orders,
// so that scenarios of one run key share them.
type populationCache struct {
	key   populationKey
	valid bool
	pop   agents.Population

	// adoptSlots holds buyers by adoption month index: month k's are
	// adoptSlots[adoptStart[k]:adoptStart[k+1]], as buyer indices after
	// schedule, as their slots after pack.
	adoptStart []int32
	adoptSlots []int32
	// firstRenew is each buyer's first renewal month index (or MaxInt32).
	// renewList holds buyers by bucket firstRenew mod RenewalMonths, each
	// bucket sorted by firstRenew, bucket b at renewStart[b]:renewStart[b+1].
	firstRenew []int32
	renewStart []int32
	renewList  []int32
	counts     []int32
	sortBuf    []int32

	// byBudget is the population's largest-first order; order[c] is seller
	// c's targeting order, as slots (see buyers), for policy orderPol[c],
	// valid when orderOK[c].
	byBudget []int32
	sortTmp  []int32
	sortKeys []uint64
	order    [nChan][]int32
	orderOK  [nChan]bool
	orderPol [nChan]agents.Targeting

	// buyers is what a decision reads of each buyer, packed in one cache
	// line (a decision visits buyers in adoption, renewal and targeting
	// order, so at scale each of its reads of separate arrays would wait
	// on memory), at buyer i's slot slotOf[i]. Renewals, most decisions,
	// visit buyers in renewList order, so renewing buyers have slots in
	// that order (slot = position in renewList) and their records are read
	// front to back; the others follow, by index. The stepper's per-workload
	// state is by slot too, and the schedules list slots: idxOf is the
	// workload at each slot, renewDue each renewing slot's first renewal
	// month index.
	buyers   []buyerRecord
	slotOf   []int32
	idxOf    []int32
	renewDue []int32
}

// buyerRecord is one buyer's data that decisions read, 64 bytes: the
// preference weights of Sim.utility, budget, adoption month, incumbent
// cloud and segment.
type buyerRecord struct {
	security, support, early, fit, price float64
	budget                               float64
	adopt                                Month
	incumbent                            agents.Cloud
	segment                              agents.Segment
	_                                    [8]byte // to 64 bytes: one record, one cache line
}

// pack assigns the buyers' slots and fills pc.buyers from the population.
func (pc *populationCache) pack() {
	pop := &pc.pop
	n := pop.Len()
	pc.slotOf = resize(pc.slotOf, n)
	for i := range pc.slotOf {
		pc.slotOf[i] = -1
	}
	for pos, i := range pc.renewList {
		pc.slotOf[i] = int32(pos)
	}
	next := int32(len(pc.renewList))
	for i, sl := range pc.slotOf {
		if sl < 0 {
			pc.slotOf[i] = next
			next++
		}
	}
	pc.idxOf = resize(pc.idxOf, n)
	for i, sl := range pc.slotOf {
		pc.idxOf[sl] = int32(i)
	}
	for p, i := range pc.adoptSlots { // buyer indices to slots
		pc.adoptSlots[p] = pc.slotOf[i]
	}
	pc.renewDue = resize(pc.renewDue, n)[:len(pc.renewList)]
	for sl, i := range pc.renewList {
		pc.renewDue[sl] = pc.firstRenew[i]
	}
	pc.buyers = resize(pc.buyers, n)
	for i := range n {
		pc.buyers[pc.slotOf[i]] = buyerRecord{
			security: pop.Pref[agents.PrefSecurity][i], support: pop.Pref[agents.PrefSupport][i],
			early: pop.Pref[agents.PrefEarlyAccess][i], fit: pop.Pref[agents.PrefFit][i],
			price: pop.Pref[agents.PrefPrice][i], budget: pop.Budget[i], adopt: pop.Adopt[i],
			incumbent: pop.Incumbent[i], segment: pop.Segment[i],
		}
	}
}

// prepare makes the population, schedule and targeting orders of cfg and
// run key ready, drawing them anew only when the key changed. It reports
// whether the population is new.
func (pc *populationCache) prepare(cfg *Config, run agents.Key) (fresh bool) {
	if k := populationKeyOf(cfg, run); !pc.valid || pc.key != k {
		pc.pop.Generate(&cfg.Buyers, run, cfg.Start)
		pc.key, pc.valid, fresh = k, true, true
		pc.schedule(cfg, k.months)
		pc.pack()
		pc.orderOK = [nChan]bool{}
		pc.byBudget, pc.sortTmp, pc.sortKeys = agents.LargestFirst(pc.byBudget, pc.sortTmp, pc.sortKeys, &pc.pop)
	}
	st := run.Stream()
	for c := 0; c < nChan; c++ {
		pol := cfg.Sellers[c].Targeting
		if !cfg.Sellers[c].Reach.Active() {
			continue // no sales team: no order needed
		}
		if !pc.orderOK[c] || pc.orderPol[c] != pol {
			pc.order[c] = agents.TargetOrder(pc.order[c], &pc.pop, pc.byBudget, pol, agents.Channel(c), st)
			for p, i := range pc.order[c] {
				pc.order[c][p] = pc.slotOf[i]
			}
			pc.orderOK[c], pc.orderPol[c] = true, pol
		}
	}
	return fresh
}

// schedule buckets buyers by adoption month and by renewal phase, with
// counting sorts (linear in buyers, no comparisons).
func (pc *populationCache) schedule(cfg *Config, T int) {
	pop := &pc.pop
	n := pop.Len()
	pc.adoptStart = resize(pc.adoptStart, T+1)
	clear(pc.adoptStart)
	pc.adoptSlots = resize(pc.adoptSlots, n)
	pc.firstRenew = resize(pc.firstRenew, n)
	adoptIdx := func(i int) int {
		if pop.Adopt[i] == agents.Never {
			return -1
		}
		a := int(pop.Adopt[i] - cfg.Start)
		if a >= T {
			return -1
		}
		return a
	}
	for i := 0; i < n; i++ {
		if a := adoptIdx(i); a >= 0 {
			pc.adoptStart[a+1]++
		}
	}
	for k := 1; k <= T; k++ {
		pc.adoptStart[k] += pc.adoptStart[k-1]
	}
	pc.counts = resize(pc.counts, max(T, cfg.Buyers.RenewalMonths)+1)
	copy(pc.counts, pc.adoptStart[:T])
	placed := 0
	for i := 0; i < n; i++ {
		pc.firstRenew[i] = math.MaxInt32
		if a := adoptIdx(i); a >= 0 {
			pc.adoptSlots[pc.counts[a]] = int32(i)
			pc.counts[a]++
			placed++
			if fr := a + int(pop.Phase[i]); fr < T {
				pc.firstRenew[i] = int32(fr)
			}
		}
	}
	pc.adoptSlots = pc.adoptSlots[:placed]
	pc.scheduleRenewals(cfg.Buyers.RenewalMonths, T)
}

// scheduleRenewals sorts the renewing buyers by first renewal month
// (counting sort), then deals them into buckets by that month mod N; the
// deal is stable, so each bucket stays sorted and a month's renewals are a
// prefix of its bucket.
func (pc *populationCache) scheduleRenewals(N, T int) {
	n := pc.pop.Len()
	byMonth := pc.counts[:T+1]
	clear(byMonth)
	renewing := 0
	for i := 0; i < n; i++ {
		if fr := pc.firstRenew[i]; fr != math.MaxInt32 {
			byMonth[fr+1]++
			renewing++
		}
	}
	for k := 1; k <= T; k++ {
		byMonth[k] += byMonth[k-1]
	}
	// Sized to the buyers, not to this population's renewing count, so a
	// later population with more renewing buyers needs no new storage.
	sorted := resize(pc.sortBuf, n)[:renewing]
	pc.sortBuf = sorted
	for i := 0; i < n; i++ {
		if fr := pc.firstRenew[i]; fr != math.MaxInt32 {
			sorted[byMonth[fr]] = int32(i)
			byMonth[fr]++
		}
	}
	pc.renewStart = resize(pc.renewStart, N+1)
	clear(pc.renewStart)
	for _, i := range sorted {
		pc.renewStart[pc.firstRenew[i]%int32(N)+1]++
	}
	for b := 1; b <= N; b++ {
		pc.renewStart[b] += pc.renewStart[b-1]
	}
	pc.renewList = resize(pc.renewList, n)[:renewing]
	fill := pc.counts[:N]
	copy(fill, pc.renewStart[:N])
	for _, i := range sorted { // stable: each bucket stays sorted by month
		b := pc.firstRenew[i] % int32(N)
		pc.renewList[fill[b]] = i
		fill[b]++
	}
}
