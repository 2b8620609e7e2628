package plots

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestFanDataMatchesSeries checks the fan chart's data against series.csv
// read independently: line = 12 × mean, band = 12 × p5 .. 12 × p95, and
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
		if b.X[i] != wantX || b.Mid[i] != 12*r.Mean || b.Lo[i] != 12*r.P5 || b.Hi[i] != 12*r.P95 {
			t.Fatalf("%v month %s: band (%v, %v, %v, %v), want (%v, 12×%v, 12×%v, 12×%v)",
				k, r.Month, b.X[i], b.Lo[i], b.Mid[i], b.Hi[i], wantX, r.P5, r.Mean, r.P95)
		}
		checked++
	}
	if want := len(fixtures[0].scenarios) * len(report.Firms) * fixtureMonths; checked != want {
		t.Errorf("checked %d points, want %d", checked, want)
	}
}

// TestShareDataMatchesSeries checks the channel-share lines: the mean of
// share/<channel>, undefined (NaN) in the months without spend and before a
// channel first sells, and with no point at all for a channel that never
// sells (the fixture: no spend in the first two months; AWS and Google
// never sell in scenario 1).
func TestShareDataMatchesSeries(t *testing.T) {
	d := loadFixture(t, fixtures[1].dir)
	lines, err := shareLines(d)
	if err != nil {
		t.Fatal(err)
	}
	for k, sc := range d.Summary.Scenarios {
		for _, ch := range report.Channels {
			rows := d.SeriesOf(sc.Name, "share/"+ch)
			b := lines[[2]string{sc.Name, ch}]
			if len(rows) != fixtureMonths || len(b.Mid) != len(rows) {
				t.Fatalf("%s %s: %d rows, %d points", sc.Name, ch, len(rows), len(b.Mid))
			}
			never := k == 1 && (ch == "aws" || ch == "gcp")
			for i, r := range rows {
				undefined := i < 2 || never
				if got := math.IsNaN(b.Mid[i]); got != undefined {
					t.Fatalf("%s %s %s: undefined = %v, want %v", sc.Name, ch, r.Month, got, undefined)
				}
				if !undefined && b.Mid[i] != r.Mean {
					t.Fatalf("%s %s %s: %v, want mean %v", sc.Name, ch, r.Month, b.Mid[i], r.Mean)
				}
			}
		}
	}
}

// TestFarApart checks which intervals are left off a panel's scale: one
// far above the rest (Microsoft when acquired), one far below, none when
// the values merely spread, and none of two.
func TestFarApart(t *testing.T) {
	for _, tc := range []struct {
		name string
		ext  [][2]float64
		want []int
	}{
		{"one far above", [][2]float64{{66, 75}, {88, 135}, {87, 134}, {283, 509}}, []int{0, 0, 0, 1}},
		{"one far below", [][2]float64{{-900, -800}, {10, 20}, {12, 25}, {15, 30}}, []int{-1, 0, 0, 0}},
		{"zeros and a spread", [][2]float64{{0, 0}, {0, 0}, {7, 9}, {8, 10}, {0, 0}}, []int{0, 0, 0, 0, 0}},
		{"spread out", [][2]float64{{0, 10}, {20, 40}, {60, 90}}, []int{0, 0, 0}},
		{"two", [][2]float64{{0, 1}, {100, 101}}, []int{0, 0}},
	} {
		got := farApart(tc.ext)
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: farApart = %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

// TestTickLabels checks that tick labels print a minus sign (U+2212), never
// a hyphen, and that every label of an axis has as many decimals as the
// others and no more than its step needs.
func TestTickLabels(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 10, 4, "0 5 10"},
		{-5.5, 1.5, 4, "−4 −2 0"},
		{-330, 30, 4, "−300 −200 −100 0"},
		{0.1, 0.45, 4, "0.1 0.2 0.3 0.4"},
		{0, 9.9, 5, "0 2 4 6 8"},
		{15.1, 26.1, 4, "16 18 20 22 24 26"}, // two labels (20, 25) are too few
	} {
		var labels []string
		for _, tk := range niceTicks(tc.lo, tc.hi, tc.n) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, " "); got != tc.want {
			t.Errorf("niceTicks(%v, %v, %d) = %q, want %q", tc.lo, tc.hi, tc.n, got, tc.want)
		}
	}
	if got := formatMoney(-1.23e9); got != "−$1.23B" {
		t.Errorf("formatMoney(-1.23e9) = %q", got)
	}
}

