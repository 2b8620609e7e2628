package design

import "fmt"

// SobolPoints returns the first n points of the d-dimensional
// Owen-scrambled Sobol sequence keyed by seed. n need not be a power of
// two, but only powers of two keep the points a balanced net.
func SobolPoints(n, d int, seed uint64) ([][]float64, error) {
	if n < 1 {
		return nil, &ParamError{Param: "points", Value: fmt.Sprint(n), Want: "at least 1"}
	}
	gen, err := NewSobol(d)
	if err != nil {
		return nil, err
	}
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, d)
		gen.Scrambled(uint32(i), seed, pts[i])
	}
	return pts, nil
}

// Values maps unit points (rows of coordinates, one per factor) to factor
// values with Factor.Value.
func Values(fs []Factor, unit [][]float64) [][]float64 {
	out := make([][]float64, len(unit))
	for i, u := range unit {
		out[i] = make([]float64, len(fs))
		for j, f := range fs {
			out[i][j] = f.Value(u[j])
		}
	}
	return out
}
