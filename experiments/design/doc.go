// Package design owns coopsim's sampling designs over factors: Latin
// hypercubes, scrambled Sobol sequences (Joe–Kuo direction numbers, Owen
// scrambling), Morris trajectories and the Saltelli matrices from which
// Sobol sensitivity indices are estimated (in independent scrambles, whose
// estimates' spread gives the indices' intervals), plus the factors themselves and
// how a unit-cube coordinate becomes a factor's value.
//
// A design is a pure function of its sizes and its seed: every random
// choice is a counter-based draw keyed by (seed, purpose, index, index), so
// the same seed gives the same points on any machine, in any order, and a
// shard of the points can be computed without the others.
package design
