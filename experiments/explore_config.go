package experiments

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/coopsim/coopsim/experiments/design"
	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
)

// The experiment file's tables for designs: [factors] (what varies),
// [sensitivity] (coopsim sensitivity) and [discover] (coopsim discover).
// The loader lets them through (freeForm) and checks them here
// (checkExplore) once the rest of the file is resolved.
func exploreTable(name string) bool {
	return name == "factors" || name == "sensitivity" || name == "discover"
}

// checkExplore decodes the design tables the file has, once, from data
// (the file's text, which md describes) into e.explore (which
// Sensitivity, Discover and HasSensitivity read), and validates them as
// the sensitivity and discover commands read them, so that validate and
// run refuse a file those commands would refuse.
func (e *Experiment) checkExplore(data []byte, md toml.MetaData) error {
	if !md.IsDefined("factors") && !md.IsDefined("sensitivity") && !md.IsDefined("discover") {
		e.explore = &exploreFile{}
		return nil
	}
	f, err := e.readExplore(data)
	if err != nil {
		return err
	}
	e.explore = f
	fs, err := e.factors(f)
	if err != nil {
		return err
	}
	if md.IsDefined("sensitivity") {
		if _, err := e.Sensitivity(); err != nil {
			return err
		}
	}
	if md.IsDefined("discover") {
		if _, err := e.Discover(); err != nil {
			return err
		}
	}
	return e.checkFactorRanges(fs)
}

