package partner

import (
	"cmp"
	"encoding/csv"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/matchmaker/matchmaker/internal/sheet"
	"github.com/matchmaker/matchmaker/match"
)

// Sums are a program's money in one currency, across its partnerships:
// every commission, whoever owes it (who pays whom does not add up across
// partnerships, whose sides are different businesses). Like Totals they
// add up: Earned + Reversed = Net = Pending + Due + Paid.
type Sums struct {
	Currency string `json:"currency"`
	Earned   int64  `json:"earned"`
	Reversed int64  `json:"reversed"`
	Net      int64  `json:"net"`
	Pending  int64  `json:"pending"`
	Due      int64  `json:"due"`
	Paid     int64  `json:"paid"`
}

// AddUp sums totals by currency, in currency order.
func AddUp(totals ...[]Totals) []Sums {
	byCurrency := map[string]*Sums{}
	for _, ts := range totals {
		for _, t := range ts {
			s := byCurrency[t.Currency]
			if s == nil {
				s = &Sums{Currency: t.Currency}
				byCurrency[t.Currency] = s
			}
			s.Earned += t.Earned
			s.Reversed += t.Reversed
			s.Net += t.Net
			s.Pending += t.Pending
			s.Due += t.Due
			s.Paid += t.Paid
		}
	}
	out := []Sums{}
	for _, c := range slices.Sorted(maps.Keys(byCurrency)) {
		out = append(out, *byCurrency[c])
	}
	return out
}

// QuarterSums are a program's sums in one quarter.
type QuarterSums struct {
	Quarter match.Quarter `json:"quarter"`
	Sums    []Sums        `json:"sums"`
}

// ProgramLine is one partnership's part of the program's money.
type ProgramLine struct {
	Partnership Partnership
	Statement   Statement
}

// Program is a referral program's money: each partnership's statement for
// a period, and their sums, overall and by quarter.
type Program struct {
	Quarter  match.Quarter // "" for all time
	Lines    []ProgramLine
	Sums     []Sums
	Quarters []QuarterSums
	// Periods are every quarter with money in it, whatever the period
	// shown: the choices for another look.
	Periods []match.Quarter
}

// NewProgram adds up the lines' statements (each made for quarter);
// periods are the quarters with money in them (see PeriodsOf).
func NewProgram(quarter match.Quarter, lines []ProgramLine, periods []match.Quarter) Program {
	pr := Program{Quarter: quarter, Lines: lines, Quarters: []QuarterSums{}, Periods: periods}
	all := make([][]Totals, len(lines))
	byQuarter := map[match.Quarter][][]Totals{}
	for i, l := range lines {
		all[i] = l.Statement.Totals
		for _, q := range l.Statement.Quarters {
			byQuarter[q.Quarter] = append(byQuarter[q.Quarter], q.Totals)
		}
	}
	pr.Sums = AddUp(all...)
	for _, q := range slices.Sorted(maps.Keys(byQuarter)) {
		pr.Quarters = append(pr.Quarters, QuarterSums{Quarter: q, Sums: AddUp(byQuarter[q]...)})
	}
	slices.SortFunc(pr.Lines, func(x, y ProgramLine) int { return cmp.Compare(x.Partnership.ID, y.Partnership.ID) })
	return pr
}

// ProgramCSVHeader is the first line of a program's CSV.
var ProgramCSVHeader = []string{"partnership_id", "quarter", "payer", "payee", "currency", "earned", "reversed", "net", "pending", "due", "paid"}

// WriteCSV writes the program as CSV: one row per partnership, quarter,
// direction and currency, amounts as decimals; the period's rows have the
// quarter of the program ("all" for all time). Names that a spreadsheet
// would run as a formula are defused.
func (pr Program) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(ProgramCSVHeader)
	period := string(pr.Quarter)
	if period == "" {
		period = "all"
	}
	for _, l := range pr.Lines {
		p := l.Partnership
		rows := func(q string, ts []Totals) {
			for _, t := range ts {
				d := func(n int64) string { return Decimal(n, t.Currency) }
				_ = cw.Write([]string{strconv.FormatInt(p.ID, 10), q, sheet.Cell(p.Party(t.Payer).Business), sheet.Cell(p.Party(t.Payee).Business), t.Currency,
					d(t.Earned), d(t.Reversed), d(t.Net), d(t.Pending), d(t.Due), d(t.Paid)})
			}
		}
		if pr.Quarter == "" {
			for _, q := range l.Statement.Quarters {
				rows(string(q.Quarter), q.Totals)
			}
		}
		rows(period, l.Statement.Totals)
	}
	cw.Flush()
	return cw.Error()
}

// PeriodsOf adds to periods the quarters a ledger has money in (an entry
// accrued or a payout made), keeping them sorted and each once.
func PeriodsOf(periods []match.Quarter, entries []Entry, payouts []Payout) []match.Quarter {
	for _, e := range entries {
		periods = append(periods, QuarterOfDate(e.AccruesOn))
	}
	for _, p := range payouts {
		periods = append(periods, QuarterOfDate(p.PaidOn))
	}
	slices.Sort(periods)
	return slices.Compact(periods)
}
