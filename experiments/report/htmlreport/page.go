package htmlreport

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"image"
	_ "image/png" // DecodeConfig reads a figure's size
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/coopsim/coopsim/experiments/report"
)

// FileName is the report page's file name in a result directory.
const FileName = "report.html"

// Page is what a report page shows.
type Page struct {
	// Summary is the result directory's summary.json (required).
	Summary *report.Summary
	// Figures are shown in order, each with its caption.
	Figures []Figure
	// Sources are the experiment file and its includes, shown as text;
	// none leaves a note that the file is not at hand.
	Sources []Source
	// Note, if not empty, is shown under the manifest (for example why
	// there are no figures).
	Note string
	// CapDraws are the runs' drawn cap amounts (report.ReadCapDraws), if
	// the experiment draws them: such a scenario's heading gives the
	// range of the draws, not summary.json's stated amount.
	CapDraws report.CapDraws
}

// Figure is one figure: its file name (shown, and used to find its
// caption), its image bytes and their media type.
type Figure struct {
	Name    string
	Caption string
	MIME    string // "image/png" or "image/svg+xml"
	Data    []byte
}

// Source is one experiment file: the experiment's own ("experiment.toml")
// or an include, by the name the experiment gives it.
type Source struct {
	Name string
	Text []byte
}

// ReadFigures reads the figure files at paths, in order, with their
// captions for the summary s. PNG and SVG files are embedded; a figure in
// another format (PDF) cannot be shown in a page and is an error.
func ReadFigures(paths []string, s *report.Summary) ([]Figure, error) {
	figs := make([]Figure, 0, len(paths))
	for _, p := range paths {
		var mime string
		switch strings.ToLower(filepath.Ext(p)) {
		case ".png":
			mime = "image/png"
		case ".svg":
			mime = "image/svg+xml"
		default:
			return nil, fmt.Errorf("htmlreport: %s: a page can show PNG or SVG figures, not %s", p, filepath.Ext(p))
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("htmlreport: %w", err)
		}
		c, ok := Caption(p, s.WindowStart+" to "+s.WindowEnd, s.Baseline)
		if !ok {
			c = filepath.Base(p)
		}
		figs = append(figs, Figure{Name: filepath.Base(p), Caption: c, MIME: mime, Data: data})
	}
	return figs, nil
}

// Render writes the page's HTML to w.
func Render(w io.Writer, p Page) error {
	if p.Summary == nil {
		return errors.New("htmlreport: no summary")
	}
	v, err := build(p)
	if err != nil {
		return err
	}
	return pageTemplate.Execute(w, v)
}

