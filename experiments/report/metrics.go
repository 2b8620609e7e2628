package report

// Firms are the firms that book revenue, in report order: market.FirmNames
// (this package does not import the model; experiments.TestVocabularyTied
// keeps the two lists the same).
var Firms = []string{"openai", "microsoft", "aws", "google", "anthropic", "others"}

// Channels are where buyers spend, in report order: agents.ChannelNames,
// tied the same way: OpenAI's four channels, then the rival makers'
// (docs/model.md §2).
var Channels = []string{"openai", "azure", "aws", "gcp",
	"anthropic", "anthropic_aws", "anthropic_gcp", "anthropic_azure",
	"google", "google_gcp", "open", "open_azure", "open_aws", "open_gcp"}

// Makers are the model makers, in report order: agents.MakerNames (tied
// the same way).
var Makers = []string{"openai", "anthropic", "google", "open"}

// Segments are the buyer segments and Clouds the incumbent clouds, in
// report order: agents.SegmentNames and agents.CloudNames (tied the same
// way).
var (
	Segments = []string{"regulated", "digital_native", "traditional"}
	Clouds   = []string{"azure", "aws", "gcp", "other"}
)

// OpenAIChannels are the channels selling OpenAI's models.
var OpenAIChannels = Channels[:4]

// Metric name prefixes and fixed names used in runs.csv, summary.json and
// series.csv. Per-firm and per-channel metrics are "prefix/name", e.g.
// "net_revenue/openai".
const (
	NetRevenue         = "net_revenue"         // per firm; USD over the window (scalar) or per month (series)
	GrossRevenue       = "gross_revenue"       // per channel; USD
	GrossProfit        = "gross_profit"        // per firm; USD over the window (scalar)
	Customers          = "customers"           // per channel; real accounts (scalar: at window end)
	Share              = "share"               // per channel; share of buyer spend in [0, 1] (series)
	Annualized         = "annualized"          // "annualized/<channel>@YYYY-MM": 12 × that month's gross revenue, USD per year
	CumulativeTransfer = "cumulative_transfer" // "cumulative_transfer/openai_to_microsoft"; USD (series)

	SpendTotal            = "spend/total"                  // USD over the window
	Spend                 = "spend"                        // breakdowns: "spend/<channel>/segment/<segment>", "spend/<channel>/cloud/<cloud>"; USD over the window (scalar) or per month (series)
	SpendMaker            = "spend/maker"                  // per maker, whatever the channel; USD over the window (scalar) or per month (series)
	ShareMaker            = "share/maker"                  // per maker; share of buyer spend in [0, 1], over the window (scalar) or in the month (series)
	OtherRevenueOpenAI    = "other_revenue/openai"         // USD over the window
	TransferOpenAIToMS    = "transfer/openai_to_microsoft" // USD over the window (scalar) or per month (series)
	TransferMSToOpenAI    = "transfer/microsoft_to_openai" // USD over the window (scalar) or per month (series)
	CumTransferOpenAIToMS = "cumulative_transfer/openai_to_microsoft"
	CapBound              = "cap_bound" // 0 or 1
	// CapBoundByWindowEnd is 1 if the cap had cut a payment by the end of
	// the report window, else 0: "the cap binds before" a month, exactly,
	// whatever the run's end.
	CapBoundByWindowEnd = "cap_bound_by_window_end"
)

// BySegment and ByCloud name the breakdown kinds in
// "<prefix>/<channel>/segment/<segment>" and "<prefix>/<channel>/cloud/<cloud>",
// where prefix is Customers (accounts; scalar: at window end) or Spend.
const (
	BySegment = "segment"
	ByCloud   = "cloud"
)

// BreakdownName returns "prefix/channel/by/group", e.g.
// BreakdownName(Customers, "azure", BySegment, "regulated") is
// "customers/azure/segment/regulated": the part of the channel's customers
// or spend from buyers in that segment (or with that incumbent cloud).
// Over the segments (or clouds) these sum to the channel's total.
func BreakdownName(prefix, channel, by, group string) string {
	return prefix + "/" + channel + "/" + by + "/" + group
}

// MetricName returns "prefix/name", e.g. MetricName(NetRevenue, "aws").
func MetricName(prefix, name string) string { return prefix + "/" + name }
