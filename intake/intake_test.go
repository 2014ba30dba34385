package intake_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
)

type result struct {
	good  map[int]match.PostInput
	bad   map[int]*match.Error
	fatal error
}

func readAll(t *testing.T, body string, f intake.Format) result {
	t.Helper()
	r := result{good: map[int]match.PostInput{}, bad: map[int]*match.Error{}}
	for rec, err := range intake.Read(strings.NewReader(body), f) {
		if err != nil {
			r.fatal = err
			break
		}
		if rec.Err != nil {
			var e *match.Error
			if !errors.As(rec.Err, &e) {
				t.Fatalf("line %d: error %v is not a *match.Error", rec.Line, rec.Err)
			}
			r.bad[rec.Line] = e
			continue
		}
		r.good[rec.Line] = rec.Input
	}
	return r
}

const goodJSON = `{"business":"Ledger Lane","email":"a@ledger.example","offer":"Bookkeeping for ecommerce","seek":"Shopify developers"}`

func TestJSONLines(t *testing.T) {
	body := "\ufeff" + goodJSON + "\n" +
		"\n" + // blank lines are skipped but still counted
		`{"business":"x","email":"bad","offer":"short","seek":"Shopify developers"}` + "\n" +
		`{"business":"Ledger Lane", "oops": 1}` + "\n" +
		`{not json` + "\n" +
		`{"business":"Pixel","email":"p@pixel.example","offer":"Shopify store builds","seek":"A bookkeeper for clients","tags":"x"}` + "\r\n" +
		`{"business":"  Pixel  Shop ","email":"P@Pixel.example","offer":"Shopify store builds","seek":"A bookkeeper for clients","external_id":"p1"}` + "\r\n" +
		`{"business":"Pixel Two","email":"p2@pixel.example","offer":"Shopify store builds","seek":"A bookkeeper for clients","external_id":"p1"}`
	r := readAll(t, body, intake.FormatJSONL)
	if r.fatal != nil {
		t.Fatalf("fatal error %v", r.fatal)
	}
	if len(r.good) != 2 || r.good[1].Business != "Ledger Lane" || r.good[7].Business != "Pixel Shop" || r.good[7].Email != "p@pixel.example" {
		t.Errorf("good lines = %+v, want lines 1 and 7, normalized", r.good)
	}
	wantBad := map[int]string{3: "email", 4: "oops", 5: "", 6: "tags", 8: "external_id"}
	if len(r.bad) != len(wantBad) {
		t.Errorf("bad lines = %v, want %v", r.bad, wantBad)
	}
	for line, field := range wantBad {
		e := r.bad[line]
		if e == nil {
			t.Errorf("line %d: not reported", line)
			continue
		}
		if field != "" && e.Fields[field] == "" {
			t.Errorf("line %d: fields %v do not name %q", line, e.Fields, field)
		}
	}
	if !strings.Contains(r.bad[8].Message, "line 7") {
		t.Errorf("duplicate external_id message %q should name line 7", r.bad[8].Message)
	}
}

func TestJSONLinesOverlongLine(t *testing.T) {
	body := goodJSON + "\n" + `{"business":"` + strings.Repeat("x", intake.MaxLine+10) + `"}` + "\n" + goodJSON
	r := readAll(t, body, intake.FormatJSONL)
	if r.fatal != nil || len(r.good) != 2 || r.bad[2] == nil {
		t.Errorf("overlong line: good %d bad %v fatal %v; want lines 1 and 3 good, 2 bad", len(r.good), r.bad, r.fatal)
	}
}

