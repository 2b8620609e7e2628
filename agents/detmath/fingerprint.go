package detmath

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"sync"
)

// fusionProbe holds operands of a product-sum whose result differs when the
// compiler fuses it into a multiply-add (as Go may on arm64, ppc64, s390x,
// or amd64 built with GOAMD64=v3): a·b = 1 − 2^-60 is not representable, so
// a·b rounds to 1 and a·b + c to 0 unfused, and to −2^-60 fused. It is a variable so
// that the compiler cannot fold it.
var fusionProbe = [3]float64{1 + 0x1p-30, 1 - 0x1p-30, -1}

// Fingerprint returns a short hash of the bits of Exp, Log, Pow and
// StudentTQuantile at fixed arguments, of the math package functions that
// results also depend on (Sqrt, Log1p, Erfcinv, Atan, Exp2), and of a
// product-sum that fused multiply-adds would change. Builds or machines
// whose results could differ in their last bits get different
// fingerprints, so result files record it and shards and resumes made with
// another one are refused.
func Fingerprint() string {
	fingerprintOnce.Do(func() { fingerprint = computeFingerprint() })
	return fingerprint
}

var (
	fingerprintOnce sync.Once
	fingerprint     string
)

func computeFingerprint() string {
	h := fnv.New64a()
	var buf [8]byte
	put := func(v float64) {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
		h.Write(buf[:])
	}
	for i := -40; i <= 40; i++ {
		x := float64(float64(i)*17.73) + 0.318309886 // spans Exp's range; float64() keeps it unfused
		put(Exp(x))
		put(Log(math.Abs(x) + 1e-3))
		put(Pow(1.0137, x))
		put(math.Sqrt(math.Abs(x)))
		put(math.Log1p(math.Abs(x) / 7))
		put(math.Erfcinv(float64(i+41) / 82))
		put(math.Atan(x))
		put(math.Exp2(x / 64))
	}
	for _, nu := range []int{1, 2, 7, 30, 999, 4000} {
		put(StudentTQuantile(0.975, nu))
	}
	a, b, c := fusionProbe[0], fusionProbe[1], fusionProbe[2]
	put(a*b + c)
	return fmt.Sprintf("%08x", uint32(h.Sum64()>>32))
}
