// Package sheet holds what every CSV the service writes shares: cells that
// a spreadsheet opens safely.
package sheet

// Cell defuses text a spreadsheet would take for a formula ("=HYPERLINK(…)",
// "+1", "@SUM…"): such text is members' own and must open as text, as
// OWASP's advice on CSV injection says, by a leading apostrophe.
func Cell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
