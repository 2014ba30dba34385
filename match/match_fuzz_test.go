package match_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/match"
)

// FuzzValidatePostInput checks Normalize and Validate on any field values:
// they never panic, and Validate's verdict agrees field by field with the
// documented limits (written out here independently of the struct tags).
// Email and website have rules too rich to restate; for them only an
// accepted value is checked.
func FuzzValidatePostInput(f *testing.F) {
	f.Add("Ledger Lane", "A@Ledger.example", "https://ledger.example", "Bookkeeping for ecommerce", "Shopify developers",
		"online store owners", "Ecommerce", "Leeds", "shopify;books", "Referral", "2026-q3", " ext-1 ", "Paused")
	f.Add(" ", " ", "javascript:alert(1)", "short", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b", "", "", "", ";;", "sideways", "2026-Q5", "", "pending")
	f.Add("É", "\"a b\"@example.com", "http://user:pw@host.example", strings.Repeat("é", 2000), strings.Repeat("x", 2001),
		strings.Repeat("y", 1001), "a\tb\nc", "\u00a0Porto\u2028", strings.Repeat("t;", 21), "either", "9999-Q4", strings.Repeat("z", 201), "")
	f.Add("A\u0085B", "x@y.z", "HTTPS://EXAMPLE.COM", "ten chars!", "\xffinvalid utf8", "\u200b", "", "", "Tag;TAG; tag ", "", "", "", "")
	f.Fuzz(func(t *testing.T, business, email, website, offer, seek, customers, industry, region, tags, lane, quarter, externalID, status string) {
		in := match.PostInput{Business: business, Email: email, Website: website, Offer: offer, Seek: seek,
			Customers: customers, Industry: industry, Region: region, Lane: match.Lane(lane),
			Quarter: match.Quarter(quarter), ExternalID: externalID, Status: match.Status(status)}
		if tags != "" {
			in.Tags = strings.Split(tags, ";")
		}
		in.Normalize()
		err := match.Validate(&in)
		flagged := map[string]bool{}
		if err != nil {
			var e *match.Error
			if !errors.As(err, &e) || e.Code != match.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("Validate = %v, want an EINVALID error naming fields", err)
			}
			for name := range e.Fields {
				base, _, _ := strings.Cut(name, "[")
				flagged[base] = true
			}
		}
		want := limitProblems(in)
		for _, field := range []string{"business", "offer", "seek", "customers", "industry", "region", "tags", "lane", "quarter", "external_id", "status"} {
			if flagged[field] != (want[field] != "") {
				t.Fatalf("field %s: Validate flagged it %v, the limits say %q\ninput %+v\nerror %v", field, flagged[field], want[field], in, err)
			}
		}
		for field := range flagged {
			if _, known := want[field]; !known && field != "email" && field != "website" {
				t.Fatalf("Validate names %q, which is no field of a post", field)
			}
		}
		if err != nil {
			return
		}
		if p := want["email"] + want["website"]; p != "" {
			t.Fatalf("Validate accepted %+v, but %s", in, p)
		}
		again := in
		again.Tags = slices.Clone(in.Tags)
		again.Normalize()
		if !reflect.DeepEqual(again, in) {
			t.Fatalf("Normalize is not idempotent: %+v became %+v", in, again)
		}
		// The stored post has the defaults filled in and nothing else changed.
		p := in.Post(time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
		if !p.Lane.Valid() || !p.Quarter.Valid() || !p.Status.Valid() || p.Tags == nil {
			t.Fatalf("post %+v lacks a default", p)
		}
	})
}

var quarterSyntax = regexp.MustCompile(`^[0-9]{4}-Q[1-4]$`)

// limitProblems returns, for every field of a normalized input, what breaks
// the documented limits ("" when nothing does).
func limitProblems(in match.PostInput) map[string]string {
	out := map[string]string{}
	text := func(name, v string, lo, hi int, oneLine bool) {
		n := utf8.RuneCountInString(v)
		switch {
		case n < lo || n > hi:
			out[name] = fmt.Sprintf("has %d characters, want %d to %d", n, lo, hi)
		case !match.IsCleanText(v):
			out[name] = "is not clean text"
		case strings.TrimSpace(v) != v:
			out[name] = "is not trimmed"
		case oneLine && strings.Join(strings.Fields(v), " ") != v:
			out[name] = "is not one tidy line"
		default:
			out[name] = ""
		}
	}
	text("business", in.Business, 2, 120, true)
	text("offer", in.Offer, 10, 2000, false)
	text("seek", in.Seek, 10, 2000, false)
	text("customers", in.Customers, 0, 1000, false)
	text("industry", in.Industry, 0, 120, true)
	text("region", in.Region, 0, 120, true)
	text("external_id", in.ExternalID, 0, 200, false)
	// Only what an accepted email and website must satisfy.
	text("email", in.Email, 3, 254, false)
	if out["email"] == "" && (strings.ToLower(in.Email) != in.Email || !strings.Contains(in.Email, "@")) {
		out["email"] = "is not a lower-case address"
	}
	text("website", in.Website, 0, 500, false)
	if w := in.Website; out["website"] == "" && w != "" && !strings.HasPrefix(w, "http://") && !strings.HasPrefix(w, "https://") {
		out["website"] = "is not an http(s) address"
	}
	out["tags"] = ""
	if len(in.Tags) > 20 {
		out["tags"] = "more than 20"
	}
	for _, tag := range in.Tags {
		if n := utf8.RuneCountInString(tag); n < 1 || n > 40 || !match.IsCleanText(tag) {
			out["tags"] = fmt.Sprintf("tag %q", tag)
		}
	}
	out["lane"], out["quarter"], out["status"] = "", "", ""
	if in.Lane != "" && !in.Lane.Valid() {
		out["lane"] = "unknown lane"
	}
	if in.Quarter != "" && !quarterSyntax.MatchString(string(in.Quarter)) {
		out["quarter"] = "not a quarter"
	}
	if !slices.Contains([]match.Status{"", match.StatusActive, match.StatusPaused, match.StatusHidden}, in.Status) {
		out["status"] = "not a status a caller may set"
	}
	return out
}

func FuzzParseQuarter(f *testing.F) {
	for _, s := range []string{"2026-Q3", "2026-q3", "0000-Q1", "9999-Q4", "2026-Q0", "2026-Q5", "٢٠٢٦-Q1", "2026-Q1\n", " 2026-Q1", "10000-Q1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := match.ParseQuarter(s)
		if quarterSyntax.MatchString(s) != (err == nil) {
			t.Fatalf("ParseQuarter(%q) = %q, %v; want it to accept exactly YYYY-Qn", s, q, err)
		}
		if err != nil {
			if !errors.Is(err, match.ErrInvalid) || q != "" {
				t.Fatalf("ParseQuarter(%q) = %q, %v; want \"\" and an EINVALID error", s, q, err)
			}
			return
		}
		if !q.Valid() || match.QuarterOf(q.Start()) != q || fmt.Sprintf("%04d-Q%d", q.Year(), q.Number()) != string(q) {
			t.Fatalf("quarter %q: start %v, year %d, number %d do not agree", q, q.Start(), q.Year(), q.Number())
		}
		if next := q.Next(); q.Year() < 9999 && (!next.Valid() || !next.Start().After(q.Start()) || next.Start().Sub(q.Start()) > 92*24*time.Hour) {
			t.Fatalf("quarter %q: next is %q", q, next)
		}
	})
}

