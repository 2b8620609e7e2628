package main

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report/htmlreport"
	"github.com/coopsim/coopsim/experiments/report/parquetio"
)

func sameBytes(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Errorf("%s and %s differ", a, b)
	}
}

// TestParquetAndReportMerge: --parquet on run and on merge gives
// byte-identical Parquet files and report pages for one run and for three
// merged shards; without it no Parquet file is written.
func TestParquetAndReportMerge(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	single := filepath.Join(root, "single")
	out, _ := cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--parquet", "--out", single)
	if !strings.Contains(out, "runs.parquet, series.parquet, report.html") {
		t.Errorf("the results line does not name the Parquet files and the page:\n%s", out)
	}
	var dirs []string
	for k := 1; k <= 3; k++ {
		d := filepath.Join(root, "d"+string(rune('0'+k)))
		cliOK(t, "run", smallFile, "--quiet", "--shard", string(rune('0'+k))+"/3", "--out", d)
		dirs = append(dirs, d)
	}
	m := filepath.Join(root, "m")
	cliOK(t, append(append([]string{"merge"}, dirs...), "--out", m, "--no-plots", "--parquet")...)
	for _, f := range []string{parquetio.RunsFile, parquetio.SeriesFile, htmlreport.FileName} {
		sameBytes(t, filepath.Join(single, f), filepath.Join(m, f))
	}
	plain := filepath.Join(root, "plain")
	cliOK(t, append(append([]string{"merge"}, dirs...), "--out", plain, "--no-plots")...)
	if exists(filepath.Join(plain, parquetio.RunsFile)) || !exists(filepath.Join(plain, htmlreport.FileName)) {
		t.Error("merge without --parquet: want report.html and no runs.parquet")
	}
	// --force replaces the Parquet files too: a forced run without
	// --parquet leaves none behind.
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--force", "--out", single)
	if exists(filepath.Join(single, parquetio.RunsFile)) || exists(filepath.Join(single, parquetio.SeriesFile)) {
		t.Error("a forced run without --parquet kept the old Parquet files")
	}
}

// TestOutputKey: [output] parquet = true in the file writes the Parquet
// files without the flag, and the key does not change the experiment's
// hash (it changes which files are written, not what they hold).
func TestOutputKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	text, err := os.ReadFile(smallFile)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "small-parquet.toml")
	if err := os.WriteFile(file, append(text, "\n[output]\nparquet = true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cliOK(t, "run", file, "--quiet", "--no-plots", "--out", out)
	rows, err := parquetio.ReadRuns(filepath.Join(out, parquetio.RunsFile))
	if err != nil || len(rows) == 0 {
		t.Fatalf("[output] parquet = true: runs.parquet: %d rows, %v", len(rows), err)
	}
	a, err := experiments.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := experiments.Load(smallFile)
	if err != nil {
		t.Fatal(err)
	}
	if !a.ResultFiles.Parquet || b.ResultFiles.Parquet || a.Hash != b.Hash {
		t.Errorf("parquet %v/%v, hashes %s/%s: want true/false and equal hashes", a.ResultFiles.Parquet, b.ResultFiles.Parquet, a.Hash, b.Hash)
	}
	cliFails(t, []string{"parquet"}, "validate", writeTOML(t, dir, append(text, "\n[output]\nparket = true\n"...)))
}

func writeTOML(t *testing.T, dir string, text []byte) string {
	t.Helper()
	p := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(p, text, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReportPage: run's report.html shows the table run prints (same
// cells), every figure run drew, each with a caption, and the experiment
// file; `plot DIR` writes it again with the figures it drew and keeps the
// experiment file.
func TestReportPage(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "r")
	out, _ := cliOK(t, "run", smallFile, "--quiet", "--out", dir)
	page := readPage(t, dir)
	for _, sc := range []string{"history", "amended-no-cap", "cap-10b"} {
		printed := printedCells(t, out, sc)
		shown := pageCells(page, sc)
		if len(printed) == 0 || strings.Join(printed, "|") != strings.Join(shown, "|") {
			t.Errorf("%s: run printed %q, the page shows %q", sc, printed, shown)
		}
	}
	figs, _ := filepath.Glob(filepath.Join(dir, "plots", "*.png"))
	if len(figs) < 4 {
		t.Fatalf("run drew %d figures", len(figs))
	}
	for _, f := range figs {
		if _, ok := htmlreport.Caption(f, "", ""); !ok {
			t.Errorf("figure %s has no caption in htmlreport: add one", filepath.Base(f))
		}
		if !strings.Contains(page, "("+filepath.Base(f)+")") {
			t.Errorf("the page does not show %s", filepath.Base(f))
		}
	}
	if n := strings.Count(page, "<img "); n != len(figs) {
		t.Errorf("the page has %d images, run drew %d figures", n, len(figs))
	}
	text, _ := os.ReadFile(smallFile)
	if !strings.Contains(html.UnescapeString(page), string(text)) {
		t.Error("the page does not hold the experiment file")
	}

	// plot DIR: same figures (deterministic), same page.
	before := page
	if err := os.Remove(filepath.Join(dir, "plots", filepath.Base(figs[0]))); err != nil {
		t.Fatal(err)
	}
	pout, _ := cliOK(t, "plot", dir)
	if !strings.Contains(pout, htmlreport.FileName) {
		t.Errorf("plot does not name the page it wrote:\n%s", pout)
	}
	if readPage(t, dir) != before {
		t.Error("plot DIR wrote a different page from run's")
	}
	// plot --out elsewhere puts the page beside the figures; PDF writes none.
	other := filepath.Join(t.TempDir(), "figs")
	cliOK(t, "plot", dir, "--out", other, "--width", "400", "--height", "250", "--dpi", "36", "--format", "svg")
	if p := readPage(t, other); !strings.Contains(p, "data:image/svg+xml;base64,") || !strings.Contains(html.UnescapeString(p), string(text)) {
		t.Error("plot --format svg --out: the page lacks SVG figures or the experiment file")
	}
	pdf := filepath.Join(t.TempDir(), "pdf")
	cliOK(t, "plot", dir, "--out", pdf, "--width", "400", "--height", "250", "--dpi", "36", "--format", "pdf")
	if exists(filepath.Join(pdf, htmlreport.FileName)) {
		t.Error("plot --format pdf wrote a page that cannot show its figures")
	}
}

func readPage(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, htmlreport.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// printedCells returns the cells of scenario's row in the table run
// printed: "mean [p5, p95]" per firm, then the cap-bound share.
func printedCells(t *testing.T, out, scenario string) []string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		name, rest, _ := strings.Cut(strings.TrimSuffix(line, " "), "  ")
		name = strings.TrimSuffix(name, " (baseline)")
		if name != scenario {
			continue
		}
		return regexp.MustCompile(`−?-?[0-9.]+ \[[^\]]*\]|[0-9]+%`).FindAllString(rest, -1)
	}
	return nil
}

// pageCells returns the cells of scenario's row in the page's net revenue
// table.
func pageCells(page, scenario string) []string {
	re := regexp.MustCompile(`<tr><td>` + regexp.QuoteMeta(scenario) + `(?: \(baseline\))?</td>((?:<td>[^<]*</td>)+)</tr>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		return nil
	}
	var cells []string
	for _, c := range regexp.MustCompile(`<td>([^<]*)</td>`).FindAllStringSubmatch(m[1], -1) {
		cells = append(cells, strings.ReplaceAll(html.UnescapeString(c[1]), "−", "-"))
	}
	return cells
}
