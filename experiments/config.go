package experiments

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
)

// Experiment is a loaded, validated and resolved experiment.
type Experiment struct {
	// Name names the experiment; results go to out/<Name> by default.
	Name string
	// Source is the file it was read from ("(default)" for the embedded one).
	Source string
	Seed   uint64
	// Runs is the number of runs per scenario; in precision mode it is
	// MaxRuns and runs stop early once Precision is reached.
	Runs      int
	Precision float64
	MaxRuns   int
	Batch     int
	Workers   int
	// Market is the base market: defaults, then included files, then the
	// file's [market] table.
	Market market.Config
	// Scenarios are the scenarios to run, sweeps expanded, in file order.
	Scenarios []Scenario
	// Baseline is the index of the baseline scenario.
	Baseline int
	// WindowStart and WindowEnd bound the report window (inclusive).
	WindowStart, WindowEnd agents.Month
	// AnnualizedAt are the months at which annualized revenue is reported.
	AnnualizedAt []agents.Month
	// Hash is the sha256 of the resolved experiment (what determines results).
	Hash string

	// files holds the text of the experiment ("experiment.toml") and of
	// its includes (by their include names), so that partial results carry
	// the experiment with them and merge needs no other file.
	files map[string][]byte
	// layout is the last directories of the experiment's own (at most
	// maxIncludeUp of them), so that a partial result lays out its includes
	// ("../x.toml") as they were on disk.
	layout string
}

// Scenario is one scenario: a regime and the market it runs on.
type Scenario struct {
	Name     string
	Regime   *market.Regime
	Compiled *market.Compiled
	Market   market.Config
	// Overrides are the parameter paths set on top of the base market.
	Overrides []Override
}

// Override is one parameter set by a scenario or sweep.
type Override struct {
	Path  string
	Value any
}

// fileFormat is the TOML layout. Unknown keys are errors.
type fileFormat struct {
	Name      string           `toml:"name"`
	Include   any              `toml:"include"`
	Seed      *int64           `toml:"seed"`
	Runs      *int64           `toml:"runs"`
	Precision *float64         `toml:"precision"`
	MaxRuns   *int64           `toml:"max_runs"`
	Batch     *int64           `toml:"batch"`
	Workers   *int64           `toml:"workers"`
	Start     *string          `toml:"start"`
	End       *string          `toml:"end"`
	Baseline  string           `toml:"baseline"`
	Report    reportFormat     `toml:"report"`
	Market    map[string]any   `toml:"market"`
	Regimes   []regimeFormat   `toml:"regime"`
	Scenarios []scenarioFormat `toml:"scenario"`
	Sweeps    []sweepFormat    `toml:"sweep"`
	// Meta is free-form: notes a researcher keeps with the experiment.
	Meta map[string]any `toml:"meta"`
}

type reportFormat struct {
	WindowStart  string   `toml:"window_start"`
	WindowEnd    string   `toml:"window_end"`
	AnnualizedAt []string `toml:"annualized_at"`
}

type regimeFormat struct {
	Name        string             `toml:"name"`
	BasedOn     string             `toml:"based_on"`
	Description string             `toml:"description"`
	Amendments  []market.Amendment `toml:"amendment"`
}

type scenarioFormat struct {
	Name   string         `toml:"name"`
	Regime string         `toml:"regime"`
	Set    map[string]any `toml:"set"`
}

type sweepFormat struct {
	Scenario string         `toml:"scenario"`
	Grid     map[string]any `toml:"grid"`
}

// includeFormat is what an included file may hold.
type includeFormat struct {
	Market map[string]any `toml:"market"`
}

// knownKeys lists the keys allowed at each level, for "did you mean",
// read from the formats' toml tags so that they cannot drift apart.
var knownKeys = map[string][]string{
	"":                 tomlKeys(fileFormat{}),
	"report":           tomlKeys(reportFormat{}),
	"regime":           tomlKeys(regimeFormat{}),
	"regime.amendment": tomlKeys(market.Amendment{}),
	"scenario":         tomlKeys(scenarioFormat{}),
	"sweep":            tomlKeys(sweepFormat{}),
	"(include)":        tomlKeys(includeFormat{}),
}

