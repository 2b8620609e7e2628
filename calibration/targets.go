package calibration

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
)

//go:embed targets.toml
var defaultTargets []byte

// The kinds of simulated moment a target can name.
const (
	// MomentRevenue is a channel's annualized gross revenue (12 times the
	// month's), in US dollars.
	MomentRevenue = "revenue"
	// MomentCustomers is a channel's customers, in real accounts.
	MomentCustomers = "customers"
	// MomentAdoption is the share of accounts that have adopted generative AI.
	MomentAdoption = "adoption"
	// MomentRevenueRatio is a channel's revenue over another's (Other).
	MomentRevenueRatio = "revenue_ratio"
	// MomentSegmentGap is the channel's share of the buyers of OpenAI models
	// in Segment minus its share among the other segments' buyers.
	MomentSegmentGap = "segment_gap"
	// MomentCloudGap is the channel's share of the buyers of OpenAI models
	// whose incumbent cloud is Cloud minus its share among the others.
	MomentCloudGap = "cloud_gap"
	// MomentMakerShare is a maker's (Maker) share of all buyer spend,
	// whatever the channel.
	MomentMakerShare = "maker_share"
	// MomentMarketSpend is all buyers' spend on model APIs, annualized, in
	// US dollars.
	MomentMarketSpend = "market_spend"
	// MomentFirmRevenue is a firm's (Firm) annualized gross revenue before
	// transfers, in US dollars; OpenAI's includes its other revenue (its
	// all-products revenue).
	MomentFirmRevenue = "firm_revenue"
)

// signedMoments are the moments that can be negative (the gaps between
// shares); every other moment is a revenue, a count, a share or a ratio.
var signedMoments = []string{MomentSegmentGap, MomentCloudGap}

// nonNegative reports whether moment cannot be negative.
func nonNegative(moment string) bool { return !slices.Contains(signedMoments, moment) }

var momentKinds = []string{MomentRevenue, MomentCustomers, MomentAdoption, MomentRevenueRatio, MomentSegmentGap, MomentCloudGap,
	MomentMakerShare, MomentMarketSpend, MomentFirmRevenue}

// The relations a target states between the simulated moment and its value.
const (
	RelEqual   = "="  // the moment should equal the value (a numeric target)
	RelAtLeast = ">=" // the moment should be at least the value (an inequality)
	RelAtMost  = "<=" // the moment should be at most the value
)

// Target is one dated figure and the simulated moment it is matched with.
type Target struct {
	// Name identifies the target in reports (snake_case).
	Name string `toml:"name" json:"name"`
	// Label is a short human description, used in tables and plots.
	Label string `toml:"label" json:"label"`
	// Moment is the kind of simulated moment (MomentRevenue, ...).
	Moment string `toml:"moment" json:"moment"`
	// Channel is the channel the moment is about ("openai", "azure", ...);
	// unused for adoption.
	Channel string `toml:"channel" json:"channel,omitempty"`
	// Other is the denominator channel of a revenue ratio.
	Other string `toml:"other" json:"other,omitempty"`
	// Segment is the segment of a segment gap ("regulated", ...).
	Segment string `toml:"segment" json:"segment,omitempty"`
	// Cloud is the incumbent cloud of a cloud gap ("azure", ...).
	Cloud string `toml:"cloud" json:"cloud,omitempty"`
	// Maker is the maker of a maker share ("openai", "anthropic", ...).
	Maker string `toml:"maker" json:"maker,omitempty"`
	// Firm is the firm of a firm revenue ("openai", "aws", ...).
	Firm string `toml:"firm" json:"firm,omitempty"`
	// Date is the month the figure refers to.
	Date market.Month `toml:"date" json:"date"`
	// Value is the observed figure, or the bound of an inequality.
	Value float64 `toml:"value" json:"value"`
	// SD is the figure's uncertainty (one standard deviation), in its unit;
	// for an inequality, the scale of its penalty (a margin's tolerance).
	SD float64 `toml:"sd" json:"sd"`
	// Relation is RelEqual (default), RelAtLeast or RelAtMost.
	Relation string `toml:"relation" json:"relation"`
	// Unit is "USD", "accounts", "share" or "" (plots format USD as $B).
	Unit string `toml:"unit" json:"unit"`
	// Source names where the figure comes from.
	Source string `toml:"source" json:"source"`
	// Check marks a target that is reported but left out of the objective:
	// a figure the model cannot reach together with the others (say why
	// in Source), kept in view rather than allowed to distort the fit.
	Check bool `toml:"check" json:"check,omitempty"`

	ch, other  agents.Channel
	seg        agents.Segment
	cloud      agents.Cloud
	maker      agents.Maker
	firm       market.Firm
	momentKind int
}

