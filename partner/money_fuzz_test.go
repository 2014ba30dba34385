package partner

import (
	"strconv"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
)

// FuzzMoney reads money as the API does (strict JSON, then the field
// rules, then the amount's bounds) and checks what an accepted amount
// promises: its decimal form reads back to the same minor units, and a
// commission on it at any accepted rate stays within the amount.
func FuzzMoney(f *testing.F) {
	for _, seed := range []struct{ body, percent string }{
		{`{"amount":125000,"currency":"USD"}`, "10"},
		{`{"amount":-5,"currency":"JPY"}`, "12.5"},
		{`{"amount":10000000000000,"currency":"KWD"}`, "100"},
		{`{"amount":1,"currency":"CLF"}`, "0.01"},
		{`{"amount":9223372036854775807,"currency":"USD"}`, "100.00"},
		{`{"amount":1e3,"currency":"usd"}`, "1e2"},
		{`{"amount":"12","currency":"EUR"}`, " 7.5 "},
		{`{"amount":12,"currency":"EUR","amount":13}`, "-3"},
	} {
		f.Add(seed.body, seed.percent)
	}
	f.Fuzz(func(t *testing.T, body, percent string) {
		var m Money
		if intake.DecodeJSON([]byte(body), &m) != nil || match.Validate(&m) != nil || CheckAmount("amount", m.Amount, false) != nil {
			return
		}
		dec := Decimal(m.Amount, m.Currency)
		back, err := strconv.ParseInt(strings.Replace(dec, ".", "", 1), 10, 64)
		if err != nil || back != m.Amount {
			t.Errorf("%v written %q reads back as %d (%v)", m, dec, back, err)
		}
		if strings.Contains(dec, ".") != (MinorDigits(m.Currency) > 0) {
			t.Errorf("%v written %q: decimals do not match the currency's %d", m, dec, MinorDigits(m.Currency))
		}
		bp, err := ParsePercent(percent)
		if err != nil {
			return
		}
		if again, err := ParsePercent(FormatPercent(bp)); err != nil || again != bp {
			t.Errorf("percent %q = %d bp, written %q, reads back as %d (%v)", percent, bp, FormatPercent(bp), again, err)
		}
		c := ApplyRate(m.Amount, bp)
		if abs(c) > abs(m.Amount) || (c < 0) != (m.Amount < 0) && c != 0 {
			t.Errorf("%d bp of %d is %d", bp, m.Amount, c)
		}
	})
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