func TestCSV(t *testing.T) {
	body := "\ufeffBusiness,email,offer,seek,tags,lane\n" +
		`Ledger Lane,a@ledger.example,Bookkeeping for ecommerce,Shopify developers,shopify;books,referral` + "\n" +
		`"Pixel, Inc.",p@pixel.example,"Shopify store builds` + "\n" + `in two lines",A bookkeeper for clients,"[""a"",""b""]",` + "\n" +
		`Bad,not-an-email,short,Shopify developers,,` + "\n" +
		`Too,few,columns` + "\n" +
		`Bloom,b@bloom.example,Wedding flowers for couples,Wedding planners,,sideways` + "\n"
	r := readAll(t, body, intake.FormatCSV)
	if r.fatal != nil {
		t.Fatalf("fatal: %v", r.fatal)
	}
	if got := r.good[2]; got.Business != "Ledger Lane" || strings.Join(got.Tags, ",") != "shopify,books" || got.Lane != match.LaneReferral {
		t.Errorf("line 2 = %+v", got)
	}
	if got := r.good[3]; got.Business != "Pixel, Inc." || !strings.Contains(got.Offer, "two lines") || strings.Join(got.Tags, ",") != "a,b" {
		t.Errorf("line 3 (quoted, multi-line, JSON tags) = %+v", got)
	}
	for _, line := range []int{5, 6, 7} {
		if r.bad[line] == nil {
			t.Errorf("line %d should be rejected; bad = %v", line, r.bad)
		}
	}
	if e := r.bad[7]; e != nil && e.Fields["lane"] == "" {
		t.Errorf("line 7 should name lane: %v", e.Fields)
	}
}

func TestCSVHeaderProblemsAreFatal(t *testing.T) {
	for name, body := range map[string]string{
		"unknown column": "business,email,offer,seek,colour\n",
		"read-only id":   "id,business,email,offer,seek\n",
		"missing seek":   "business,email,offer\n",
		"twice":          "business,email,offer,seek,offer\n",
		"empty file":     "",
	} {
		r := readAll(t, body+"a,b,c,d,e\n", intake.FormatCSV)
		if name == "empty file" {
			r = readAll(t, "", intake.FormatCSV)
		}
		if !errors.Is(r.fatal, match.ErrInvalid) {
			t.Errorf("%s: fatal = %v, want an invalid error", name, r.fatal)
		}
		if len(r.good) != 0 {
			t.Errorf("%s: %d lines accepted after a bad header", name, len(r.good))
		}
	}
}

func TestDetectFormat(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       intake.Format
	}{
		{"posts.csv", "{", intake.FormatCSV},
		{"posts.JSONL", "business", intake.FormatJSONL},
		{"-", "  \n{\"business\"", intake.FormatJSONL},
		{"-", "\ufeff{", intake.FormatJSONL},
		{"-", "business,email", intake.FormatCSV},
	} {
		if got := intake.DetectFormat(tc.name, []byte(tc.head)); got != tc.want {
			t.Errorf("DetectFormat(%q, %q) = %s, want %s", tc.name, tc.head, got, tc.want)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	for name, tc := range map[string]struct {
		body  string
		field string
	}{
		"empty":      {"  ", ""},
		"array":      {`[1]`, ""},
		"trailing":   {goodJSON + ` {}`, ""},
		"truncated":  {`{"business":"x"`, ""},
		"wrong type": {`{"offer": 12}`, "offer"},
		"unknown":    {`{"colour":"red"}`, "colour"},
		"tag type":   {`{"tags":[1]}`, "tags"},
		"null":       {`null`, ""},
		"other case": {`{"BUSINESS":"Ledger Lane"}`, "BUSINESS"},
	} {
		var in match.PostInput
		err := intake.DecodeJSON([]byte(tc.body), &in)
		var e *match.Error
		if !errors.As(err, &e) || e.Code != match.EINVALID {
			t.Errorf("%s: got %v, want an invalid error", name, err)
			continue
		}
		if tc.field != "" && e.Fields[tc.field] == "" && !strings.HasPrefix(firstKey(e.Fields), tc.field) {
			t.Errorf("%s: fields %v do not name %q", name, e.Fields, tc.field)
		}
	}
}

func firstKey(m map[string]string) string {
	for k := range m {
		return k
	}
	return ""
}