// Numeric reports whether the target is a point figure (relation "=").
func (t *Target) Numeric() bool { return t.Relation == RelEqual }

// FreeParam is one parameter the fit may move, within bounds.
type FreeParam struct {
	// Path is a parameter path of market.LookupParam, e.g.
	// "buyers.diffusion.p". It must be a number.
	Path string `toml:"path" json:"path"`
	// Min and Max bound the parameter.
	Min float64 `toml:"min" json:"min"`
	Max float64 `toml:"max" json:"max"`
	// Log searches the parameter on a log scale (for positive scales and
	// rates spanning orders of magnitude); Min must then be positive.
	Log bool `toml:"log" json:"log"`
	// Why says what the parameter stands for and which targets should move it.
	Why string `toml:"why" json:"why,omitempty"`
	// Prior is the parameter's prior for `coopsim calibrate --posterior`,
	// a distribution of package experiments/dist (e.g. {dist = "normal",
	// mean = 0.3, sd = 0.1}), cut to [min, max]. Without one the prior is
	// uniform over [min, max] on the search scale (log-uniform for log = true).
	Prior *dist.Spec `toml:"prior" json:"prior,omitempty"`

	param *market.Param
	prior *dist.Dist
}

// Targets is a calibration problem: targets, free parameters, and the
// simulation settings of the moments.
type Targets struct {
	// Regime is the built-in regime simulated (default "history"), unless
	// the fit is given another (Options.Regime: an experiment scenario's).
	Regime string `toml:"regime" json:"regime"`
	// Seed is the master seed of the fixed run keys {Seed, 0..Runs-1}.
	Seed uint64 `toml:"seed" json:"seed"`
	// Runs is the number of runs per evaluation (default 24).
	Runs int `toml:"runs" json:"runs"`
	// Targets are the dated figures.
	Targets []Target `toml:"target" json:"targets"`
	// Params are the free parameters.
	Params []FreeParam `toml:"param" json:"params"`

	source string
}

// Source returns the file the targets were read from ("targets.toml
// (embedded)" for the default).
func (t *Targets) Source() string { return t.source }

// DefaultTargets returns the embedded default targets (targets.toml in
// this package), freshly parsed so callers may modify them.
func DefaultTargets() *Targets {
	t, err := ParseTargets(defaultTargets, embeddedTargets)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return t
}

// LoadTargets reads and validates a targets file. Its errors start with
// the file's name (as an experiment file's do) and say what to fix.
func LoadTargets(path string) (*Targets, error) {
	t := newTargets()
	md, err := experiments.ReadTOML(path, t)
	if err != nil {
		return nil, err
	}
	return t.check(md, path)
}

// ParseTargets parses and validates targets from TOML; name is the file
// name used in errors.
func ParseTargets(b []byte, name string) (*Targets, error) {
	t := newTargets()
	md, err := experiments.DecodeTOML(b, name, t)
	if err != nil {
		return nil, err
	}
	return t.check(md, name)
}

// newTargets returns the targets' defaults, which a file overrides.
func newTargets() *Targets { return &Targets{Regime: "history", Runs: 24, Seed: 1} }

// check refuses keys the targets do not have and validates the rest.
func (t *Targets) check(md toml.MetaData, name string) (*Targets, error) {
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		known := []string{"regime", "seed", "runs", "target", "param", "name", "label", "moment", "channel", "other",
			"segment", "cloud", "maker", "firm", "date", "value", "sd", "relation", "unit", "source", "check", "path", "min", "max", "log", "why", "prior",
			"dist", "low", "high", "mode", "mean", "median", "sdlog", "values", "weights"}
		last := und[0][len(und[0])-1]
		return nil, fmt.Errorf("%s: unknown key %s%s", name, keys[0], suggest.DidYouMean(last, known))
	}
	t.source = name
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// Validate checks the targets and free parameters and resolves their names.
// Its errors name the offending entry.
func (t *Targets) Validate() error {
	if _, err := market.BuiltinRegime(t.Regime); err != nil {
		return fmt.Errorf("regime: %w", err)
	}
	if t.Runs < 2 || t.Runs > 10_000 {
		return fmt.Errorf("runs = %d, want 2 to 10000 (standard errors need two runs)", t.Runs)
	}
	if len(t.Targets) == 0 {
		return errors.New("no [[target]]")
	}
	seen := map[string]bool{}
	for i := range t.Targets {
		tg := &t.Targets[i]
		if err := tg.resolve(); err != nil {
			return fmt.Errorf("target %d (%q): %w", i+1, tg.Name, err)
		}
		if seen[tg.Name] {
			return fmt.Errorf("target %d: name %q is used twice", i+1, tg.Name)
		}
		seen[tg.Name] = true
	}
	if len(t.Params) == 0 {
		return errors.New("no [[param]]")
	}
	seenP := map[string]bool{}
	for i := range t.Params {
		p := &t.Params[i]
		if err := p.resolve(); err != nil {
			return fmt.Errorf("param %d (%q): %w", i+1, p.Path, err)
		}
		if seenP[p.Path] {
			return fmt.Errorf("param %d: path %q is listed twice", i+1, p.Path)
		}
		seenP[p.Path] = true
	}
	return nil
}

