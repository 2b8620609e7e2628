package main

import (
	"context"
	"strings"
	"testing"
)

// TestFlagErrors: a bad flag value, an unknown flag and a flag without its
// value are said in the user's words, naming the flag and what it takes,
// for every numeric flag of every command.
func TestFlagErrors(t *testing.T) {
	t.Parallel()
	big := "99999999999999999999"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plot", "d", "--width", big}, "--width: " + big + " is too large; want 200 to 20000"},
		{[]string{"plot", "d", "--height", big}, "--height: " + big + " is too large; want 150 to 20000"},
		{[]string{"plot", "d", "--dpi=-" + big}, "--dpi: -" + big + " is too small; want 36 to 600"},
		{[]string{"run", "--runs", "x"}, `--runs: x is not a whole number; want 1 to 10000000 runs per scenario`},
		{[]string{"run", "--workers", big}, "--workers: " + big + " is too large; want 1 to "},
		{[]string{"run", "--checkpoint", "5"}, "--checkpoint: 5 is not a duration; want a duration such as 30s"},
		{[]string{"run", "--force=maybe"}, "--force: maybe is not true or false"},
		{[]string{"calibrate", "--draws", big}, "--draws: " + big + " is too large; want 10 to 40000"},
		{[]string{"calibrate", "--workers", "two"}, "--workers: two is not a whole number"},
		{[]string{"sensitivity", "f.toml", "--workers", big}, "--workers: " + big + " is too large"},
		{[]string{"discover", "f.toml", "--workers", ""}, `--workers: "" is not a whole number`},
		{[]string{"run", "--wrkers", "3"}, "run: unknown flag --wrkers (did you mean --workers?)"},
		{[]string{"run", "--out"}, "run: --out needs a value"},
		{[]string{"params", "--x"}, "params takes no flags, got --x"},
	} {
		_, _, err := cliRun(context.Background(), tc.args...)
		if err == nil {
			t.Errorf("%q: no error", tc.args)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, tc.want) {
			t.Errorf("%q:\n got %s\nwant %s...", tc.args, msg, tc.want)
		}
		for _, leak := range []string{"invalid value", "value out of range", "parse error", "flag provided", "strconv"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%q: %s: says %q", tc.args, msg, leak)
			}
		}
	}
}

// TestFlagsAfterParse: flags still work and -h still lists them with
// their defaults after the values were wrapped for parsing.
func TestFlagsAfterParse(t *testing.T) {
	t.Parallel()
	out, _, err := cliRun(context.Background(), "run", "-h")
	if err != nil || !strings.Contains(out, "(default 1m0s)") || !strings.Contains(out, "\n  --force\n") || !strings.Contains(out, "\n  --out string\n") {
		t.Fatalf("run -h: %v\n%s", err, out)
	}
}
