package experiments

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
)

// uncertaintyFormat is the [uncertainty] table.
type uncertaintyFormat struct {
	// Posterior is a posterior.csv (coopsim calibrate --posterior) whose
	// rows the runs draw from, relative to the experiment file.
	Posterior string `toml:"posterior"`
	// Replicates is the number of runs that share one parameter draw.
	Replicates *int64 `toml:"replicates"`
	// Market gives distributions of market parameter paths.
	Market map[string]dist.Spec `toml:"market"`
}

// Uncertainty is an experiment's parameter uncertainty. Runs come in
// groups of Replicates consecutive runs: group k = run / Replicates draws
// one parameter vector, keyed by (seed, k) under
// agents.PurposeUncertainty, and every scenario of every run of the group
// uses it (so common random numbers still pair the scenarios, and the
// replicates separate simulation noise from parameter uncertainty).
type Uncertainty struct {
	// Replicates is the number of runs per draw (default 2).
	Replicates int
	// Posterior is the posterior sample runs draw rows from, or nil.
	Posterior *PosteriorSample
	// Params are the parameters given a distribution, by path.
	Params []UncertainParam
	// checked says which draws the load validated: those of runs below
	// checkedRuns under seed checkedSeed (the file's own).
	checkedSeed uint64
	checkedRuns int
}

// UncertainParam is one market parameter, or one regime term
// (regime.<regime>.<term>, as a sensitivity factor names it), with a
// distribution.
type UncertainParam struct {
	Path  string
	Dist  *dist.Dist
	param *market.Param // nil for a regime term
	term  *regimeTerm   // nil for a market parameter
	id    uint32
}

// PosteriorSample is a posterior file's draws.
type PosteriorSample struct {
	// File is the file as the experiment names it.
	File string
	// Paths are the parameter columns, in file order.
	Paths []string
	// Rows are the draws, [row][column of Paths].
	Rows [][]float64
	// cum are the rows' cumulative weights, normalised to end at 1.
	cum    []float64
	params []*market.Param
	// lines are the rows' lines in the file, for messages.
	lines []int
}

// posteriorID is the id of the uniform that picks a posterior row.
var posteriorID = dist.KeyID("[uncertainty] posterior")

// Paths returns every uncertain parameter's path: the posterior's columns,
// then the distributions' paths in sorted order. A draw's values come in
// this order.
func (u *Uncertainty) Paths() []string {
	var out []string
	if u.Posterior != nil {
		out = append(out, u.Posterior.Paths...)
	}
	for _, p := range u.Params {
		out = append(out, p.Path)
	}
	return out
}

// Draw returns run's parameter values (in Paths order) into v, which must
// have len(Paths()) elements: the draw of the run's group, a pure function
// of (seed, run / Replicates).
func (u *Uncertainty) Draw(seed uint64, run int, v []float64) {
	st := agents.Key{Seed: seed, Run: uint64(run / u.Replicates)}.Stream()
	i := 0
	if p := u.Posterior; p != nil {
		i += copy(v, p.Rows[p.pick(st)])
	}
	for j := range u.Params {
		v[i+j] = u.Params[j].Dist.Draw(st, u.Params[j].id)
	}
}

// pick returns the row a group's stream draws.
func (p *PosteriorSample) pick(st agents.Stream) int {
	x := st.Float64(agents.PurposeUncertainty, posteriorID, 0)
	return min(sort.SearchFloat64s(p.cum, x), len(p.Rows)-1)
}

// row returns the row run's group draws (as Draw does).
func (p *PosteriorSample) row(seed uint64, run, replicates int) int {
	return p.pick(agents.Key{Seed: seed, Run: uint64(run / replicates)}.Stream())
}

// apply sets the values v (Paths order) on cfg, except the paths in skip
// (a scenario's own settings win over the uncertain draw).
func (u *Uncertainty) apply(cfg *market.Config, v []float64, skip map[string]bool) error {
	i := 0
	set := func(p *market.Param, x float64) error {
		if skip[p.Path] {
			return nil
		}
		return setDrawn(cfg, p, x)
	}
	if p := u.Posterior; p != nil {
		for j, mp := range p.params {
			if err := set(mp, v[j]); err != nil {
				return err
			}
		}
		i = len(p.params)
	}
	for j := range u.Params {
		if u.Params[j].param == nil {
			continue // a regime term: compiled
		}
		if err := set(u.Params[j].param, v[i+j]); err != nil {
			return err
		}
	}
	return nil
}

