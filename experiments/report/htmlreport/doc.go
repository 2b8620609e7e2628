// Package htmlreport owns report.html, the one-page report of a result
// directory: one self-contained HTML file that opens offline in any
// browser, with no script, no font and no image from the network (figures
// are embedded as data: URIs, and a Content-Security-Policy meta tag
// forbids anything else).
//
// The page holds the experiment's manifest (name, seed, runs, code
// version, experiment hash, baseline, windows), the table of each firm's
// net revenue that `coopsim run` prints, the paired differences to the
// baseline with their 95% intervals, every figure with its caption, every
// scalar metric's distribution (in collapsed sections), and the experiment
// file with its includes, escaped.
//
// Write renders a Page with html/template and writes it atomically
// (report.WriteFileAtomic). The page depends only on the Page's content (no
// clock, no host name), so the same results give the same bytes.
// ReadSources recovers the experiment files from an existing report.html,
// so that a page redrawn from the result files alone (`coopsim plot DIR`)
// keeps them.
//
// The package depends only on package report; the figures come in as
// files already drawn (package plots draws them).
package htmlreport
