package market

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/agents"
)

// Month is a calendar month (see agents.Month).
type Month = agents.Month

// Terms are the contract terms in force in one month.
type Terms struct {
	// Open marks the channels that may sell OpenAI models.
	Open [agents.NumChannels]bool
	// Preview marks open channels that are in limited preview: buyers see
	// them with Config.PreviewPenalty.
	Preview [agents.NumChannels]bool
	// DirectSales says whether OpenAI runs its own enterprise sales team
	// (from the 2023 expansion on: docs/facts.md; its reach starts at
	// sellers.openai.reach.from: docs/model.md §7.5).
	DirectSales bool
	// ShareToMicrosoft is the share of OpenAI's revenue (its channels, and
	// its other revenue if ShareIncludesOther) that OpenAI pays Microsoft,
	// through ShareToMicrosoftUntil.
	ShareToMicrosoft      float64
	ShareToMicrosoftUntil Month
	// ShareIncludesOther says OpenAI's other revenue (ChatGPT, its own
	// products) is in the base of its share to Microsoft. It is true from
	// the start unless an amendment sets share_includes_other, and no
	// built-in regime sets it (docs/model.md §7.9). When false, the share is
	// of OpenAI's revenue from selling model access only.
	ShareIncludesOther bool
	// ShareToOpenAI is the share of Azure OpenAI revenue that Microsoft pays
	// OpenAI, through ShareToOpenAIUntil.
	ShareToOpenAI      float64
	ShareToOpenAIUntil Month
	// HasCap says whether OpenAI's payments to Microsoft are capped: at most
	// CapUSD in all over the months CapStart..CapEnd; once reached, payments
	// stop. An amendment that sets cap_usd without a window starts it in its
	// own month if no cap was in force, and keeps the window otherwise; a
	// new window starts a new count.
	HasCap           bool
	CapUSD           float64
	CapStart, CapEnd Month
	// ReleaseLag is the months by which each channel gets a new model after
	// OpenAI's own customers; a newly opened channel sells nothing until its
	// first model arrives that many months (rounded up) after it opens.
	ReleaseLag [agents.NumChannels]float64
	// AzureFirst makes Azure get models no later than any other cloud.
	AzureFirst bool
	// MarketplaceFee is the share of revenue a third-party cloud (aws, gcp)
	// keeps on OpenAI models sold through it.
	MarketplaceFee float64
	// LicenceExclusive says Microsoft's licence to OpenAI's models is
	// exclusive: no other cloud may then sell them. LicenceEnd is the last
	// month Microsoft may sell them at all (Azure closes after it).
	LicenceExclusive bool
	LicenceEnd       Month
	// Acquired says Microsoft owns OpenAI: OpenAI's revenue is Microsoft's
	// and no revenue share flows between them.
	Acquired bool
	// Rival overrides when the rival makers' channels are open: 0 follows
	// the market's dated opening (Config.Opens), RivalOpen opens the
	// channel, RivalClosed closes it (docs/model.md §7.10).
	Rival [agents.NumChannels]int8
}

// The values of Terms.Rival.
const (
	RivalByDate int8 = 0
	RivalOpen   int8 = 1
	RivalClosed int8 = -1
)

// Amendment sets some terms from Month on; nil fields carry over.
type Amendment struct {
	Month Month  `toml:"month"`
	Note  string `toml:"note"`
	// Open lists every channel that may sell from this month (replacing the
	// previous list).
	Open                  *[]agents.Channel  `toml:"open"`
	Preview               *[]agents.Channel  `toml:"preview"`
	DirectSales           *bool              `toml:"direct_sales"`
	ShareToMicrosoft      *float64           `toml:"share_to_microsoft"`
	ShareToMicrosoftUntil *Month             `toml:"share_to_microsoft_until"`
	ShareIncludesOther    *bool              `toml:"share_includes_other"`
	ShareToOpenAI         *float64           `toml:"share_to_openai"`
	ShareToOpenAIUntil    *Month             `toml:"share_to_openai_until"`
	CapUSD                *float64           `toml:"cap_usd"`
	CapStart              *Month             `toml:"cap_start"`
	CapEnd                *Month             `toml:"cap_end"`
	RemoveCap             *bool              `toml:"remove_cap"`
	ReleaseLag            map[string]float64 `toml:"release_lag_months"`
	AzureFirst            *bool              `toml:"azure_first"`
	MarketplaceFee        *float64           `toml:"marketplace_fee"`
	LicenceExclusive      *bool              `toml:"licence_exclusive"`
	LicenceEnd            *Month             `toml:"licence_end"`
	Acquired              *bool              `toml:"acquired"`
	// RivalChannels opens (true) or closes (false) rival makers' channels
	// from this month on, overriding their dated opening (for example
	// { anthropic_aws = false }: Claude never on Bedrock).
	RivalChannels map[string]bool `toml:"rival_channels"`
}

