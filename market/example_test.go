package market_test

import (
	"fmt"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/market"
)

// One run of the actual history with 2,000 buyer agents: Azure OpenAI's and
// OpenAI's own annualized API revenue in 2024-03 (a calibration
// target month, docs/model.md), and whether and when the reported $38B cap on OpenAI's payments to
// Microsoft binds. Figures are rounded so that they print the same
// everywhere.
func Example() {
	cfg := market.DefaultConfig()
	cfg.Buyers.Agents = 2_000
	regime, err := market.BuiltinRegime("history")
	if err != nil {
		panic(err)
	}
	compiled, err := market.Compile(regime, cfg.Start, cfg.End)
	if err != nil {
		panic(err)
	}
	var sim market.Sim
	var out market.Series
	if err := sim.Run(&cfg, compiled, agents.Key{Seed: 1, Run: 0}, &out, false); err != nil {
		panic(err)
	}
	k := int(agents.MonthOf(2024, 3) - out.Start)
	fmt.Printf("2024-03 annualized: Azure OpenAI $%.1fB, OpenAI API $%.1fB\n",
		12*out.Gross[k][agents.ChannelAzure]/1e9, 12*out.Gross[k][agents.ChannelOpenAI]/1e9)
	last := out.Months() - 1
	fmt.Printf("cap bound by %s: %v\n", out.Start+market.Month(last), out.CapBound[last])
	for k, bound := range out.CapBound {
		if bound {
			fmt.Printf("first bound in %s, after $%.0fB paid\n", out.Start+market.Month(k), out.CumToMicrosoft[k]/1e9)
			break
		}
	}
	// Output:
	// 2024-03 annualized: Azure OpenAI $0.5B, OpenAI API $0.8B
	// cap bound by 2032-12: true
	// first bound in 2029-08, after $38B paid
}

// ExampleSettle books one month of the 2023 terms by hand: OpenAI pays
// Microsoft 20% of its revenue, Microsoft pays OpenAI 20% of Azure OpenAI's.
func ExampleSettle() {
	r, _ := market.BuiltinRegime("expanded-2023")
	c, _ := market.Compile(r, agents.MonthOf(2024, 1), agents.MonthOf(2024, 1))
	gross := [agents.NumAlternatives]float64{100e6, 80e6, 0, 0, 50e6} // openai, azure, aws, gcp, anthropic
	var profit, fees [agents.NumAlternatives]float64
	var led market.Ledger
	a := market.Settle(c.Start, &c.Terms[0], &gross, &profit, &fees, 200e6, 0, &led)
	fmt.Printf("to Microsoft $%.0fM, to OpenAI $%.0fM\n", a.ToMicrosoft/1e6, a.ToOpenAI/1e6)
	for f, net := range a.FirmNet {
		fmt.Printf("%-9s net $%.0fM\n", market.Firm(f), net/1e6)
	}
	// Output:
	// to Microsoft $60M, to OpenAI $16M
	// openai    net $256M
	// microsoft net $124M
	// aws       net $0M
	// google    net $0M
	// anthropic net $50M
	// others    net $0M
}