func FuzzParseWeights(f *testing.F) {
	for _, s := range []string{`{}`, `{"shared_customers": 0.7}`, `{"mutual": -1}`, `{"rival_at": 0}`, `{"candidates": -5}`,
		`{"colour": 1}`, `{"mutual": "1"}`, `{"mutual": 1e400}`, `null`, `[]`, ``, `{"Mutual": 0.5}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := match.ParseWeights(data)
		if err != nil {
			if !errors.Is(err, match.ErrInvalid) {
				t.Fatalf("ParseWeights(%q) = %v, want an EINVALID error", data, err)
			}
			return
		}
		if err := w.Validate(); err != nil {
			t.Fatalf("ParseWeights(%q) accepted weights that do not validate: %v", data, err)
		}
		for name, v := range map[string]float64{"mutual": w.Mutual, "shared_customers": w.SharedCustomers,
			"competitor_penalty": w.CompetitorPenalty * 10, "topic": w.Topic, "near": w.Near, "rival_at": w.RivalAt} {
			if math.IsNaN(v) || v < 0 || v > 10 {
				t.Fatalf("ParseWeights(%q): %s = %v, want it in [0, 10] (competitor_penalty in [0, 1])", data, name, v)
			}
		}
		if w.RivalAt == 0 || w.RivalAudience == 0 {
			t.Fatalf("ParseWeights(%q) accepted a zero threshold", data)
		}
	})
}

// FuzzEngine scores and explains posts with any texts (the engine holds
// only validated posts, but its analysis must not depend on that): no
// panic, scores in [0, 1], only eligible partners, readable reasons.
func FuzzEngine(f *testing.F) {
	f.Add("Bookkeeping for ecommerce businesses and Shopify sellers", "Shopify developers whose clients need an accountant", "online store owners",
		"Shopify store builds for skincare brands", "An accountant who understands Shopify payouts", "Shopify brands", "referral", "either")
	f.Add("Wedding photography", "Wedding planners", "engaged couples", "Wedding photography", "Wedding planners", "engaged couples", "strategic", "strategic")
	f.Add("İstanbul ĞÜŞ e-commerce's children’s — dental-billing", "looking for a CPA; the  best   one!", "dentists.",
		"A "+strings.Repeat("very long offer about dental billing for busy dental practices ", 5), "we'd like partners", "", "either", "referral")
	f.Add("", "", "", "\xff\xfe", "a - ' ’ -", "\u0130\u0131", "", "")
	vocab := match.DefaultVocabulary() // read-only; building it takes longer than the rest
	f.Fuzz(func(t *testing.T, offerA, seekA, custA, offerB, seekB, custB, laneA, laneB string) {
		lane := func(s string) match.Lane {
			if l := match.Lane(s); l.Valid() {
				return l
			}
			return match.LaneEither
		}
		posts := []match.Post{
			{ID: 1, Business: "A", Email: "a@a.example", Offer: offerA, Seek: seekA, Customers: custA, Lane: lane(laneA)},
			{ID: 2, Business: "B", Email: "b@b.example", Offer: offerB, Seek: seekB, Customers: custB, Lane: lane(laneB)},
			{ID: 3, Business: "C", Email: "c@c.example", Offer: "Bookkeeping and payroll for dental practices",
				Seek: "Dental billing software vendors", Customers: "dentists", Lane: match.LaneEither},
		}
		for i := range posts {
			posts[i].Status, posts[i].Quarter, posts[i].Tags = match.StatusActive, "2026-Q3", []string{}
		}
		clean := true
		for _, s := range []string{offerA, seekA, custA, offerB, seekB, custB} {
			clean = clean && match.IsCleanText(s)
		}
		e := match.NewEngine(vocab, match.DefaultWeights())
		e.Load(posts)
		for _, p := range posts {
			for _, exact := range []bool{false, true} {
				ms, err := e.Matches(p.ID, match.MatchOptions{Exact: exact})
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					checkMatch(t, p, m, clean, true)
				}
			}
		}
		ab, err := e.Explain(1, 2)
		if err != nil {
			t.Fatal(err)
		}
		checkMatch(t, posts[0], ab, clean, false)
		ba, err := e.Explain(2, 1)
		if err != nil {
			t.Fatal(err)
		}
		checkMatch(t, posts[1], ba, clean, false)
		if !near(ab.Scores.TheyOfferWhatYouSeek, ba.Scores.YouOfferWhatTheySeek) || !near(ab.Scores.SharedCustomers, ba.Scores.SharedCustomers) ||
			!near(ab.Scores.SameOffer, ba.Scores.SameOffer) || !near(ab.Score, ba.Score) {
			t.Fatalf("A→B %+v (%v) and B→A %+v (%v) disagree", ab.Scores, ab.Score, ba.Scores, ba.Score)
		}
	})
}

// checkMatch checks m, a match for p; eligible says whether the engine
// chose it (rather than being asked to explain a given pair).
func checkMatch(t *testing.T, p match.Post, m match.Match, clean, eligible bool) {
	t.Helper()
	for name, v := range map[string]float64{"score": m.Score, "they_offer_what_you_seek": m.Scores.TheyOfferWhatYouSeek,
		"you_offer_what_they_seek": m.Scores.YouOfferWhatTheySeek, "shared_customers": m.Scores.SharedCustomers, "same_offer": m.Scores.SameOffer} {
		if math.IsNaN(v) || v < 0 || v > 1+1e-9 {
			t.Fatalf("post %d with %d: %s = %v, want it in [0, 1]", p.ID, m.Post.ID, name, v)
		}
	}
	if eligible && (m.Post.ID == p.ID || !p.Lane.Accepts(m.Post.Lane) || !m.Post.Lane.Accepts(p.Lane)) {
		t.Fatalf("post %d (%s) matched with %d (%s)", p.ID, p.Lane, m.Post.ID, m.Post.Lane)
	}
	for _, r := range m.Reasons {
		if strings.TrimSpace(r) == "" || (clean && !utf8.ValidString(r)) {
			t.Fatalf("post %d with %d: reason %q", p.ID, m.Post.ID, r)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
