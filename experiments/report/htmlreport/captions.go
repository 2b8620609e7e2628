package htmlreport

import (
	"path/filepath"
	"strings"
)

// captions are the figures' captions by file stem (the file name without
// its extension), as README's Figures section gives them. {window} and
// {baseline} are replaced by the summary's report window and baseline.
var captions = map[string]string{
	"net_revenue_distribution": "Each firm's net revenue over the report window ({window}), one box per scenario: " +
		"the box is the middle half of the runs, the whiskers the 5th to 95th percentiles, the ring the mean; " +
		"compare boxes within a panel (each firm has its own dollar scale).",
	"annualized_net_revenue_fan": "Each firm's annualized net revenue (12 × the month's) over time: the line is the " +
		"month's median over runs, the band the 5th–95th percentiles; with more than five scenarios, one column per " +
		"scenario, so read across a row to compare regimes for one firm.",
	"channel_shares": "Where buyer spend goes (each month's median share over runs): OpenAI direct, Azure, Bedrock, " +
		"Vertex and the outside option (rival vendors and in-house builds); watch Azure's share when AWS and Google may sell.",
	"paired_differences": "Each scenario's net revenue minus the baseline's ({baseline}) over the window, run by run " +
		"on common random numbers, with 95% intervals: an interval that does not cross zero is a difference the " +
		"simulation resolves.",
	"transfers": "Revenue-share payments each way by month (solid: OpenAI to Microsoft; dotted: Microsoft to OpenAI) " +
		"and OpenAI's cumulative payments against the cap where a regime has one: where the line flattens, the cap " +
		"has bound and payments stop.",
	"calibration": "Each calibration target against the simulated moment (mean ± standard error over the runs); " +
		"the grey box is the target's uncertainty, and an inequality target is met when the moment is on the " +
		"allowed side of its bound.",
}

// Caption returns the caption of the figure file named name (a path or a
// base name, any extension) with {window} and {baseline} filled in, and
// whether the figure is known.
func Caption(name, window, baseline string) (string, bool) {
	stem := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	c, ok := captions[stem]
	if !ok {
		return "", false
	}
	return strings.NewReplacer("{window}", window, "{baseline}", baseline).Replace(c), true
}