// tomlKeys returns the toml keys of a struct's fields.
func tomlKeys(v any) []string {
	t := reflect.TypeOf(v)
	keys := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// Load reads, validates and resolves the experiment file at path. Included
// files are read relative to its directory.
func Load(filePath string) (*Experiment, error) {
	dir, name := filepath.Split(filePath)
	if dir == "" {
		dir = "."
	}
	fsys, base, err := dirFS(dir)
	if err != nil {
		return nil, &Error{File: filePath, Msg: err.Error()}
	}
	return load(fsys, path.Join(base, name), filePath, dir, base)
}

// LoadBytes reads an experiment from memory; includes resolve in dir.
func LoadBytes(data []byte, displayName, dir string) (*Experiment, error) {
	fsys, base, err := dirFS(dir)
	if err != nil {
		return nil, &Error{File: displayName, Msg: err.Error()}
	}
	return loadData(fsys, data, displayName, dir, base)
}

// dirFS returns the file system root and dir's path in it, so that
// includes may name files in other directories ("../default/fitted.toml").
func dirFS(dir string) (fs.FS, string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real // so that "../" means what it means to the shell
	}
	vol := filepath.VolumeName(abs)
	rel := strings.TrimPrefix(filepath.ToSlash(abs[len(vol):]), "/")
	if rel == "" {
		rel = "."
	}
	return os.DirFS(vol + string(filepath.Separator)), rel, nil
}

// load reads name from fsys. Includes are read from base inside fsys and
// shown to the user under dir.
func load(fsys fs.FS, name, display, dir, base string) (*Experiment, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{File: display, Msg: "no such file: check the path"}
		}
		return nil, &Error{File: display, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	return loadData(fsys, data, display, dir, base)
}

func loadData(fsys fs.FS, data []byte, display, dir, base string) (*Experiment, error) {
	var f fileFormat
	md, err := decode(display, data, &f)
	if err != nil {
		return nil, err
	}
	if err := unknownKeys(display, md.Undecoded(), ""); err != nil {
		return nil, err
	}
	files := map[string][]byte{mainFile: data}
	e, err := resolve(fsys, &f, display, dir, base, files)
	if err != nil {
		return nil, err
	}
	e.files = files
	e.layout = lastDirs(base, maxIncludeUp)
	return e, nil
}

// mainFile is the experiment's own file among Experiment.files.
const mainFile = "experiment.toml"

// maxIncludeUp bounds how far up ("../") an include may reach, so that a
// partial result can carry its includes (see LoadPartial).
const maxIncludeUp = 8

// lastDirs returns the last n elements of the slash path p (fewer if it
// has fewer), or "." for none.
func lastDirs(p string, n int) string {
	parts := strings.Split(path.Clean(p), "/")
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return path.Join(parts...)
}

// upLevels returns how many directories above its start a relative path
// climbs at its highest.
func upLevels(p string) int {
	depth, up := 0, 0
	for _, part := range strings.Split(path.Clean(p), "/") {
		switch part {
		case "..":
			depth--
		case ".":
		default:
			depth++
		}
		up = max(up, -depth)
	}
	return up
}

// unknownKeys reports the first key the decoder did not use.
func unknownKeys(file string, keys []toml.Key, ctx string) error {
	for _, k := range keys {
		path := []string(k)
		// Free-form tables (parameter paths, notes) are checked when applied.
		if freeForm(path) {
			continue
		}
		level := ctx // the table the key is in: its known keys
		if level == "" && len(path) > 1 {
			level = strings.Join(path[:len(path)-1], ".")
		}
		last := path[len(path)-1]
		return &Error{File: file, Key: strings.Join(path, "."),
			Msg: "unknown key" + suggest.DidYouMean(last, knownKeys[level]) + "; see experiments/reference.toml for the format"}
	}
	return nil
}

// freeForm reports whether a key lies in a table whose keys are parameter
// paths or free text rather than fixed names.
func freeForm(path []string) bool {
	switch {
	case len(path) > 1 && (path[0] == "market" || path[0] == "meta"):
		return true
	case len(path) > 2 && path[0] == "scenario" && path[1] == "set":
		return true
	case len(path) > 2 && path[0] == "sweep" && path[1] == "grid":
		return true
	case len(path) > 3 && path[0] == "regime" && path[1] == "amendment" && path[2] == "release_lag_months":
		return true
	}
	return false
}

