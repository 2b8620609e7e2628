package experiments_test

import (
	"context"
	"fmt"
	"log"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report"
)

// An experiment from TOML text: the actual history against the same
// history without the cap on OpenAI's payments, paired on common random
// numbers.
func Example() {
	text := `
name = "cap-example"
seed = 1
runs = 20
start = "2019-07"
end = "2030-12"
baseline = "history"

[report]
window_start = "2026-04"
window_end = "2030-12"

[market]
buyers.agents = 1000

[[scenario]]
name = "history"
regime = "history"

[[scenario]]
name = "no-cap"
regime = "amended-no-cap"
`
	e, err := experiments.LoadBytes([]byte(text), "example.toml", ".")
	if err != nil {
		log.Fatal(err)
	}
	o, err := experiments.Run(context.Background(), e, experiments.Options{Workers: 2})
	if err != nil {
		log.Fatal(err)
	}
	sum, err := o.Summary()
	if err != nil {
		log.Fatal(err)
	}
	noCap := sum.Scenario("no-cap")
	capped, _ := sum.Scenario("history").Metric(report.CapBound)
	paid, _ := noCap.Difference(report.TransferOpenAIToMS)
	fmt.Printf("runs: %d; the cap binds in %.0f%% of history's runs\n", sum.Runs, 100*capped.Mean)
	fmt.Printf("without it OpenAI pays Microsoft more: %v\n", paid.Lo95 > 0)
	// Output:
	// runs: 20; the cap binds in 100% of history's runs
	// without it OpenAI pays Microsoft more: true
}
