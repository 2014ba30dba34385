package intake_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
)

// Fuzz targets for every reader of what callers send. `go test` runs their
// seeds (f.Add and testdata/fuzz); `go test -fuzz FuzzX -fuzztime 30s`
// explores further. Each asserts properties, not just the absence of panics.

// jsonSeeds are bodies worth starting from: good posts, every kind of
// strictness problem, nulls, odd Unicode.
var jsonSeeds = []string{
	goodJSON,
	`{"business":"Pixel Shop","email":"P@Pixel.example","website":"https://pixel.example/shop","offer":"Shopify store builds for brands","seek":"A bookkeeper for our clients","customers":"online store owners","industry":"Ecommerce","region":"Leeds","tags":["shopify","Shopify"," web "],"lane":"Referral","quarter":"2026-q3","external_id":" p1 ","status":"paused"}`,
	`{"business":null,"email":null,"offer":null,"seek":null,"tags":null,"lane":null}`,
	`{"tags":[null,"a"]}`,
	`{"business":"Ledger Lane","business":12}`,
	`{"business":12,"business":"Ledger Lane"}`,
	`{"email":"a@b.example","email":"c@d.example"}`,
	`{"BUSINESS":"Ledger Lane"}`,
	`{"ſeek":"long s folds to s in encoding/json"}`,
	`{"offer":{"nested":true}}`,
	`{"offer":"` + strings.Repeat("x", 2001) + `"}`,
	`{"business":"\u0000\u001b[31m"}`,
	`{"offer":"Bookkeeping\r\nfor shops","seek":"\ud800 lone surrogate"}`,
	`{"website":"javascript:alert(1)"}`,
	`{"email":"\"a\u0001b\"@example.com"}`,
	`{} {}`,
	`{}`,
	`[]`,
	`null`,
	"\ufeff{}",
	`{"business":"x"`,
	`"just a string"`,
}

func FuzzPostInput(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in match.PostInput
		err := intake.DecodeJSON(data, &in)
		checkStrictDecoding(t, data, err, reflect.TypeFor[match.PostInput]())
		if err != nil {
			return
		}
		in.Normalize()
		if err := match.Validate(&in); err != nil {
			wantInvalid(t, err)
			return
		}
		checkPostInput(t, in)
		// What the API accepted, written back as JSON, reads the same.
		again, err := intake.PostInput(mustJSON(t, in))
		if err != nil || !reflect.DeepEqual(again, in) {
			t.Fatalf("round trip: got %+v, %v; want %+v", again, err, in)
		}
	})
}

func FuzzPostPatch(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"offer":"","customers":"","tags":[]}`))
	f.Add([]byte(`{"status":"hidden","lane":"either","quarter":"2027-Q1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p match.PostPatch
		err := intake.DecodeJSON(data, &p)
		checkStrictDecoding(t, data, err, reflect.TypeFor[match.PostPatch]())
		if err != nil {
			return
		}
		p.Normalize()
		if err := match.Validate(&p); err != nil {
			wantInvalid(t, err)
			return
		}
		// Every field the patch sets must be one a full post could hold.
		post := match.PostInput{Business: "Ledger Lane", Email: "a@ledger.example",
			Offer: "Bookkeeping for ecommerce", Seek: "Shopify developers"}.Post(fixedNow)
		p.Apply(&post)
		checkPostInput(t, inputOf(post))
	})
}

// checkStrictDecoding compares DecodeJSON's verdict with a reference: a
// body is accepted exactly when it is one JSON object (nothing after it but
// white space) whose names are all fields of typ, spelled exactly, each
// given once, with a value of the field's type or null.
func checkStrictDecoding(t *testing.T, data []byte, err error, typ reflect.Type) {
	t.Helper()
	if err != nil {
		wantInvalid(t, err)
	}
	want, why := referenceAccepts(data, typ)
	if (err == nil) != want {
		t.Fatalf("DecodeJSON(%q) = %v; the reference says accepted=%v (%s)", data, err, want, why)
	}
}