// compiled returns scenario sc's regime compiled with the draw's regime
// terms (Paths order values v), or sc.Compiled if none is of its regime.
func (u *Uncertainty) compiled(sc *Scenario, v []float64) (*market.Compiled, error) {
	off := len(u.Paths()) - len(u.Params)
	reg := sc.Regime
	for j := range u.Params {
		if t := u.Params[j].term; t != nil && t.appliesTo(sc.Regime) {
			reg = t.apply(reg, v[off+j])
		}
	}
	if reg == sc.Regime {
		return sc.Compiled, nil
	}
	return market.Compile(reg, sc.Market.Start, sc.Market.End)
}

// uncertainty reads the [uncertainty] table (after the scenarios).
func (r *resolver) uncertainty() error {
	f := r.f.Uncertainty
	if f == nil {
		return nil
	}
	u := &Uncertainty{Replicates: 2}
	if f.Replicates != nil {
		if *f.Replicates < 1 || *f.Replicates > 1000 {
			return r.bad("uncertainty.replicates", "%d, want 1 to 1000 runs per parameter draw (2 or more to split the variance)", *f.Replicates)
		}
		u.Replicates = int(*f.Replicates)
	}
	if f.Posterior == "" && len(f.Market) == 0 {
		return r.bad("uncertainty", `empty: give posterior = "posterior.csv" and/or [uncertainty.market] distributions`)
	}
	if f.Posterior != "" {
		p, err := r.readPosterior(f.Posterior)
		if err != nil {
			return err
		}
		u.Posterior = p
	}
	if err := r.uncertainParams(u, f.Market); err != nil {
		return err
	}
	if r.e.Runs%u.Replicates != 0 || (r.e.Precision > 0 && r.e.Batch%u.Replicates != 0) {
		return r.bad("uncertainty.replicates", "%d does not divide runs %d (or batch %d): make runs a multiple of replicates, so every draw has all its replicates", u.Replicates, r.e.Runs, r.e.Batch)
	}
	r.e.Uncertainty = u
	return r.checkDraws(u)
}

// uncertainParams resolves the [uncertainty.market] distributions.
func (r *resolver) uncertainParams(u *Uncertainty, specs map[string]dist.Spec) error {
	paths := make([]string, 0, len(specs))
	for p := range specs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	inPosterior := map[string]bool{}
	if u.Posterior != nil {
		for _, p := range u.Posterior.Paths {
			inPosterior[p] = true
		}
	}
	for _, p := range paths {
		key := fmt.Sprintf("uncertainty.market.%q", p)
		if isRegimeFactor(p) {
			rt, kind, err := r.e.regimeFactor(p, func(format string, a ...any) error { return r.bad(key, format, a...) })
			if err != nil {
				return err
			}
			spec := specs[p]
			d, err := spec.Resolve(key, kind)
			if err != nil {
				return r.specErr(key, err)
			}
			for _, o := range u.Params {
				if o.term == nil {
					continue
				}
				if reg := o.term.overlap(rt, r.e); reg != "" {
					return r.bad(key, "sets the same term as %q in regime %s: give each regime's term one source (name the regimes instead of *)", o.Path, reg)
				}
			}
			u.Params = append(u.Params, UncertainParam{Path: p, Dist: d, term: rt, id: dist.KeyID(p)})
			continue
		}
		mp, err := market.LookupParam(p)
		if err != nil {
			return r.bad(key, "%v", err)
		}
		if inPosterior[p] {
			return r.bad(key, "also a column of the posterior file %s: give the parameter one source", u.Posterior.File)
		}
		kind, ok := distKind(mp.Kind)
		if !ok {
			return r.bad(key, "is %s: only numbers, whole numbers and months can be uncertain", mp.Kind)
		}
		spec := specs[p]
		d, err := spec.Resolve(key, kind)
		if err != nil {
			return r.specErr(key, err)
		}
		u.Params = append(u.Params, UncertainParam{Path: p, Dist: d, param: mp, id: dist.KeyID(p)})
	}
	return nil
}

// specErr turns a distribution's error into the experiment's Error.
func (r *resolver) specErr(key string, err error) error {
	var se *dist.SpecError
	if errors.As(err, &se) {
		return r.bad(se.Key, "%s", se.Msg)
	}
	return r.bad(key, "%v", err)
}

func distKind(k market.ParamKind) (dist.Kind, bool) {
	switch k {
	case market.KindFloat:
		return dist.Real, true
	case market.KindInt:
		return dist.Integer, true
	case market.KindMonth:
		return dist.Month, true
	}
	return 0, false
}

// readPosterior reads and validates a posterior file named relative to the
// experiment file; its text joins the experiment's files (so partial
// results carry it).
func (r *resolver) readPosterior(name string) (*PosteriorSample, error) {
	const key = "uncertainty.posterior"
	full, err := r.nearbyFile(key, name, "the posterior file")
	if err != nil {
		return nil, err
	}
	data, err := readFile(r.fsys, full, posteriorKind)
	if err != nil {
		return nil, r.bad(key, "%s: %v (the path is relative to the experiment file)", name, err)
	}
	p, err := parsePosterior(data)
	if err != nil {
		return nil, &Error{File: filepath.Join(r.dir, name), Msg: err.Error()}
	}
	p.File = name
	if err := p.checkRanges(&r.e.Market); err != nil {
		err.File = filepath.Join(r.dir, name)
		return nil, err
	}
	r.e.files[name] = data
	return p, nil
}

