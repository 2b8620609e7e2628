package design

import "fmt"

// Morris is a design of Morris (1991) trajectories on a grid of Levels
// levels {0, 1/(p−1), ..., 1} per factor. Each trajectory has Factors+1
// points; consecutive points differ in one factor by ±Delta, where
// Delta = p/(2(p−1)), and every factor moves once per trajectory.
type Morris struct {
	Levels       int
	Delta        float64
	Trajectories int
	Factors      int
	// Unit holds the points' grid coordinates in [0, 1], trajectory t's
	// points in rows t*(Factors+1) ... t*(Factors+1)+Factors.
	Unit [][]float64
	// Moved[t][k] is the factor that changes between rows k and k+1 of
	// trajectory t.
	Moved [][]int
}

// NewMorris returns r trajectories over d factors on a grid of levels
// levels (even, at least 2), keyed by seed. Each factor's trajectory
// start is chosen uniformly among the levels from which a step of Delta
// stays on the grid, with a random direction, and the factors move in a
// random order (Morris 1991; Saltelli et al. 2008, ch. 3).
func NewMorris(r, d, levels int, seed uint64) (*Morris, error) {
	switch {
	case r < 2:
		return nil, &ParamError{Param: "trajectories", Value: fmt.Sprint(r), Want: "at least 2"}
	case d < 1:
		return nil, &ParamError{Param: "factors", Value: fmt.Sprint(d), Want: "at least 1"}
	case levels < 2 || levels%2 != 0:
		return nil, &ParamError{Param: "levels", Value: fmt.Sprint(levels), Want: "an even number, at least 2 (4 is usual)"}
	}
	half := levels / 2
	m := &Morris{
		Levels: levels, Delta: float64(half) / float64(levels-1),
		Trajectories: r, Factors: d,
		Unit: make([][]float64, r*(d+1)), Moved: make([][]int, r),
	}
	s := NewStream(seed, PurposeMorris)
	grid := func(l int) float64 { return float64(l) / float64(levels-1) }
	start, other := make([]int, d), make([]int, d)
	for t := range r {
		tt := uint64(t) << 32
		for j := range d {
			low := s.Intn(tt, uint64(j), half)
			start[j], other[j] = low, low+half
			if s.Uint64(tt|1<<31, uint64(j))&1 == 1 {
				start[j], other[j] = other[j], start[j]
			}
		}
		order := make([]int, d)
		for j := range order {
			order[j] = j
		}
		for i := d - 1; i > 0; i-- {
			k := s.Intn(tt|1<<30, uint64(i), i+1)
			order[i], order[k] = order[k], order[i]
		}
		m.Moved[t] = order
		row := t * (d + 1)
		m.Unit[row] = make([]float64, d)
		for j := range d {
			m.Unit[row][j] = grid(start[j])
		}
		for k, j := range order {
			next := append([]float64(nil), m.Unit[row+k]...)
			next[j] = grid(other[j])
			m.Unit[row+k+1] = next
		}
	}
	return m, nil
}

// Step returns the factor that moves between rows k and k+1 of trajectory
// t and the signed step in grid units (±Delta).
func (m *Morris) Step(t, k int) (factor int, step float64) {
	j := m.Moved[t][k]
	row := t * (m.Factors + 1)
	return j, m.Unit[row+k+1][j] - m.Unit[row+k][j]
}

// Value maps grid coordinate u of factor f to the factor's value. A range
// factor maps linearly, so the grid's ends are the range's ends; a factor
// with a distribution takes the quantile at the centre of the grid level's
// equal-probability bin, (l + 1/2)/p for level l, since its ends may be
// infinite.
func (m *Morris) Value(f Factor, u float64) float64 {
	if f.Dist != nil {
		l := u * float64(m.Levels-1)
		u = (l + 0.5) / float64(m.Levels)
	}
	return f.Value(u)
}
