package report

// ScenarioLabel returns how tables and figures name a scenario: its name,
// marked " (baseline)" when it is the experiment's baseline. It is the one
// place that builds the mark.
func ScenarioLabel(name string, baseline bool) string {
	if baseline {
		return name + " (baseline)"
	}
	return name
}

// Label returns ScenarioLabel of the named scenario of s.
func (s *Summary) Label(scenario string) string {
	return ScenarioLabel(scenario, scenario == s.Baseline)
}
