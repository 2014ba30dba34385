package partner

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		amount   int64
		currency string
		want     string
	}{
		{125000, "USD", "1250.00"}, {5, "USD", "0.05"}, {-5, "EUR", "-0.05"}, {0, "USD", "0.00"},
		{-125, "JPY", "-125"}, {1234, "KWD", "1.234"}, {7, "BHD", "0.007"}, {100, "CLF", "0.0100"},
	} {
		if got := Decimal(c.amount, c.currency); got != c.want {
			t.Errorf("Decimal(%d, %s) = %q, want %q", c.amount, c.currency, got, c.want)
		}
	}
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]int64{"10": 1000, "12.5": 1250, "0.75": 75, "100": 10000, "0.01": 1, " 7 ": 700, "33.33": 3333} {
		got, err := ParsePercent(in)
		if err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v; want %d", in, got, err, want)
		}
		if back, _ := ParsePercent(FormatPercent(got)); back != got {
			t.Errorf("FormatPercent(%d) = %q does not read back", got, FormatPercent(got))
		}
	}
	for _, in := range []string{"", "0", "0.00", "100.01", "101", "1e2", "-5", "5.", ".5", "5.123", "ten", "5%", "1,5", "0x10"} {
		if bp, err := ParsePercent(in); err == nil {
			t.Errorf("ParsePercent(%q) = %d, want an error", in, bp)
		}
	}
}

func TestApplyRateRoundsHalfAwayFromZero(t *testing.T) {
	for _, c := range []struct{ amount, bp, want int64 }{
		{10000, 1000, 1000}, // 10% of 100.00 is 10.00
		{12345, 1000, 1235}, // 1234.5 → 1235
		{12344, 1000, 1234}, // 1234.4 → 1234
		{-12345, 1000, -1235},
		{1, 5000, 1}, // half a cent rounds up
		{1, 4999, 0},
		{MaxAmount, 10000, MaxAmount},
	} {
		if got := ApplyRate(c.amount, c.bp); got != c.want {
			t.Errorf("ApplyRate(%d, %d) = %d, want %d", c.amount, c.bp, got, c.want)
		}
	}
}

func TestStatusTransitions(t *testing.T) {
	allowed := map[[2]Status]bool{{Active, Paused}: true, {Active, Ended}: true, {Paused, Active}: true, {Paused, Ended}: true}
	all := []Status{Active, Paused, Ended}
	for _, from := range all {
		for _, to := range all {
			if got := from.CanBecome(to); got != allowed[[2]Status{from, to}] {
				t.Errorf("%s → %s: CanBecome = %v", from, to, got)
			}
		}
	}
	refAllowed := map[[2]ReferralStatus]bool{{Submitted, Qualified}: true, {Submitted, Won}: true, {Submitted, Lost}: true, {Qualified, Won}: true, {Qualified, Lost}: true}
	refs := []ReferralStatus{Submitted, Qualified, Won, Lost}
	for _, from := range refs {
		for _, to := range refs {
			if got := from.CanBecome(to); got != refAllowed[[2]ReferralStatus{from, to}] {
				t.Errorf("referral %s → %s: CanBecome = %v", from, to, got)
			}
		}
	}
}

