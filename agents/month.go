package agents

import (
	"fmt"
	"strconv"
)

// Month is a calendar month counted from January of year 0, so that
// Month(2019*12+6) is July 2019. Months compare and subtract as integers.
type Month int32

// MonthOf returns the Month of a year and a 1-based month number.
func MonthOf(year, month int) Month { return Month(year*12 + month - 1) }

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, valueErr("", s, `a month "YYYY-MM" (e.g. "2026-04")`)
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || y < 1900 || y > 2200 || m < 1 || m > 12 {
		return 0, valueErr("", s, `a month "YYYY-MM" with a year 1900-2200 and a month 01-12`)
	}
	return MonthOf(y, m), nil
}

// Year returns the calendar year.
func (m Month) Year() int { return int(m) / 12 }

// Num returns the month number 1..12.
func (m Month) Num() int { return int(m)%12 + 1 }

// String formats the month as "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), m.Num()) }

// YearsSince returns the signed time from o to m in years.
func (m Month) YearsSince(o Month) float64 { return float64(m-o) / 12 }

// MarshalText writes "YYYY-MM".
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads "YYYY-MM", so that TOML and JSON can carry months.
func (m *Month) UnmarshalText(b []byte) error {
	v, err := ParseMonth(string(b))
	if err != nil {
		return unwrapValue(err)
	}
	*m = v
	return nil
}

// ChatGPTShock is the month generative-AI adoption by enterprises starts
// (ChatGPT's launch, 2022-11; docs/model.md).
var ChatGPTShock = MonthOf(2022, 11)
