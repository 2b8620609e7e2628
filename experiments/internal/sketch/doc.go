// Package sketch holds the order-free accumulators of the ensemble: a
// mergeable quantile sketch with relative accuracy Alpha (DDSketch,
// Masson, Rim & Lee 2019) and an exact fixed-point Sum. Adding the same
// values in any order, or merging accumulators of any partition of them,
// gives identical bits, which is what makes results independent of
// workers, shards and resumes.
package sketch