// Regime is a named timeline of dated amendments.
type Regime struct {
	Name        string      `toml:"name"`
	Description string      `toml:"description"`
	Amendments  []Amendment `toml:"amendment"`
}

// EndOfTime is the "until" of a term that never ends.
const EndOfTime = agents.Never

// initialTerms are the terms before any amendment: only OpenAI sells, no
// transfers, no cap.
func initialTerms() Terms {
	t := Terms{ShareToMicrosoftUntil: EndOfTime, ShareToOpenAIUntil: EndOfTime, LicenceEnd: EndOfTime, ShareIncludesOther: true}
	t.Open[agents.ChannelOpenAI] = true
	return t
}

// apply sets the amendment's terms on t, checking each value; key prefixes
// the key path of its error, an *agents.ValueError.
func (a *Amendment) apply(t *Terms, key string) error {
	a.applyAccess(t)
	if err := a.applyShares(t, key); err != nil {
		return err
	}
	if err := a.applyCap(t, key); err != nil {
		return err
	}
	if err := a.applyLags(t, key); err != nil {
		return err
	}
	setBool(&t.AzureFirst, a.AzureFirst)
	setBool(&t.LicenceExclusive, a.LicenceExclusive)
	setMonth(&t.LicenceEnd, a.LicenceEnd)
	setBool(&t.Acquired, a.Acquired)
	return a.applyRivals(t, key)
}

// applyRivals opens or closes the rival channels the amendment names.
func (a *Amendment) applyRivals(t *Terms, key string) error {
	for _, k := range sortedKeys(a.RivalChannels) {
		c, err := agents.ParseRivalChannel(k)
		if err != nil {
			return &agents.ValueError{Key: key + ".rival_channels", Value: k, Got: "unknown rival channel " + strconv.Quote(k), Want: agents.RivalChannelList()}
		}
		t.Rival[c] = pick8(a.RivalChannels[k], RivalOpen, RivalClosed)
	}
	return nil
}

// applyAccess sets who may sell: open and preview channels, OpenAI's own
// sales team.
func (a *Amendment) applyAccess(t *Terms) {
	if a.Open != nil {
		t.Open = [agents.NumChannels]bool{}
		for _, c := range *a.Open {
			t.Open[c] = true
		}
	}
	if a.Preview != nil {
		t.Preview = [agents.NumChannels]bool{}
		for _, c := range *a.Preview {
			t.Preview[c] = true
		}
	}
	setBool(&t.DirectSales, a.DirectSales)
}

// applyShares sets the revenue shares each way, their base and end, and
// the third-party clouds' fee.
func (a *Amendment) applyShares(t *Terms, key string) error {
	setBool(&t.ShareIncludesOther, a.ShareIncludesOther)
	for _, s := range []struct {
		name string
		v    *float64
		dst  *float64
	}{
		{"share_to_microsoft", a.ShareToMicrosoft, &t.ShareToMicrosoft},
		{"share_to_openai", a.ShareToOpenAI, &t.ShareToOpenAI},
		{"marketplace_fee", a.MarketplaceFee, &t.MarketplaceFee},
	} {
		if s.v == nil {
			continue
		}
		if !(*s.v >= 0 && *s.v <= 1) {
			return &agents.ValueError{Key: key + "." + s.name, Value: *s.v, Want: "a share from 0 to 1"}
		}
		*s.dst = *s.v
	}
	setMonth(&t.ShareToMicrosoftUntil, a.ShareToMicrosoftUntil)
	setMonth(&t.ShareToOpenAIUntil, a.ShareToOpenAIUntil)
	return nil
}

// applyCap sets, moves or removes the cap on OpenAI's payments to
// Microsoft.
func (a *Amendment) applyCap(t *Terms, key string) error {
	if a.CapUSD != nil {
		if !(*a.CapUSD >= 0) || math.IsInf(*a.CapUSD, 0) {
			return &agents.ValueError{Key: key + ".cap_usd", Value: *a.CapUSD, Want: "0 or more US dollars"}
		}
		t.HasCap, t.CapUSD = true, *a.CapUSD
		if t.CapStart == 0 && a.CapStart == nil {
			t.CapStart = a.Month
		}
		if t.CapEnd == 0 && a.CapEnd == nil {
			t.CapEnd = EndOfTime
		}
	}
	setMonth(&t.CapStart, a.CapStart)
	setMonth(&t.CapEnd, a.CapEnd)
	if a.RemoveCap != nil && *a.RemoveCap {
		t.HasCap, t.CapUSD, t.CapStart, t.CapEnd = false, 0, 0, 0
	}
	return nil
}

