package plots

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/report"
)

// TestFanDataMatchesSeries checks the fan chart's data against series.csv
// read independently: median = 12 × p50, band = 12 × p5 .. 12 × p95, and
// x = year + (month-1)/12.
func TestFanDataMatchesSeries(t *testing.T) {
	dir := fixtures[0].dir
	d := loadFixture(t, dir)
	bands, err := fanBands(d)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := report.ReadSeries(filepath.Join(dir, report.SeriesFile))
	if err != nil {
		t.Fatal(err)
	}
	idx := make(map[[2]string]int)
	checked := 0
	for _, r := range rows {
		firm, ok := strings.CutPrefix(r.Metric, "net_revenue/")
		if !ok {
			continue
		}
		k := [2]string{r.Scenario, firm}
		i := idx[k]
		idx[k]++
		b := bands[k]
		tm, _ := report.ParseMonth(r.Month)
		wantX := float64(tm.Year()) + float64(tm.Month()-1)/12
		if b.X[i] != wantX || b.Mid[i] != 12*r.P50 || b.Lo[i] != 12*r.P5 || b.Hi[i] != 12*r.P95 {
			t.Fatalf("%v month %s: band (%v, %v, %v, %v), want (%v, 12×%v, 12×%v, 12×%v)",
				k, r.Month, b.X[i], b.Lo[i], b.Mid[i], b.Hi[i], wantX, r.P5, r.P50, r.P95)
		}
		checked++
	}
	if want := len(fixtures[0].scenarios) * len(report.Firms) * fixtureMonths; checked != want {
		t.Errorf("checked %d points, want %d", checked, want)
	}
}

// TestShareDataMatchesSeries checks the channel-share lines: p50 of
// share/<channel>, plotted in percent.
func TestShareDataMatchesSeries(t *testing.T) {
	d := loadFixture(t, fixtures[1].dir)
	lines, err := shareLines(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range d.Summary.Scenarios {
		for _, ch := range report.Channels {
			rows := d.SeriesOf(sc.Name, "share/"+ch)
			b := lines[[2]string{sc.Name, ch}]
			if len(rows) != fixtureMonths || len(b.Mid) != len(rows) {
				t.Fatalf("%s %s: %d rows, %d points", sc.Name, ch, len(rows), len(b.Mid))
			}
			for i, r := range rows {
				if b.Mid[i] != r.P50 {
					t.Fatalf("%s %s %s: %v, want p50 %v", sc.Name, ch, r.Month, b.Mid[i], r.P50)
				}
			}
		}
	}
}

func TestMoneyUnit(t *testing.T) {
	for _, tc := range []struct {
		max  float64
		want string
	}{{0, "$M"}, {999e6, "$M"}, {1e9, "$B"}, {3e11, "$B"}} {
		if got := moneyUnit(tc.max).name; got != tc.want {
			t.Errorf("moneyUnit(%g) = %s, want %s", tc.max, got, tc.want)
		}
	}
	if got := formatValue(60000, "accounts"); got != "60,000 accounts" {
		t.Errorf("formatValue = %q", got)
	}
	if got := formatMoney(3.7e9); got != "$3.7B" {
		t.Errorf("formatMoney = %q", got)
	}
}

func TestYearTicks(t *testing.T) {
	var labels []string
	for _, tk := range yearTicks(2019.5, 2032.92) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "2020 2025 2030" && got != "2020 2022 2024 2026 2028 2030 2032" {
		t.Errorf("year labels over 2019-07..2032-12: %s", got)
	}
}

func copyFixture(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{report.SummaryFile, report.SeriesFile} {
		b, err := os.ReadFile(filepath.Join(fixtures[0].dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestWriteDir(t *testing.T) {
	if testing.Short() {
		t.Skip("renders five full-size figures")
	}
	in, out := copyFixture(t), t.TempDir()
	paths, err := WriteDir(in, out, Options{Width: 800, Height: 500, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{DistributionFile, FanFile, SharesFile, DifferencesFile, TransfersFile}
	if len(paths) != len(want) {
		t.Fatalf("wrote %q", paths)
	}
	for i, p := range paths {
		if filepath.Base(p) != want[i] {
			t.Errorf("path %d = %s, want %s", i, p, want[i])
		}
		if b, err := os.ReadFile(p); err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
			t.Errorf("%s: not a PNG (%v)", p, err)
		}
	}
	ents, _ := os.ReadDir(out)
	if len(ents) != len(want) {
		t.Errorf("output dir holds %d entries, want %d (temporary files left?)", len(ents), len(want))
	}
}

func TestWriteDirBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(dir string)
		file   string
	}{
		{"missing summary", func(dir string) { os.Remove(filepath.Join(dir, report.SummaryFile)) }, report.SummaryFile},
		{"missing series", func(dir string) { os.Remove(filepath.Join(dir, report.SeriesFile)) }, report.SeriesFile},
		{"corrupt summary", func(dir string) {
			os.WriteFile(filepath.Join(dir, report.SummaryFile), []byte("{\"experiment\": "), 0o644)
		}, report.SummaryFile},
		{"corrupt series", func(dir string) {
			p := filepath.Join(dir, report.SeriesFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, "amended_2026,2028-01,share/aws,0.1,oops,0,0,0,0\n"...), 0o644)
		}, report.SeriesFile + " line"},
		{"missing metric", func(dir string) {
			p := filepath.Join(dir, report.SeriesFile)
			b, _ := os.ReadFile(p)
			var keep []string
			for _, l := range strings.SplitAfter(string(b), "\n") {
				if !strings.Contains(l, "share/gcp") {
					keep = append(keep, l)
				}
			}
			os.WriteFile(p, []byte(strings.Join(keep, "")), 0o644)
		}, `channel_shares.png: series.csv has no rows for scenario "amended_2026", metric "share/gcp"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, out := copyFixture(t), t.TempDir()
			tc.break_(in)
			_, err := WriteDir(in, out, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "plots: ") || !strings.Contains(msg, tc.file) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line starting \"plots: \" naming %s", msg, tc.file)
			}
			if strings.HasPrefix(tc.name, "missing s") && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error %v does not wrap fs.ErrNotExist", err)
			}
			if ents, _ := os.ReadDir(out); len(ents) != 0 {
				t.Errorf("wrote %d files despite the error", len(ents))
			}
		})
	}
}

func TestCalibrationFitErrors(t *testing.T) {
	if _, err := CalibrationFit(nil, "x"); err == nil {
		t.Error("no points: no error")
	}
	if _, err := CalibrationFit([]FitPoint{{Name: "zero", Target: 0}}, "x"); err == nil || !strings.Contains(err.Error(), `"zero"`) {
		t.Errorf("zero target: %v", err)
	}
}

func TestRenderFormats(t *testing.T) {
	f, err := CalibrationFit(fitPoints, "formats")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"svg", "pdf"} {
		var b strings.Builder
		if err := f.Render(&b, Options{Format: format}); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v, %d bytes", format, err, b.Len())
		}
	}
	if err := f.Render(&strings.Builder{}, Options{Format: "gif"}); err == nil {
		t.Error("gif: no error")
	}
}
