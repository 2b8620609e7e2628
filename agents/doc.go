// Package agents owns coopsim's buyer and seller agents: the enterprise
// buyers' attributes and how they are drawn, how a buyer chooses among the
// channels that sell OpenAI models (a multinomial logit), and how a seller
// reaches, targets and prices.
//
// Buyers are stored as a structure of arrays ([Population]) so that a run of
// ten thousand agents touches only the attributes a step needs. Every random
// draw is keyed by (seed, run, purpose, buyer, month) through [Key], so two
// scenarios of the same run see the same buyers and the same draws (common
// random numbers), whatever order goroutines run in.
//
// The package knows nothing of contracts or accounting: the market package
// tells it which channels are open and what each costs this month.
package agents
