package htmlreport

import "html/template"

// CSP is the page's Content-Security-Policy: nothing may be loaded but
// data: images and the page's own style, so a page that asked for anything
// from the network would be refused by the browser (and caught by tests).
const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// sourceOpen starts each experiment file's <pre>; ReadSources finds the
// files by it.
const sourceOpen = `<pre class="source" data-name="`

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="` + CSP + `">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="coopsim">
<title>{{.S.Experiment}}: coopsim report</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  max-width: 1200px; margin: 2em auto; padding: 0 1.5em; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.8em 0; font-variant-numeric: tabular-nums; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #999; }
dl.manifest { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
dl.manifest dt { font-weight: 600; }
dl.manifest dd { margin: 0; overflow-wrap: anywhere; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
pre.source { background: #f6f6f4; border: 1px solid #ddd; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
figure { margin: 1.5em 0 2.5em; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { margin-top: 0.4em; max-width: 60em; }
figcaption .file { color: #666; font-size: 0.85em; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.5em 0.8em; }
.unresolved { color: #8a8a8a; }
table.diffs td { vertical-align: top; }
.ci { font-size: 0.85em; color: #555; }
.unresolved .ci { color: #8a8a8a; }
div.wide { overflow-x: auto; }
.small { color: #555; font-size: 0.9em; }
details { margin: 0.5em 0; }
summary { cursor: pointer; font-weight: 600; }
</style>
</head>
<body>
<h1>{{.S.Experiment}}</h1>
<p class="small">coopsim report: {{len .S.Scenarios}} scenarios × {{.S.Runs}} runs, simulated {{.S.Start}} to {{.S.End}}.</p>

<h2 id="manifest">Manifest</h2>
<dl class="manifest">
<dt>experiment</dt><dd>{{.S.Experiment}}</dd>
<dt>seed</dt><dd>{{.S.Seed}}</dd>
<dt>runs per scenario</dt><dd>{{.S.Runs}}{{if .S.StopReason}} ({{.S.StopReason}}){{end}}</dd>
<dt>code version</dt><dd class="mono">{{.S.CodeVersion}}</dd>
<dt>experiment hash</dt><dd class="mono">{{.S.ExperimentHash}}</dd>
<dt>baseline</dt><dd>{{.S.Baseline}}</dd>
<dt>simulated</dt><dd>{{.S.Start}} to {{.S.End}}</dd>
<dt>report window</dt><dd>{{.S.WindowStart}} to {{.S.WindowEnd}}</dd>
</dl>
{{range .S.Warnings}}<p class="note">Warning: {{.}}</p>
{{end}}{{if .Note}}<p class="note">{{.Note}}</p>
{{end}}
<h2 id="net-revenue">Net revenue, {{.S.WindowStart}} to {{.S.WindowEnd}}</h2>
<p>Each firm's net revenue over the report window in $B: mean over the runs [5th, 95th percentile]{{if .HasSplit}}, and under it p, the share of its variance due to the uncertain parameters ([uncertainty]) ± its standard error, the rest being the simulation's noise (—: it does not vary){{end}}; the last column is the share of runs in which the cap on OpenAI's payments to Microsoft bound.</p>
<div class="wide"><table>
<thead><tr><th>scenario</th>{{range .Firms}}<th>{{.}}</th>{{end}}<th>cap bound</th></tr></thead>
<tbody>
{{range .Net}}<tr><td>{{.Name}}</td>{{range .Cells}}<td>{{.Value}}{{if .P}}<br><span class="ci">{{.P}}</span>{{end}}</td>{{end}}<td>{{.CapBound}}</td></tr>
{{end}}</tbody>
</table></div>
{{if .Diffs}}
<h2 id="differences">Paired differences to {{.S.Baseline}}</h2>
<p>Each scenario's net revenue minus the baseline's over the window, run by run on common random numbers, in $B: the mean, and under it the 95% interval. An interval that does not cross zero is a difference the simulation resolves; <span class="unresolved">grey</span>: the interval crosses zero.</p>
<div class="wide"><table class="diffs">
<thead><tr><th>scenario</th>{{range .Firms}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Diffs}}<tr><td>{{.Name}}</td>{{range .Cells}}<td{{if not .Resolved}} class="unresolved"{{end}}>{{if .Same}}0<br><span class="ci">same in every run</span>{{else}}{{.Mean}}<br><span class="ci">[{{.Lo}}, {{.Hi}}]</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
{{end}}
<h2 id="figures">Figures</h2>
{{range .Figures}}<figure>
<img {{.Src}} alt="{{.Caption}}"{{if .Width}} width="{{.Width}}" height="{{.Height}}"{{end}}>
<figcaption>{{.Caption}} <span class="file">({{.Name}})</span></figcaption>
</figure>
{{else}}<p class="note">No figures were drawn for this page; <code>coopsim plot DIR</code> draws them and writes the page again.</p>
{{end}}
<h2 id="metrics">Every metric</h2>
<p>Per scenario, each scalar metric's distribution over the runs (money in $B over the report window unless the metric says otherwise; customers are real accounts) and its paired difference to the baseline: mean [95% interval].</p>
{{range .Scenarios}}<details>
<summary>{{.Name}} (regime {{.Regime}}{{if .Cap}}; cap {{.Cap}}{{end}})</summary>
<div class="wide"><table>
<thead><tr><th>metric</th><th>unit</th><th>mean</th><th>sd</th><th>se</th><th>p5</th><th>p50</th><th>p95</th><th>difference to baseline</th></tr></thead>
<tbody>
{{range .Metrics}}<tr><td class="mono">{{.Metric}}</td><td>{{.Unit}}</td><td>{{.Mean}}</td><td>{{.SD}}</td><td>{{.SE}}</td><td>{{.P5}}</td><td>{{.P50}}</td><td>{{.P95}}</td><td>{{.Diff}}</td></tr>
{{end}}</tbody>
</table></div>
</details>
{{end}}
<h2 id="experiment">Experiment file</h2>
{{if .HasSources}}<p>The file as it was run (command-line options such as <code>--runs</code> and <code>--seed</code> override it: the manifest shows what ran), then each file it includes.</p>
{{range .Sources}}<h3 class="mono">{{.Name}}</h3>
` + sourceOpen + `{{.Name}}">{{printf "%s" .Text}}</pre>
{{end}}{{else}}<p class="note">The experiment file is not at hand: this page was drawn from the result files alone, and they do not hold it.</p>
{{end}}</body>
</html>
`
