package experiments

// AtPointEstimate returns a copy of e without its [uncertainty] table
// (`coopsim run --point-estimate`): every run takes the market's and the
// regimes' values as the file writes them, the point estimate, so that a
// researcher can set the results beside those with parameter uncertainty.
// The copy's hash is that of the same file without the table, so its
// results are too. An experiment with no uncertainty is returned as is.
func (e *Experiment) AtPointEstimate() *Experiment {
	if e.Uncertainty == nil {
		return e
	}
	c := *e
	c.Uncertainty = nil
	c.Hash = c.hash()
	return &c
}