// TestCalibrationRange checks that a met inequality far out on its side
// does not stretch the axis (it is drawn as an arrow), and that a missed
// one does.
func TestCalibrationRange(t *testing.T) {
	eq := FitPoint{Name: "a", Target: 10, TargetSD: 1, Simulated: 10.5, SimulatedSE: 0.1}
	met := FitPoint{Name: "gap", Target: 0.05, TargetSD: 0.02, Simulated: 0.18, SimulatedSE: 0.01, Unit: "share", Relation: ">=", Met: true}
	_, hi := fitRange([]FitPoint{eq, met})
	if hi > 1.5 {
		t.Errorf("met inequality at 3.6× stretches the axis to %v", hi)
	}
	missed := met
	missed.Relation, missed.Met = "<=", false
	if _, hi := fitRange([]FitPoint{eq, missed}); hi < 3.6 {
		t.Errorf("missed inequality at 3.6× is off the axis (max %v)", hi)
	}
	if got := fitLabel(met); !strings.HasSuffix(got, "≥ 0.05 share, met") {
		t.Errorf("label %q", got)
	}
	if got := fitLabel(missed); !strings.HasSuffix(got, "≤ 0.05 share, MISSED") {
		t.Errorf("label %q", got)
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

func copyFixture(t *testing.T, dir string) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{report.SummaryFile, report.SeriesFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
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
		t.Skip("renders every figure of two fixtures")
	}
	for _, fx := range fixtures {
		t.Run(filepath.Base(fx.dir), func(t *testing.T) { checkWriteDir(t, fx.dir, fx.makers) })
	}
}

// checkWriteDir writes the figures of the fixture in dir and checks that
// they are every figure of the catalog, in order, but for the market v2's
// figures when the results have no v2 data.
func checkWriteDir(t *testing.T, dir string, v2 bool) {
	in, out := copyFixture(t, dir), t.TempDir()
	ws, err := WriteDir(in, out, Options{Width: 800, Height: 500, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	paths := Paths(ws)
	var want []string
	for _, f := range Figures() {
		if v2 || !v2Figures[f.File] {
			want = append(want, f.File)
		}
	}
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
			in, out := copyFixture(t, fixtures[0].dir), t.TempDir()
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
		if _, err := f.Render(&b, Options{Format: format}); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v, %d bytes", format, err, b.Len())
		}
	}
	if _, err := f.Render(&strings.Builder{}, Options{Format: "gif"}); err == nil {
		t.Error("gif: no error")
	}
}

// TestThinLabels checks that x tick labels that would touch at a panel's
// drawn width lose every other label (keeping 0), and that labels with
// room keep them all.
func TestThinLabels(t *testing.T) {
	labels := func(p *plot.Plot) string {
		var l []string
		for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if tk.Label != "" {
				l = append(l, tk.Label)
			}
		}
		return strings.Join(l, " ")
	}
	for _, tc := range []struct {
		width vg.Length
		want  string
	}{{600, "−300 −200 −100 0"}, {90, "−200 0"}} {
		p := newPanel("")
		p.X.Min, p.X.Max = -330, 20
		p.X.Tick.Marker = niceTicker(4)
		c := draw.New(vgimg.NewWith(vgimg.UseWH(tc.width, 300)))
		restore := thinLabels([][]*plot.Plot{{p}}, [][]draw.Canvas{{c}})
		if got := labels(p); got != tc.want {
			t.Errorf("width %v: labels %q, want %q", tc.width, got, tc.want)
		}
		restore()
		if got := labels(p); got != "−300 −200 −100 0" {
			t.Errorf("width %v: after restore %q", tc.width, got)
		}
	}
}

// TestFigureCatalog checks the list of figures that cmd's cleanup and the
// report page read: unique file names, a title and a caption each, and
// every caption of a figure with lines over time saying they are means and
// what the bands hold.
func TestFigureCatalog(t *testing.T) {
	seen := make(map[string]bool)
	for _, f := range append(Figures(), CalibrationFigure()) {
		if seen[f.File] || f.Title == "" || len(f.Caption) < 100 || !strings.HasSuffix(f.File, ".png") {
			t.Errorf("%+v: duplicate file, or missing title or caption", f)
		}
		seen[f.File] = true
	}
	for _, file := range []string{FanFile, SharesFile, TransfersFile} {
		for _, f := range Figures() {
			if f.File == file && (!strings.Contains(f.Caption, "mean") || !strings.Contains(f.Caption, "5–95% of runs")) {
				t.Errorf("%s: caption does not say lines are means and bands hold 5–95%% of runs: %s", file, f.Caption)
			}
		}
	}
	if got := FileName(DistributionFile, Options{Format: "svg"}); got != "net_revenue_distribution.svg" {
		t.Errorf("FileName = %q", got)
	}
}

// TestDwarfing checks which small multiples get a scale of their own: the
// fixture's acquired_2027 books Microsoft's revenue more than three times
// any other scenario's, and nothing else dwarfs its row.
func TestDwarfing(t *testing.T) {
	d := loadFixture(t, fixtures[1].dir)
	bands, err := fanBands(d)
	if err != nil {
		t.Fatal(err)
	}
	sp := seriesSpec{items: report.Firms, bands: bands, unit: moneyUnit}
	for _, firm := range report.Firms {
		for i, far := range sp.dwarfing(d.Summary, firm) {
			want := firm == "microsoft" && d.Summary.Scenarios[i].Name == "acquired_2027"
			if far != want {
				t.Errorf("%s, %s: own scale %v, want %v", firm, d.Summary.Scenarios[i].Name, far, want)
			}
		}
	}
	for v, want := range map[float64]float64{0.3: 0.3, 445: 500, 100: 100, 101: 150, 7: 8, 0.71: 0.8} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", v, got, want)
		}
	}
}

