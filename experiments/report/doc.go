// Package report owns the on-disk result formats of one coopsim experiment:
// the Go types of summary.json, runs.csv and series.csv, atomic writers for
// them, and readers whose errors name the file (and, for CSV, the line and
// column).
//
// A result directory holds three files:
//
//   - summary.json (SummaryFile): a Summary, pretty-printed with a two-space
//     indent, keys in struct order. Per scenario and metric it gives n, mean,
//     sample standard deviation, standard error and the 5th, 25th, 50th, 75th
//     and 95th percentiles (see Describe), and per non-baseline scenario the
//     paired difference to the baseline with a 95% interval (see Paired).
//   - runs.csv (RunsFile): one row per (scenario, run, metric) in long tidy
//     form, header "scenario,run,metric,value", written by a RunsWriter.
//   - series.csv (SeriesFile): monthly quantile bands, header
//     "scenario,month,metric,mean,p5,p25,p50,p75,p95", written by a
//     SeriesWriter. Money metrics are US dollars per month.
//
// An experiment with [uncertainty] also writes params.csv (ParamsFile), one
// row "run,parameter,value" per run and drawn parameter, read by
// StreamParams.
//
// Every writer is atomic: it writes a temporary file in the destination
// directory, flushes and fsyncs it, then renames it over the destination, so
// a reader sees either the old file, the whole new file, or no file; never a
// half-written one. A failed or aborted write removes its temporary file.
//
// Readers return a *FileError naming the file, and for CSV files the line and
// column, for example:
//
//	out/series.csv line 17, column p50: "x" is not a number
//	out/summary.json line 2: field experiment: want text, got a number (was the file edited? rerun or restore it)
//
// Floating-point values in CSV files are written with
// strconv.FormatFloat(v, 'g', -1, 64), the shortest text that reads back to
// the same float64, so a write/read round trip is exact.
//
// The package depends on no other coopsim package: the ensemble
// (package experiments) produces results and the plots package consumes them.
package report
