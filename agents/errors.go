package agents

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/coopsim/coopsim/internal/words"
)

// ValueError is a configuration value outside what its key takes. The
// layers above read it with errors.As, to name the key in their own terms
// (an experiment file's key path, a command's flag), instead of cutting
// apart the message.
type ValueError struct {
	// Key is the key path, e.g. "buyers.budget_sigma"; empty where only
	// the caller knows it (a month parsed from text).
	Key string
	// Value is the value given.
	Value any
	// Got, when set, says what was found where the value alone would
	// mislead (e.g. "sum to 1.02" for a list of shares); it replaces the
	// value in the message.
	Got string
	// Want says what the key takes, e.g. "0 to 5".
	Want string
}

// Error reads "key = value, want ...", or "key got, want ...".
func (e *ValueError) Error() string {
	if e.Key == "" {
		return e.Detail()
	}
	if e.Got != "" {
		return e.Key + " " + e.Detail()
	}
	return e.Key + " = " + e.Detail()
}

// Detail is the message without the key: "value, want ...".
func (e *ValueError) Detail() string {
	got := e.Got
	if got == "" {
		got = FormatValue(e.Value)
	}
	if e.Want == "" {
		return got
	}
	return got + ", want " + e.Want
}

// maxQuoted bounds the characters of a string that FormatValue shows: a
// longer one is cut in the middle, so that messages stay short.
const maxQuoted = 60

// FormatValue writes a configuration value as a user would write it in a
// TOML file: strings quoted (cut in the middle past maxQuoted characters), numbers in the shortest form, lists in
// brackets, tables as "a table".
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return strconv.Quote(words.Elide(x, maxQuoted))
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// valueErr returns a ValueError wrapped with this package's prefix.
func valueErr(key string, v any, want string) error {
	return fmt.Errorf("agents: %w", &ValueError{Key: key, Value: v, Want: want})
}

// unwrapValue returns the ValueError inside err, without this package's
// prefix: a TOML decoder quotes an UnmarshalText error's text after its
// own position and key, so the prefix would only repeat.
func unwrapValue(err error) error {
	var ve *ValueError
	if errors.As(err, &ve) {
		return ve
	}
	return err
}