// Write renders the page and writes it atomically to path.
func Write(path string, p Page) error {
	var buf bytes.Buffer
	if err := Render(&buf, p); err != nil {
		return err
	}
	return report.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// view is what the template reads.
type view struct {
	S          *report.Summary
	Note       string
	Firms      []string
	Net        []netRow
	Diffs      []diffRow
	Figures    []figView
	Scenarios  []scenarioView
	Sources    []Source
	HasSources bool
	HasSplit   bool // some net revenue has a variance split ([uncertainty])
}

type netRow struct {
	Name     string // the scenario's label (report.ScenarioLabel)
	Cells    []netCell
	CapBound string
}

// netCell is a firm's net revenue: mean [p5, p95], and under it the share
// of its variance due to parameter uncertainty (P, "" without a split).
type netCell struct {
	Value, P string
}

type diffRow struct {
	Name  string
	Cells []diffCell
}

type diffCell struct {
	Mean, Lo, Hi string
	Resolved     bool // the interval does not cross zero
	Same         bool // the scenario equals the baseline in every run
}

type figView struct {
	Name, Caption string
	Src           template.HTMLAttr
	Width, Height int
}

type scenarioView struct {
	Name, Regime, Cap string
	Metrics           []metricRow
}

type metricRow struct {
	Metric, Unit                     string
	Mean, SD, SE, P5, P50, P95, Diff string
}

func build(p Page) (*view, error) {
	s := p.Summary
	v := &view{S: s, Note: p.Note, Sources: p.Sources, HasSources: len(p.Sources) > 0}
	for _, f := range report.Firms {
		v.Firms = append(v.Firms, firmLabel(f))
	}
	for _, sc := range s.Scenarios {
		row := netRow{Name: s.Label(sc.Name)}
		for _, f := range report.Firms {
			m, _ := sc.Metric(report.MetricName(report.NetRevenue, f))
			// One decimal, as `coopsim run` prints the table.
			row.Cells = append(row.Cells, netCell{fmt.Sprintf("%s [%s, %s]", billions(m.Mean, 1), billions(m.P5, 1), billions(m.P95, 1)), m.Variance.ShareText()})
			v.HasSplit = v.HasSplit || m.Variance != nil
		}
		if cb, ok := sc.Metric(report.CapBound); ok {
			row.CapBound = fmt.Sprintf("%.0f%%", 100*cb.Mean)
		}
		v.Net = append(v.Net, row)
		if len(sc.Differences) > 0 {
			dr := diffRow{Name: sc.Name}
			for _, f := range report.Firms {
				d, _ := sc.Difference(report.MetricName(report.NetRevenue, f))
				k := decimals(d.Mean, d.Lo95, d.Hi95)
				c := diffCell{Mean: billions(d.Mean, k), Lo: billions(d.Lo95, k), Hi: billions(d.Hi95, k),
					Resolved: d.Lo95 > 0 || d.Hi95 < 0}
				if d.Mean == 0 && d.Lo95 == 0 && d.Hi95 == 0 {
					c.Same = true // not a rounded zero: the same in every run
				}
				dr.Cells = append(dr.Cells, c)
			}
			v.Diffs = append(v.Diffs, dr)
		}
		v.Scenarios = append(v.Scenarios, scenarioTable(sc, p.CapDraws))
	}
	for _, f := range p.Figures {
		if f.MIME != "image/png" && f.MIME != "image/svg+xml" {
			return nil, fmt.Errorf("htmlreport: figure %s: media type %q: want image/png or image/svg+xml", f.Name, f.MIME)
		}
		// The attribute is built here, not by the template, so that base64's
		// '+' is not escaped to "&#43;" (valid, but a third longer): the
		// media type is one of two constants and base64 needs no escaping.
		fv := figView{Name: f.Name, Caption: f.Caption,
			Src: template.HTMLAttr(`src="data:` + f.MIME + ";base64," + base64.StdEncoding.EncodeToString(f.Data) + `"`)}
		if f.MIME == "image/png" {
			if c, _, err := image.DecodeConfig(bytes.NewReader(f.Data)); err == nil {
				fv.Width, fv.Height = c.Width, c.Height
			} else {
				return nil, fmt.Errorf("htmlreport: figure %s: %w", f.Name, err)
			}
		}
		v.Figures = append(v.Figures, fv)
	}
	return v, nil
}

func scenarioTable(sc report.ScenarioSummary, draws report.CapDraws) scenarioView {
	sv := scenarioView{Name: sc.Name, Regime: sc.Regime, Cap: capText(sc, draws)}
	for _, m := range sc.Metrics {
		f, unit := plain, ""
		if isUSD(m.Metric) {
			f, unit = func(x float64) string { return billions(x, 3) }, "$B"
		}
		r := metricRow{Metric: m.Metric, Unit: unit, Mean: f(m.Mean), SD: f(m.SD), SE: f(m.SE), P5: f(m.P5), P50: f(m.P50), P95: f(m.P95)}
		if d, ok := sc.Difference(m.Metric); ok {
			r.Diff = fmt.Sprintf("%s [%s, %s]", f(d.Mean), f(d.Lo95), f(d.Hi95))
		}
		sv.Metrics = append(sv.Metrics, r)
	}
	return sv
}

// capText describes a scenario's cap for its heading: "$38.0B from
// 2026-04 to 2032-12", or where the runs draw the amount, its range over
// the runs ("drawn per run, $20.4B to $59.1B (params.csv), from ...").
// No cap is "".
func capText(sc report.ScenarioSummary, draws report.CapDraws) string {
	if sc.Cap == nil {
		return ""
	}
	amount := "$" + billions(sc.Cap.AmountUSD, 1) + "B"
	if r, ok := draws.Of(sc.Regime); ok {
		amount = fmt.Sprintf("drawn per run, $%sB to $%sB (%s),", billions(r.Lo, 1), billions(r.Hi, 1), report.ParamsFile)
	}
	return fmt.Sprintf("%s from %s to %s", amount, sc.Cap.Start, sc.Cap.End)
}
