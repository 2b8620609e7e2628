// Package plots draws every figure of a coopsim experiment from its result
// values (a *results.Dir: summary.json and series.csv); it runs no
// simulation.
//
// WriteAll writes the standard figures of one result directory, each
// atomically, under fixed file names:
//
//   - net_revenue_distribution.png: each firm's net revenue over the report
//     window by scenario, as boxes drawn from the summary percentiles
//     (whiskers 5th–95th, box 25th–75th, line median, ring mean);
//   - annualized_net_revenue_fan.png: fan charts of annualized net revenue
//     (12 × monthly net revenue) per firm, median and 5–95% band, one colour
//     per scenario, or a firm × scenario grid of small multiples when there
//     are more than five scenarios;
//   - channel_shares.png: median channel shares of buyer spend over time,
//     one panel per scenario;
//   - paired_differences.png: the paired difference of each firm's net
//     revenue to the baseline with its 95% interval (left out when the
//     experiment has no scenario besides the baseline);
//   - transfers.png: monthly transfers each way per scenario (mean and
//     5–95% band) and the cumulative payments from OpenAI to Microsoft
//     against each labelled cap (with more than three scenarios, only the
//     baseline and the scenarios with a cap).
//
// CalibrationFit draws the calibration targets against the simulated
// moments. Each figure is a *Figure: a title naming the experiment,
// scenarios and runs, a grid of gonum/plot panels aligned with plot.Align,
// and a legend placed in an empty grid cell or in a strip below the panels,
// never over data. Dollar axes are in $B, or $M where every value in the
// panel is below $1B; time axes are in years. Colours follow the Okabe–Ito
// palette, which stays distinguishable under the common colour-vision
// deficiencies.
package plots
