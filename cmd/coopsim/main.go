package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sort"
	"strings"

	"github.com/coopsim/coopsim/market/suggest"
)

func main() {
	// The first signal winds the command down (a run saves its work); a
	// second ends the process, saying what a run saved (checkpoint.go).
	ctx, stop := notifyContext()
	err := profiled(os.Getenv(cpuProfileEnv), os.Stderr, func() error { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
	stop()
	if code := exit(err, os.Stderr); code != 0 {
		os.Exit(code)
	}
}

// cpuProfileEnv names the environment variable that, when set to a file
// name, makes coopsim write a CPU profile of the whole command there (read
// it with go tool pprof): how to see where a large experiment's time goes.
const cpuProfileEnv = "COOPSIM_CPUPROFILE"

// profiled runs f, writing a CPU profile of it to path unless path is
// empty. A profile that cannot be written is a warning on stderr, not a
// failure of the command, and leaves no file at path.
func profiled(path string, stderr io.Writer, f func() error) error {
	if path == "" {
		return f()
	}
	out, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coopsim: %s=%s: no profile: %v\n", cpuProfileEnv, path, err)
		if out != nil {
			out.Close()
			os.Remove(path) // empty: not a profile
		}
		return f()
	}
	ferr := f()
	pprof.StopCPUProfile()
	if err := out.Close(); err != nil {
		fmt.Fprintf(stderr, "coopsim: %s=%s: %v\n", cpuProfileEnv, path, err)
	}
	return ferr
}

// exit prints err, unless its explanation was already printed, and returns
// the process's exit status: 0 for no error, 130 for a command stopped by
// Ctrl-C or SIGTERM (as the shell reports a process killed by SIGINT), and
// 1 for any other error.
func exit(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ie *interruptedError
	interrupted := errors.As(err, &ie)
	if !interrupted && errors.Is(err, context.Canceled) {
		// A command that keeps nothing when stopped (calibrate).
		fmt.Fprintln(stderr, "coopsim: stopped by a signal before it finished; nothing was written: run it again")
		return 130
	}
	if !errors.Is(err, errUsageShown) && !(interrupted && ie.said) {
		fmt.Fprintln(stderr, "coopsim: "+oneLine(err.Error()))
	}
	if interrupted {
		return 130
	}
	return 1
}

// interruptedError is the error of a command stopped by a signal after
// saving its work; main exits with status 130 on it.
type interruptedError struct {
	msg  string
	said bool // the command already printed what was kept and how to finish
}

func (e *interruptedError) Error() string { return e.msg }

// command is one subcommand.
type command struct {
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	usage   string
	summary string
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"run":         {cmdRun, "run [FILE] [--out DIR] [--runs N] [--seed S] [--workers W] [--shard K/N] [--resume DIR] [--checkpoint D] [--force] [--no-plots] [--parquet] [--point-estimate] [--quiet]", "run an experiment (no FILE: the built-in default) and write its results"},
		"validate":    {cmdValidate, "validate FILE", "check an experiment file and say what it would run"},
		"regimes":     {cmdRegimes, "regimes", "list the built-in contract regimes and their dated terms"},
		"params":      {cmdParams, "params", "list every market parameter path with its default, its value in the default experiment and its meaning"},
		"plot":        {cmdPlot, "plot DIR [--format png|svg|pdf] [--out PLOTDIR] [--width PX] [--height PX] [--dpi N]", "redraw every figure of a result directory (of run, merge or calibrate) from its files"},
		"merge":       {cmdMerge, "merge DIR... --out DIR [--force] [--no-plots] [--parquet]", "combine shards (from run --shard) into one result directory"},
		"calibrate":   {cmdCalibrate, "calibrate [FILE] [--scenario NAME] [--out DIR] [--targets FILE] [--quick] [--posterior] [--draws N] [--workers W] [--force] [--quiet]", "fit the market's free parameters to the observed figures"},
		"sensitivity": {cmdSensitivity, "sensitivity FILE [--out DIR] [--shard K/N] [--resume DIR] [--workers W] [--force] [--no-plots] [--quiet] | sensitivity FILE --merge SHARDDIR... [--out DIR]", "global sensitivity of chosen outputs to the file's [factors]: Sobol indices or Morris screening"},
		"discover":    {cmdDiscover, "discover FILE [--out DIR] [--shard K/N] [--resume DIR] [--workers W] [--force] [--no-plots] [--quiet] | discover FILE --merge SHARDDIR... [--out DIR]", "scenario discovery: PRIM finds the region of the file's [factors] where its [discover] condition holds"},
		"default":     {cmdDefault, "default [--out DIR]", "print the built-in default experiment (a starting point to edit), or write it and its posterior.csv into DIR"},
		"version":     {cmdVersion, "version", "print the version, VCS revision, Go version and platform, determinism fingerprint and code version"},
	}
}

// errUsageShown marks an error whose explanation was already printed.
var errUsageShown = errors.New("usage shown")

// run is the whole program: main only adds the process around it, so that
// tests call run directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 2 {
			return fmt.Errorf("help takes one command, got %q (usage: coopsim help [COMMAND])", strings.Join(args[1:], " "))
		}
		if len(args) > 1 {
			if _, ok := commands[args[1]]; !ok {
				return unknownCommand(args[1])
			}
			return run(ctx, []string{args[1], "-h"}, stdout, stderr)
		}
		printUsage(stdout)
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		return unknownCommand(args[0])
	}
	err := c.run(ctx, args[1:], stdout, stderr)
	var help *helpRequest
	if errors.As(err, &help) {
		fmt.Fprintf(stdout, "usage: coopsim %s\n\n%s\n", c.usage, c.summary)
		hasFlags := false
		help.fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(stdout, "\nflags:")
			printFlags(stdout, help.fs)
		}
		return nil
	}
	return err
}

// unknownCommand is the error for a command name that is not one.
func unknownCommand(name string) error {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	if bare := strings.TrimLeft(name, "-"); bare != name && commands[bare].usage != "" {
		return fmt.Errorf("%s: the command is written without dashes: coopsim %s", name, bare)
	}
	if strings.HasPrefix(name, "-") {
		return fmt.Errorf("%s before a command: flags go after it, e.g. coopsim run %s ...; the commands are %s (coopsim help)", name, name, strings.Join(names, ", "))
	}
	return fmt.Errorf("unknown command %q%s: the commands are %s (coopsim help)", name, suggest.DidYouMean(name, names), strings.Join(names, ", "))
}

// helpRequest is returned by parseArgs for -h or --help: run prints the
// command's usage and flags and succeeds.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string { return "help requested" }

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "coopsim: agent-based Monte Carlo of OpenAI, Microsoft and the clouds that resell OpenAI's models")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage:")
	order := []string{"run", "validate", "plot", "merge", "calibrate", "sensitivity", "discover", "regimes", "params", "default", "version"}
	for _, n := range order {
		fmt.Fprintf(w, "  coopsim %s\n      %s\n", commands[n].usage, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "quick start: coopsim run   (the default experiment; results in out/default)")
}

// newFlags returns a FlagSet for a subcommand whose errors are returned,
// not printed and exited on.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// oneLine keeps an error message on one line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.ReplaceAll(s, "\n", "; ")
}
