package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/experiments/report/htmlreport"
	"github.com/coopsim/coopsim/experiments/report/parquetio"
)

// outputFiles are the files of a result directory besides summary.json,
// runs.csv and series.csv that coopsim writes (and --force replaces).
var outputFiles = []string{htmlreport.FileName, parquetio.RunsFile, parquetio.SeriesFile}

// parquetUsage is the help text of run's and merge's --parquet.
const parquetUsage = "also write runs.parquet and series.parquet (as [output] parquet = true in the file)"

// withParquet returns e set to write the Parquet files when on is true (the
// --parquet flag), and e as it is otherwise (its file may ask for them).
func withParquet(e *experiments.Experiment, on bool) *experiments.Experiment {
	if !on || e.ResultFiles.Parquet {
		return e
	}
	out := e.ResultFiles
	out.Parquet = true
	return e.WithResultFiles(out)
}

// writeOutputs writes the files that follow the result files: the Parquet
// copies, if the experiment asks for them, and report.html with the
// figures drawn (none with --no-plots), unless withPage is false. It returns
// the names written, as ", name, name" for the results line.
func writeOutputs(o *experiments.Outcome, sum *report.Summary, dir string, figures []string, withPage bool) (string, error) {
	var names []string
	if o.Experiment.Uncertainty != nil {
		names = append(names, experiments.ParamsFile)
	}
	if o.Experiment.ResultFiles.Parquet {
		if err := parquetio.WriteDir(dir); err != nil {
			return "", err
		}
		names = append(names, parquetio.RunsFile, parquetio.SeriesFile)
	}
	if !withPage {
		return listed(names), nil
	}
	figs, err := htmlreport.ReadFigures(figures, sum)
	if err != nil {
		return "", err
	}
	var src []htmlreport.Source
	for _, f := range o.Experiment.Sources() {
		src = append(src, htmlreport.Source{Name: f.Name, Text: f.Text})
	}
	draws, err := report.ReadCapDraws(dir)
	if err != nil {
		return "", err
	}
	page := htmlreport.Page{Summary: sum, Figures: figs, Sources: src, CapDraws: draws}
	if err := htmlreport.Write(filepath.Join(dir, htmlreport.FileName), page); err != nil {
		return "", err
	}
	names = append(names, htmlreport.FileName)
	return listed(names), nil
}

// listed returns names as ", name, name" for the results line, or "".
func listed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ", " + strings.Join(names, ", ")
}

// replotReport writes report.html after `coopsim plot DIR` drew figures
// (paths) into plotDir: into DIR when the figures went to DIR/plots, else
// into plotDir beside them. The experiment files come from the page
// already in DIR (the result files do not hold them). PDF figures cannot be
// shown in a page, so then no page is written; the page's path, or "", is
// returned.
func replotReport(dir, plotDir string, figures []string, format string) (string, error) {
	if format == "pdf" {
		return "", nil
	}
	sum, err := report.ReadSummary(filepath.Join(dir, report.SummaryFile))
	if err != nil {
		return "", err
	}
	figs, err := htmlreport.ReadFigures(figures, sum)
	if err != nil {
		return "", err
	}
	src, err := htmlreport.ReadSources(filepath.Join(dir, htmlreport.FileName))
	if err != nil {
		return "", err
	}
	draws, err := report.ReadCapDraws(dir)
	if err != nil {
		return "", err
	}
	dst := filepath.Join(dir, htmlreport.FileName)
	if !sameDir(plotDir, filepath.Join(dir, "plots")) {
		dst = filepath.Join(plotDir, htmlreport.FileName)
	}
	if err := htmlreport.Write(dst, htmlreport.Page{Summary: sum, Figures: figs, Sources: src, CapDraws: draws}); err != nil {
		return "", err
	}
	return dst, nil
}

// sameDir reports whether a and b name the same directory.
func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