// parsePosterior reads a posterior CSV: a header of parameter paths, with
// an optional "chain" column (ignored) and "weight" column; one row per
// draw. Its errors say what to fix.
func parsePosterior(data []byte) (*PosteriorSample, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	var recs [][]string
	var lines []int // each record's line in the file
	var err error
	for {
		rec, rerr := cr.Read()
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
		line, _ := cr.FieldPos(0)
		recs, lines = append(recs, rec), append(lines, line)
	}
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
		return nil, fmt.Errorf("line %d has a different number of values from the header: give every row one value for each column", pe.Line)
	case errors.As(err, &pe):
		return nil, fmt.Errorf("line %d is not valid CSV (%v): want a header of parameter paths and one row per draw", pe.Line, pe.Err)
	case err != nil:
		return nil, fmt.Errorf("not a CSV file: %v; want a header of parameter paths and one row per draw", err)
	}
	if len(recs) == 0 {
		return nil, errors.New("empty: want a header of parameter paths and at least two rows of draws")
	}
	p := &PosteriorSample{}
	weightCol := -1
	var cols []int
	seen := map[string]bool{}
	for c, h := range recs[0] {
		h = strings.TrimSpace(h)
		switch {
		case h == "chain":
			continue
		case h == "weight":
			weightCol = c
			continue
		case h == "":
			return nil, fmt.Errorf("column %d has no name: name every column by its parameter path", c+1)
		case seen[h]:
			return nil, fmt.Errorf("column %q appears twice: keep one", h)
		}
		mp, err := market.LookupParam(h)
		if err != nil {
			return nil, fmt.Errorf("column %q is not a parameter path%s; coopsim params lists them", h, suggestParam(h))
		}
		if _, ok := distKind(mp.Kind); !ok {
			return nil, fmt.Errorf("column %q is %s: only numbers, whole numbers and months can be drawn", h, mp.Kind)
		}
		seen[h] = true
		p.Paths, p.params, cols = append(p.Paths, h), append(p.params, mp), append(cols, c)
	}
	if len(cols) == 0 {
		return nil, errors.New("no parameter column: the header must name at least one parameter path")
	}
	p.lines = lines[1:]
	return p, p.readRows(recs, cols, weightCol)
}

func suggestParam(s string) string {
	var names []string
	for _, p := range market.Params() {
		names = append(names, p.Path)
	}
	return suggest.DidYouMean(s, names)
}

// readRows reads the draws and their weights.
func (p *PosteriorSample) readRows(recs [][]string, cols []int, weightCol int) error {
	if len(recs)-1 < 2 {
		return fmt.Errorf("%d draws: want at least two rows of draws", len(recs)-1)
	}
	total := 0.0
	for i, rec := range recs[1:] {
		line := p.lines[i]
		row := make([]float64, len(cols))
		for j, c := range cols {
			x, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("line %d, column %q: %q is not a finite number: every draw needs a finite value", line, p.Paths[j], rec[c])
			}
			row[j] = x
		}
		w := 1.0
		if weightCol >= 0 {
			x, err := strconv.ParseFloat(strings.TrimSpace(rec[weightCol]), 64)
			if err != nil || !(x >= 0) || math.IsInf(x, 0) {
				return fmt.Errorf("line %d, column \"weight\": %q: want a finite weight ≥ 0", line, rec[weightCol])
			}
			w = x
		}
		total += w
		p.Rows, p.cum = append(p.Rows, row), append(p.cum, total)
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return fmt.Errorf("the weights sum to %g: want a positive, finite sum", total)
	}
	for i := range p.cum {
		p.cum[i] /= total
	}
	p.cum[len(p.cum)-1] = 1
	return nil
}

// checkDraws applies every run group's draw to every scenario's market and
// validates it, so that an impossible draw stops the experiment before
// anything runs rather than in its middle.
func (r *resolver) checkDraws(u *Uncertainty) error {
	runs := r.e.Runs
	if r.e.Precision > 0 {
		runs = r.e.MaxRuns
	}
	ids := make([]int, 0, runs/u.Replicates+1)
	for run := 0; run < runs; run += u.Replicates {
		ids = append(ids, run)
	}
	if err := u.checkRuns(r.e, ids); err != nil {
		return err
	}
	u.checkedSeed, u.checkedRuns = r.e.Seed, runs
	return nil
}

