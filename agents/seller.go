package agents

import (
	"fmt"
	"math"
	"strconv"
)

// Targeting is the order in which a seller's team works through the
// workloads it pitches.
type Targeting uint8

// The targeting policies.
const (
	// TargetLargestFirst pitches the workloads with the largest budgets
	// first.
	TargetLargestFirst Targeting = iota
	// TargetOwnCloudFirst pitches the workloads of the seller's own cloud's
	// customers (by the incumbent cloud drawn at the start of the run)
	// first, largest first within each group.
	TargetOwnCloudFirst
	// TargetRandom pitches workloads in an order drawn per run and seller.
	TargetRandom
	numTargetings
)

// TargetingNames are the policies' names in TOML.
var TargetingNames = [numTargetings]string{"largest_first", "own_cloud_first", "random"}

// ParseTargeting reads a policy name.
func ParseTargeting(s string) (Targeting, error) {
	for i, n := range TargetingNames {
		if n == s {
			return Targeting(i), nil
		}
	}
	return 0, fmt.Errorf("agents: %w", &ValueError{Value: s, Got: "unknown targeting " + strconv.Quote(s), Want: "largest_first, own_cloud_first or random"})
}

func (t Targeting) String() string {
	if int(t) < len(TargetingNames) {
		return TargetingNames[t]
	}
	return fmt.Sprintf("targeting(%d)", t)
}

// MarshalText writes the policy's name.
func (t Targeting) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a policy's name.
func (t *Targeting) UnmarshalText(b []byte) error {
	v, err := ParseTargeting(string(b))
	*t = v
	return err
}

// Reach is a sales team's capacity in accounts per month, ramping linearly
// from Initial at From to Full over RampMonths (OpenAI began its enterprise
// team in the second half of 2023: docs/facts.md, "How sellers compete").
// The market spends it as Reach/weight pitches a month, each to one
// workload of a buyer agent standing for weight accounts (docs/model.md
// §7.5).
type Reach struct {
	From       Month   `toml:"from"`
	Initial    float64 `toml:"initial"`
	Full       float64 `toml:"full"`
	RampMonths int     `toml:"ramp_months"`
}

// Active reports whether the seller has a sales team at all.
func (r Reach) Active() bool { return r.Initial > 0 || r.Full > 0 }

// At returns the reach in month t, in accounts.
func (r Reach) At(t Month) float64 {
	if t < r.From {
		return 0
	}
	if r.RampMonths <= 0 || int(t-r.From) >= r.RampMonths {
		return r.Full
	}
	return r.Initial + (r.Full-r.Initial)*float64(t-r.From)/float64(r.RampMonths)
}

// AdaptivePricing lets a seller that is losing share cut its price, within a
// margin floor (Microsoft lowered Azure OpenAI prices and peak-usage fees in
// 2024: docs/facts.md, "How sellers compete"; docs/model.md §7.7).
type AdaptivePricing struct {
	Enabled bool `toml:"enabled"`
	// From is the first month the seller may cut.
	From Month `toml:"from"`
	// LookbackMonths is how far back the seller compares its share.
	LookbackMonths int `toml:"lookback_months"`
	// Trigger is the relative fall in share over the lookback that makes the
	// seller cut (0.05: share fell by more than 5% of itself).
	Trigger float64 `toml:"trigger"`
	// Step is the relative price cut each time (0.05: 5%).
	Step float64 `toml:"step"`
	// MarginFloor is the gross margin below which the seller will not go.
	MarginFloor float64 `toml:"margin_floor"`
}

// SellerConfig describes one channel's seller agent and what it offers.
type SellerConfig struct {
	Reach     Reach     `toml:"reach"`
	Targeting Targeting `toml:"targeting"`
	// Security is the channel's security and compliance as buyers see it,
	// 0 (none) to 1 (full enterprise grade).
	Security float64 `toml:"security"`
	// Support is its technical support, 0 to 1.
	Support float64 `toml:"support"`
	// Constant is the channel-specific utility constant (e.g. a preference
	// to buy from the model's maker directly: docs/facts.md, Holiday Extras).
	Constant float64 `toml:"constant"`
	// PitchBonus is the utility a pitch adds to this channel in the decision
	// it triggers.
	PitchBonus float64 `toml:"pitch_bonus"`
	// ListPrice is the channel's price index relative to OpenAI's own list
	// price (1 = parity).
	ListPrice float64 `toml:"list_price"`
	// BundleDiscount is the discount off list for buyers whose incumbent
	// cloud is this channel's cloud (Azure's bundle with compute commitments).
	BundleDiscount float64 `toml:"bundle_discount"`
	// Margin is the channel's gross margin at list price (Azure OpenAI about
	// 40% in 2024: docs/facts.md, "Figures").
	Margin float64 `toml:"margin"`
	// Fee is the share of the channel's revenue that the cloud it is sold
	// through keeps when it resells another firm's models (a rival maker's
	// channel on a cloud; the rest goes to the maker, which serves the
	// model). At 1 the cloud serves the models itself and books all the
	// revenue and the cost (open-weight models on a cloud). OpenAI's
	// channels ignore it: the regime's marketplace fee applies
	// (docs/model.md §7.9).
	Fee float64 `toml:"fee"`
	// Adaptive is the seller's adaptive pricing.
	Adaptive AdaptivePricing `toml:"adaptive"`
}

