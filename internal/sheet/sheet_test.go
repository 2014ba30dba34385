package sheet

import "testing"

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"Harbour & Co":      "Harbour & Co",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+44 20 7946 0000":  "'+44 20 7946 0000",
		"-5":                "'-5",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               "'\tx",
		"a=b":               "a=b",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}