func TestLaneFor(t *testing.T) {
	for _, c := range []struct {
		a, b match.Lane
		want Lane // "" for a conflict
	}{
		{match.LaneStrategic, match.LaneStrategic, LaneStrategic},
		{match.LaneStrategic, match.LaneEither, LaneStrategic},
		{match.LaneEither, match.LaneReferral, LaneReferral},
		{match.LaneReferral, match.LaneReferral, LaneReferral},
		{match.LaneEither, match.LaneEither, LaneReferral}, // the lighter commitment
		{match.LaneStrategic, match.LaneReferral, ""},
		{match.LaneReferral, match.LaneStrategic, ""},
	} {
		got, err := LaneFor(c.a, c.b)
		if c.want == "" {
			if match.ErrorCode(err) != match.ECONFLICT {
				t.Errorf("LaneFor(%s, %s) = %s, %v; want a conflict", c.a, c.b, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("LaneFor(%s, %s) = %s, %v; want %s", c.a, c.b, got, err, c.want)
		}
	}
}

func TestCommissionAndInstallments(t *testing.T) {
	won := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)
	pct := Terms{Kind: PercentOfSale, BasisPoints: 1250, Currency: "USD", Payer: Owner(B), RecurringMonths: 3}
	if got, err := pct.Commission(Money{Amount: 99999, Currency: "USD"}); err != nil || got != 12500 {
		t.Errorf("12.5%% of 999.99 = %d, %v; want 12500 (12499.875 rounded)", got, err)
	}
	if _, err := pct.Commission(Money{Amount: 100, Currency: "EUR"}); match.ErrorCode(err) != match.EINVALID {
		t.Errorf("a sale in another currency: %v, want invalid", err)
	}
	if got := pct.Installments(won); len(got) != 3 || got[0] != "2026-01-31" || got[1] != "2026-02-28" || got[2] != "2026-03-31" {
		t.Errorf("installments = %v", got)
	}
	flat := Terms{Kind: FlatFee, FlatAmount: 50000, Currency: "EUR", Payer: Both}
	if got, _ := flat.Commission(Money{Amount: 1, Currency: "EUR"}); got != 50000 {
		t.Errorf("flat fee = %d, want 50000", got)
	}
	if got := flat.Installments(won); len(got) != 1 {
		t.Errorf("one-off installments = %v", got)
	}
	if !flat.Pays(A) || !flat.Pays(B) || pct.Pays(A) || !pct.Pays(B) {
		t.Error("Pays does not follow the payer")
	}
}

// randomLedger makes a ledger of random entries and payouts over a few
// quarters, currencies and both directions.
func randomLedger(r *rand.Rand) ([]Entry, []Payout) {
	var entries []Entry
	var payouts []Payout
	currencies := []string{"USD", "EUR", "JPY"}
	for i := range r.IntN(60) {
		amount := r.Int64N(2*MaxAmount/1000) - MaxAmount/1000
		if amount == 0 {
			amount = 1
		}
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(500))
		e := Entry{ID: int64(i + 1), Kind: CommissionEntry, Payer: []Side{A, B}[r.IntN(2)], Amount: amount,
			Currency: currencies[r.IntN(len(currencies))], AccruesOn: Today(day), Status: []EntryStatus{Pending, Due, Paid}[r.IntN(3)]}
		entries = append(entries, e)
		if e.Status == Paid {
			payouts = append(payouts, Payout{ID: int64(len(payouts) + 1), Payer: e.Payer, Amount: e.Amount, Currency: e.Currency,
				PaidOn: Today(day.AddDate(0, 0, r.IntN(120))), EntryIDs: []int64{e.ID}})
		}
	}
	return entries, payouts
}

// TestStatementAddsUp is a property test: for random ledgers, every total
// adds up, the quarters add up to the whole, and the whole matches the
// entries one by one.
func TestStatementAddsUp(t *testing.T) {
	for seed := range uint64(500) {
		r := rand.New(rand.NewPCG(seed, 7))
		entries, payouts := randomLedger(r)
		st := NewStatement("", entries, payouts)
		checkStatement(t, seed, st, entries, payouts)
		// Each quarter's own statement agrees with the whole's quarters.
		var quarterNet = map[string]int64{}
		for _, q := range st.Quarters {
			qs := NewStatement(q.Quarter, entries, payouts)
			for _, tt := range qs.Totals {
				quarterNet[tt.Currency+string(tt.Payer)] += tt.Net
			}
			if len(qs.Quarters) > 1 {
				t.Fatalf("seed %d: the statement of %s spans %d quarters", seed, q.Quarter, len(qs.Quarters))
			}
		}
		for _, tt := range st.Totals {
			if quarterNet[tt.Currency+string(tt.Payer)] != tt.Net {
				t.Fatalf("seed %d: quarters' statements add to %d, the whole is %d", seed, quarterNet[tt.Currency+string(tt.Payer)], tt.Net)
			}
		}
	}
}

