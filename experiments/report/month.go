package report

import (
	"fmt"
	"time"
)

// ParseMonth parses a month written "YYYY-MM" and returns the first instant
// of that month in UTC.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 {
		return time.Time{}, fmt.Errorf("month %q is not YYYY-MM", s)
	}
	return t, nil
}

// FormatMonth writes t's month as "YYYY-MM".
func FormatMonth(t time.Time) string { return t.Format("2006-01") }