// checkUnchecked validates, before anything runs, the draws of the runs
// ids (ascending) that the load did not (checkDraws: the file's own runs
// and seed), as a --runs or --seed asks for, so that an invalid draw is
// refused before the first run rather than simulated or met in a later
// batch.
func (u *Uncertainty) checkUnchecked(e *Experiment, ids []int) error {
	if e.Seed == u.checkedSeed {
		ids = ids[sort.SearchInts(ids, u.checkedRuns):]
	}
	return u.checkRuns(e, ids)
}

// checkRuns validates the draws of the runs ids (ascending) in every
// scenario: each run group's draw applied to the scenario's market, which
// must validate, and its regime, which must compile.
func (u *Uncertainty) checkRuns(e *Experiment, ids []int) error {
	paths := u.Paths()
	v := make([]float64, len(paths))
	for s := range e.Scenarios {
		sc := &e.Scenarios[s]
		skip := sc.overridden()
		last := -1
		for _, run := range ids {
			if g := run / u.Replicates; g == last {
				continue
			} else {
				last = g
			}
			u.Draw(e.Seed, run, v)
			cfg := sc.Market
			err := u.apply(&cfg, v, skip)
			if err == nil {
				err = cfg.Validate()
			}
			if err == nil {
				_, err = u.compiled(sc, v)
			}
			if err != nil {
				return u.drawErr(e, err, run-run%u.Replicates, sc.Name, paths, v)
			}
		}
	}
	return nil
}

// drawErr is the error for a draw (values v of paths, for the group of
// runs from run on) that gives scenario sc an invalid market. It leads
// with what is wrong (the parameter and its value), at the source of the
// parameter where it is an uncertain one, and adds the draw only as far
// as the message has room, so that nothing needed is cut.
func (u *Uncertainty) drawErr(e *Experiment, err error, run int, sc string, paths []string, v []float64) error {
	key, fix := "uncertainty", "narrow the distributions (low/high) or fix the posterior file"
	var ve *agents.ValueError
	if errors.As(err, &ve) {
		for i, path := range paths {
			if path != ve.Key {
				continue
			}
			if u.Posterior != nil && i < len(u.Posterior.Paths) {
				key, fix = "uncertainty.posterior", "fix the posterior file"
			} else {
				key, fix = fmt.Sprintf("uncertainty.market.%q", path), "narrow its distribution (low/high)"
			}
			break
		}
	}
	where := fmt.Sprintf("runs %d-%d", run, run+u.Replicates-1)
	if p := u.Posterior; p != nil && !strings.HasPrefix(key, "uncertainty.market.") {
		where += fmt.Sprintf(" (%s line %d)", p.File, p.lines[p.row(e.Seed, run, u.Replicates)])
	}
	msg := fmt.Sprintf("%s: the draw of %s gives scenario %s an invalid market; %s", msgOf(err), where, sc, fix)
	if d := drawText(paths, v); len(paths) > 1 && len(msg)+len(d)+8 <= maxMsgShown {
		msg += " (draw " + d + ")"
	}
	return &Error{File: e.Source, Line: locate(e.files[mainFile], key), Key: key, Msg: msg}
}

func drawText(paths []string, v []float64) string {
	parts := make([]string, len(paths))
	for i, p := range paths {
		parts[i] = fmt.Sprintf("%s = %g", p, v[i])
	}
	return strings.Join(parts, ", ")
}

// overridden returns the paths the scenario sets itself.
func (s *Scenario) overridden() map[string]bool {
	m := make(map[string]bool, len(s.Overrides))
	for _, o := range s.Overrides {
		m[o.Path] = true
	}
	return m
}

// hashInto writes what determines the draws to h: replicates, the
// posterior's values and weights, and each distribution's family, kind and
// quantiles at 33 fixed points (a pure function of its parameters), all as
// IEEE bits.
func (u *Uncertainty) hashInto(h io.Writer) {
	fmt.Fprintf(h, "uncertainty replicates=%d\n", u.Replicates)
	if p := u.Posterior; p != nil {
		fmt.Fprintf(h, "posterior %q\n", strings.Join(p.Paths, ","))
		for i, row := range p.Rows {
			for _, x := range row {
				fmt.Fprintf(h, "%x ", math.Float64bits(x))
			}
			fmt.Fprintf(h, "w%x\n", math.Float64bits(p.cum[i]))
		}
	}
	for _, q := range u.Params {
		fmt.Fprintf(h, "param %q %s %s", q.Path, q.Dist.Family, q.Dist.Kind)
		for k := 0; k <= 32; k++ {
			fmt.Fprintf(h, " %x", math.Float64bits(q.Dist.Quantile((float64(k)+0.5)/33.5)))
		}
		fmt.Fprintln(h)
	}
}
