package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/experiments/varsplit"
)

// The run summary prints each interval's parametric share when the
// summary has a variance split, says what it means, and prints neither
// without one.
func TestSummaryPrintsParametricShare(t *testing.T) {
	t.Parallel()
	mk := func(v *varsplit.Split) *report.Summary {
		var ms []report.MetricSummary
		for _, f := range report.Firms {
			ms = append(ms, report.MetricSummary{Metric: report.MetricName(report.NetRevenue, f), Mean: 1e9, Variance: v})
		}
		return &report.Summary{Experiment: "x", Runs: 8, Baseline: "h", Scenarios: []report.ScenarioSummary{{Name: "h", Metrics: ms}}}
	}
	var with, without bytes.Buffer
	printSummary(&with, mk(&varsplit.Split{Total: 1, Parametric: 0.374, Noise: 0.626, Share: 0.374, ShareSE: 0.081}), &experiments.Outcome{})
	printSummary(&without, mk(nil), &experiments.Outcome{})
	if s := with.String(); !strings.Contains(s, "p 37±8%") || !strings.Contains(s, "parameter uncertainty") {
		t.Errorf("with a split:\n%s", s)
	}
	if s := without.String(); strings.Contains(s, "p ") && strings.Contains(s, "±") || strings.Contains(s, "parameter uncertainty") {
		t.Errorf("without a split:\n%s", s)
	}
}