func referenceAccepts(data []byte, typ reflect.Type) (bool, string) {
	if !json.Valid(data) {
		return false, "not one valid JSON value"
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return false, "not an object"
	}
	fields := map[string]reflect.Type{}
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		fields[name] = typ.Field(i).Type
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, _ := dec.Token()
		name := tok.(string)
		var value any
		if err := dec.Decode(&value); err != nil {
			return false, err.Error()
		}
		ft, known := fields[name]
		switch {
		case !known:
			return false, "unknown field " + name
		case seen[name]:
			return false, "field " + name + " given twice"
		case !hasType(value, ft):
			return false, fmt.Sprintf("field %s: %T is not a %s", name, value, ft)
		}
		seen[name] = true
	}
	return true, ""
}

func hasType(v any, t reflect.Type) bool {
	if v == nil {
		return true
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		_, ok := v.(string)
		return ok
	case reflect.Slice:
		list, ok := v.([]any)
		for _, e := range list {
			ok = ok && hasType(e, t.Elem())
		}
		return ok
	}
	panic("hasType: add " + t.String())
}

func wantInvalid(t *testing.T, err error) {
	t.Helper()
	var e *match.Error
	if !errors.As(err, &e) || e.Code != match.EINVALID || e.Message == "" {
		t.Fatalf("error %v (%T): want an EINVALID *match.Error with a message", err, err)
	}
}

var (
	quarterSyntax = regexp.MustCompile(`^[0-9]{4}-Q[1-4]$`)
	fixedNow      = time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC)
)

// checkPostInput checks a normalized input that Validate accepted against
// the limits the API documents (README, openapi.json), independently of
// the validator's tags.
func checkPostInput(t *testing.T, in match.PostInput) {
	t.Helper()
	var problems []string
	text := func(name, v string, lo, hi int, oneLine bool) {
		n := utf8.RuneCountInString(v)
		switch {
		case n < lo || n > hi:
			problems = append(problems, fmt.Sprintf("%s has %d characters, want %d to %d", name, n, lo, hi))
		case !match.IsCleanText(v):
			problems = append(problems, name+" is not clean text")
		case strings.TrimSpace(v) != v:
			problems = append(problems, name+" is not trimmed")
		case oneLine && strings.Join(strings.Fields(v), " ") != v:
			problems = append(problems, name+" is not one tidy line")
		}
	}
	text("business", in.Business, 2, 120, true)
	text("email", in.Email, 3, 254, false)
	text("website", in.Website, 0, 500, false)
	text("offer", in.Offer, 10, 2000, false)
	text("seek", in.Seek, 10, 2000, false)
	text("customers", in.Customers, 0, 1000, false)
	text("industry", in.Industry, 0, 120, true)
	text("region", in.Region, 0, 120, true)
	text("external_id", in.ExternalID, 0, 200, false)
	if strings.ToLower(in.Email) != in.Email || !strings.Contains(in.Email, "@") {
		problems = append(problems, fmt.Sprintf("email %q is not a lower-case address", in.Email))
	}
	if in.Website != "" && !(strings.HasPrefix(in.Website, "http://") || strings.HasPrefix(in.Website, "https://")) {
		problems = append(problems, fmt.Sprintf("website %q is not an http(s) address", in.Website))
	}
	if len(in.Tags) > 20 {
		problems = append(problems, fmt.Sprintf("%d tags, want at most 20", len(in.Tags)))
	}
	seen := map[string]bool{}
	for i, tag := range in.Tags {
		text(fmt.Sprintf("tags[%d]", i), tag, 1, 40, true)
		if seen[strings.ToLower(tag)] {
			problems = append(problems, fmt.Sprintf("tag %q repeats", tag))
		}
		seen[strings.ToLower(tag)] = true
	}
	if in.Lane != "" && !in.Lane.Valid() {
		problems = append(problems, fmt.Sprintf("lane %q", in.Lane))
	}
	if in.Quarter != "" && !quarterSyntax.MatchString(string(in.Quarter)) {
		problems = append(problems, fmt.Sprintf("quarter %q", in.Quarter))
	}
	if !slices.Contains([]match.Status{"", match.StatusActive, match.StatusPaused, match.StatusHidden}, in.Status) {
		problems = append(problems, fmt.Sprintf("status %q", in.Status))
	}
	again := in
	again.Tags = slices.Clone(in.Tags)
	again.Normalize()
	if !reflect.DeepEqual(again, in) {
		problems = append(problems, fmt.Sprintf("normalizing again changes it to %+v", again))
	}
	if len(problems) > 0 {
		t.Fatalf("Validate accepted %+v, but:\n%s", in, strings.Join(problems, "\n"))
	}
}

