// Package detmath owns the elementary functions whose results coopsim's
// results depend on: Exp, Log and Pow, and Student's t quantile, computed
// the same way on every CPU.
//
// Go's math.Exp picks a code path at run time on amd64 (with fused
// multiply-adds where the CPU has them), so the same binary gives results
// that differ in their last bits between machines; gonum's distributions
// call math.Exp too. The functions here use only additions,
// multiplications, divisions and square roots, each rounded on its own
// (every product that feeds a sum is converted with float64(), which the Go
// specification says prevents fusing it into a multiply-add), so the bits
// of Exp, Log and Pow depend on the inputs alone, on any CPU and
// architecture (StudentTQuantile's on any amd64 CPU: see its doc). Fingerprint hashes a few of their results, and
// of the math package functions coopsim still uses, so that result files
// made by builds that compute differently are told apart.
package detmath
