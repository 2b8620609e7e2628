package htmlreport

import (
	"path/filepath"
	"strings"

	"github.com/coopsim/coopsim/plots"
)

// Caption returns the caption of the figure file named name (a path or a
// base name, any extension): the paragraph package plots gives each figure
// it draws (plots.Figures, plots.CalibrationFigure), with the report window
// and the baseline named where the caption speaks of them; and whether the
// figure is known.
func Caption(name, window, baseline string) (string, bool) {
	stem := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	for _, f := range append(plots.Figures(), plots.CalibrationFigure()) {
		if strings.TrimSuffix(f.File, filepath.Ext(f.File)) != stem {
			continue
		}
		c := f.Caption
		if window != "" {
			c = strings.Replace(c, "over the report window", "over the report window ("+window+")", 1)
		}
		if baseline != "" {
			c = strings.Replace(c, "minus the baseline's", "minus the baseline's ("+baseline+")", 1)
		}
		return c, true
	}
	return "", false
}
