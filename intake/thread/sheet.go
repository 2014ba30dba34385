package thread

import (
	"encoding/csv"
	"regexp"
	"strings"
)

// Reading a spreadsheet from a form tool: a header row of questions as the
// tool writes them ("Who would you love to be introduced to?"), mapped to
// fields, then one reply per row.

// Pseudo-fields a column can fill besides a draft's own.
const (
	fieldFirstName = "first_name"
	fieldLastName  = "last_name"
	fieldNotes     = "notes"   // read for lane and area, kept in the source
	fieldComment   = "comment" // a whole reply in one cell, read like a comment
)

// SheetFields are the fields a host can map a column to.
var SheetFields = []string{FieldName, FieldBusiness, FieldEmail, FieldWebsite, FieldOffer, FieldSeek, FieldCustomers,
	FieldLane, FieldArea, fieldFirstName, fieldLastName, fieldNotes, fieldComment}

// questionRules map a question (a column header, or a host's numbered
// question) to the field its answers fill, first match wins.
var questionRules = []struct {
	re    *regexp.Regexp
	field string
}{
	{regexp.MustCompile(`(?i)^(?:timestamp|submitted(?: at| on)?|submission (?:date|id|time)|date|time|response id|id|#|ip(?: address)?|start date|end date|start time|completion time|end time|submit date|network id|created(?: at)?|last modified|token|respondent id|record id|score|status|tags?|points|quiz feedback)\s*(?:\([^)]*\))?\s*[:?]?$|\b(?:host|admin|internal|organi[sz]er|moderator)(?:'s)? notes?\b`), ""},
	{regexp.MustCompile(`(?i)\b(?:website|web site|url|site|homepage|web address|link to your)\b`), FieldWebsite},
	{regexp.MustCompile(`(?i)\b(?:linkedin|instagram|twitter|facebook|tiktok|phone|mobile|telephone|whatsapp|handle)\b`), ""},
	{regexp.MustCompile(`(?i)\be-?mail\b`), FieldEmail},
	{regexp.MustCompile(`(?i)\bfirst name\b|^first$|\bgiven name\b`), fieldFirstName},
	{regexp.MustCompile(`(?i)\b(?:last name|surname|family name)\b|^last$`), fieldLastName},
	{regexp.MustCompile(`(?i)\b(?:business|company|brand|organi[sz]ation|studio|practice|firm|shop)(?:'s)? name\b|^(?:business|company|brand|organi[sz]ation)\s*[:?]?$|name of (?:your |the )?(?:business|company|brand|organi[sz]ation|org|outfit|shop|studio|practice|firm|venture|agency)|\boutfit\b|^(?:[\w ]{1,20}\s*/\s*)?(?:business|company|brand|organi[sz]ation|organi[sz]ation name|practice|firm|studio|shop|agency|employer|trading name)(?:\s*/\s*[\w ]{1,20})?\s*[:?]?$`), FieldBusiness},
	{regexp.MustCompile(`(?i)\b(?:your name|full name|contact name|contact person|name)\b|^(?:author|user|username|user name|sender|from|poster|display name|member)$`), FieldName},
	// A chat exported as a table (DiscordChatExporter, Slack CSV): each
	// row is a message.
	{regexp.MustCompile(`(?i)^(?:content|message|message text|text|body|post)$`), fieldComment},
	{regexp.MustCompile(`(?i)\b(?:referral fees?|commissions?|rev(?:enue)?[ -]share|finder'?s fees?|partnership (?:type|style)|type of partnership|kind of partnership|how (?:would|do) you (?:like|want|prefer) to (?:partner|work together)|strategic,? or referral|referral,? or strategic|referral,? strategic|strategic,? referral|lane|fees?|pay|paid|cash for|money for|kickback)\b`), FieldLane},
	{regexp.MustCompile(`(?i)\b(?:ideal (?:customers?|clients?|buyers?)|who (?:are )?your (?:customers|clients)|who do you (?:serve|sell to|work with)|target (?:market|customers?|audience)|your (?:customers|clients|audience)|customers?|clients?|audience|who pays you|who buys)\b`), FieldCustomers},
	{regexp.MustCompile(`(?i)\b(?:looking for|introduc\w*|(?:want|like|love|hope|hoping) to (?:meet|connect|partner|work)|who (?:would|should|do) you (?:want|like|love|hope)|partners? (?:are you|you(?:'re| are)) (?:looking|seeking)|ideal partners?|seek(?:ing)?|meet|connect with|partner with|who should we|wish ?list|dream (?:partners?|intros?|introductions?)|intros?|partners?|joint|collab\w*|team up)\b`), FieldSeek},
	{regexp.MustCompile(`(?i)\b(?:where (?:are you|is your business|do you)|where you (?:work|are|operate|serve)|patch|based|location|city|town|areas?|region|country|postcode|zip|service area|serve where)\b`), FieldArea},
	{regexp.MustCompile(`(?i)\b(?:what (?:does )?(?:your )?(?:business|company|you) (?:do|offer|sell|make)|what do you (?:do|offer|sell|make)|services?|products?|offer(?:ing)?s?|describe (?:your )?(?:business|company|work)|about (?:your )?(?:business|company)|what you do|elevator pitch|one-liner|bio|tell us about (?:your )?(?:business|company|what you do)|your business|industry|specialt(?:y|ies))\b`), FieldOffer},
	{regexp.MustCompile(`(?i)\b(?:anything else|notes?|comments?|other|additional|questions?|feedback|message)\b`), fieldNotes},
	{regexp.MustCompile(`(?i)\b(?:tell us|introduce yourself|your (?:reply|answer|intro)|reply|answer|intro)\b`), fieldComment},
}

