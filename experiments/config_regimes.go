package experiments

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/market/suggest"
)

// Bounds on a file's regimes, so that loading stays small: a regime based
// on the one before it holds all of its amendments.
const (
	maxRegimes    = 200
	maxAmendments = 1000
)

// ownRegimes builds the regimes the file defines, each from its base (a
// built-in regime or another of the file's, above or below it) and its
// own amendments; a base is built before the regimes based on it.
func (r *resolver) ownRegimes() error {
	if n := len(r.f.Regimes); n > maxRegimes {
		return r.bad("regime", "%d regimes, want at most %d", n, maxRegimes)
	}
	order, err := r.regimeOrder()
	if err != nil {
		return err
	}
	for _, i := range order {
		rf := &r.f.Regimes[i]
		key := fmt.Sprintf("regime[%d]", i)
		reg, err := r.regimeBase(rf, key)
		if err != nil {
			return err
		}
		if err := r.checkAmendments(rf, key); err != nil {
			return err
		}
		if n := len(reg.Amendments) + len(rf.Amendments); n > maxAmendments {
			return r.bad(key, "%d amendments with its base's, want at most %d", n, maxAmendments)
		}
		// Own amendments apply after the base's of the same month.
		reg.Amendments = mergeAmendments(reg.Amendments, rf.Amendments)
		r.regimes[rf.Name] = reg
	}
	return nil
}

// regimeOrder lists the indices of the file's regimes so that each comes
// after the file's regime it is based on, otherwise in file order; it
// refuses a chain of based_on that comes back to where it started.
func (r *resolver) regimeOrder() ([]int, error) {
	index := map[string]int{}
	for i, rf := range r.f.Regimes {
		if _, dup := index[rf.Name]; !dup {
			index[rf.Name] = i
		}
	}
	base := func(i int) (int, bool) {
		name := r.f.Regimes[i].BasedOn
		if _, err := market.BuiltinRegime(name); err == nil || name == "" {
			return 0, false
		}
		j, ok := index[name]
		return j, ok
	}
	const (
		unseen = iota
		onPath
		placed
	)
	state := make([]uint8, len(r.f.Regimes))
	order := make([]int, 0, len(r.f.Regimes))
	for i := range r.f.Regimes {
		// Each regime has at most one base, so the walk is a path.
		var path []int
		for j, ok := i, true; ok && state[j] != placed; j, ok = base(j) {
			if state[j] == onPath {
				return nil, r.regimeCycle(path, j)
			}
			state[j] = onPath
			path = append(path, j)
		}
		for k := len(path) - 1; k >= 0; k-- {
			state[path[k]] = placed
			order = append(order, path[k])
		}
	}
	return order, nil
}

// regimeCycle reports the regimes of path from index start on as a cycle
// of based_on.
func (r *resolver) regimeCycle(path []int, start int) error {
	var names []string
	for _, j := range path[slices.Index(path, start):] {
		names = append(names, r.f.Regimes[j].Name)
	}
	names = append(names, r.f.Regimes[start].Name)
	return r.bad(fmt.Sprintf("regime[%d].based_on", start), "regime cycle: %s: base one of them on a built-in regime or on none",
		strings.Join(names, " → "))
}

// regimeBase checks a regime's name and returns it with its base's
// amendments.
func (r *resolver) regimeBase(rf *regimeFormat, key string) (*market.Regime, error) {
	if rf.Name == "" {
		return nil, r.bad(key+".name", "missing: name the regime so scenarios can use it")
	}
	if err := r.checkLength(key+".name", rf.Name, maxNameLen); err != nil {
		return nil, err
	}
	if err := r.checkLength(key+".description", rf.Description, maxTextLen); err != nil {
		return nil, err
	}
	if _, err := market.BuiltinRegime(rf.Name); err == nil {
		return nil, r.bad(key+".name", "%q is a built-in regime: choose another name", rf.Name)
	}
	if r.regimes[rf.Name] != nil {
		return nil, r.bad(key+".name", "%q is defined twice", rf.Name)
	}
	reg := &market.Regime{Name: rf.Name, Description: rf.Description}
	if rf.BasedOn == "" {
		return reg, nil
	}
	base, err := market.BuiltinRegime(rf.BasedOn)
	if err != nil {
		if base = r.regimes[rf.BasedOn]; base == nil {
			known := r.regimeNames()
			return nil, r.bad(key+".based_on", "unknown regime %q%s (known: %s)", rf.BasedOn,
				suggest.DidYouMean(rf.BasedOn, known), strings.Join(known, ", "))
		}
	}
	reg.Amendments = append(reg.Amendments, base.Amendments...)
	if reg.Description == "" {
		reg.Description = "based on " + rf.BasedOn
	}
	return reg, nil
}

// checkAmendments checks a regime's own amendments: in date order, each
// dated, each value in range.
func (r *resolver) checkAmendments(rf *regimeFormat, key string) error {
	for j := 1; j < len(rf.Amendments); j++ {
		if rf.Amendments[j].Month < rf.Amendments[j-1].Month {
			return r.bad(fmt.Sprintf("%s.amendment[%d].month", key, j), "%s is before the amendment above it (%s): list amendments in date order",
				rf.Amendments[j].Month, rf.Amendments[j-1].Month)
		}
	}
	for j, a := range rf.Amendments {
		akey := fmt.Sprintf("%s.amendment[%d]", key, j)
		if a.Month == 0 {
			return r.bad(akey+".month", `missing: every amendment needs month = "YYYY-MM"`)
		}
		if a.Month > r.e.Market.End {
			return r.bad(akey+".month", "%s is after end %s, so the amendment would never apply: drop it or set end later", a.Month, r.e.Market.End)
		}
		if len(a.Note) > maxTextLen {
			return r.bad(akey+".note", "%d characters, want at most %d", len(a.Note), maxTextLen)
		}
		if err := a.Validate(akey); err != nil {
			return &Error{File: r.file, Key: keyOf(err, akey), Msg: detailOf(err)}
		}
	}
	return nil
}

// regimeNames lists the regimes a scenario may name: the built-in ones,
// then the file's own.
func (r *resolver) regimeNames() []string {
	names := market.BuiltinRegimeNames()
	for _, rf := range r.f.Regimes {
		names = append(names, rf.Name)
	}
	return names
}

// findRegime returns the file's own regime or the built-in one of that
// name.
func (r *resolver) findRegime(name string) (*market.Regime, bool) {
	if reg := r.regimes[name]; reg != nil {
		return reg, true
	}
	reg, err := market.BuiltinRegime(name)
	return reg, err == nil
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