// checkFactorRanges sets each factor in turn to the values at its 0.1% and
// 99.9% quantiles (its range's ends, nearly), the others at their
// medians, and refuses a factor whose range reaches values the market or
// a regime refuses, before any design is drawn.
func (e *Experiment) checkFactorRanges(fs []Factor) error {
	mid := make([]float64, len(fs))
	for j, f := range fs {
		mid[j] = f.Design.Value(0.5)
	}
	vals := make([]float64, len(fs))
	for j, f := range fs {
		for _, u := range []float64{0.001, 0.999} {
			copy(vals, mid)
			vals[j] = f.Design.Value(u)
			if _, err := e.atPoint(fs, vals, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// Factor is one factor of a design: a market parameter path, varied over
// a range or a distribution in every scenario, or a regime's contract term
// ("regime.<regime>.<term>", see explore_regime.go).
type Factor struct {
	Path string
	// Param is the market parameter (nil for a regime term).
	Param *market.Param
	term  *regimeTerm
	// Design is the factor as designs sample it (Dist set, Kind from the
	// parameter).
	Design design.Factor
	// Describe says how it varies, e.g. "uniform(0.1, 0.3)".
	Describe string
}

// Output is a quantity computed per design point: the mean over the
// point's replicate runs of Metric in Scenario, minus (if Minus is set)
// the same metric in Minus, run by run (a paired difference with common
// random numbers).
type Output struct {
	Name     string
	Metric   string
	Scenario string
	Minus    string

	metric, scenario, minus int // minus is -1 when unset
}

// exploreFile is the TOML layout of the design tables.
type exploreFile struct {
	Factors     map[string]dist.Spec `toml:"factors"`
	Sensitivity *sensitivityFormat   `toml:"sensitivity"`
	Discover    *discoverFormat      `toml:"discover"`
}

type outputFormat struct {
	Name     string `toml:"name"`
	Metric   string `toml:"metric"`
	Scenario string `toml:"scenario"`
	Minus    string `toml:"minus"`
}

// exploreKeys are the known keys of each design table, for "did you mean".
var exploreKeys = map[string][]string{
	"sensitivity":        tomlKeys(sensitivityFormat{}),
	"sensitivity.output": tomlKeys(outputFormat{}),
	"discover":           tomlKeys(discoverFormat{}),
	"discover.condition": tomlKeys(conditionFormat{}),
	"factors":            tomlKeys(dist.Spec{}),
	"(top)":              {"factors", "sensitivity", "discover"},
}

// exploreTables returns the design tables as the file was loaded with,
// or errNoFile for an experiment built without Load (a zero Experiment,
// or one a caller assembled), which has none.
func (e *Experiment) exploreTables() (*exploreFile, error) {
	if e.explore == nil {
		return nil, errNoFile(e)
	}
	return e.explore, nil
}

func errNoFile(e *Experiment) error {
	return &Error{File: e.Source, Msg: "the experiment was not read from a file, so it has no [factors]; give an experiment file"}
}

// readExplore decodes the design tables of data, the text of e's file,
// and checks their keys; checkExplore calls it once, when the file is
// loaded.
func (e *Experiment) readExplore(data []byte) (*exploreFile, error) {
	var f exploreFile
	md, err := decode(e.Source, data, &f)
	if err != nil {
		return nil, err
	}
	for _, k := range md.Undecoded() {
		path := []string(k)
		if !exploreTable(path[0]) {
			continue // the loader's keys
		}
		level := strings.Join(path[:len(path)-1], ".")
		if len(path) > 2 && path[0] == "factors" {
			level = "factors"
		}
		return nil, &Error{File: e.Source, Key: strings.Join(path, "."),
			Msg: "unknown key" + suggest.DidYouMean(path[len(path)-1], exploreKeys[level]) + "; see experiments/examples/sensitivity.toml for the format"}
	}
	return &f, nil
}

// factors resolves the [factors] table, in sorted path order (TOML tables
// have no order), refusing unknown or non-numeric parameters, parameters a
// scenario sets, and invalid distributions.
func (e *Experiment) factors(f *exploreFile) ([]Factor, error) {
	if len(f.Factors) == 0 {
		return nil, &Error{File: e.Source, Key: "factors",
			Msg: `missing: name what varies, e.g. [factors] "spend.growth" = {low = 0.1, high = 0.3}`}
	}
	paths := make([]string, 0, len(f.Factors))
	for p := range f.Factors {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	out := make([]Factor, 0, len(paths))
	for _, p := range paths {
		fac, err := e.factor(p, f.Factors[p])
		if err != nil {
			return nil, err
		}
		for _, o := range out {
			if o.term == nil || fac.term == nil {
				continue
			}
			if reg := o.term.overlap(fac.term, e); reg != "" {
				key := fmt.Sprintf("factors.%q", p)
				return nil, &Error{File: e.Source, Line: locate(e.files[mainFile], key), Key: key,
					Msg: fmt.Sprintf("sets the same term as %q in regime %s: give each regime's term one factor (name the regimes instead of *)", o.Path, reg)}
			}
		}
		out = append(out, fac)
	}
	return out, nil
}

func (e *Experiment) factor(path string, spec dist.Spec) (Factor, error) {
	key := fmt.Sprintf("factors.%q", path)
	bad := func(format string, a ...any) error {
		return &Error{File: e.Source, Key: key, Msg: fmt.Sprintf(format, a...)}
	}
	if isRegimeFactor(path) {
		term, kind, err := e.regimeFactor(path, bad)
		if err != nil {
			return Factor{}, err
		}
		fac, err := e.factorDist(key, path, spec, kind)
		fac.term = term
		return fac, err
	}
	p, err := market.LookupParam(path)
	if err != nil {
		names := make([]string, 0)
		for _, q := range market.Params() {
			names = append(names, q.Path)
		}
		return Factor{}, bad("unknown market parameter%s; coopsim params lists them, and regime.<regime>.<term> varies a contract term", suggest.DidYouMean(path, names))
	}
	var kind dist.Kind
	switch p.Kind {
	case market.KindFloat:
		kind = dist.Real
	case market.KindInt:
		kind = dist.Integer
	case market.KindMonth:
		kind = dist.Month
	default:
		return Factor{}, bad("a %s parameter cannot vary in a design: give a number, whole number or month parameter", p.Kind)
	}
	for _, sc := range e.Scenarios {
		for _, ov := range sc.Overrides {
			if ov.Path == path {
				return Factor{}, bad("scenario %s sets it: a factor varies in every scenario, so drop it from the scenario's set", sc.Name)
			}
		}
	}
	fac, err := e.factorDist(key, path, spec, kind)
	fac.Param = p
	return fac, err
}

// factorDist resolves a factor's distribution for a parameter of kind.
func (e *Experiment) factorDist(key, path string, spec dist.Spec, kind dist.Kind) (Factor, error) {
	bad := func(format string, a ...any) error {
		return &Error{File: e.Source, Key: key, Msg: fmt.Sprintf(format, a...)}
	}
	if spec.Dist == "" {
		spec.Dist = "uniform"
	}
	d, err := spec.Resolve(key, kind)
	if err != nil {
		var se *dist.SpecError
		if errors.As(err, &se) {
			return Factor{}, &Error{File: e.Source, Key: se.Key, Msg: se.Msg}
		}
		return Factor{}, bad("%v", err)
	}
	return Factor{Path: path, Design: design.Factor{Name: path, Dist: d, Kind: kind}, Describe: d.String()}, nil
}

// outputs resolves output specs against the experiment's metrics and
// scenarios. key names the table in errors: an array of tables (each
// output's key gets its index) unless single.
func (e *Experiment) outputs(key string, fs []outputFormat, single bool) ([]Output, error) {
	if len(fs) == 0 {
		return nil, &Error{File: e.Source, Key: key,
			Msg: `missing: name at least one output, e.g. [[` + key + `]] metric = "net_revenue/microsoft", scenario = "history"`}
	}
	metrics := newScalarLayout(e).names
	scen := scenarioNames(e.Scenarios)
	seen := map[string]bool{}
	out := make([]Output, 0, len(fs))
	for i, f := range fs {
		k := fmt.Sprintf("%s[%d]", key, i)
		if single {
			k = key
		}
		bad := func(field, format string, a ...any) error {
			return &Error{File: e.Source, Key: k + "." + field, Msg: fmt.Sprintf(format, a...)}
		}
		o := Output{Name: f.Name, Metric: f.Metric, Scenario: f.Scenario, Minus: f.Minus, minus: -1}
		if o.metric = slices.Index(metrics, f.Metric); o.metric < 0 {
			return nil, bad("metric", "%q is not a metric%s; the metrics are the columns of runs.csv", f.Metric, suggest.DidYouMean(f.Metric, metrics))
		}
		if o.scenario = slices.Index(scen, f.Scenario); o.scenario < 0 {
			return nil, bad("scenario", "%q is not a scenario of the experiment%s (have %s)", f.Scenario, suggest.DidYouMean(f.Scenario, scen), strings.Join(scen, ", "))
		}
		if f.Minus != "" {
			if o.minus = slices.Index(scen, f.Minus); o.minus < 0 || o.minus == o.scenario {
				return nil, bad("minus", "%q: want another scenario of the experiment%s (have %s)", f.Minus, suggest.DidYouMean(f.Minus, scen), strings.Join(scen, ", "))
			}
		}
		if o.Name == "" {
			o.Name = o.Metric + "@" + o.Scenario
			if o.Minus != "" {
				o.Name += "-" + o.Minus
			}
		}
		if !validName(strings.NewReplacer("/", "_", "@", "_").Replace(o.Name)) || seen[o.Name] {
			return nil, bad("name", "%q: give each output a distinct name of letters, digits, '-', '_', '.', '/' or '@'", o.Name)
		}
		seen[o.Name] = true
		out = append(out, o)
	}
	return out, nil
}

// intKey reads an optional whole-number key within [lo, hi].
func (e *Experiment) intKey(key string, v *int64, def, lo, hi int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < int64(lo) || *v > int64(hi) {
		return 0, &Error{File: e.Source, Key: key, Msg: fmt.Sprintf("%d, want %d to %d", *v, lo, hi)}
	}
	return int(*v), nil
}

// fracKey reads an optional number key within the open interval (lo, hi).
func (e *Experiment) fracKey(key string, v *float64, def, lo, hi float64) (float64, error) {
	if v == nil {
		return def, nil
	}
	if !(*v > lo && *v < hi) {
		return 0, &Error{File: e.Source, Key: key, Msg: fmt.Sprintf("%g, want a number between %g and %g", *v, lo, hi)}
	}
	return *v, nil
}
