package design

import (
	"fmt"
	"math/bits"
)

// Saltelli is the design from which Sobol indices are estimated (Saltelli
// 2002; Saltelli et al. 2010): two independent matrices A and B of N
// points each over D factors, and for each factor i the matrix A_B^(i),
// A with column i taken from B. The rows are grouped by base row j:
// row j*(D+2) is A_j, rows j*(D+2)+1+i are A_B^(i)_j, and row
// j*(D+2)+D+1 is B_j, so the model outputs of one base row sit together
// and a shard of whole base rows is self-contained.
type Saltelli struct {
	N, D int
	Unit [][]float64
}

// NewSaltelli returns the design of base size n (a power of two, so that
// the Sobol points are a balanced net) over d factors. A and B are the
// first and last d coordinates of the first n points of a 2d-dimensional
// Owen-scrambled Sobol sequence keyed by seed.
func NewSaltelli(n, d int, seed uint64) (*Saltelli, error) {
	if err := CheckSaltelli(n, d); err != nil {
		return nil, err
	}
	gen, err := NewSobol(2 * d)
	if err != nil {
		return nil, err
	}
	s := &Saltelli{N: n, D: d, Unit: make([][]float64, n*(d+2))}
	ab := make([]float64, 2*d)
	for j := range n {
		gen.Scrambled(uint32(j), seed, ab)
		a, b := ab[:d], ab[d:]
		base := j * (d + 2)
		s.Unit[base] = append([]float64(nil), a...)
		for i := range d {
			row := append([]float64(nil), a...)
			row[i] = b[i]
			s.Unit[base+1+i] = row
		}
		s.Unit[base+d+1] = append([]float64(nil), b...)
	}
	return s, nil
}

// CheckSaltelli says, without building it, whether NewSaltelli accepts a
// design of base size n over d factors: n a power of two of at least 2,
// and 1 to MaxSobolDim/2 factors.
func CheckSaltelli(n, d int) error {
	if n < 2 || bits.OnesCount(uint(n)) != 1 {
		lo := 1 << (bits.Len(uint(max(n, 2))) - 1)
		return &ParamError{Param: "base size", Value: fmt.Sprint(n),
			Want: fmt.Sprintf("a power of two, at least 2 (say %d or %d)", lo, 2*lo)}
	}
	if d < 1 || 2*d > MaxSobolDim {
		return &ParamError{Param: "factors", Value: fmt.Sprint(d),
			Want: fmt.Sprintf("1 to %d for Sobol indices", MaxSobolDim/2)}
	}
	return nil
}

// Row returns the index in Unit of matrix row j: k = 0 is A, k = 1+i is
// A_B^(i), k = D+1 is B.
func (s *Saltelli) Row(j, k int) int { return j*(s.D+2) + k }