// resolve validates the decoded file and builds the Experiment.
func resolve(fsys fs.FS, f *fileFormat, file, dir, base string, files map[string][]byte) (*Experiment, error) {
	bad := func(key, format string, args ...any) error {
		return &Error{File: file, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	e := &Experiment{Name: f.Name, Source: file, Runs: 1000, Batch: 100}
	if e.Name == "" {
		return nil, bad("name", `missing: give the experiment a name, e.g. name = "cap-study"`)
	}
	if !validName(e.Name) {
		return nil, bad("name", "%q: use letters, digits, '-', '_' and '.' only (it names the output directory)", e.Name)
	}
	if f.Seed == nil {
		return nil, bad("seed", "missing: set a seed, e.g. seed = 1, so the experiment can be reproduced")
	}
	if *f.Seed < 0 {
		return nil, bad("seed", "%d, want 0 or more", *f.Seed)
	}
	e.Seed = uint64(*f.Seed)
	if f.Runs != nil {
		if *f.Runs < 1 || *f.Runs > 10_000_000 {
			return nil, bad("runs", "%d, want 1 to 10000000", *f.Runs)
		}
		e.Runs = int(*f.Runs)
	}
	if f.Precision != nil {
		if !(*f.Precision > 0 && *f.Precision < 1) {
			return nil, bad("precision", "%g, want a relative half-width between 0 and 1 (e.g. 0.01 for ±1%%)", *f.Precision)
		}
		if f.Runs != nil {
			return nil, bad("runs", "set either runs or precision (with max_runs), not both")
		}
		if f.MaxRuns == nil {
			return nil, bad("max_runs", "missing: precision mode needs max_runs, the most runs to spend")
		}
		e.Precision = *f.Precision
	}
	if f.MaxRuns != nil {
		if f.Precision == nil {
			return nil, bad("max_runs", "only used with precision; for a fixed number of runs set runs")
		}
		if *f.MaxRuns < 2 || *f.MaxRuns > 10_000_000 {
			return nil, bad("max_runs", "%d, want 2 to 10000000", *f.MaxRuns)
		}
		e.MaxRuns = int(*f.MaxRuns)
		e.Runs = e.MaxRuns
	}
	if f.Batch != nil {
		if *f.Batch < 2 || *f.Batch > 1_000_000 {
			return nil, bad("batch", "%d, want 2 to 1000000 runs per precision check", *f.Batch)
		}
		e.Batch = int(*f.Batch)
	}
	if f.Workers != nil {
		if *f.Workers < 0 || *f.Workers > 4096 {
			return nil, bad("workers", "%d, want 0 (all cores) to 4096", *f.Workers)
		}
		e.Workers = int(*f.Workers)
	}

	// The market: defaults, includes, then [market].
	e.Market = market.DefaultConfig()
	includes, err := includeList(f.Include)
	if err != nil {
		return nil, bad("include", "%v", err)
	}
	for _, inc := range includes {
		if inc == "" || path.IsAbs(inc) || filepath.IsAbs(inc) || inc == mainFile || upLevels(inc) > maxIncludeUp {
			return nil, bad("include", "%q: name an included file by a path relative to the experiment file, at most %d directories up", inc, maxIncludeUp)
		}
		data, err := applyInclude(fsys, &e.Market, path.Join(base, inc), filepath.Join(dir, inc), file)
		if err != nil {
			return nil, err
		}
		files[inc] = data
	}
	if err := applyMarket(&e.Market, f.Market, "market", file); err != nil {
		return nil, err
	}
	if f.Start != nil {
		m, err := agents.ParseMonth(*f.Start)
		if err != nil {
			return nil, bad("start", "%s", msgOf(err))
		}
		e.Market.Start = m
	}
	if f.End != nil {
		m, err := agents.ParseMonth(*f.End)
		if err != nil {
			return nil, bad("end", "%s", msgOf(err))
		}
		e.Market.End = m
	}
	if e.Market.End < e.Market.Start {
		return nil, bad("end", "%s is before start %s: end must be at or after start", e.Market.End, e.Market.Start)
	}
	if err := e.Market.Validate(); err != nil {
		return nil, bad("market", "%s", msgOf(err))
	}

	// Report window.
	e.WindowStart, e.WindowEnd = e.Market.Start, e.Market.End
	if f.Report.WindowStart != "" {
		m, err := agents.ParseMonth(f.Report.WindowStart)
		if err != nil {
			return nil, bad("report.window_start", "%s", msgOf(err))
		}
		e.WindowStart = m
	}
	if f.Report.WindowEnd != "" {
		m, err := agents.ParseMonth(f.Report.WindowEnd)
		if err != nil {
			return nil, bad("report.window_end", "%s", msgOf(err))
		}
		e.WindowEnd = m
	}
	if e.WindowEnd < e.WindowStart {
		return nil, bad("report.window_end", "%s is before report.window_start %s", e.WindowEnd, e.WindowStart)
	}
	if e.WindowStart < e.Market.Start || e.WindowEnd > e.Market.End {
		return nil, bad("report", "window %s to %s is outside the simulated months %s to %s", e.WindowStart, e.WindowEnd, e.Market.Start, e.Market.End)
	}
	for i, s := range f.Report.AnnualizedAt {
		m, err := agents.ParseMonth(s)
		if err != nil {
			return nil, bad(fmt.Sprintf("report.annualized_at[%d]", i), "%s", msgOf(err))
		}
		if m < e.Market.Start || m > e.Market.End {
			return nil, bad(fmt.Sprintf("report.annualized_at[%d]", i), "%s is outside the simulated months %s to %s", m, e.Market.Start, e.Market.End)
		}
		if slices.Contains(e.AnnualizedAt, m) {
			return nil, bad(fmt.Sprintf("report.annualized_at[%d]", i), "%s is listed twice", m)
		}
		e.AnnualizedAt = append(e.AnnualizedAt, m)
	}

	// Regimes defined in the file.
	regimes := map[string]*market.Regime{}
	for i := range f.Regimes {
		rf := &f.Regimes[i]
		key := fmt.Sprintf("regime[%d]", i)
		if rf.Name == "" {
			return nil, bad(key+".name", "missing: name the regime so scenarios can use it")
		}
		if _, err := market.BuiltinRegime(rf.Name); err == nil {
			return nil, bad(key+".name", "%q is a built-in regime: choose another name", rf.Name)
		}
		if regimes[rf.Name] != nil {
			return nil, bad(key+".name", "%q is defined twice", rf.Name)
		}
		r := &market.Regime{Name: rf.Name, Description: rf.Description}
		if rf.BasedOn != "" {
			base, err := market.BuiltinRegime(rf.BasedOn)
			if err != nil {
				if prev := regimes[rf.BasedOn]; prev != nil {
					base = prev
				} else {
					return nil, bad(key+".based_on", "unknown regime %q%s (known: %s)", rf.BasedOn,
						suggest.DidYouMean(rf.BasedOn, market.BuiltinRegimeNames()), strings.Join(market.BuiltinRegimeNames(), ", "))
				}
			}
			r.Amendments = append(r.Amendments, base.Amendments...)
			if r.Description == "" {
				r.Description = "based on " + rf.BasedOn
			}
		}
		for j := 1; j < len(rf.Amendments); j++ {
			if rf.Amendments[j].Month < rf.Amendments[j-1].Month {
				return nil, bad(fmt.Sprintf("%s.amendment[%d].month", key, j), "%s is before the amendment above it (%s): list amendments in date order",
					rf.Amendments[j].Month, rf.Amendments[j-1].Month)
			}
		}
		for j, a := range rf.Amendments {
			akey := fmt.Sprintf("%s.amendment[%d]", key, j)
			if a.Month == 0 {
				return nil, bad(akey+".month", `missing: every amendment needs month = "YYYY-MM"`)
			}
			if err := a.Validate(akey); err != nil {
				return nil, &Error{File: file, Key: keyOf(err, akey), Msg: detailOf(err)}
			}
		}
		// Own amendments apply after the base's of the same month.
		r.Amendments = mergeAmendments(r.Amendments, rf.Amendments)
		regimes[rf.Name] = r
	}
	regimeNames := func() string {
		names := market.BuiltinRegimeNames()
		for _, rf := range f.Regimes {
			names = append(names, rf.Name)
		}
		return strings.Join(names, ", ")
	}
	findRegime := func(name string) (*market.Regime, bool) {
		if r := regimes[name]; r != nil {
			return r, true
		}
		r, err := market.BuiltinRegime(name)
		return r, err == nil
	}

	// Scenarios.
	if len(f.Scenarios) == 0 {
		return nil, bad("scenario", "no scenarios: add at least one [[scenario]] with a name and a regime")
	}
	byName := map[string]int{}
	for i := range f.Scenarios {
		sf := &f.Scenarios[i]
		key := fmt.Sprintf("scenario[%d]", i)
		if sf.Name == "" {
			return nil, bad(key+".name", "missing: name the scenario")
		}
		if strings.ContainsAny(sf.Name, ",\"\n") {
			return nil, bad(key+".name", "%q: a scenario name may not contain commas, quotes or newlines (it is a CSV field)", sf.Name)
		}
		if _, dup := byName[sf.Name]; dup {
			return nil, bad(key+".name", "%q is used twice: scenario names must be unique", sf.Name)
		}
		if sf.Regime == "" {
			return nil, bad(key+".regime", "missing: name a regime (%s)", regimeNames())
		}
		r, ok := findRegime(sf.Regime)
		if !ok {
			return nil, bad(key+".regime", "unknown regime %q%s (known: %s)", sf.Regime,
				suggest.DidYouMean(sf.Regime, strings.Split(regimeNames(), ", ")), regimeNames())
		}
		sc := Scenario{Name: sf.Name, Regime: r, Market: cloneConfig(&e.Market)}
		ovs, err := flatten(sf.Set, "")
		if err != nil {
			return nil, bad(key+".set", "%v", err)
		}
		for _, ov := range ovs {
			if err := setOverride(&sc.Market, ov); err != nil {
				return nil, bad(key+".set."+ov.Path, "%s", detailOf(err))
			}
		}
		sc.Overrides = ovs
		byName[sf.Name] = len(e.Scenarios)
		e.Scenarios = append(e.Scenarios, sc)
	}

	// Sweeps: each grid point of each sweep is a scenario.
	for i := range f.Sweeps {
		sw := &f.Sweeps[i]
		key := fmt.Sprintf("sweep[%d]", i)
		bi, ok := byName[sw.Scenario]
		if !ok {
			return nil, bad(key+".scenario", "unknown scenario %q (defined: %s)", sw.Scenario, strings.Join(scenarioNames(e.Scenarios), ", "))
		}
		axes, err := gridAxes(sw.Grid)
		if err != nil {
			return nil, bad(key+".grid", "%s", msgOf(err))
		}
		points := 1
		for _, a := range axes {
			points *= len(a.values)
		}
		if points > 10_000 {
			return nil, bad(key+".grid", "%d grid points, want at most 10000", points)
		}
		base := e.Scenarios[bi]
		for p := 0; p < points; p++ {
			sc := Scenario{Regime: base.Regime, Market: cloneConfig(&base.Market)}
			sc.Overrides = slices.Clone(base.Overrides)
			pick := make([]int, len(axes)) // the point's value index per axis
			rem := p
			for ai := len(axes) - 1; ai >= 0; ai-- { // last axis varies fastest
				pick[ai] = rem % len(axes[ai].values)
				rem /= len(axes[ai].values)
			}
			var label []string
			for ai, a := range axes {
				v := a.values[pick[ai]]
				ov := Override{Path: a.path, Value: v}
				if err := setOverride(&sc.Market, ov); err != nil {
					return nil, bad(key+".grid."+a.path, "%s", detailOf(err))
				}
				sc.Overrides = append(sc.Overrides, ov)
				label = append(label, a.path+"="+formatValue(v))
			}
			sc.Name = base.Name + "[" + strings.Join(label, ";") + "]"
			if _, dup := byName[sc.Name]; dup {
				return nil, bad(key, "grid point %s duplicates an existing scenario", sc.Name)
			}
			byName[sc.Name] = len(e.Scenarios)
			e.Scenarios = append(e.Scenarios, sc)
		}
	}

	// Baseline.
	if f.Baseline == "" {
		return nil, bad("baseline", "missing: name the scenario the others are compared with (%s)", strings.Join(scenarioNames(e.Scenarios), ", "))
	}
	bi, ok := byName[f.Baseline]
	if !ok {
		return nil, bad("baseline", "unknown scenario %q%s (defined: %s)", f.Baseline,
			suggest.DidYouMean(f.Baseline, scenarioNames(e.Scenarios)), strings.Join(scenarioNames(e.Scenarios), ", "))
	}
	e.Baseline = bi

	// Validate and compile every scenario.
	for i := range e.Scenarios {
		sc := &e.Scenarios[i]
		sc.Market.Start, sc.Market.End = e.Market.Start, e.Market.End
		if err := sc.Market.Validate(); err != nil {
			return nil, bad("scenario "+sc.Name, "%s", msgOf(err))
		}
		c, err := market.Compile(sc.Regime, sc.Market.Start, sc.Market.End)
		if err != nil {
			return nil, bad("scenario "+sc.Name+" regime", "%s", msgOf(err))
		}
		sc.Compiled = c
	}
	e.Hash = e.hash()
	return e, nil
}

// mergeAmendments appends extra to base keeping date order; an extra
// amendment comes after base amendments of the same month.
func mergeAmendments(base, extra []market.Amendment) []market.Amendment {
	out := slices.Clone(base)
	for _, a := range extra {
		i := sort.Search(len(out), func(i int) bool { return out[i].Month > a.Month })
		out = slices.Insert(out, i, a)
	}
	return out
}

func scenarioNames(s []Scenario) []string {
	names := make([]string, len(s))
	for i := range s {
		names[i] = s[i].Name
	}
	return names
}

func validName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func includeList(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, s := range x {
			str, ok := s.(string)
			if !ok {
				return nil, fmt.Errorf("want a file name or a list of file names, got %v", s)
			}
			out = append(out, str)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a file name or a list of file names, got %v", v)
}

// applyInclude sets the [market] of an included file on cfg and returns
// the file's text.
func applyInclude(fsys fs.FS, cfg *market.Config, name, display, from string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, path.Clean(name))
	if err != nil {
		return nil, &Error{File: from, Key: "include", Msg: display + ": included file cannot be read: check the include path (relative to the experiment file)"}
	}
	var f includeFormat
	md, err := decode(display, data, &f)
	if err != nil {
		return nil, err
	}
	if err := unknownKeys(display, md.Undecoded(), "(include)"); err != nil {
		return nil, err
	}
	return data, applyMarket(cfg, f.Market, "market", display)
}

// applyMarket sets every parameter path of a [market] table.
func applyMarket(cfg *market.Config, table map[string]any, prefix, file string) error {
	ovs, err := flatten(table, "")
	if err != nil {
		return &Error{File: file, Key: prefix, Msg: err.Error()}
	}
	for _, ov := range ovs {
		if err := setOverride(cfg, ov); err != nil {
			return &Error{File: file, Key: prefix + "." + ov.Path, Msg: detailOf(err)}
		}
	}
	return nil
}

// setOverride sets one parameter, including the one structured parameter
// (other_revenue.points).
func setOverride(cfg *market.Config, ov Override) error {
	if ov.Path == "other_revenue.points" {
		pts, err := revenuePoints(ov.Value)
		if err != nil {
			return err
		}
		cfg.OtherRevenue.Points = pts
		return nil
	}
	p, err := market.LookupParam(ov.Path)
	if err != nil {
		return err
	}
	return p.Set(cfg, ov.Value)
}

func revenuePoints(v any) ([]market.RevenuePoint, error) {
	list, ok := v.([]map[string]any)
	if !ok {
		if l, ok2 := v.([]any); ok2 {
			for _, x := range l {
				m, ok3 := x.(map[string]any)
				if !ok3 {
					return nil, errors.New(`want a list of {month = "YYYY-MM", annualized_usd = N}`)
				}
				list = append(list, m)
			}
		} else {
			return nil, errors.New(`want a list of {month = "YYYY-MM", annualized_usd = N}`)
		}
	}
	var pts []market.RevenuePoint
	for i, m := range list {
		ms, _ := m["month"].(string)
		mo, err := agents.ParseMonth(ms)
		if err != nil {
			return nil, fmt.Errorf("[%d].month: %s", i, msgOf(err))
		}
		var val float64
		switch x := m["annualized_usd"].(type) {
		case float64:
			val = x
		case int64:
			val = float64(x)
		default:
			return nil, fmt.Errorf("[%d].annualized_usd: want a number of US dollars", i)
		}
		for k := range m {
			if k != "month" && k != "annualized_usd" {
				return nil, fmt.Errorf("[%d]: unknown key %q (want month and annualized_usd)", i, k)
			}
		}
		pts = append(pts, market.RevenuePoint{Month: mo, Annualized: val})
	}
	return pts, nil
}

// flatten turns nested tables into dotted parameter paths, sorted so the
// order of application never depends on map order.
func flatten(table map[string]any, prefix string) ([]Override, error) {
	var out []Override
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		v := table[k]
		if sub, ok := v.(map[string]any); ok && p != "other_revenue.points" {
			inner, err := flatten(sub, p)
			if err != nil {
				return nil, err
			}
			out = append(out, inner...)
			continue
		}
		out = append(out, Override{Path: p, Value: v})
	}
	return out, nil
}

type gridAxis struct {
	path   string
	values []any
}

func gridAxes(grid map[string]any) ([]gridAxis, error) {
	ovs, err := flatten(grid, "")
	if err != nil {
		return nil, err
	}
	if len(ovs) == 0 {
		return nil, errors.New(`empty: give at least one parameter path with a list of values, e.g. "sellers.azure.bundle_discount" = [0.0, 0.1]`)
	}
	var axes []gridAxis
	for _, ov := range ovs {
		list, ok := ov.Value.([]any)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("%s: want a non-empty list of values, e.g. [0.0, 0.1, 0.2]", ov.Path)
		}
		if _, err := market.LookupParam(ov.Path); err != nil {
			return nil, err
		}
		axes = append(axes, gridAxis{path: ov.Path, values: list})
	}
	return axes, nil
}

