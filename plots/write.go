package plots

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/coopsim/coopsim/experiments/report"
)

// WriteAll draws the standard figures of d and writes each atomically into
// outDir (created if needed), returning the paths written in order. All
// figures are built before any is written, so missing data writes nothing.
// The paired-differences figure is left out when there is no scenario
// besides the baseline. Errors name the figure and the missing data.
func WriteAll(d *report.Dir, outDir string, opt Options) ([]string, error) {
	type fig struct {
		name string
		f    *Figure
	}
	var figs []fig
	for _, b := range figures {
		f, err := b.build(d)
		if b.Optional && errors.Is(err, errNoData) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", b.File, err)
		}
		figs = append(figs, fig{FileName(b.File, opt), f})
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var paths []string
	for _, f := range figs {
		p := filepath.Join(outDir, f.name)
		if err := f.f.Save(p, opt); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// WriteDir reads the result directory dir (report.ReadDir) and writes its
// figures into outDir with WriteAll. A missing or corrupt result file gives
// a one-line error naming it.
func WriteDir(dir, outDir string, opt Options) ([]string, error) {
	d, err := report.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	return WriteAll(d, outDir, opt)
}