func (tg *Target) resolve() error {
	if tg.Name == "" {
		return errors.New("name is empty")
	}
	if tg.Label == "" {
		tg.Label = tg.Name
	}
	tg.momentKind = -1
	for i, k := range momentKinds {
		if tg.Moment == k {
			tg.momentKind = i
		}
	}
	if tg.momentKind < 0 {
		return fmt.Errorf("moment = %q, want one of %s%s", tg.Moment, strings.Join(momentKinds, ", "), suggest.DidYouMean(tg.Moment, momentKinds))
	}
	if tg.Relation == "" {
		tg.Relation = RelEqual
	}
	switch tg.Relation {
	case RelEqual, RelAtLeast, RelAtMost:
	default:
		return fmt.Errorf(`relation = %q, want "=", ">=" or "<="`, tg.Relation)
	}
	if tg.Date == 0 {
		return errors.New(`date is missing (want "YYYY-MM")`)
	}
	if math.IsNaN(tg.Value) || math.IsInf(tg.Value, 0) || tg.Value == 0 {
		return fmt.Errorf("value = %g, want a finite non-zero number", tg.Value)
	}
	if !(tg.SD > 0) || math.IsInf(tg.SD, 0) {
		return fmt.Errorf("sd = %g, want a positive uncertainty", tg.SD)
	}
	var err error
	switch tg.Moment {
	case MomentAdoption, MomentMakerShare, MomentMarketSpend, MomentFirmRevenue:
	default:
		if tg.ch, err = agents.ParseAnyChannel(tg.Channel); err != nil {
			return fmt.Errorf("channel: %w", err)
		}
	}
	switch tg.Moment {
	case MomentMakerShare:
		tg.maker, err = lookup[agents.Maker]("maker", agents.MakerNames[:], tg.Maker)
	case MomentFirmRevenue:
		tg.firm, err = lookup[market.Firm]("firm", market.FirmNames[:], tg.Firm)
	case MomentRevenueRatio:
		if tg.other, err = agents.ParseAnyChannel(tg.Other); err != nil {
			return fmt.Errorf("other: %w", err)
		}
	case MomentSegmentGap:
		tg.seg, err = lookup[agents.Segment]("segment", agents.SegmentNames[:], tg.Segment)
	case MomentCloudGap:
		tg.cloud, err = lookup[agents.Cloud]("cloud", agents.CloudNames[:], tg.Cloud)
	}
	return err
}

// lookup returns the index of s among names as a T, or an error that
// names the field and lists the names.
func lookup[T ~uint8](field string, names []string, s string) (T, error) {
	i := slices.Index(names, s)
	if i < 0 {
		return 0, fmt.Errorf("%s = %q, want one of %s", field, s, strings.Join(names, ", "))
	}
	return T(i), nil
}

func (p *FreeParam) resolve() error {
	mp, err := market.LookupParam(p.Path)
	if err != nil {
		return err
	}
	if mp.Kind != market.KindFloat {
		return fmt.Errorf("is %s: only numbers can be fitted", mp.Kind)
	}
	if !(p.Min < p.Max) || math.IsInf(p.Min, 0) || math.IsInf(p.Max, 0) {
		return fmt.Errorf("min = %g, max = %g: want finite min < max", p.Min, p.Max)
	}
	if p.Log && !(p.Min > 0) {
		return fmt.Errorf("log = true needs min > 0, have %g", p.Min)
	}
	p.param = mp
	return p.resolvePrior()
}

// lastDate returns the latest target month.
func (t *Targets) lastDate() market.Month {
	var last market.Month
	for i := range t.Targets {
		last = max(last, t.Targets[i].Date)
	}
	return last
}

// Paths returns the free parameters' paths, in file order.
func (t *Targets) Paths() []string {
	out := make([]string, len(t.Params))
	for i := range t.Params {
		out[i] = t.Params[i].Path
	}
	return out
}
