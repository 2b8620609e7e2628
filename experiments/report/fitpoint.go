package report

// FitPoint is one calibration target against its simulated moment: what
// calibration reports and plots draws (one type, so neither copies the
// other field by field).
type FitPoint struct {
	Name        string  // target name, e.g. "OpenAI revenue 2024"
	Target      float64 // observed value, or the bound of an inequality; must be non-zero
	TargetSD    float64 // uncertainty of the observed value (one standard deviation); 0 if exact
	Simulated   float64 // simulated mean
	SimulatedSE float64 // standard error of the simulated mean
	Unit        string  // "USD" formats as $B/$M; anything else is printed after the value
	// Relation is "" or "=" for a target value, ">=" or "<=" for an
	// inequality whose bound is Target.
	Relation string
	// Met says whether the fit meets the target (the calibration decides;
	// an inequality holds to within half its SD of its bound).
	Met bool
	// NonNegative says the quantity cannot be negative (a revenue, a count,
	// a share): the target's ± 1.96 SD box is drawn from 0 at the lowest.
	NonNegative bool
}
