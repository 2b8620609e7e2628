package plots

import (
	"github.com/coopsim/coopsim/experiments/report"
)

// File names of the figures (PNG; other formats change the extension).
const (
	DistributionFile = "net_revenue_distribution.png"
	FanFile          = "annualized_net_revenue_fan.png"
	SharesFile       = "channel_shares.png"
	MakerSharesFile  = "maker_shares.png"
	CloudSpendFile   = "spend_by_cloud.png"
	VenueSpendFile   = "spend_by_venue.png"
	BuyerVenuesFile  = "spend_by_buyer.png"
	DifferencesFile  = "paired_differences.png"
	TransfersFile    = "transfers.png"
	CalibrationFile  = "calibration.png"
)

// FigureFile is one figure coopsim draws: its file name and a caption of
// one paragraph saying how to read it, for a report page beside the image.
type FigureFile struct {
	File    string // file name, PNG (other formats change the extension)
	Title   string // a short name, e.g. "Net revenue distribution"
	Caption string
	// Optional figures are left out when the experiment has nothing to
	// show in them (paired differences without a scenario besides the
	// baseline; the market v2's figures for results written before its
	// breakdowns were).
	Optional bool
	build    func(*report.Dir) (*Figure, error)
}

// figures are the standard figures of a result directory, in the order
// WriteAll writes them.
var figures = []FigureFile{
	{File: DistributionFile, Title: "Net revenue distribution", build: NetRevenueDistribution,
		Caption: "Each firm's net revenue over the report window, one row per scenario and one panel per firm " +
			"(each panel has its own dollar scale; compare rows within a panel). The box holds the middle half of the runs " +
			"(25th–75th percentile), the whiskers reach the 5th and 95th percentiles, the black bar is the median and the ring " +
			"the mean. The spread is simulation noise at the fitted parameters, and parameter uncertainty too when the " +
			"experiment draws each run's parameters (an [uncertainty] table: summary.json then splits each metric's " +
			"variance between the two). " +
			"A scenario far beyond all others in a panel is marked by an arrow at the panel's edge with its mean, " +
			"rather than squashing the other boxes."},
	{File: FanFile, Title: "Annualized net revenue over time", build: AnnualizedNetRevenueFan,
		Caption: "Each firm's annualized net revenue (12 × the month's) over time. The line is the mean over runs and the " +
			"shaded band holds 5–95% of runs: simulation noise at the fitted parameters, plus parameter uncertainty when the " +
			"experiment draws each run's parameters (an [uncertainty] table). With up to five scenarios, each firm " +
			"has one panel with one colour per scenario; with more, each firm is a row (one axis per row) and each scenario a " +
			"column, so read across a row to compare scenarios for one firm."},
	{File: SharesFile, Title: "Shares of buyer spend: OpenAI's channels and rival makers", build: ChannelShares,
		Caption: "Where buyer spend goes, by month: the share of all buyer spend through each of OpenAI's four channels " +
			"(OpenAI direct; Azure OpenAI; OpenAI on Bedrock, AWS; OpenAI on Vertex, Google Cloud), whose terms the contract " +
			"regimes set, then each rival maker's share over all its channels (Claude: direct, on Bedrock, Vertex and " +
			"Foundry; Gemini: direct and on Vertex; open models: in-house and on Azure, AWS and Google Cloud). The line is " +
			"the mean share over runs, and the rows' means add up to 100%; the band holds 5–95% of runs. Results written " +
			"before the makers' shares were (no share/maker series) draw a maker's row, marked \"summed\", as the sum of its " +
			"channels' mean shares (exact: the mean of a sum is the sum of the means) with no band, because percentiles of " +
			"channels do not add up. A line starts when the channel first sells in that scenario, so nothing is drawn " +
			"before spending starts or while a channel is closed; a channel that never sells in a scenario has no line " +
			"there (\"not sold\" in a grid). maker_shares.png adds OpenAI's four channels up into one share " +
			"of OpenAI's models, on one scale with the rival makers'."},
	{File: MakerSharesFile, Title: "Shares of buyer spend by model maker", build: MakerShares, Optional: true,
		Caption: "Each model maker's share of all buyer spend by month, whatever the channel: OpenAI's models (its four " +
			"channels together: OpenAI direct, Azure OpenAI, OpenAI on Bedrock and on Vertex) against Claude (Anthropic), " +
			"Gemini (Google) and open models. The line is the mean share over runs (the makers' means add up to 100%) and " +
			"the band holds 5–95% of runs. All panels share one y scale, so a maker's level compares with the others' " +
			"across panels. A line starts when the maker's first channel sells in that scenario. channel_shares.png splits " +
			"OpenAI's share into its four channels."},
	{File: CloudSpendFile, Title: "What each cloud sells over time", build: CloudSpend, Optional: true,
		Caption: "Buyer spend through each channel a cloud sells, by month and annualized (12 × the month's): one row per " +
			"cloud, one column per scenario (its colour), the maker told by the line's style (solid: OpenAI's models; " +
			"dashed: Claude; dash-dot: Gemini; dotted: open models). Azure sells Azure OpenAI, Claude on Foundry and open " +
			"models; AWS sells OpenAI and Claude on Bedrock and open models; Google Cloud sells OpenAI, Claude and Gemini " +
			"on Vertex AI and open models. Lines are means over runs with no band (three or four bands of one colour would " +
			"hide each other; spend_by_venue.png gives the runs' 5–95% over the report window). Each row has one y scale, " +
			"so scenarios compare along a row. A line starts when the channel first sells in that scenario: nothing is " +
			"drawn before it opens, and a channel that never sells there has no line."},
	{File: VenueSpendFile, Title: "Buyer spend by where it is bought and whose models", build: VenueSpend, Optional: true,
		Caption: "What each cloud sells: buyer spend over the report window through each channel, one panel per venue and one " +
			"group of rows per model maker. Azure sells Azure OpenAI, Claude on Foundry and open models on Azure; AWS " +
			"sells OpenAI and Claude on Bedrock and open models; Google Cloud sells OpenAI, Claude and Gemini on Vertex AI " +
			"and open models; \"direct or in-house\" is the makers' own APIs (OpenAI, Anthropic, Gemini) and open models " +
			"run in-house. The point is the mean over runs and the bar holds 5–95% of runs; one row per scenario (its " +
			"colour), one dollar scale for all panels. A hollow point at 0 is a channel that sells nothing in that " +
			"scenario over the window (not open, or not yet); \"not sold here\" marks a maker the venue does not sell."},
	{File: BuyerVenuesFile, Title: "Where each kind of buyer buys", build: BuyerVenues, Optional: true,
		Caption: "For each buyer segment (top: regulated, digital natives, traditional) and each incumbent cloud (bottom: " +
			"the cloud a buyer already runs on), the share of the group's spend over the report window bought at each " +
			"venue (panels: Azure, AWS, Google Cloud, the makers' own APIs or open models in-house): the dot is all makers' " +
			"channels there, the tick the part through OpenAI's channel there (Azure OpenAI, OpenAI on Bedrock, OpenAI on " +
			"Vertex, OpenAI direct). One row per scenario (its colour); a group's dots add up to 100% across the four " +
			"panels. Read it for two checks: " +
			"regulated buyers lean to Azure (their point in the Azure panel lies right of the other segments'), and a " +
			"buyer's incumbent cloud predicts where it buys (each cloud's incumbents far right in that cloud's panel). " +
			"A dot or tick is the group's mean spend at the venue over its mean spend everywhere, a ratio of means over runs: " +
			"it has no band, since percentiles of the parts do not give the share's."},
	{File: DifferencesFile, Title: "Paired differences to the baseline", build: PairedDifferences, Optional: true,
		Caption: "Each scenario's net revenue minus the baseline's over the report window, for each firm, computed run by run " +
			"on common random numbers. The point is the mean difference and the bar its 95% t interval (often narrower " +
			"than the point: the pairing removes most of the noise). A filled point is a difference whose interval excludes " +
			"zero, which the simulation resolves; a hollow one has an interval that includes zero."},
	{File: TransfersFile, Title: "Transfers between OpenAI and Microsoft", build: Transfers,
		Caption: "Revenue-share payments each way by month, one panel per scenario (solid: OpenAI to Microsoft; dotted: " +
			"Microsoft to OpenAI; lines are means over runs, bands hold 5–95% of runs), and, bottom right, OpenAI's " +
			"cumulative payments to Microsoft against the cap (dashed) where a scenario has one: where the line flattens at " +
			"the cap, the cap has bound and payments stop. Where the experiment draws the cap's amount ([uncertainty]), the " +
			"dashed line is the regime's stated cap, and each run's payments stop at its own draw (the legend gives their range)."},
}

// calibrationFigure is the figure coopsim calibrate draws.
var calibrationFigure = FigureFile{File: CalibrationFile, Title: "Calibration targets against the fit",
	Caption: "Each calibration target against the fitted model's simulated mean, both divided by the target's value (1 is " +
		"an exact fit). For a target with a value, the grey box is the target ± 1.96 standard deviations of its " +
		"uncertainty; for an inequality (at least or at most a bound), the grey region is the side of the bound that " +
		"meets it, and the row says met or missed. Points are the simulated means with 95% bars (± 1.96 standard " +
		"errors of the simulation). A point beyond the axis is marked by an arrow with its value."}

// Figures returns the standard figures of a result directory (what
// WriteAll draws), in order, with their captions.
func Figures() []FigureFile { return append([]FigureFile(nil), figures...) }

// CalibrationFigure returns the figure coopsim calibrate draws, with its
// caption.
func CalibrationFigure() FigureFile { return calibrationFigure }

func window(s *report.Summary) string { return s.WindowStart + " to " + s.WindowEnd }
