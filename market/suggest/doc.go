// Package suggest finds the known name closest to a misspelt one, for the
// "did you mean" hints of error messages (unknown keys, parameters,
// regimes, commands).
package suggest