// Validate reports the first impossible value, naming its key under prefix.
func (s *SellerConfig) Validate(prefix string) error {
	in01 := func(name string, v float64) error {
		if !(v >= 0 && v <= 1) {
			return valueErr(prefix+"."+name, v, "0 to 1")
		}
		return nil
	}
	finite := func(name string, v float64, lo, hi float64) error {
		if !(v >= lo && v <= hi) {
			return valueErr(prefix+"."+name, v, FormatValue(lo)+" to "+FormatValue(hi))
		}
		return nil
	}
	for _, e := range []error{
		finite("reach.initial", s.Reach.Initial, 0, 1e9),
		finite("reach.full", s.Reach.Full, 0, 1e9),
		finite("reach.ramp_months", float64(s.Reach.RampMonths), 0, 600),
		in01("security", s.Security),
		in01("support", s.Support),
		finite("constant", s.Constant, -1e6, 1e6),
		finite("pitch_bonus", s.PitchBonus, -1e6, 1e6),
		finite("list_price", s.ListPrice, 1e-6, 100),
		finite("bundle_discount", s.BundleDiscount, 0, 0.99),
		in01("margin", s.Margin),
		in01("fee", s.Fee),
	} {
		if e != nil {
			return e
		}
	}
	if a := s.Adaptive; a.Enabled {
		for _, e := range []error{
			finite("adaptive.lookback_months", float64(a.LookbackMonths), 1, 120),
			finite("adaptive.trigger", a.Trigger, 0, 1),
			finite("adaptive.step", a.Step, 0, 0.99),
			finite("adaptive.margin_floor", a.MarginFloor, -10, 1),
		} {
			if e != nil {
				return e
			}
		}
		if a.MarginFloor > s.Margin {
			return valueErr(prefix+".adaptive.margin_floor", a.MarginFloor, "at most the margin "+FormatValue(s.Margin)+": a seller cannot cut to a margin higher than it has")
		}
	}
	return nil
}

// PriceFloor returns the lowest price index the seller accepts: the price
// at which its gross margin, cost held at (1−Margin)·ListPrice, equals the
// floor.
func (s *SellerConfig) PriceFloor() float64 {
	if !s.Adaptive.Enabled {
		return s.ListPrice
	}
	cost := (1 - s.Margin) * s.ListPrice
	if s.Adaptive.MarginFloor >= 1 {
		return s.ListPrice
	}
	return math.Min(s.ListPrice, cost/(1-s.Adaptive.MarginFloor))
}

// TargetOrder fills order with the population's workloads (indices up to
// pop.Len(), buyers × workloads) in the order a seller of channel ch with
// policy t works through them, and returns it. byBudget must be the
// population's LargestFirst order. Ties keep buyer-index order, so the
// order is a pure function of the population and stream. It is linear in
// the number of buyers.
func TargetOrder(order []int32, pop *Population, byBudget []int32, t Targeting, ch Channel, st Stream) []int32 {
	n := pop.Len()
	order = resize(order, n)
	switch t {
	case TargetRandom:
		for i := range order {
			order[i] = int32(i)
		}
		// Fisher–Yates with draws keyed by position.
		for i := n - 1; i > 0; i-- {
			j := int(st.Uint64(PurposeTargetOrder, uint32(ch), uint32(i)) % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
	case TargetOwnCloudFirst:
		// A stable partition of the budget order: own cloud's customers, then
		// the rest, each largest first.
		own := ChannelCloud[ch]
		k := 0
		for _, i := range byBudget {
			if pop.Incumbent[i] == own {
				order[k] = i
				k++
			}
		}
		for _, i := range byBudget {
			if pop.Incumbent[i] != own {
				order[k] = i
				k++
			}
		}
	default:
		copy(order, byBudget)
	}
	return order
}

// LargestFirst fills order with the workloads by budget (each workload's
// share of its buyer's), largest first, ties by index, and returns it. It is an LSD radix sort on the budgets'
// bits (non-negative floats order as their bit patterns), so it is linear
// in the number of buyers and allocates nothing once its buffers (order,
// scratch, keys) are large enough.
func LargestFirst(order, scratch []int32, keys []uint64, pop *Population) ([]int32, []int32, []uint64) {
	n := pop.Len()
	order, scratch, keys = resize(order, n), resize(scratch, n), resize(keys, n)
	for i, b := range pop.Budget {
		keys[i] = ^math.Float64bits(b) // descending
		order[i] = int32(i)
	}
	const bitsPerPass = 11
	var counts [1 << bitsPerPass]int32
	src, dst := order, scratch
	for shift := 0; shift < 64; shift += bitsPerPass {
		counts = [1 << bitsPerPass]int32{}
		for _, i := range src {
			counts[(keys[i]>>shift)&(1<<bitsPerPass-1)]++
		}
		sum := int32(0)
		for d, c := range counts {
			counts[d] = sum
			sum += c
		}
		for _, i := range src {
			d := (keys[i] >> shift) & (1<<bitsPerPass - 1)
			dst[counts[d]] = i
			counts[d]++
		}
		src, dst = dst, src
	}
	// 64/11 rounds up to 6 passes: an even number, so the result is back
	// in order.
	return src, dst, keys
}