func inputOf(p match.Post) match.PostInput {
	return match.PostInput{Business: p.Business, Email: p.Email, Website: p.Website, Offer: p.Offer, Seek: p.Seek,
		Customers: p.Customers, Industry: p.Industry, Region: p.Region, Tags: p.Tags, Lane: p.Lane,
		Quarter: p.Quarter, ExternalID: p.ExternalID, Status: p.Status}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readRecords reads an import file to the end with intake.Read, checking
// what holds for every format: records come in line order, each one a
// valid post or an EINVALID line error, and valid posts are unique by
// external_id.
func readRecords(t *testing.T, data []byte, format intake.Format) (records []intake.Record, fatal error) {
	t.Helper()
	ids := map[string]bool{}
	for rec, err := range intake.Read(bytes.NewReader(data), format) {
		if err != nil {
			wantInvalid(t, err) // a bytes.Reader never fails: only a bad header is fatal
			if len(records) > 0 {
				t.Fatalf("fatal error %v after %d records: only the header may be fatal", err, len(records))
			}
			return records, err
		}
		if n := len(records); n > 0 && rec.Line <= records[n-1].Line {
			t.Fatalf("record on line %d follows one on line %d", rec.Line, records[n-1].Line)
		}
		if rec.Line < 1 {
			t.Fatalf("record without a line number: %+v", rec)
		}
		if rec.Err != nil {
			wantInvalid(t, rec.Err)
		} else {
			checkPostInput(t, rec.Input)
			if id := rec.Input.ExternalID; id != "" {
				if ids[id] {
					t.Fatalf("external_id %q accepted twice", id)
				}
				ids[id] = true
			}
		}
		records = append(records, rec)
	}
	return records, nil
}

func good(records []intake.Record) []match.PostInput {
	var out []match.PostInput
	for _, r := range records {
		if r.Err == nil {
			out = append(out, r.Input)
		}
	}
	return out
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(goodJSON + "\n\n" + `{"business":"x"}` + "\r\n" + "{not json\n   \n" + goodJSON))
	f.Add([]byte("\ufeff" + goodJSON + "\n" + strings.Replace(goodJSON, `"seek"`, `"external_id":"a","seek"`, 1) +
		"\n" + strings.Replace(goodJSON, `"seek"`, `"external_id":"a","seek"`, 1) + "\n"))
	f.Add([]byte("\r\n\r\n\n"))
	f.Add([]byte("\ufeff\n" + goodJSON))
	f.Add([]byte(goodJSON + "\r\r\n" + goodJSON + "\x00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		records, fatal := readRecords(t, data, intake.FormatJSONL)
		if fatal != nil {
			t.Fatalf("JSON Lines never fail as a whole, got %v", fatal)
		}
		// Every line with something on it is one record, by its number.
		var want []int
		for i, line := range strings.Split(string(data), "\n") {
			if i == 0 {
				line = strings.TrimPrefix(line, "\ufeff")
			}
			if strings.TrimSpace(line) != "" {
				want = append(want, i+1)
			}
		}
		var got []int
		for _, r := range records {
			got = append(got, r.Line)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("records on lines %v, want one for each non-blank line %v", got, want)
		}
		// The valid posts, written out again, read back the same.
		posts := good(records)
		var out bytes.Buffer
		for _, in := range posts {
			out.Write(mustJSON(t, in))
			out.WriteByte('\n')
		}
		again, fatal := readRecords(t, out.Bytes(), intake.FormatJSONL)
		if fatal != nil || len(again) != len(posts) || !equalInputs(good(again), posts) {
			t.Fatalf("round trip of %d valid posts: got %+v (fatal %v)", len(posts), again, fatal)
		}
	})
}

