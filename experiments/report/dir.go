package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is a result directory loaded into memory: the summary and the monthly
// series. The per-run file, which can hold millions of rows, is loaded only
// on request (LoadRuns).
type Dir struct {
	Path    string
	Summary *Summary
	Series  []SeriesRow
	Runs    []RunRow // nil until LoadRuns

	index map[[2]string][]SeriesRow
}

// ReadDir reads summary.json and series.csv from the result directory dir
// and checks that every series row names a scenario of the summary. Errors
// name the file (and line for series.csv).
func ReadDir(dir string) (*Dir, error) {
	sumPath := filepath.Join(dir, SummaryFile)
	s, err := ReadSummary(sumPath)
	if err != nil {
		return nil, err
	}
	serPath := filepath.Join(dir, SeriesFile)
	d := &Dir{Path: dir, Summary: s, index: make(map[[2]string][]SeriesRow)}
	known := make(map[string]bool, len(s.Scenarios))
	for _, sc := range s.Scenarios {
		known[sc.Name] = true
	}
	line := 1
	err = StreamSeries(serPath, func(r SeriesRow) error {
		line++
		if !known[r.Scenario] {
			return readErr(serPath, line, "scenario", fmt.Errorf("scenario %q is not in %s", r.Scenario, SummaryFile))
		}
		d.Series = append(d.Series, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range d.Series {
		k := [2]string{r.Scenario, r.Metric}
		d.index[k] = append(d.index[k], r)
	}
	return d, nil
}

// LoadRuns reads runs.csv into d.Runs. A missing runs.csv is an error
// wrapping fs.ErrNotExist.
func (d *Dir) LoadRuns() error {
	path := filepath.Join(d.Path, RunsFile)
	rows, err := ReadRuns(path)
	if err != nil {
		return err
	}
	d.Runs = rows
	return nil
}

// HasRuns reports whether the directory has a runs.csv.
func (d *Dir) HasRuns() bool {
	_, err := os.Stat(filepath.Join(d.Path, RunsFile))
	return !errors.Is(err, fs.ErrNotExist)
}

// SeriesOf returns the rows of series.csv for one scenario and metric, in
// file order (by month). The slice is shared; do not modify it.
func (d *Dir) SeriesOf(scenario, metric string) []SeriesRow {
	if d.index == nil {
		d.index = make(map[[2]string][]SeriesRow)
		for _, r := range d.Series {
			k := [2]string{r.Scenario, r.Metric}
			d.index[k] = append(d.index[k], r)
		}
	}
	return d.index[[2]string{scenario, metric}]
}
