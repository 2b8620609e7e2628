package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopsim/coopsim/experiments/report/htmlreport"
)

// chromium returns the path of a Chromium binary. Without one the test
// fails under CI (CI=true: .ci/run installs Debian's chromium) and is
// skipped elsewhere, saying how to install it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed, and CI must run the browser test: .ci/run installs it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed: apt-get update && apt-get install -y chromium to run the report page's browser test")
	return ""
}

// harness is appended to a test copy of the page (the page itself has no
// script): after load it writes into the DOM how many images there are,
// which did not load, and every resource the page fetched.
const harness = `<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var bad = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
    .map(function (i) { return i.src.slice(0, 80); });
  var res = performance.getEntriesByType('resource').map(function (r) { return r.name; });
  var out = document.createElement('pre');
  out.id = 'coopsim-test';
  out.textContent = JSON.stringify({images: imgs.length, bad: bad, resources: res});
  document.body.appendChild(out);
});
</script>
`

// pageResult is what the harness reports.
type pageResult struct {
	Images    int      `json:"images"`
	Bad       []string `json:"bad"`
	Resources []string `json:"resources"`
}

// browse opens page headless with networking disabled (a proxy that points
// nowhere, every host name unresolvable) and a net log, and returns the
// dumped DOM and the URLs the page itself requested from the network
// (Chromium's own background requests, which it makes even with them
// disabled, are told apart by their network isolation key: a page's
// requests carry its file:// site).
func browse(t *testing.T, bin, page string, extra ...string) (dom string, requested []string) {
	t.Helper()
	dir := t.TempDir()
	netlog := filepath.Join(dir, "netlog.json")
	args := append([]string{"--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
		"--user-data-dir=" + filepath.Join(dir, "profile"), "--proxy-server=127.0.0.1:9",
		"--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--disable-extensions", "--log-net-log=" + netlog, "--virtual-time-budget=10000"}, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+page)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, tail(stderr.String(), 2000))
	}
	return string(out), pageRequests(t, netlog)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// pageRequests returns the URLs of the network requests in a Chromium net
// log made by a file:// page.
func pageRequests(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("net log: %v", err)
	}
	var log struct {
		Events []struct {
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		// A log cut at exit lacks its closing brackets.
		s := strings.TrimRight(strings.TrimSpace(string(data)), ",")
		if err := json.Unmarshal([]byte(s+"]}"), &log); err != nil {
			t.Fatalf("net log %s: %v", path, err)
		}
	}
	if len(log.Events) == 0 {
		t.Fatalf("net log %s has no events: is it a net log?", path)
	}
	var urls []string
	for _, e := range log.Events {
		u, _ := e.Params["url"].(string)
		nik, _ := e.Params["network_isolation_key"].(string)
		if u != "" && strings.Contains(nik, "file://") {
			urls = append(urls, u)
		}
	}
	return urls
}

func harnessResult(t *testing.T, dom string) pageResult {
	t.Helper()
	m := regexp.MustCompile(`<pre id="coopsim-test">([^<]*)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the harness wrote no result into the page (did the load event fire?):\n%s", tail(dom, 1000))
	}
	var r pageResult
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// testCopy writes a copy of the page whose policy also allows the inline
// harness (and, with inject, more HTML after the Figures heading).
func testCopy(t *testing.T, page, name, csp, inject string) string {
	t.Helper()
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	meta := `content="` + htmlreport.CSP + `"`
	if !strings.Contains(s, meta) {
		t.Fatal("the page has no Content-Security-Policy meta tag")
	}
	s = strings.Replace(s, meta, `content="`+csp+`"`, 1)
	s = strings.Replace(s, `<h2 id="figures">Figures</h2>`, `<h2 id="figures">Figures</h2>`+inject, 1)
	s = strings.Replace(s, "</body>", harness+"</body>", 1)
	p := filepath.Join(filepath.Dir(page), name)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReportInBrowser opens run's report.html in headless Chromium with the
// network disabled: every figure must load, and the page must request
// nothing from the network. A control page that asks for a remote image
// and stylesheet must fail both checks, so the checks can fail. A
// screenshot of the page is kept in the test's artifact directory
// (go test -artifacts keeps it; .ci/run does).
func TestReportInBrowser(t *testing.T) {
	t.Parallel()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("-short: the browser test takes some seconds")
	}
	bin := chromium(t)
	dir := filepath.Join(t.TempDir(), "r")
	cliOK(t, "run", smallFile, "--quiet", "--out", dir)
	page, err := filepath.Abs(filepath.Join(dir, htmlreport.FileName))
	if err != nil {
		t.Fatal(err)
	}
	figs, _ := filepath.Glob(filepath.Join(dir, "plots", "*.png"))

	dom, requested := browse(t, bin, testCopy(t, page, "report-test.html", htmlreport.CSP+"; script-src 'unsafe-inline'", ""), "--dump-dom")
	r := harnessResult(t, dom)
	if r.Images != len(figs) || len(figs) == 0 || len(r.Bad) > 0 {
		t.Errorf("%d images in the page, %d figures drawn; not loaded: %q", r.Images, len(figs), r.Bad)
	}
	for _, u := range append(r.Resources, requested...) {
		if !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "file:") {
			t.Errorf("the page requested %s", u)
		}
	}

	// The control: no policy, a remote image and stylesheet.
	bad := `<img src="http://example.com/x.png" alt="remote"><link rel="stylesheet" href="https://example.com/a.css">`
	dom, requested = browse(t, bin, testCopy(t, page, "report-control.html", "script-src 'unsafe-inline'", bad), "--dump-dom")
	if r := harnessResult(t, dom); len(r.Bad) != 1 || len(r.Resources) != 2 {
		t.Errorf("control page: not loaded %q, resources %q; want the remote image and both remote resources", r.Bad, r.Resources)
	}
	if !strings.Contains(fmt.Sprint(requested), "example.com/x.png") {
		t.Errorf("control page: the net log shows requests %q, want example.com/x.png among them", requested)
	}

	shot := filepath.Join(t.ArtifactDir(), "report.png")
	browse(t, bin, page, "--hide-scrollbars", "--window-size=1280,2400", "--screenshot="+shot)
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Fatalf("screenshot %s: %v", shot, err)
	}
	t.Logf("screenshot of report.html: %s", shot)
}
