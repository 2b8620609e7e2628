package experiments

import (
	"errors"
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/market"
)

// checkRanges checks every row of the posterior against each column's
// valid range in the base market, so that a bad row is refused at load
// (and by validate) with its line, not by the run that happens to draw
// it. The error names the line and the column; the caller sets its File.
//
// It stays one cheap pass over the rows: a column's values are tested
// against the market (a row set on the base market, then validated) only
// at its extremes, and where an extreme is out of range, at the bounds of
// its valid interval found by bisection; each row's value is then compared
// with those bounds. Errors a value causes together with another key (the
// shares that must sum to 1) are left to the check of the draws.
func (p *PosteriorSample) checkRanges(base *market.Config) *Error {
	lo, hi := p.columnExtremes()
	for j, mp := range p.params {
		if mp.Kind == market.KindInt {
			for i, row := range p.Rows {
				if _, ok := market.ToInt(row[j]); !ok {
					return p.rowError(i, j, &agents.ValueError{Key: mp.Path, Value: row[j], Want: "a whole number"})
				}
			}
		}
		if p.test(base, lo[j], j, p.Rows[lo[j]][j]) == nil && p.test(base, hi[j], j, p.Rows[hi[j]][j]) == nil {
			continue // the whole column lies in the valid interval
		}
		if err := p.test(base, 0, j, p.Rows[0][j]); err != nil {
			return p.rowError(0, j, err)
		}
		good := p.Rows[0][j] // a valid value: bisect towards each bad extreme
		glo := p.bound(base, lo[j], j, p.Rows[lo[j]][j], good)
		ghi := p.bound(base, hi[j], j, p.Rows[hi[j]][j], good)
		for i, row := range p.Rows {
			x := row[j]
			if x >= glo && x <= ghi {
				continue
			}
			if err := p.test(base, i, j, x); err != nil {
				return p.rowError(i, j, err)
			}
			glo, ghi = min(glo, x), max(ghi, x) // not an interval after all
		}
	}
	return nil
}

// columnExtremes returns the rows of each column's smallest and largest
// value.
func (p *PosteriorSample) columnExtremes() (lo, hi []int) {
	lo, hi = make([]int, len(p.Paths)), make([]int, len(p.Paths))
	for i, row := range p.Rows {
		for j, x := range row {
			if x < p.Rows[lo[j]][j] {
				lo[j] = i
			}
			if x > p.Rows[hi[j]][j] {
				hi[j] = i
			}
		}
	}
	return lo, hi
}

// bound returns the valid value nearest bad between bad and good (a
// valid value of column j), by bisection with row i's other values; bad
// itself when it is valid.
func (p *PosteriorSample) bound(base *market.Config, i, j int, bad, good float64) float64 {
	if p.test(base, i, j, bad) == nil {
		return bad
	}
	for range 2100 { // enough to reach adjacent float64s from any pair
		mid := bad/2 + good/2
		if p.params[j].Kind == market.KindInt {
			mid = math.Trunc(mid)
		}
		if mid == bad || mid == good {
			break
		}
		if p.test(base, i, j, mid) == nil {
			good = mid
		} else {
			bad = mid
		}
	}
	return good
}

// test sets row i, with x in column j, on a copy of base and returns the
// error it gives column j (nil if none: valid, or refused for another
// key's sake).
func (p *PosteriorSample) test(base *market.Config, i, j int, x float64) *agents.ValueError {
	cfg := *base // Set and Validate leave the one slice alone
	for k, mp := range p.params {
		v := p.Rows[i][k]
		if k == j {
			v = x
		}
		if err := setDrawn(&cfg, mp, v); err != nil && k == j {
			return &agents.ValueError{Key: mp.Path, Value: x, Want: mp.Kind.String()}
		}
	}
	var ve *agents.ValueError
	if errors.As(cfg.Validate(), &ve) && ve.Key == p.params[j].Path {
		return ve
	}
	return nil
}

// setDrawn sets a drawn value x of parameter mp on cfg, as the runs do.
func setDrawn(cfg *market.Config, mp *market.Param, x float64) error {
	if mp.Kind == market.KindMonth {
		return mp.Set(cfg, agents.Month(x).String())
	}
	return mp.Set(cfg, x)
}

// rowError is the error for row i's value in column j.
func (p *PosteriorSample) rowError(i, j int, ve *agents.ValueError) *Error {
	return &Error{Line: p.lines[i], Key: p.Paths[j],
		Msg: ve.Detail() + ": fix or drop the row (every row is a draw the runs may use)"}
}
