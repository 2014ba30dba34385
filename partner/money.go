package partner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/matchmaker/matchmaker/match"
)

// Money is an amount in a currency's minor units (cents for USD, yen for
// JPY) with its ISO 4217 code. Amounts are integers so that sums are exact.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency" validate:"required,iso4217"`
}

// MaxAmount bounds any single amount: ten thousand billion minor units
// (a hundred billion dollars) leaves room to multiply by a rate in basis
// points, and to add up millions of entries, without overflowing int64.
const MaxAmount = 10_000_000_000_000

// minorDigits lists the ISO 4217 currencies whose minor unit is not two
// decimal digits (source: the ISO 4217 list maintained by SIX, "Minor
// unit" column). Every other valid code has two.
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
	"RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// MinorDigits returns how many decimal digits a currency's minor unit has.
func MinorDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

// Decimal writes amount minor units of currency as a decimal number, as
// a spreadsheet reads it: 125000 USD is "1250.00", -5 JPY is "-5".
func Decimal(amount int64, currency string) string {
	digits := MinorDigits(currency)
	neg := amount < 0
	if neg {
		amount = -amount
	}
	s := strconv.FormatInt(amount, 10)
	if digits > 0 {
		if len(s) <= digits {
			s = strings.Repeat("0", digits-len(s)+1) + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String writes m for people: "1250.00 USD".
func (m Money) String() string { return Decimal(m.Amount, m.Currency) + " " + m.Currency }

// CheckAmount returns an EINVALID error for the field when amount is out of
// bounds; positive says whether it must be above zero (else non-zero).
func CheckAmount(field string, amount int64, positive bool) error {
	switch {
	case positive && amount <= 0:
		return match.Invalid("some fields are not valid", map[string]string{field: "must be more than zero, in minor units (cents)"})
	case amount == 0:
		return match.Invalid("some fields are not valid", map[string]string{field: "must not be zero"})
	case amount > MaxAmount || amount < -MaxAmount:
		return match.Invalid("some fields are not valid", map[string]string{field: fmt.Sprintf("must be at most %d minor units", int64(MaxAmount))})
	}
	return nil
}

// ParsePercent reads a commission rate written as a percentage with at
// most two decimals ("10", "12.5", "0.75") into basis points (1000, 1250,
// 75): hundredths of a percent, so that no rate is ever a float.
func ParsePercent(s string) (int64, error) {
	bad := match.Invalid("some fields are not valid", map[string]string{"percent": "must be a percentage above 0 and at most 100, with at most two decimals, like \"10\" or \"12.5\""})
	whole, frac, hasDot := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || len(whole) > 3 || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, bad
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, bad
		}
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	bp := w*100 + f
	if bp <= 0 || bp > 10000 {
		return 0, bad
	}
	return bp, nil
}

// FormatPercent writes basis points as a percentage: 1250 is "12.5".
func FormatPercent(bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if f := bp % 100; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", f), "0")
	}
	return s
}

// ApplyRate returns amount × bp / 10000 rounded to the nearest minor unit,
// halves away from zero — the rule invoices use. Each commission is
// rounded once, when it is created; totals add rounded entries, so they
// add up exactly.
func ApplyRate(amount, bp int64) int64 {
	p := amount * bp
	if p < 0 {
		return -((-p + 5000) / 10000)
	}
	return (p + 5000) / 10000
}
