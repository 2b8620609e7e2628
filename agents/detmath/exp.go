package detmath

import (
	"math"
	"math/big"
)

// Exp's range reduction: x = (64k + j)·ln2/64 + r with |r| ≤ ln2/128, so
// e^x = 2^k · 2^(j/64) · e^r (Tang 1989). ln2/64 is split into a head with
// 32 significant bits, so that n·expLn2Hi is exact for |n| < 2^17, and the
// rest.
const (
	expInvStep = 64 / math.Ln2
	expShifter = 0x1.8p52 // adding it rounds to an integer held in the low mantissa bits
	expLn2Hi   = 0x1.62e42fee00000p-1 / 64
	expLn2Lo   = (math.Ln2 - 0x1.62e42fee00000p-1) / 64

	// expOverflow is ln(MaxFloat64): above it e^x rounds to +Inf.
	expOverflow = 7.09782712893383973096e+02
	// expUnderflow is ln(2^-1075): below it e^x rounds to 0.
	expUnderflow = -7.45133219101941108420e+02
)

// expTable[j] = 2^(j/64) as a head (rounded to nearest) and a tail (the
// rest, rounded), computed exactly with math/big: 2^(j/64) is 2^j's square
// root taken six times, each root correctly rounded to 256 bits, so the
// table is the same whatever the CPU.
var expTable = func() (t [64][2]float64) {
	for j := range t {
		v := new(big.Float).SetPrec(256).SetInt(new(big.Int).Lsh(big.NewInt(1), uint(j)))
		for range 6 {
			v.Sqrt(v)
		}
		hi, _ := v.Float64()
		rest := new(big.Float).SetPrec(256).Sub(v, new(big.Float).SetFloat64(hi))
		lo, _ := rest.Float64()
		t[j] = [2]float64{hi, lo}
	}
	return t
}()

// Exp returns e^x, within 0.52 ulp of the exact value for normal results
// and 1 ulp for subnormal ones (x < −708.4; TestExpAccuracy measures it
// against math/big), with the same bits on every CPU. Special cases are as
// for math.Exp: Exp(+Inf) = +Inf, Exp(-Inf) = 0, Exp(NaN) = NaN; results
// above math.MaxFloat64 are +Inf (math.Exp on amd64 says +Inf from about
// 709.44 already) and below the smallest subnormal 0.
//
// e^r − 1 is its degree-6 Taylor polynomial: |r| ≤ ln2/128 < 0.0055, so the
// truncation error r^7/7! is below 3e-20.
func Exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > expOverflow:
		return math.Inf(1)
	case x < expUnderflow:
		return 0
	}
	t := float64(x*expInvStep) + expShifter
	nf := t - expShifter                           // round(x·64/ln2)
	n := int64(int32(uint32(math.Float64bits(t)))) // the same integer, from the low mantissa bits
	r := (x - float64(nf*expLn2Hi)) - float64(nf*expLn2Lo)
	// e^r − 1 = r·(1 + r·(1/2 + r·(1/6 + r·(1/24 + r·(1/120 + r/720))))), by Horner.
	q := 1.0 / 720
	q = 1.0/120 + float64(r*q)
	q = 1.0/24 + float64(r*q)
	q = 1.0/6 + float64(r*q)
	q = 1.0/2 + float64(r*q)
	q = 1 + float64(r*q)
	p := float64(r * q)
	tab := &expTable[n&63]
	m := tab[0] + (tab[1] + float64(tab[0]*p)) // 2^(j/64)·e^r, in [0.99, 2)
	k := n >> 6
	if k >= -1022 && k <= 1023 {
		return m * pow2(k)
	}
	if k > 1023 { // e^x near MaxFloat64
		return m * pow2(k-1) * 2
	}
	return m * pow2(k+64) * 0x1p-64 // subnormal: one rounding, in the last product
}

// pow2 returns 2^k for -1022 ≤ k ≤ 1023.
func pow2(k int64) float64 { return math.Float64frombits(uint64(k+1023) << 52) }
