package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/experiments"
)

// TestVersionReport: version names the revision and whether the tree was
// modified when the build recorded them, says "unknown" when it did not
// (go test records none), and always gives the Go version and the
// determinism fingerprint.
func TestVersionReport(t *testing.T) {
	t.Parallel()
	out, _ := cliOK(t, "version")
	for _, want := range []string{"coopsim " + experiments.Version + "\n", "revision:     unknown (built without", "modified:     unknown",
		"go:           go1.", "fingerprint:  math=" + detmath.Fingerprint(), "code version: " + experiments.CodeVersion()} {
		if !strings.Contains(out, want) {
			t.Errorf("version lacks %q:\n%s", want, out)
		}
	}
	var b strings.Builder
	writeVersion(&b, &debug.BuildInfo{GoVersion: "go1.99.1", Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}})
	for _, want := range []string{"revision:     0123456789abcdef0123456789abcdef01234567 (2026-12-01T10:00:00Z)", "modified:     yes", "go:           go1.99.1 "} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("with build info, version lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	writeVersion(&b, &debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}})
	if !strings.Contains(b.String(), "modified:     no\n") {
		t.Errorf("clean tree:\n%s", b.String())
	}
}
