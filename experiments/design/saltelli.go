package design

import (
	"fmt"
	"math/bits"
)

// Saltelli is the design from which Sobol indices are estimated (Saltelli
// 2002; Saltelli et al. 2010), drawn as Scrambles independent randomized
// quasi-Monte Carlo replicates: each scramble is two matrices A and B of
// N/Scrambles points over D factors and, for each factor i, the matrix
// A_B^(i), A with column i taken from B. The rows are grouped by base row
// j (0 ≤ j < N): row j*(D+2) is A_j, rows j*(D+2)+1+i are A_B^(i)_j, and
// row j*(D+2)+D+1 is B_j, so the model outputs of one base row sit
// together and a shard of whole base rows is self-contained. Scramble k
// holds base rows k*N/Scrambles to (k+1)*N/Scrambles − 1.
type Saltelli struct {
	N, D, Scrambles int
	Unit            [][]float64
}

// NewSaltelli returns the design of n base rows over d factors in
// scrambles independent scrambles of n/scrambles base rows each (n and
// scrambles powers of two, so that each scramble's points are a balanced
// net; see CheckSaltelli). Scramble k's A and B are the first and last d coordinates of the
// first n/scrambles points of a 2d-dimensional Sobol sequence under its
// own Owen scramble, keyed by (seed, k): the scrambles are independent
// and identically distributed, so estimates computed from each give an
// honest standard error of their mean.
func NewSaltelli(n, d, scrambles int, seed uint64) (*Saltelli, error) {
	if pe := CheckSaltelli(n, d, scrambles); pe != nil {
		return nil, pe
	}
	gen, err := NewSobol(2 * d)
	if err != nil {
		return nil, err
	}
	s := &Saltelli{N: n, D: d, Scrambles: scrambles, Unit: make([][]float64, n*(d+2))}
	ab := make([]float64, 2*d)
	m := n / scrambles
	for j := range n {
		gen.ScrambledBy(uint32(j%m), ScrambleStream(seed, j/m), ab)
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

// ScrambleStream returns the Owen-scramble stream of scramble k of a
// Saltelli design keyed by seed.
func ScrambleStream(seed uint64, k int) Stream {
	return NewStream(seed, PurposeScramble).Sub(uint64(k))
}

// MinScrambles is the fewest scrambles a Saltelli design takes: the
// indices' standard errors and intervals come from the spread of the
// scrambles' own estimates, and one estimate has no spread.
const MinScrambles = 2

// The parameters a Saltelli design refuses, as CheckSaltelli's
// *ParamError names them in Param.
const (
	ParamBaseSize  = "base size"
	ParamScrambles = "scrambles"
	ParamFactors   = "factors"
)

// MaxBaseSize is the largest base size a Saltelli design takes (2^24
// base rows: with one factor, 50 million design points), the most an
// experiment file's base_size takes, and the largest CheckSaltelli
// suggests.
const MaxBaseSize = 1 << 24

// CheckSaltelli says, without building it, whether NewSaltelli accepts a
// design of n base rows over d factors in the given number of scrambles:
// n a power of two from 2*MinScrambles to MaxBaseSize, scrambles a power
// of two of at least MinScrambles that leaves at least 2 base rows to each
// scramble, and 1 to MaxSobolDim/2 factors. It returns nil or the
// *ParamError naming ParamBaseSize, ParamScrambles or ParamFactors (typed,
// so that a caller mapping the parameter to its own key has no other
// error to handle; test it against nil before storing it in an error).
func CheckSaltelli(n, d, scrambles int) *ParamError {
	const minBase = 2 * MinScrambles
	if n > MaxBaseSize {
		return &ParamError{Param: ParamBaseSize, Value: fmt.Sprint(n),
			Want: fmt.Sprintf("a power of two from %d to %d", minBase, MaxBaseSize)}
	}
	if n < minBase || bits.OnesCount(uint(n)) != 1 {
		lo := max(minBase, 1<<(bits.Len(uint(max(n, 2)))-1))
		return &ParamError{Param: ParamBaseSize, Value: fmt.Sprint(n),
			Want: fmt.Sprintf("a power of two, at least %d (%d scrambles of at least 2 base rows; say %d or %d)", minBase, MinScrambles, lo, 2*lo)}
	}
	if scrambles < MinScrambles || bits.OnesCount(uint(scrambles)) != 1 || n/scrambles < 2 {
		return &ParamError{Param: ParamScrambles, Value: fmt.Sprint(scrambles), Want: scramblesWant(n, scrambles)}
	}
	if d < 1 || 2*d > MaxSobolDim {
		return &ParamError{Param: ParamFactors, Value: fmt.Sprint(d),
			Want: fmt.Sprintf("1 to %d for Sobol indices", MaxSobolDim/2)}
	}
	return nil
}

// scramblesWant says what a Saltelli design of n base rows wants of its
// scrambles. A power of two of at least MinScrambles is refused only
// because each scramble needs at least 2 base rows, so a base size of
// 2*scrambles takes it too: that size is suggested where it is at most
// MaxBaseSize; past it only fewer scrambles will do, as the first part
// says.
func scramblesWant(n, scrambles int) string {
	want := fmt.Sprintf("a power of two from %d to %d, so that each scramble has at least 2 of the %d base rows", MinScrambles, n/2, n)
	if scrambles >= MinScrambles && bits.OnesCount(uint(scrambles)) == 1 && scrambles <= MaxBaseSize/2 {
		want += fmt.Sprintf(", or a base size of at least %d", 2*scrambles)
	}
	return want
}

// Row returns the index in Unit of matrix row j: k = 0 is A, k = 1+i is
// A_B^(i), k = D+1 is B.
func (s *Saltelli) Row(j, k int) int { return j*(s.D+2) + k }