// applyLags sets the channels' release lags, in channel-name order.
func (a *Amendment) applyLags(t *Terms, key string) error {
	for _, k := range sortedKeys(a.ReleaseLag) {
		c, err := agents.ParseChannel(k)
		if err != nil {
			return &agents.ValueError{Key: key + ".release_lag_months", Value: k, Got: "unknown channel " + strconv.Quote(k), Want: "openai, azure, aws or gcp"}
		}
		v := a.ReleaseLag[k]
		if !(v >= 0 && v <= 120) {
			return &agents.ValueError{Key: key + ".release_lag_months." + k, Value: v, Want: "0 to 120 months"}
		}
		t.ReleaseLag[c] = v
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func pick8(b bool, yes, no int8) int8 {
	if b {
		return yes
	}
	return no
}

// Validate checks the amendment's values on their own; key names it in
// errors (e.g. `regime[0].amendment[2]`), which are *agents.ValueError.
func (a *Amendment) Validate(key string) error {
	t := initialTerms()
	return a.apply(&t, key)
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func setMonth(dst *Month, v *Month) {
	if v != nil {
		*dst = *v
	}
}

// Compiled is a regime resolved month by month over a simulation's span.
type Compiled struct {
	Name  string
	Start Month
	// Terms[k] are the terms in force in month Start+k.
	Terms []Terms
	// Avail[k] is the set of OpenAI's channels buyers may choose in month
	// Start+k: the open channels whose first model has arrived. The rival
	// channels' availability depends on the market too (Config.Opens and
	// Terms.Rival): see RivalAvail.
	Avail []agents.Available
	// Lag[k][c] is channel c's effective release lag in month Start+k,
	// after the Azure-first rule.
	Lag [][agents.NumChannels]float64
	// OpenSince[k][c] is the month channel c last opened, if open.
	OpenSince [][agents.NumChannels]Month
}

// Months returns the number of months compiled.
func (c *Compiled) Months() int { return len(c.Terms) }

// Compile resolves r over the months start..end inclusive. Amendments must
// be in date order; one dated before start applies from start.
func Compile(r *Regime, start, end Month) (*Compiled, error) {
	if err := r.checkOrder(start, end); err != nil {
		return nil, err
	}
	n := int(end-start) + 1
	c := &Compiled{
		Name: r.Name, Start: start,
		Terms:     make([]Terms, n),
		Avail:     make([]agents.Available, n),
		Lag:       make([][agents.NumChannels]float64, n),
		OpenSince: make([][agents.NumChannels]Month, n),
	}
	cur := initialTerms()
	next := 0 // the next amendment to apply
	var open openings
	for k := 0; k < n; k++ {
		m := start + Month(k)
		// Every amendment dated up to m (those before start apply at start).
		for next < len(r.Amendments) && r.Amendments[next].Month <= m {
			if err := r.Amendments[next].apply(&cur, amendmentKey(next, r.Amendments[next].Month)); err != nil {
				return nil, &RegimeError{Regime: r.Name, Err: err}
			}
			next++
		}
		if err := cur.check(); err != nil {
			return nil, &RegimeError{Regime: r.Name, Month: m, Err: err}
		}
		c.Terms[k] = cur
		c.Lag[k] = cur.effectiveLags()
		c.Avail[k] = open.step(m, &cur, &c.Lag[k])
		c.OpenSince[k] = open.since
	}
	return c, nil
}

// checkOrder checks that the regime can be compiled over start..end: a
// span, amendments, in date order.
func (r *Regime) checkOrder(start, end Month) error {
	if end < start {
		return &RegimeError{Regime: r.Name, Err: fmt.Errorf("end %s is before start %s", end, start)}
	}
	if len(r.Amendments) == 0 {
		return &RegimeError{Regime: r.Name, Err: errors.New("no amendments: give at least one [[...amendment]] with a month")}
	}
	for i := 1; i < len(r.Amendments); i++ {
		if r.Amendments[i].Month < r.Amendments[i-1].Month {
			return &RegimeError{Regime: r.Name, Err: fmt.Errorf("amendment %d (%s) is dated before amendment %d (%s): list amendments in date order",
				i+1, r.Amendments[i].Month, i, r.Amendments[i-1].Month)}
		}
	}
	return nil
}

// effectiveLags returns the release lags after the Azure-first rule.
func (t *Terms) effectiveLags() [agents.NumChannels]float64 {
	lag := t.ReleaseLag
	if t.AzureFirst {
		for ch := 0; ch < agents.NumOpenAIChannels; ch++ {
			// Among clouds: OpenAI's own channel is what lags count from.
			if c := agents.Channel(ch); c != agents.ChannelAzure && c != agents.ChannelOpenAI {
				lag[ch] = math.Max(lag[ch], lag[agents.ChannelAzure])
			}
		}
	}
	return lag
}

// openings follows, month by month, which channels are open and since
// when.
type openings struct {
	since   [agents.NumChannels]Month
	wasOpen [agents.NumChannels]bool
}

// step records month m's open channels of OpenAI under terms t and returns
// those buyers may choose: the open channels whose first model has arrived
// (lag months after opening). The rival channels are added by RivalAvail.
func (o *openings) step(m Month, t *Terms, lag *[agents.NumChannels]float64) agents.Available {
	avail := agents.Available(0)
	for ch := 0; ch < agents.NumOpenAIChannels; ch++ {
		open := t.Open[ch]
		if agents.Channel(ch) == agents.ChannelAzure && m > t.LicenceEnd {
			open = false
		}
		if open && !o.wasOpen[ch] {
			o.since[ch] = m
		}
		o.wasOpen[ch] = open
		if open && m >= o.since[ch]+Month(math.Ceil(lag[ch])) {
			avail = avail.With(ch)
		}
	}
	return avail
}

func amendmentKey(i int, m Month) string {
	return fmt.Sprintf("amendment %d (%s)", i+1, m)
}

// RegimeError is a regime that cannot be compiled: its name, the month
// whose terms cannot hold together (0 when the problem is not one
// month's) and what is wrong.
type RegimeError struct {
	Regime string
	Month  Month
	Err    error
}

func (e *RegimeError) Error() string { return "market: " + e.Detail() }

// Detail is the message without the package prefix.
func (e *RegimeError) Detail() string {
	if e.Month != 0 {
		return fmt.Sprintf("regime %q in %s: %v", e.Regime, e.Month, e.Err)
	}
	return fmt.Sprintf("regime %q: %v", e.Regime, e.Err)
}

func (e *RegimeError) Unwrap() error { return e.Err }

// check reports terms that cannot hold together.
func (t *Terms) check() error {
	if t.LicenceExclusive && (t.Open[agents.ChannelAWS] || t.Open[agents.ChannelGCP]) {
		return errors.New("aws or gcp is open while Microsoft's licence is exclusive: set licence_exclusive = false in the amendment that opens them")
	}
	for c := range t.Preview {
		if t.Preview[c] && !t.Open[c] {
			return fmt.Errorf("channel %s is in preview but not open: add it to open", agents.Channel(c))
		}
	}
	if t.HasCap && t.CapEnd < t.CapStart {
		return fmt.Errorf("cap_end %s is before cap_start %s", t.CapEnd, t.CapStart)
	}
	return nil
}

// Describe returns one line per amendment, for `coopsim regimes`.
func (r *Regime) Describe() []string {
	lines := make([]string, 0, len(r.Amendments))
	for _, a := range r.Amendments {
		lines = append(lines, a.Month.String()+"  "+a.describe())
	}
	return lines
}

func (a *Amendment) describe() string {
	var parts []string
	for _, d := range []func() []string{a.describeAccess, a.describeShares, a.describeCap, a.describeLags, a.describeLicence, a.describeRivals} {
		parts = append(parts, d()...)
	}
	if a.Note != "" {
		parts = append(parts, "["+a.Note+"]")
	}
	return strings.Join(parts, "; ")
}

// describeAccess describes who sells: acquisition, open and preview
// channels, OpenAI's own sales team.
func (a *Amendment) describeAccess() []string {
	var parts []string
	if a.Acquired != nil {
		parts = append(parts, pick(*a.Acquired, "Microsoft acquires OpenAI", "no acquisition"))
	}
	if a.Open != nil {
		parts = append(parts, "open: "+channelList(*a.Open))
	}
	if a.Preview != nil {
		if len(*a.Preview) == 0 {
			parts = append(parts, "no channel in preview")
		} else {
			parts = append(parts, "preview: "+channelList(*a.Preview))
		}
	}
	if a.DirectSales != nil {
		parts = append(parts, fmt.Sprintf("OpenAI direct sales team: %v", *a.DirectSales))
	}
	return parts
}

// describeShares describes the revenue shares each way and their base.
func (a *Amendment) describeShares() []string {
	var parts []string
	if a.ShareToMicrosoft != nil {
		parts = append(parts, fmt.Sprintf("OpenAI→Microsoft %.0f%%%s", 100**a.ShareToMicrosoft, until(a.ShareToMicrosoftUntil)))
	} else if a.ShareToMicrosoftUntil != nil {
		parts = append(parts, "OpenAI→Microsoft share"+until(a.ShareToMicrosoftUntil))
	}
	if a.ShareIncludesOther != nil {
		parts = append(parts, pick(*a.ShareIncludesOther, "share base includes ChatGPT and other products", "share base: model sales only"))
	}
	if a.ShareToOpenAI != nil {
		parts = append(parts, fmt.Sprintf("Microsoft→OpenAI %.0f%% of Azure OpenAI%s", 100**a.ShareToOpenAI, until(a.ShareToOpenAIUntil)))
	} else if a.ShareToOpenAIUntil != nil {
		parts = append(parts, "Microsoft→OpenAI share"+until(a.ShareToOpenAIUntil))
	}
	return parts
}

// describeCap describes the cap on OpenAI's payments to Microsoft.
func (a *Amendment) describeCap() []string {
	var parts []string
	if a.CapUSD != nil {
		s := fmt.Sprintf("cap $%.0fB", *a.CapUSD/1e9)
		if a.CapStart != nil || a.CapEnd != nil {
			s += " over"
			if a.CapStart != nil {
				s += " " + a.CapStart.String()
			}
			if a.CapEnd != nil {
				s += " to " + a.CapEnd.String()
			}
		}
		parts = append(parts, s)
	}
	if a.RemoveCap != nil && *a.RemoveCap {
		parts = append(parts, "no cap")
	}
	return parts
}

// describeLags describes release lags and the Azure-first rule.
func (a *Amendment) describeLags() []string {
	var parts []string
	keys := make([]string, 0, len(a.ReleaseLag))
	for k := range a.ReleaseLag {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s lag %.2g mo", k, a.ReleaseLag[k]))
	}
	if a.AzureFirst != nil && *a.AzureFirst {
		parts = append(parts, "Azure first")
	}
	return parts
}

// describeLicence describes the cloud fee and Microsoft's licence.
func (a *Amendment) describeLicence() []string {
	var parts []string
	if a.MarketplaceFee != nil {
		parts = append(parts, fmt.Sprintf("cloud fee %.0f%%", 100**a.MarketplaceFee))
	}
	if a.LicenceExclusive != nil {
		parts = append(parts, pick(*a.LicenceExclusive, "licence exclusive", "licence non-exclusive"))
	}
	if a.LicenceEnd != nil && *a.LicenceEnd != EndOfTime {
		parts = append(parts, "licence to "+a.LicenceEnd.String())
	}
	return parts
}

// describeRivals describes the rival channels the amendment opens or
// closes.
func (a *Amendment) describeRivals() []string {
	var open, closed []string
	for _, k := range sortedKeys(a.RivalChannels) {
		if a.RivalChannels[k] {
			open = append(open, k)
		} else {
			closed = append(closed, k)
		}
	}
	var parts []string
	if len(open) > 0 {
		parts = append(parts, "rival channels open: "+strings.Join(open, ", "))
	}
	if len(closed) > 0 {
		parts = append(parts, "rival channels closed: "+strings.Join(closed, ", "))
	}
	return parts
}

// RivalAvail adds to avail the rival channels open in month t under terms:
// those the terms open, and those the terms leave to their dates whose
// opening month (opens; 0: always) has come.
func RivalAvail(avail agents.Available, terms *Terms, opens *[agents.NumChannels]Month, t Month) agents.Available {
	for c := agents.NumOpenAIChannels; c < agents.NumChannels; c++ {
		switch terms.Rival[c] {
		case RivalOpen:
			avail = avail.With(c)
		case RivalByDate:
			if t >= opens[c] {
				avail = avail.With(c)
			}
		}
	}
	return avail
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func channelList(cs []agents.Channel) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.String()
	}
	return strings.Join(names, ", ")
}

func until(m *Month) string {
	if m == nil || *m == EndOfTime {
		return ""
	}
	return " to " + m.String()
}
