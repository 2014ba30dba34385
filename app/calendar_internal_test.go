package app

import (
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
)

// A business name with the characters a CN parameter cannot hold bare
// reads back whole, without the backslashes golang-ical would add.
func TestCommonNameReadsBackAsWritten(t *testing.T) {
	for name, want := range map[string]string{
		"Ledger Lane":                "Ledger Lane",
		"Smith, Jones & Co.":         "Smith Jones & Co.",
		"O'Brien Books; est. 1999":   "O’Brien Books est. 1999",
		`The "Best" Dental: Billing`: "The ”Best” Dental Billing",
		"帳簿サービス":                     "帳簿サービス",
	} {
		cal := ics.NewCalendar()
		ev := cal.AddEvent("uid@example.org")
		ev.AddAttendee("a@example.org", ics.WithCN(commonName(name)))
		back, err := ics.ParseCalendar(strings.NewReader(cal.Serialize(ics.WithNewLineWindows)))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		at := back.Events()[0].Attendees()[0]
		if got := at.ICalParameters["CN"]; len(got) != 1 || got[0] != want || strings.Contains(cal.Serialize(), `\`) {
			t.Errorf("%q: CN reads back as %q, want %q:\n%s", name, got, want, cal.Serialize())
		}
	}
}