// sheetColumns maps a spreadsheet's columns to fields: the host's choice
// where given, else by the question. When two columns ask for one field
// (a form tool's own "Name" and the form's "Full name"), the one more
// often filled in wins; the other is read as notes, or ignored when it
// holds a name or an address.
func sheetColumns(header []string, records [][]string, override map[string]string) []Column {
	cols := make([]Column, len(header))
	filled := make([]int, len(header))
	for _, rec := range records {
		for k, v := range rec {
			if k < len(filled) && !blankCell(strings.TrimSpace(v)) {
				filled[k]++
			}
		}
	}
	best := map[string]int{} // field -> its column
	for k, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		cols[k] = Column{Header: h}
		if field, ok := override[h]; ok {
			cols[k].Field, cols[k].Set = field, true
			continue
		}
		field, _ := fieldOfQuestion(h)
		cols[k].Field = field
		if field == "" || field == fieldNotes || field == fieldComment || field == FieldOffer || field == FieldSeek || field == FieldCustomers {
			continue // these add up
		}
		if j, ok := best[field]; !ok || filled[k] > filled[j] {
			best[field] = k
		}
	}
	for k := range cols {
		f := cols[k].Field
		if j, ok := best[f]; ok && j != k && !cols[k].Set {
			switch f {
			case FieldName, FieldEmail, FieldWebsite, fieldFirstName, fieldLastName:
				cols[k].Field = ""
			default:
				cols[k].Field = fieldNotes
			}
		}
	}
	return cols
}

// blankCell reports a cell that says nothing: empty, or what form tools
// write for no answer.
func blankCell(v string) bool {
	l := strings.ToLower(v)
	switch l {
	case "", "-", "—", "n/a", "na", "none", "anonymous", "null", "nil", "(blank)", "[blank]":
		return true
	}
	// "N/A - freelance", "none yet": no answer, with a word on why.
	return strings.HasPrefix(l, "n/a ") || strings.HasPrefix(l, "n/a-") || strings.HasPrefix(l, "none ") || strings.HasPrefix(l, "none,")
}

// aside is a bracketed aside in a question.
var aside = regexp.MustCompile(`\s*\([^)]*\)`)

// fieldOfQuestion returns the field a question's answers fill, and
// whether any rule knew it.
func fieldOfQuestion(q string) (string, bool) {
	q = strings.TrimSpace(strings.TrimPrefix(q, "\ufeff"))
	for _, r := range questionRules {
		if r.re.MatchString(q) && r.field != fieldNotes {
			return r.field, true
		}
	}
	// "Company (blank if self-employed)": without its asides, a question
	// may say more plainly what it asks.
	if bare := strings.TrimSpace(aside.ReplaceAllString(q, " ")); bare != q && bare != "" {
		for _, r := range questionRules {
			if r.re.MatchString(bare) {
				return r.field, true
			}
		}
	}
	for _, r := range questionRules {
		if r.re.MatchString(q) {
			return r.field, true
		}
	}
	return "", false
}

// surveySubHeader reports a survey tool's second header row
// (SurveyMonkey's): "Response" or "Open-Ended Response" under most
// questions, never an answer.
func surveySubHeader(rec []string) bool {
	n, marked := 0, 0
	for _, v := range rec {
		switch v = strings.TrimSpace(v); {
		case v == "":
		case strings.EqualFold(v, "Response"), strings.EqualFold(v, "Open-Ended Response"):
			n++
			marked++
		default:
			n++
		}
	}
	return marked > 0 && 2*marked >= n
}

func readSheet(text string, f Format, override map[string]string) ([]item, []Column) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	if f == TSV {
		r.Comma = '\t'
	}
	header, err := r.Read()
	if err != nil {
		return nil, nil
	}
	var records [][]string
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		records = append(records, rec)
	}
	first := 2 // the spreadsheet row of records[0]
	if len(records) > 0 && surveySubHeader(records[0]) {
		records, first = records[1:], 3
	}
	cols := sheetColumns(header, records, override)
	var items []item
	for i, rec := range records {
		row := i + first
		it := item{row: row, fields: map[string]string{}, fieldSrc: map[string]string{}}
		var texts []string
		for k, v := range rec {
			v = strings.TrimSpace(v)
			if k >= len(cols) || blankCell(v) || cols[k].Field == FieldEmail && !strings.Contains(v, "@") {
				continue
			}
			field := cols[k].Field
			switch field {
			case "":
				continue
			case fieldNotes, fieldComment:
				texts = append(texts, v)
			case fieldFirstName, fieldLastName:
				it.fields[FieldName] = strings.TrimSpace(it.fields[FieldName] + " " + v)
				it.fieldSrc[FieldName] = "column: " + cols[k].Header
			default:
				if it.fields[field] != "" {
					v = strings.TrimRight(it.fields[field], " ;.") + "; " + v
				}
				it.fields[field] = v
				it.fieldSrc[field] = "column: " + cols[k].Header
			}
			if field == fieldComment {
				it.fieldSrc[fieldComment] = "column: " + cols[k].Header
			}
			if field == FieldLane && words(v) > 3 {
				texts = append(texts, v) // "No, but keen to team up with…" says whom too
			}
		}
		if n := it.fields[FieldName]; n != "" {
			it.fields[FieldName] = strings.TrimSpace(discriminator.ReplaceAllString(n, ""))
		}
		it.author = it.fields[FieldName]
		it.body = texts
		items = append(items, it)
	}
	return items, cols
}