// checkStatement checks a statement's totals against its entries, one
// direction and currency at a time.
func checkStatement(t *testing.T, seed uint64, st Statement, entries []Entry, payouts []Payout) {
	t.Helper()
	type key struct {
		currency string
		payer    Side
	}
	want := map[key]*Totals{}
	for _, e := range entries {
		k := key{e.Currency, e.Payer}
		if want[k] == nil {
			want[k] = &Totals{}
		}
		want[k].Net += e.Amount
		if e.Status == Paid {
			want[k].Paid += e.Amount
		}
	}
	for _, p := range payouts {
		k := key{p.Currency, p.Payer}
		if want[k] == nil {
			want[k] = &Totals{}
		}
		want[k].PaidOut += p.Amount
	}
	if len(st.Totals) != len(want) {
		t.Fatalf("seed %d: %d totals, want %d", seed, len(st.Totals), len(want))
	}
	for _, tt := range st.Totals {
		w := want[key{tt.Currency, tt.Payer}]
		switch {
		case tt.Earned+tt.Reversed != tt.Net:
			t.Fatalf("seed %d: earned %d + reversed %d ≠ net %d", seed, tt.Earned, tt.Reversed, tt.Net)
		case tt.Pending+tt.Due+tt.Paid != tt.Net:
			t.Fatalf("seed %d: pending+due+paid ≠ net in %+v", seed, tt)
		case tt.Net != w.Net || tt.Paid != w.Paid:
			t.Fatalf("seed %d: totals %+v, want net %d paid %d", seed, tt, w.Net, w.Paid)
		case tt.PaidOut != w.PaidOut || (st.Quarter == "" && tt.PaidOut != tt.Paid):
			t.Fatalf("seed %d: paid out %d, want %d (paid %d)", seed, tt.PaidOut, w.PaidOut, tt.Paid)
		case tt.Earned < 0 || tt.Reversed > 0:
			t.Fatalf("seed %d: earned %d must be ≥ 0 and reversed %d ≤ 0", seed, tt.Earned, tt.Reversed)
		}
	}
	sumQuarters := map[key]int64{}
	for _, q := range st.Quarters {
		for _, tt := range q.Totals {
			sumQuarters[key{tt.Currency, tt.Payer}] += tt.Net
		}
	}
	for _, tt := range st.Totals {
		if sumQuarters[key{tt.Currency, tt.Payer}] != tt.Net {
			t.Fatalf("seed %d: quarters add to %d, the whole is %d", seed, sumQuarters[key{tt.Currency, tt.Payer}], tt.Net)
		}
	}
}

// TestStatementCSV checks that the CSV's minor-unit column adds up like
// the statement, and that a formula in a name or reason is defused.
func TestStatementCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	entries, payouts := randomLedger(r)
	entries = append(entries, Entry{ID: 999, Kind: CorrectionEntry, Payer: A, Amount: 5, Currency: "USD", AccruesOn: "2026-02-01", Status: Pending, Reason: "=HYPERLINK(\"x\")"})
	st := NewStatement("", entries, payouts)
	var buf bytes.Buffer
	if err := st.WriteCSV(&buf, map[Side]string{A: "@Alpha", B: "Bravo, Inc."}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	net := map[string]int64{}
	totalNet := map[string]int64{}
	for _, row := range rows[1:] {
		amount, err := strconv.ParseInt(row[10], 10, 64)
		if err != nil {
			t.Fatalf("row %v: amount_minor: %v", row, err)
		}
		switch {
		case row[0] == "entry":
			net[row[9]+row[6]] += amount
		case row[0] == "total" && row[4] == "net":
			totalNet[row[9]+row[6]] += amount
		}
		for _, cellText := range row {
			if len(cellText) > 0 && (cellText[0] == '=' || cellText[0] == '@') {
				t.Errorf("cell %q would run as a formula", cellText)
			}
		}
	}
	if len(net) == 0 || len(net) != len(totalNet) {
		t.Fatalf("entries by direction %v, totals %v", net, totalNet)
	}
	for k, v := range net {
		if totalNet[k] != v {
			t.Errorf("%s: entries add to %d, the total row says %d", k, v, totalNet[k])
		}
	}
}
