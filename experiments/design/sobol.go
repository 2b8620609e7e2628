package design

import (
	"fmt"
	"math"
)

// MaxSobolDim is the number of Sobol dimensions the embedded Joe–Kuo table
// supports.
const MaxSobolDim = len(joeKuo) + 1

// sobolBits is the precision of the generated coordinates: 2^32 points.
const sobolBits = 32

// Sobol generates the Sobol sequence (Sobol' 1967) in up to MaxSobolDim
// dimensions with the direction numbers of Joe and Kuo (2008), in Gray-code
// order as in Antonov and Saleev (1979) and Joe and Kuo's reference
// implementation: point i is the XOR of the direction numbers selected by
// the bits of i XOR (i >> 1), so any point can be computed on its own.
type Sobol struct {
	dim int
	v   [][sobolBits]uint32
}

// NewSobol returns a generator of dim dimensions.
func NewSobol(dim int) (*Sobol, error) {
	if dim < 1 || dim > MaxSobolDim {
		return nil, &ParamError{Param: "sobol dimensions", Value: fmt.Sprint(dim),
			Want: fmt.Sprintf("1 to %d", MaxSobolDim)}
	}
	s := &Sobol{dim: dim, v: make([][sobolBits]uint32, dim)}
	for k := range sobolBits {
		s.v[0][k] = 1 << (sobolBits - 1 - k)
	}
	for j := 1; j < dim; j++ {
		row := joeKuo[j-1]
		deg, a, m := int(row[1]), row[2], row[3:]
		v := &s.v[j]
		for k := 0; k < deg && k < sobolBits; k++ {
			v[k] = m[k] << (sobolBits - 1 - k)
		}
		for k := deg; k < sobolBits; k++ {
			v[k] = v[k-deg] ^ v[k-deg]>>deg
			for l := 1; l < deg; l++ {
				if a>>(deg-1-l)&1 == 1 {
					v[k] ^= v[k-l]
				}
			}
		}
	}
	return s, nil
}

// Dim returns the number of dimensions.
func (s *Sobol) Dim() int { return s.dim }

// Bits returns coordinate j of point i as a 32-bit fraction.
func (s *Sobol) Bits(i uint32, j int) uint32 {
	g := i ^ i>>1
	var x uint32
	v := &s.v[j]
	for k := 0; g != 0; k++ {
		if g&1 == 1 {
			x ^= v[k]
		}
		g >>= 1
	}
	return x
}

// Point writes point i of the unscrambled sequence into dst (length Dim).
// Point 0 is the origin.
func (s *Sobol) Point(i uint32, dst []float64) {
	for j := range dst[:s.dim] {
		dst[j] = float64(s.Bits(i, j)) / (1 << sobolBits)
	}
}

// Scrambled writes point i of the Owen-scrambled sequence keyed by seed
// into dst (length Dim).
//
// The scramble is Owen's (1995) nested uniform scramble, with the random
// permutation tree drawn from a hash instead of stored: coordinate j's bit
// b (counting from the most significant) is flipped when the hash of
// (seed, j, b, the b more significant unscrambled bits) is odd, so points
// that agree on their first b bits share the flips of those bits, which is
// the nesting that keeps every elementary interval of the net holding the
// same number of points (the net property). The bits beyond the 32nd,
// which a full Owen scramble would make uniform, are a uniform draw keyed
// by the full 32-bit prefix. The points are uniform on (0, 1)^Dim and never
// exactly 0 or 1.
func (s *Sobol) Scrambled(i uint32, seed uint64, dst []float64) {
	s.ScrambledBy(i, NewStream(seed, PurposeSobol), dst)
}

// ScrambledBy writes point i of the sequence under the Owen scramble drawn
// from st (see Scrambled) into dst (length Dim): independent streams give
// independent scrambles of the same points.
func (s *Sobol) ScrambledBy(i uint32, st Stream, dst []float64) {
	for j := range dst[:s.dim] {
		x := s.Bits(i, j)
		dst[j] = owen(x, st, uint64(j))
	}
}

// owen scrambles the 32-bit fraction x of dimension j (see Scrambled).
func owen(x uint32, st Stream, j uint64) float64 {
	var y uint32
	for b := range sobolBits {
		shift := sobolBits - 1 - b
		prefix := uint64(x) >> (shift + 1)
		flip := uint32(st.Uint64(j, uint64(b)<<32|prefix) & 1)
		y |= (x>>shift&1 ^ flip) << shift
	}
	tail := st.Float64(j, uint64(sobolBits)<<32|uint64(x))
	// Rounding may carry y + tail up to y + 1, the next interval's edge.
	v := min(float64(y)+tail, math.Nextafter(float64(y)+1, 0))
	return v / (1 << sobolBits)
}
