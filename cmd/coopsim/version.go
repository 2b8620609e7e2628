package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/experiments"
)

func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := noArgs("version", args, stderr); err != nil {
		return err
	}
	bi, _ := debug.ReadBuildInfo()
	writeVersion(stdout, bi)
	return nil
}

// writeVersion prints what tells builds apart: the version, the VCS
// revision and whether the tree was modified (from the build info; unknown
// under go run or go test, or outside a repository), the Go version and
// platform, and the determinism fingerprint. The last line is the code
// version recorded in summary.json and partial.gob: merge and --resume
// refuse parts whose code version differs from this build's.
func writeVersion(w io.Writer, bi *debug.BuildInfo) {
	rev, at, modified := "unknown", "", "unknown"
	goVersion := runtime.Version()
	if bi != nil {
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = " (" + s.Value + ")"
			case "vcs.modified":
				modified = map[string]string{"true": "yes (uncommitted changes)", "false": "no"}[s.Value]
				if modified == "" {
					modified = "unknown"
				}
			}
		}
	}
	if rev == "unknown" {
		at = " (built without version control information, e.g. by go run or go test)"
	}
	fmt.Fprintf(w, "coopsim %s\n", experiments.Version)
	fmt.Fprintf(w, "revision:     %s%s\n", rev, at)
	fmt.Fprintf(w, "modified:     %s\n", modified)
	fmt.Fprintf(w, "go:           %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "fingerprint:  math=%s (results are byte-identical between builds and machines with the same fingerprint)\n", detmath.Fingerprint())
	fmt.Fprintf(w, "code version: %s (recorded in results; merge and --resume need it equal)\n", experiments.CodeVersion())
}