// TestOverlaidOffTop checks that with few scenarios, overlaid in one panel
// per firm, one that dwarfs the others runs off the top of its panel: the
// axis ends near the others' largest value, not at its own.
func TestOverlaidOffTop(t *testing.T) {
	d := loadFixture(t, fixtures[1].dir)
	d.Summary.Scenarios = d.Summary.Scenarios[:5] // overlaid; acquired_2027 is the fifth
	f, err := AnnualizedNetRevenueFan(d)
	if err != nil {
		t.Fatal(err)
	}
	bands, _ := fanBands(d)
	ms := f.Panels[0][1] // Microsoft
	_, acquired := bands[[2]string{"acquired_2027", "microsoft"}].extent()
	_, kept := bands[[2]string{"exclusive_kept", "microsoft"}].extent()
	if top := ms.Y.Max * 1e9; top >= acquired || top < kept {
		t.Errorf("Microsoft's axis ends at %v, want between the others' top %v and acquired_2027's %v", top, kept, acquired)
	}
	if !strings.Contains(f.Caption, "off the top") {
		t.Errorf("caption does not say a scenario runs off the top: %s", f.Caption)
	}
}

// TestMakerSharesSum checks a rival maker's row of the channel-share
// figure: in every month the sum of its channels' mean shares (NaN ones
// left out), undefined only where all of them are, with no band; and that
// OpenAI's rows and the makers' rows together cover every channel once.
func TestMakerSharesSum(t *testing.T) {
	d := loadFixture(t, fixtures[1].dir)
	lines, err := shareLines(d)
	if err != nil {
		t.Fatal(err)
	}
	covered := len(report.OpenAIChannels)
	for _, m := range makerRows {
		chs := makerChannels(m)
		if len(chs) == 0 {
			t.Fatalf("maker %q sells through no channel of report.Channels", m)
		}
		covered += len(chs)
		sums := makerShares(lines, d.Summary, m)
		for _, sc := range d.Summary.Scenarios {
			got := sums[sc.Name]
			for i := range got.Mid {
				want, defined := 0.0, false
				for _, ch := range chs {
					if v := lines[[2]string{sc.Name, ch}].Mid[i]; !math.IsNaN(v) {
						want, defined = want+v, true
					}
				}
				if math.IsNaN(got.Mid[i]) == defined || defined && math.Abs(got.Mid[i]-want) > 1e-12 {
					t.Fatalf("%s %s month %d: %v, want %v (defined %v)", sc.Name, m, i, got.Mid[i], want, defined)
				}
				if !(got.Lo[i] == got.Mid[i] && got.Hi[i] == got.Mid[i]) && defined {
					t.Fatalf("%s %s month %d: band %v–%v, want none", sc.Name, m, i, got.Lo[i], got.Hi[i])
				}
			}
		}
	}
	if covered != len(report.Channels) {
		t.Errorf("the figure's rows cover %d channels, want %d", covered, len(report.Channels))
	}
}

// TestMakerBands checks where a maker's row comes from: results with the
// makers' shares (fixture six) give share/maker/<maker>'s mean and band,
// undefined where all the maker's channels are; results without them
// (fixture three) fall back to the sum of the channels' means.
func TestMakerBands(t *testing.T) {
	for _, fx := range fixtures {
		d := loadFixture(t, fx.dir)
		lines, err := shareLines(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range makerRows {
			got, banded, err := makerBands(d, lines, m)
			if err != nil {
				t.Fatal(err)
			}
			if banded != fx.makers {
				t.Fatalf("%s %s: banded = %v, want %v", fx.dir, m, banded, fx.makers)
			}
			sums := makerShares(lines, d.Summary, m)
			for _, sc := range d.Summary.Scenarios {
				rows := d.SeriesOf(sc.Name, "share/maker/"+m)
				b, sum := got[sc.Name], sums[sc.Name]
				for i := range b.Mid {
					if math.IsNaN(b.Mid[i]) != math.IsNaN(sum.Mid[i]) {
						t.Fatalf("%s %s %s month %d: %v, the channels' sum %v", fx.dir, sc.Name, m, i, b.Mid[i], sum.Mid[i])
					}
					if !banded || math.IsNaN(b.Mid[i]) {
						continue
					}
					if r := rows[i]; b.Mid[i] != r.Mean || b.Lo[i] != r.P5 || b.Hi[i] != r.P95 || !(b.Hi[i] > b.Lo[i]) {
						t.Fatalf("%s %s %s: %v (%v–%v), want %v (%v–%v)", fx.dir, sc.Name, m, b.Mid[i], b.Lo[i], b.Hi[i], r.Mean, r.P5, r.P95)
					}
				}
			}
		}
	}
}
