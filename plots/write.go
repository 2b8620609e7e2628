package plots

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/coopsim/coopsim/experiments/report"
)

// WriteAll draws the standard figures of d and writes each atomically into
// outDir (created if needed), returning the figures written in order, each
// with its path and the size it asked for and was drawn at (Written). All
// figures are built before any is written, so missing data writes nothing;
// if one cannot be written, the others still are, and it returns those
// written with the first error.
// The paired-differences figure is left out when there is no scenario
// besides the baseline. Errors name the figure and the missing data.
func WriteAll(d *report.Dir, outDir string, opt Options) ([]Written, error) {
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
	out := make([]Written, len(figs))
	errs := make([]error, len(figs))
	// Figures are drawn and encoded (most of the time) on every core, each
	// into its own file: the files do not depend on the order. A canvas
	// holds 4 bytes a pixel, so no more are drawn at once than hold
	// 4·MaxPixels in all (256 MB).
	largest := 1
	for _, f := range figs {
		o := opt.drawn(f.f.HeightScale)
		largest = max(largest, o.Width*o.Height)
	}
	workers := min(runtime.GOMAXPROCS(0), len(figs), max(1, 4*MaxPixels/largest))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(figs); i = int(next.Add(1) - 1) {
				out[i], errs[i] = figs[i].f.Save(filepath.Join(outDir, figs[i].name), opt)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return saved(out, errs), err
		}
	}
	return out, nil
}

// saved returns the figures saved (with no error).
func saved(ws []Written, errs []error) []Written {
	var out []Written
	for i, w := range ws {
		if errs[i] == nil {
			out = append(out, w)
		}
	}
	return out
}

// WriteDir reads the result directory dir (report.ReadDir) and writes its
// figures into outDir with WriteAll. A missing or corrupt result file gives
// a one-line error naming it.
func WriteDir(dir, outDir string, opt Options) ([]Written, error) {
	d, err := report.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	return WriteAll(d, outDir, opt)
}
