// Package market owns contract regimes and their amendments over time, the
// revenue accounting and transfers between firms, and one simulated market
// (one run) stepping month by month.
//
// A [Regime] is a named timeline of dated amendments; [Compile] resolves it
// into the terms in force each month. [Sim] runs one market: given a
// [Config], a compiled regime and a run key it fills a [Series] with each
// month's gross and net revenue, transfers, customers and spend per channel
// and firm. A Sim is reused from run to run and allocates nothing once its
// buffers have grown to the market's size (after its first runs).
//
// The simulation is event driven: a buyer is visited only in a month where
// it decides (adoption, contract renewal, a seller's pitch), and each
// channel's spend is kept as a running sum of piecewise-linear ramps in
// difference arrays, so a month costs O(decisions + channels), not
// O(buyers) (but for two rare cases: a channel that closes sends its
// customers to choose, found by a pass over all buyers, and a sales team
// with fewer prospects than its reach looks through every buyer once).
package market
