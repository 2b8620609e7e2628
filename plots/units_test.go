package plots

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMoneyPerYearLabels: every axis label of a yearly money amount reads
// "<unit>/yr" (perYear), whatever the figure or the number of scenarios;
// none spells it " per year". The yearly figures (the fan and spend by
// cloud) must have such a label, so the test is not vacuous.
func TestMoneyPerYearLabels(t *testing.T) {
	yearly := map[string]bool{FanFile: true, CloudSpendFile: true}
	for _, fx := range fixtures {
		d := loadFixture(t, fx.dir)
		for _, fig := range Figures() {
			f, err := fig.build(d)
			if err != nil {
				continue // optional figures without data: TestGolden checks those
			}
			found := false
			for _, row := range f.Panels {
				for _, p := range row {
					if p == nil {
						continue
					}
					for _, l := range []string{p.X.Label.Text, p.Y.Label.Text} {
						if strings.Contains(l, "year") {
							t.Errorf("%s %s: label %q: want the yearly form %q", filepath.Base(fx.dir), fig.File, l, "$B"+perYear)
						}
						found = found || strings.HasSuffix(l, "$B"+perYear) || strings.HasSuffix(l, "$M"+perYear)
					}
				}
			}
			if yearly[fig.File] && !found {
				t.Errorf("%s %s: no axis label ends in %q", filepath.Base(fx.dir), fig.File, perYear)
			}
		}
	}
}