// csvHeader names every column a post has, in a fixed order.
var csvHeader = []string{"business", "email", "website", "offer", "seek", "customers", "industry", "region", "tags", "lane", "quarter", "external_id", "status"}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("business,email,offer,seek,tags,lane\n" +
		"Ledger Lane,a@ledger.example,Bookkeeping for ecommerce,Shopify developers,shopify;books,referral\n" +
		`"Pixel, Inc.",p@pixel.example,"Shopify store builds` + "\n" + `in two lines",A bookkeeper for clients,"[""a"",""b""]",` + "\n" +
		"Too,few,columns\n" +
		`Bad "quote,b@bloom.example,Wedding flowers for couples,Wedding planners,,` + "\n"))
	f.Add([]byte("\ufeffBUSINESS, Email ,offer,seek,external_id\nA B,a@b.example,0123456789,0123456789,x\nA B,a@b.example,0123456789,0123456789,x\n"))
	f.Add([]byte("business,email,offer,seek,id\n"))
	f.Add([]byte("business,email,offer,seek\r\n\"unterminated"))
	f.Add([]byte("business,email,offer,seek,tags\nAB,a@b.example,0123456789,0123456789,[1]\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		records, fatal := readRecords(t, data, intake.FormatCSV)
		if fatal != nil {
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, r := range records {
			if r.Line < 2 || r.Line > lines {
				t.Fatalf("record on line %d: the header is line 1 and the file has %d lines", r.Line, lines)
			}
		}
		// The valid posts, written out as CSV, read back the same (CSV
		// turns a line break written as \r\n inside a cell into \n).
		posts := good(records)
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.Write(csvHeader)
		for _, in := range posts {
			tags := ""
			if len(in.Tags) > 0 {
				tags = string(mustJSON(t, in.Tags))
			}
			w.Write([]string{in.Business, in.Email, in.Website, in.Offer, in.Seek, in.Customers, in.Industry, in.Region,
				tags, string(in.Lane), string(in.Quarter), in.ExternalID, string(in.Status)})
		}
		w.Flush()
		again, fatal := readRecords(t, out.Bytes(), intake.FormatCSV)
		if fatal != nil || len(again) != len(posts) || !equalInputs(good(again), crlfToLF(posts)) {
			t.Fatalf("round trip of %d valid posts through\n%s\ngot %+v (fatal %v)", len(posts), out.Bytes(), again, fatal)
		}
	})
}

// equalInputs compares inputs, counting no tags and an empty list alike.
func equalInputs(a, b []match.PostInput) bool {
	return slices.EqualFunc(a, b, func(x, y match.PostInput) bool {
		if len(x.Tags) == 0 && len(y.Tags) == 0 {
			x.Tags, y.Tags = nil, nil
		}
		return reflect.DeepEqual(x, y)
	})
}

func crlfToLF(posts []match.PostInput) []match.PostInput {
	out := slices.Clone(posts)
	for i := range out {
		v := reflect.ValueOf(&out[i]).Elem()
		for j := range v.NumField() {
			if f := v.Field(j); f.Kind() == reflect.String {
				f.SetString(strings.ReplaceAll(f.String(), "\r\n", "\n"))
			}
		}
	}
	return out
}

// Bugs the fuzz targets found, pinned down.

func TestCSVMalformedRowIsALineError(t *testing.T) {
	// A bare quote used to panic: the reader asked csv.Reader for the
	// position of a row it had failed to read.
	body := "business,email,offer,seek\n" +
		`Bad "quote,b@bloom.example,Wedding flowers for couples,Wedding planners` + "\n" +
		"Ledger Lane,a@ledger.example,Bookkeeping for ecommerce,Shopify developers\n"
	r := readAll(t, body, intake.FormatCSV)
	if r.fatal != nil || r.bad[2] == nil || len(r.good) != 1 || r.good[3].Business != "Ledger Lane" {
		t.Errorf("got good %v, bad %v, fatal %v; want line 2 rejected and line 3 read", r.good, r.bad, r.fatal)
	}
}

func TestDecodeJSONRefusesRepeatedNames(t *testing.T) {
	// encoding/json keeps the last of repeated names; other readers keep
	// the first. One body must not mean two things.
	body := `{"business":"Ledger Lane","email":"a@ledger.example","email":"b@other.example","offer":"Bookkeeping for ecommerce","seek":"Shopify developers"}`
	_, err := intake.PostInput([]byte(body))
	var e *match.Error
	if !errors.As(err, &e) || e.Code != match.EINVALID || e.Fields["email"] == "" {
		t.Errorf("repeated email: got %v, want an invalid error naming email", err)
	}
}