func formatValue(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	default:
		return fmt.Sprint(x)
	}
}

// cloneConfig copies a Config deeply (its one slice included).
func cloneConfig(c *market.Config) market.Config {
	out := *c
	out.OtherRevenue.Points = slices.Clone(c.OtherRevenue.Points)
	return out
}

// hash returns the sha256 of everything that determines the results.
func (e *Experiment) hash() string {
	h := sha256.New()
	fmt.Fprintf(h, "seed=%d runs=%d precision=%v max=%d batch=%d window=%s..%s ann=%v baseline=%d\n",
		e.Seed, e.Runs, e.Precision, e.MaxRuns, e.Batch, e.WindowStart, e.WindowEnd, e.AnnualizedAt, e.Baseline)
	for _, s := range e.Scenarios {
		fmt.Fprintf(h, "scenario %q regime %q\n%#v\n", s.Name, s.Regime.Name, s.Market)
		for _, t := range s.Compiled.Terms {
			fmt.Fprintf(h, "%v\n", t)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// WithRuns returns a copy of e with n runs per scenario (the --runs flag).
// In precision mode n replaces max_runs.
func (e *Experiment) WithRuns(n int) (*Experiment, error) {
	if n < 1 || n > 10_000_000 {
		return nil, &agents.ValueError{Key: "--runs", Value: n, Got: strconv.Itoa(n), Want: "1 to 10000000"}
	}
	c := *e
	c.Runs = n
	if c.Precision > 0 {
		if n < 2 {
			return nil, &agents.ValueError{Key: "--runs", Value: n, Got: strconv.Itoa(n), Want: "at least 2 in precision mode"}
		}
		c.MaxRuns = n
	}
	c.Hash = c.hash()
	return &c, nil
}

// WithSeed returns a copy of e with another master seed (the --seed flag).
func (e *Experiment) WithSeed(seed uint64) *Experiment {
	c := *e
	c.Seed = seed
	c.Hash = c.hash()
	return &c
}

// MonthIndex returns the index of month m in the simulated months.
func (e *Experiment) MonthIndex(m agents.Month) int { return int(m - e.Market.Start) }

// Months returns the number of simulated months.
func (e *Experiment) Months() int { return e.Market.Months() }
