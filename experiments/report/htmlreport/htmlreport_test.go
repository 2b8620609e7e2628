package htmlreport_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/experiments/report/htmlreport"
	"github.com/coopsim/coopsim/experiments/varsplit"
)

// summary returns a two-scenario summary: cap-20b's difference to history
// resolves for openai (interval above zero) and not for aws.
func summary() *report.Summary {
	s := &report.Summary{Experiment: "cap <study> & co", Seed: 7, Runs: 200, CodeVersion: "0.1.0 linux/amd64 abc",
		ExperimentHash: "deadbeef", Baseline: "history", WindowStart: "2026-01", WindowEnd: "2030-12",
		Start: "2019-07", End: "2032-12"}
	for i, name := range []string{"history", "cap-20b"} {
		sc := report.ScenarioSummary{Name: name, Regime: name}
		for j, f := range report.Firms {
			v := float64(10*(j+1)+i) * 1e9
			sc.Metrics = append(sc.Metrics, report.MetricSummary{Metric: report.MetricName(report.NetRevenue, f),
				N: 200, Mean: v, SD: 1e9, SE: 7e7, P5: v - 2e9, P25: v - 1e9, P50: v, P75: v + 1e9, P95: v + 2.04e9})
			if i == 1 {
				d := report.Difference{Metric: report.MetricName(report.NetRevenue, f), Mean: -0.25e9, SE: 0.1e9, Lo95: -0.45e9, Hi95: -0.05e9}
				if f == "aws" {
					d.Hi95 = 0.1e9
				}
				sc.Differences = append(sc.Differences, d)
			}
		}
		sc.Metrics = append(sc.Metrics, report.MetricSummary{Metric: report.CapBound, N: 200, Mean: 0.25 * float64(i)})
		s.Scenarios = append(s.Scenarios, sc)
	}
	s.Scenarios[1].Cap = &report.Cap{AmountUSD: 20e9, Start: "2026-04", End: "2032-12"}
	return s
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// awkwardTOML is experiment text that would break a page that did not
// escape it, or change if it were not read back exactly.
const awkwardTOML = "name = \"x\" # </pre><script>alert(1)</script>\n" +
	"\n  'single' \"double\" &amp; &lt; <b>bold?</b> \u2212 tab\there\r\nend\n"

func page(t *testing.T) (htmlreport.Page, string) {
	t.Helper()
	dir := t.TempDir()
	fig := filepath.Join(dir, "paired_differences.png")
	if err := os.WriteFile(fig, pngBytes(t, 64, 40), 0o644); err != nil {
		t.Fatal(err)
	}
	s := summary()
	figs, err := htmlreport.ReadFigures([]string{fig}, s)
	if err != nil {
		t.Fatal(err)
	}
	return htmlreport.Page{Summary: s, Figures: figs, Sources: []htmlreport.Source{
		{Name: "experiment.toml", Text: []byte(awkwardTOML)},
		{Name: `../de"fault/fitted.toml`, Text: []byte("[market]\nbuyers.accounts = 1\n")},
	}}, dir
}

func render(t *testing.T, p htmlreport.Page) string {
	t.Helper()
	var b bytes.Buffer
	if err := htmlreport.Render(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDrawnCap: where the runs draw a scenario's cap (params.csv), its
// heading gives the range of the draws, not summary.json's stated amount;
// a draw for another regime leaves the stated amount.
func TestDrawnCap(t *testing.T) {
	p, _ := page(t)
	p.CapDraws = report.CapDraws{"cap-20b": {Lo: 12.04e9, Hi: 31e9}}
	h := render(t, p)
	if want := "cap drawn per run, $12.0B to $31.0B (params.csv), from 2026-04 to 2032-12"; !strings.Contains(h, want) {
		t.Errorf("page lacks %q", want)
	}
	if strings.Contains(h, "cap $20.0B") {
		t.Error("page gives the stated cap $20.0B, which the runs did not use")
	}
	p.CapDraws = report.CapDraws{"other": {Lo: 12e9, Hi: 31e9}}
	if h := render(t, p); !strings.Contains(h, "cap $20.0B from 2026-04 to 2032-12") {
		t.Error("a draw for another regime changed cap-20b's heading")
	}
}

// TestSelfContained: the page loads nothing: every src and href is a data:
// URI or a fragment, there is no script, stylesheet link, @import or url(),
// and the CSP forbids anything else.
func TestSelfContained(t *testing.T) {
	p, _ := page(t)
	h := render(t, p)
	if !strings.Contains(h, `http-equiv="Content-Security-Policy" content="`+htmlreport.CSP+`"`) {
		t.Error("no Content-Security-Policy meta tag")
	}
	refs := regexp.MustCompile(`(?i)\b(src|href|srcset|action|poster|data)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(h, -1)
	imgs := 0
	for _, r := range refs {
		if strings.HasPrefix(r[2], "data:image/") {
			imgs++
			continue
		}
		if !strings.HasPrefix(r[2], "#") {
			t.Errorf("%s=%.60q loads from outside the page", r[1], r[2])
		}
	}
	if imgs != 1 {
		t.Errorf("%d embedded images, want 1", imgs)
	}
	for _, bad := range []string{"<script", "<link", "@import", "url(", "<iframe", "<object", "<embed"} {
		if strings.Contains(strings.ToLower(h), bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}

// TestContent: the manifest, the net revenue table as the CLI prints it,
// the paired differences with the resolved ones marked, the figure's bytes
// and caption, and the experiment text read back exactly.
func TestContent(t *testing.T) {
	p, dir := page(t)
	h := render(t, p)
	for _, want := range []string{
		"<title>cap &lt;study&gt; &amp; co: coopsim report</title>",
		"<dd>7</dd>", "<dd>200</dd>", "deadbeef", "0.1.0 linux/amd64 abc", "2026-01 to 2030-12",
		// history's openai: mean 10, p5 8, p95 12.04 ($B), one decimal.
		"<td>history (baseline)</td><td>10.0 [8.0, 12.0]</td>",
		"<td>25%</td>",
		// openai's interval excludes zero; aws's crosses it; true minus signs.
		`<td>−0.250<br><span class="ci">[−0.450, −0.050]</span></td>`,
		`<td class="unresolved">−0.250<br><span class="ci">[−0.450, 0.100]</span></td>`,
		"cap $20.0B from 2026-04 to 2032-12",
		"<th>OpenAI</th><th>Microsoft</th><th>AWS</th>",
		`width="64" height="40"`,
		"95% t interval", // the paired differences caption, from package plots
	} {
		if !strings.Contains(h, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	m := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(h)
	if m == nil {
		t.Fatal("no embedded PNG")
	}
	got, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := os.ReadFile(filepath.Join(dir, "paired_differences.png")); !bytes.Equal(got, want) {
		t.Error("the embedded PNG is not the figure file's bytes")
	}

	path := filepath.Join(t.TempDir(), htmlreport.FileName)
	if err := htmlreport.Write(path, p); err != nil {
		t.Fatal(err)
	}
	src, err := htmlreport.ReadSources(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(src) != len(p.Sources) {
		t.Fatalf("read %d experiment files back, wrote %d", len(src), len(p.Sources))
	}
	for i := range src {
		if src[i].Name != p.Sources[i].Name || !bytes.Equal(src[i].Text, p.Sources[i].Text) {
			t.Errorf("file %d read back as %q %q, want %q %q", i, src[i].Name, src[i].Text, p.Sources[i].Name, p.Sources[i].Text)
		}
	}
}

// TestDeterministicAtomic: the same page renders to the same bytes; a page
// that cannot be rendered writes nothing and leaves an old page as it was.
func TestDeterministicAtomic(t *testing.T) {
	p, _ := page(t)
	if a, b := render(t, p), render(t, p); a != b {
		t.Error("two renders of one page differ")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, htmlreport.FileName)
	if err := htmlreport.Write(path, p); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	bad := p
	bad.Figures = []htmlreport.Figure{{Name: "x.png", MIME: "image/png", Data: []byte("not a png")}}
	if err := htmlreport.Write(path, bad); err == nil {
		t.Error("a page with a corrupt PNG was written")
	}
	after, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(dir)
	if !bytes.Equal(before, after) || len(entries) != 1 {
		t.Errorf("a failed write changed the page or left %d files", len(entries))
	}
	if _, err := htmlreport.ReadFigures([]string{filepath.Join(dir, "fig.pdf")}, p.Summary); err == nil {
		t.Error("a PDF figure was accepted")
	}
}

// TestSameEveryRun: a difference that is zero in every run says so rather
// than showing a rounded "0.000 [0.000, 0.000]".
func TestSameEveryRun(t *testing.T) {
	s := summary()
	for i := range s.Scenarios[1].Differences {
		s.Scenarios[1].Differences[i] = report.Difference{Metric: s.Scenarios[1].Differences[i].Metric}
	}
	h := render(t, htmlreport.Page{Summary: s})
	if n := strings.Count(h, `<td class="unresolved">0<br><span class="ci">same in every run</span></td>`); n != len(report.Firms) {
		t.Errorf("%d cells say the scenario is the same in every run, want %d", n, len(report.Firms))
	}
}

// TestNoSourcesNoFigures: a page without them says so instead of showing
// empty sections.
func TestNoSourcesNoFigures(t *testing.T) {
	h := render(t, htmlreport.Page{Summary: summary()})
	for _, want := range []string{"No figures were drawn", "The experiment file is not at hand"} {
		if !strings.Contains(h, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if src, err := htmlreport.ReadSources(filepath.Join(t.TempDir(), "none.html")); err != nil || src != nil {
		t.Errorf("ReadSources of a missing page: %v, %v; want nothing", src, err)
	}
}

// TestVarianceSplitShown: with a variance split ([uncertainty]), each
// firm's net revenue shows its parametric share under it, as the run
// summary's p column does, and the paragraph says what p is; without one,
// neither appears.
func TestVarianceSplitShown(t *testing.T) {
	p, _ := page(t)
	if h := render(t, p); strings.Contains(h, `<span class="ci">p `) || strings.Contains(h, "due to the uncertain parameters") {
		t.Error("a page without a variance split shows p")
	}
	for i := range p.Summary.Scenarios[0].Metrics {
		m := &p.Summary.Scenarios[0].Metrics[i]
		m.Variance = &varsplit.Split{Total: 4, Parametric: 3, Noise: 1, Share: 0.75, ShareSE: 0.05}
	}
	h := render(t, p)
	for _, want := range []string{
		`<td>history (baseline)</td><td>10.0 [8.0, 12.0]<br><span class="ci">p 75±5%</span></td>`,
		"and under it p, the share of its variance due to the uncertain parameters",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
