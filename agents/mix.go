package agents

// Mix64 is the hash every counter-based stream of the model is built on
// (splitmix64's finaliser, see Key), for a package that keys streams of
// its own with other counters (experiments/design, whose design points
// were pinned before it used this function and keep their values).
func Mix64(z uint64) uint64 { return mix64(z) }
