// Package plots draws every figure of a coopsim experiment from its result
// values (a *report.Dir: summary.json and series.csv); it runs no
// simulation.
//
// Figures lists the standard figures of a result directory (file name,
// title and a caption of one paragraph saying how to read it, for a report
// page) and WriteAll writes them, each atomically:
//
//   - net_revenue_distribution.png: each firm's net revenue over the report
//     window, one horizontal box per scenario (named on the axis) drawn from
//     the summary percentiles; a scenario far beyond all others in a panel
//     is marked by an arrow with its mean instead of squashing their scale;
//   - annualized_net_revenue_fan.png: each firm's annualized net revenue
//     over time, mean line and 5–95% band, scenarios overlaid (up to five)
//     or one column each;
//   - channel_shares.png: each channel's share of buyer spend over time,
//     drawn only where it exists (from the first month the channel sells);
//   - maker_shares.png: each model maker's share of buyer spend over time,
//     whatever the channel (OpenAI's models against Claude, Gemini and
//     open models), on one y scale;
//   - spend_by_cloud.png: what each cloud sells over time, one row per
//     cloud and one column per scenario, makers told by line style;
//   - spend_by_venue.png: buyer spend over the report window by where it
//     is bought (Azure, AWS, Google Cloud, direct or in-house) and whose
//     models, one dot and 5–95% bar per scenario;
//   - spend_by_buyer.png: each buyer segment's and each incumbent cloud's
//     share of spend at each of those venues, one point per scenario (the
//     last four are left out for results written before the market v2's
//     makers' shares and spend breakdowns);
//   - paired_differences.png: the paired difference of each firm's net
//     revenue to the baseline with its 95% interval, filled where the
//     interval excludes zero (left out without a scenario besides the
//     baseline);
//   - transfers.png: monthly transfers each way per scenario and, bottom
//     right, the cumulative payments from OpenAI to Microsoft against each
//     cap.
//
// CalibrationFit draws the calibration targets against the simulated
// moments, inequality targets as met or missed against their bound
// (CalibrationFigure gives its caption).
//
// Conventions shared by every figure: each scenario has one colour, by its
// position in the experiment, in every figure, and nothing else uses those
// colours (firms and channels are told apart by panel and named as readers
// know them: Azure OpenAI, Bedrock, Vertex AI); every line over time is a
// mean over runs and every band holds 5–95% of runs; negative numbers carry
// a minus sign (U+2212). Each figure is a *Figure: a title naming the
// experiment, scenarios and runs, a grid of gonum/plot panels with aligned
// data areas, and a legend in an empty grid cell or a strip below the
// panels, never over data. Dollar axes are in $B, or $M where every value
// in the panel is below $1B; time axes are in years.
package plots
