package design

import (
	"fmt"
	"math"
)

// LatinHypercube returns n points in the unit cube [0, 1)^d such that,
// in every dimension, each of the n strata [k/n, (k+1)/n) holds exactly one
// point (McKay, Beckman & Conover 1979). The strata are assigned by a
// random permutation per dimension and each point is placed uniformly
// within its stratum, all keyed by seed.
func LatinHypercube(n, d int, seed uint64) ([][]float64, error) {
	if n < 1 {
		return nil, &ParamError{Param: "points", Value: fmt.Sprint(n), Want: "at least 1"}
	}
	if d < 1 {
		return nil, &ParamError{Param: "factors", Value: fmt.Sprint(d), Want: "at least 1"}
	}
	s := NewStream(seed, PurposeLatin)
	pts := make([][]float64, n)
	flat := make([]float64, n*d)
	for i := range pts {
		pts[i] = flat[i*d : (i+1)*d]
	}
	perm := make([]int, n)
	for j := range d {
		for i := range perm {
			perm[i] = i
		}
		// Fisher–Yates with draws keyed by (dimension, position).
		for i := n - 1; i > 0; i-- {
			k := s.Intn(uint64(j), uint64(i), i+1)
			perm[i], perm[k] = perm[k], perm[i]
		}
		for i := range n {
			jitter := s.Float64(uint64(j)|1<<32, uint64(i))
			u := (float64(perm[i]) + jitter) / float64(n)
			// Rounding may carry a point to its stratum's upper edge.
			u = min(u, math.Nextafter(float64(perm[i]+1)/float64(n), 0))
			pts[i][j] = u
		}
	}
	return pts, nil
}
