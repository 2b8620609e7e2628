package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/market/suggest"
)

// flagWant says, per flag name, what values a numeric flag takes, for the
// error on a value that is not a number or is out of range. Every command
// gives a flag of one name the same meaning.
func flagWant(name string) string {
	switch name {
	case "width":
		return fmt.Sprintf("%d to %d", minWidth, maxSide)
	case "height":
		return fmt.Sprintf("%d to %d", minHeight, maxSide)
	case "dpi":
		return fmt.Sprintf("%d to %d", minDPI, maxDPI)
	case "workers":
		return fmt.Sprintf("1 to %d, or 0 for all cores", engine.MaxWorkers)
	case "runs":
		return fmt.Sprintf("1 to %d runs per scenario", engine.MaxRuns)
	case "draws":
		return fmt.Sprintf("10 to %d", calibration.MaxDraws)
	case "checkpoint":
		return "a duration such as 30s, 5m or 1h (0: save only when interrupted)"
	case "seed":
		return "a whole number from 0 to 18446744073709551615"
	}
	return ""
}

// userFlag wraps a flag's value while the arguments are parsed, so that a
// bad value is reported in the user's words (--width: "x" is not a whole
// number; want 200 to 20000) rather than the flag package's.
type userFlag struct {
	flag.Value
	name string
	bad  *error // where the first bad value's error goes
}

// IsBoolFlag keeps --force and its like usable without a value.
func (u *userFlag) IsBoolFlag() bool {
	b, ok := u.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (u *userFlag) Set(s string) error {
	err := u.Value.Set(s)
	if err == nil {
		return nil
	}
	what := "is not valid"
	if g, ok := u.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case bool:
			what = "is not true or false"
		case int, int64, uint, uint64:
			what = "is not a whole number"
			if _, perr := strconv.ParseInt(strings.TrimPrefix(s, "-"), 0, 64); errors.Is(perr, strconv.ErrRange) {
				what = "is too large"
				if strings.HasPrefix(s, "-") {
					what = "is too small"
				}
			}
		case float64:
			what = "is not a number"
		case time.Duration:
			what = "is not a duration"
		default:
			what = err.Error()
		}
	}
	shown := s
	if s == "" || strings.ContainsAny(s, " \t\"") || strconv.Quote(s) != `"`+s+`"` {
		shown = strconv.Quote(s)
	}
	msg := fmt.Sprintf("--%s: %s %s", u.name, shown, what)
	if want := flagWant(u.name); want != "" {
		msg += "; want " + want
	}
	if *u.bad == nil {
		*u.bad = errors.New(msg)
	}
	return *u.bad
}

// parseArgs parses flags that may come before or after positional
// arguments ("run exp.toml --out d" and "run --out d exp.toml"). Its
// errors name the flag and say what it takes.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := checkFlagNames(fs, args); err != nil {
		return nil, err
	}
	var bad error
	restore := map[string]flag.Value{}
	fs.VisitAll(func(f *flag.Flag) {
		restore[f.Name] = f.Value
		f.Value = &userFlag{Value: f.Value, name: f.Name, bad: &bad}
	})
	// The help output reads the values' own types (PrintDefaults).
	defer fs.VisitAll(func(f *flag.Flag) { f.Value = restore[f.Name] })
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequest{fs}
			}
			if bad != nil {
				return nil, bad
			}
			return nil, fmt.Errorf("%s: %v (usage: coopsim %s)", fs.Name(), err, commands[fs.Name()].usage)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// checkFlagNames finds, before parsing, a flag the command does not have
// and a flag given no value, to say so in the user's words.
func checkFlagNames(fs *flag.FlagSet, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		name, _, hasValue := strings.Cut(name, "=")
		if name == "h" || name == "help" || name == "" {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			hasFlags := false
			fs.VisitAll(func(*flag.Flag) { hasFlags = true })
			if !hasFlags {
				return fmt.Errorf("%s takes no flags, got %s", fs.Name(), a)
			}
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			return fmt.Errorf("%s: unknown flag %s%s (the flags: coopsim help %s)", fs.Name(), a, suggestFlag(name, names), fs.Name())
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); hasValue || (ok && b.IsBoolFlag()) {
			continue
		}
		if i+1 == len(args) {
			return fmt.Errorf("%s: --%s needs a value (usage: coopsim %s)", fs.Name(), name, commands[fs.Name()].usage)
		}
		i++ // the flag's value, which may start with "-"
	}
	return nil
}

// suggestFlag returns ` (did you mean --NAME?)` for a near-miss flag name, or "".
func suggestFlag(name string, names []string) string {
	if best, d, ok := suggest.Closest(name, names); ok && d <= max(2, len(name)/3) {
		return " (did you mean --" + best + "?)"
	}
	return ""
}

// printFlags lists fs's flags as the usage lines write them, with two
// dashes ("--out string"), each with its meaning and default.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintln(w, line)
		def := ""
		switch f.DefValue {
		case "", "0", "false":
		default:
			def = " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "      %s%s\n", usage, def)
	})
}
