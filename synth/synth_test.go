package synth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/match"
)

const testQuarter match.Quarter = "2026-Q3"

// drafts20k is a community of 20,000 posts with what each was made from,
// made once and shared by the tests that only read it.
var drafts20k = sync.OnceValue(func() []*draft {
	g := newGenerator(Options{Seed: 42, Quarter: testQuarter})
	out := make([]*draft, 20000)
	for i := range out {
		out[i] = g.next()
	}
	return out
})

func posts(ds []*draft) []match.PostInput {
	out := make([]match.PostInput, len(ds))
	for i, d := range ds {
		out[i] = d.in
	}
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := Generate(Options{N: 500, Seed: 7, Quarter: testQuarter})
	b := Generate(Options{N: 500, Seed: 7, Quarter: testQuarter})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different posts")
	}
	c := Generate(Options{N: 500, Seed: 8, Quarter: testQuarter})
	same := 0
	for i := range a {
		if a[i].Offer == c[i].Offer {
			same++
		}
	}
	if same > 25 {
		t.Errorf("seeds 7 and 8 share %d of 500 offers at the same position, want at most 25", same)
	}
}

func TestGenerateSmallerIsPrefix(t *testing.T) {
	small := Generate(Options{N: 50, Seed: 3, Quarter: testQuarter})
	large := Generate(Options{N: 200, Seed: 3, Quarter: testQuarter})
	if !reflect.DeepEqual(small, large[:50]) {
		t.Error("the first 50 of 200 posts differ from a community of 50")
	}
	if got := Generate(Options{N: 0, Seed: 3}); len(got) != 0 {
		t.Errorf("N=0: got %d posts, want 0", len(got))
	}
	if got := Generate(Options{N: -5, Seed: 3}); len(got) != 0 {
		t.Errorf("N=-5: got %d posts, want 0", len(got))
	}
}

func TestGenerateDefaultQuarter(t *testing.T) {
	before := match.QuarterOf(time.Now())
	ps := Generate(Options{N: 3, Seed: 1})
	after := match.QuarterOf(time.Now())
	for _, p := range ps {
		if p.Quarter != before && p.Quarter != after {
			t.Errorf("quarter: got %q, want %q", p.Quarter, before)
		}
	}
}

func TestPostsAreValidAndNormalised(t *testing.T) {
	for i, p := range posts(drafts20k()) {
		n := p
		n.Tags = slices.Clone(p.Tags)
		n.Normalize()
		if !reflect.DeepEqual(n, p) {
			t.Fatalf("post %d changes when normalised:\ngot  %+v\nwant %+v", i+1, n, p)
		}
		if err := match.Validate(&n); err != nil {
			t.Fatalf("post %d is invalid: %v\n%+v", i+1, err, p)
		}
		if p.Quarter != testQuarter {
			t.Fatalf("post %d: quarter %q, want %q", i+1, p.Quarter, testQuarter)
		}
		if len(p.Tags) > 5 {
			t.Fatalf("post %d: %d tags, want at most 5", i+1, len(p.Tags))
		}
	}
}

func TestIdentifiersAreUnique(t *testing.T) {
	ps := posts(drafts20k())
	emails := make(map[string]int, len(ps))
	ids := make(map[string]int, len(ps))
	gmail, websites := 0, 0
	emailPattern := regexp.MustCompile(`^(hello@[a-z0-9-]+-\d+\.example|[a-z0-9]+\.\d+@gmail\.com)$`)
	for i, p := range ps {
		if j, ok := emails[p.Email]; ok {
			t.Fatalf("posts %d and %d share email %q", j+1, i+1, p.Email)
		}
		emails[p.Email] = i
		if j, ok := ids[p.ExternalID]; ok {
			t.Fatalf("posts %d and %d share external_id %q", j+1, i+1, p.ExternalID)
		}
		ids[p.ExternalID] = i
		if !emailPattern.MatchString(p.Email) {
			t.Errorf("post %d: email %q has an unexpected form", i+1, p.Email)
		}
		if want := "gen-42-" + strconv.Itoa(i+1); p.ExternalID != want {
			t.Errorf("post %d: external_id %q, want %q", i+1, p.ExternalID, want)
		}
		if strings.HasSuffix(p.Email, "@gmail.com") {
			gmail++
		}
		if p.Website != "" {
			websites++
			if !strings.HasPrefix(p.Website, "https://") || !strings.HasSuffix(p.Website, ".example") {
				t.Errorf("post %d: website %q, want https://….example", i+1, p.Website)
			}
		}
	}
	if gmail == 0 || gmail > len(ps)/50 {
		t.Errorf("gmail addresses: got %d of %d, want a handful (1–2%%)", gmail, len(ps))
	}
	checkShare(t, "posts with a website", websites, len(ps), 0.70, 0.03)
}

// checkShare fails unless count/total is within tol of want.
func checkShare(t *testing.T, what string, count, total int, want, tol float64) {
	t.Helper()
	got := float64(count) / float64(total)
	if got < want-tol || got > want+tol {
		t.Errorf("%s: got %.1f%%, want %.0f%% ± %.0f points", what, 100*got, 100*want, 100*tol)
	}
}

func TestDistribution(t *testing.T) {
	ds := drafts20k()
	segs, svcs := map[int]bool{}, map[int]bool{}
	lanes := map[match.Lane]int{}
	noCustomers, withRegion := 0, 0
	for _, d := range ds {
		segs[d.seg] = true
		svcs[d.svc] = true
		lanes[d.in.Lane]++
		if d.in.Customers == "" {
			noCustomers++
		}
		if d.in.Region != "" {
			withRegion++
		}
	}
	if len(segs) < 30 {
		t.Errorf("segments used: got %d, want at least 30", len(segs))
	}
	if len(svcs) < 40 {
		t.Errorf("services used: got %d, want at least 40", len(svcs))
	}
	checkShare(t, "lane either", lanes[match.LaneEither], len(ds), 0.45, 0.05)
	checkShare(t, "lane referral", lanes[match.LaneReferral], len(ds), 0.30, 0.05)
	checkShare(t, "lane strategic", lanes[match.LaneStrategic], len(ds), 0.25, 0.05)
	checkShare(t, "empty customers", noCustomers, len(ds), 0.30, 0.03)
	checkShare(t, "posts with a region", withRegion, len(ds), 0.94, 0.03)
}

// A post that leaves customers empty must name them in its offer.
func TestOfferNamesTheCustomers(t *testing.T) {
	for i, d := range drafts20k() {
		if d.in.Customers != "" {
			continue
		}
		offer := strings.ToLower(d.in.Offer)
		found := false
		for _, name := range segments[d.seg].names {
			if strings.Contains(offer, strings.ToLower(name)) {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("post %d has no customers and its offer does not name them: %q", i+1, d.in.Offer)
		}
	}
}

func TestSeekIsComplementary(t *testing.T) {
	ds := drafts20k()
	inSegment := 0
	for i, d := range ds {
		if n := len(d.seeks); n < 1 || n > 2 {
			t.Fatalf("post %d seeks %d services, want 1 or 2: %q", i+1, n, d.in.Seek)
		}
		allSold := true
		for _, c := range d.seeks {
			if c == d.svc {
				t.Fatalf("post %d offers and seeks %s", i+1, services[c].key)
			}
			if !contains(services[d.svc].complements, services[c].key) {
				t.Fatalf("post %d offers %s and seeks %s, which is not among its complements",
					i+1, services[d.svc].key, services[c].key)
			}
			if !contains(segments[d.seg].services, services[c].key) {
				allSold = false
			}
		}
		if allSold {
			inSegment++
		}
	}
	// Complements are chosen among services the same customers buy, unless
	// fewer than two of them do.
	if share := float64(inSegment) / float64(len(ds)); share < 0.85 {
		t.Errorf("posts seeking services their customers buy: got %.1f%%, want at least 85%%", 100*share)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Competitors (same service, same segment) must be common even in a small
// community, since telling them apart is the matcher's hardest job.
func TestCompetitorsOccur(t *testing.T) {
	ds := drafts20k()[:1000]
	count := map[[2]int]int{}
	for _, d := range ds {
		count[[2]int{d.svc, d.seg}]++
	}
	withRival := 0
	for _, d := range ds {
		if count[[2]int{d.svc, d.seg}] > 1 {
			withRival++
		}
	}
	if withRival < 500 {
		t.Errorf("posts with a competitor among 1,000: got %d, want at least 500", withRival)
	}
}

func TestTextIsVaried(t *testing.T) {
	ps := posts(drafts20k()[:10000])
	offers, seeks := map[string]bool{}, map[string]bool{}
	typicalOffer, typicalSeek := 0, 0
	for _, p := range ps {
		offers[p.Offer] = true
		seeks[p.Seek] = true
		if n := utf8.RuneCountInString(p.Offer); n >= 60 && n <= 300 {
			typicalOffer++
		}
		if n := utf8.RuneCountInString(p.Seek); n >= 60 && n <= 300 {
			typicalSeek++
		}
	}
	if len(offers) <= 9000 {
		t.Errorf("distinct offers in 10,000 posts: got %d, want more than 9,000", len(offers))
	}
	if len(seeks) <= 5000 {
		t.Errorf("distinct seeks in 10,000 posts: got %d, want more than 5,000", len(seeks))
	}
	if typicalOffer < 8500 {
		t.Errorf("offers of 60–300 characters: got %d of 10,000, want at least 8,500", typicalOffer)
	}
	if typicalSeek < 8000 {
		t.Errorf("seeks of 60–300 characters: got %d of 10,000, want at least 8,000", typicalSeek)
	}
}

func TestUnusualPostsOccur(t *testing.T) {
	nonLatin, long := 0, 0
	for _, p := range posts(drafts20k()) {
		if hasNonLatinLetter(p.Business) && hasNonLatinLetter(p.Customers) {
			nonLatin++
		}
		if utf8.RuneCountInString(p.Offer) > 1000 {
			long++
			if !strings.Contains(p.Offer, "\n\n") {
				t.Errorf("long offer without paragraphs: %q", p.Offer)
			}
		}
	}
	if nonLatin < 20 || nonLatin > 200 {
		t.Errorf("posts with non-Latin names and customers: got %d of 20,000, want 20–200", nonLatin)
	}
	if long < 20 || long > 200 {
		t.Errorf("offers over 1,000 characters: got %d of 20,000, want 20–200", long)
	}
}

func hasNonLatinLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

func TestWriteMatchesGenerate(t *testing.T) {
	opts := Options{N: 2000, Seed: 11, Quarter: testQuarter}
	var buf bytes.Buffer
	if err := Write(&buf, opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	want := Generate(opts)
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		line := sc.Bytes()
		if n >= len(want) {
			t.Fatalf("got more than %d lines", len(want))
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var got match.PostInput
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("line %d: %v\n%s", n+1, err, line)
		}
		if dec.More() {
			t.Fatalf("line %d holds more than one JSON value", n+1)
		}
		if !reflect.DeepEqual(got, want[n]) {
			t.Fatalf("line %d:\ngot  %+v\nwant %+v", n+1, got, want[n])
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != opts.N {
		t.Errorf("lines: got %d, want %d", n, opts.N)
	}
}

func TestWriteRejectsBadQuarter(t *testing.T) {
	err := Write(io.Discard, Options{N: 1, Quarter: "2026-Q5"})
	if !errors.Is(err, match.ErrInvalid) {
		t.Errorf("got %v, want an invalid error", err)
	}
}

type failingWriter struct{ after int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, errDiskFull
	}
	w.after--
	return len(p), nil
}

func TestWriteReportsWriterErrors(t *testing.T) {
	err := Write(&failingWriter{after: 1}, Options{N: 5000, Seed: 1, Quarter: testQuarter})
	if !errors.Is(err, errDiskFull) {
		t.Errorf("got %v, want %v", err, errDiskFull)
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bright Ledger Co", "bright-ledger-co"},
		{"Rossi & Chen Partners", "rossi-chen-partners"},
		{"Maya's Photography", "mayas-photography"},
		{"O'Brien SEO", "obrien-seo"},
		{"  Café  Olé ", "caf-ol"},
		{"さくら会計事務所", "business"},
		{"Stonebridge Silver Birch Column Consulting Company", "stonebridge-silver-birch-column-consulti"},
	}
	for _, tt := range tests {
		if got := slugify(tt.in); got != tt.want {
			t.Errorf("slugify(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

var slotPattern = regexp.MustCompile(`\{([a-z0-9]+)\}`)

// TestVocabulary checks the tables in vocab.go against each other, so that
// a typo there fails here rather than in the middle of a load test.
func TestVocabulary(t *testing.T) {
	vocab() // panics on a key that names nothing

	sold := map[string]bool{}
	seen := map[string]bool{}
	for _, g := range segments {
		if seen[g.key] {
			t.Errorf("segment %q is defined twice", g.key)
		}
		seen[g.key] = true
		if len(g.services) < 7 {
			t.Errorf("segment %q: %d services, want at least 7", g.key, len(g.services))
		}
		if len(g.names) < 3 || len(g.details) == 0 || len(g.needs) == 0 || len(g.words) == 0 || len(g.tags) == 0 {
			t.Errorf("segment %q lacks names, details, needs, words or tags", g.key)
		}
		for _, s := range g.services {
			sold[s] = true
		}
	}
	for _, s := range services {
		if seen[s.key] {
			t.Errorf("key %q is defined twice", s.key)
		}
		seen[s.key] = true
		if !sold[s.key] {
			t.Errorf("service %q is sold to no segment", s.key)
		}
		if len(s.names) < 3 || len(s.roles) < 2 || len(s.specs) < 4 || len(s.outcomes) < 2 || len(s.words) < 4 || len(s.tags) < 2 {
			t.Errorf("service %q: too few names, roles, specs, outcomes, words or tags", s.key)
		}
		for _, c := range s.complements {
			if c == s.key {
				t.Errorf("service %q complements itself", s.key)
			}
		}
		for key := range s.special {
			if !contains(keys(segments), key) {
				t.Errorf("service %q: special specs for unknown segment %q", s.key, key)
			}
		}
		for _, tag := range s.tags {
			if tag != strings.ToLower(tag) || len(tag) > 40 {
				t.Errorf("service %q: tag %q must be lower case and short", s.key, tag)
			}
		}
	}
	if len(segments) < 30 || len(services) < 40 || len(regions) < 35 {
		t.Errorf("got %d segments, %d services, %d regions; want at least 30, 40, 35",
			len(segments), len(services), len(regions))
	}

	// Every slot in every template must be one the generator knows.
	d := newGenerator(Options{Seed: 1, Quarter: testQuarter}).next()
	var lists [][]string
	lists = append(lists, offerTemplates, seekTemplates, referralSeekTemplates, strategicSeekTemplates,
		customerTemplates, longParagraphs)
	for _, list := range lists {
		for _, tmpl := range list {
			for _, m := range slotPattern.FindAllStringSubmatch(tmpl, -1) {
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("template %q: %v", tmpl, r)
						}
					}()
					d.slot(m[1])
				}()
			}
		}
	}
}

func keys(segs []segment) []string {
	out := make([]string, len(segs))
	for i, g := range segs {
		out[i] = g.key
	}
	return out
}

func BenchmarkGenerate100k(b *testing.B) {
	opts := Options{N: 100_000, Seed: 1, Quarter: testQuarter}
	for b.Loop() {
		Generate(opts)
	}
}

func BenchmarkWrite100k(b *testing.B) {
	opts := Options{N: 100_000, Seed: 1, Quarter: testQuarter}
	for b.Loop() {
		if err := Write(io.Discard, opts); err != nil {
			b.Fatal(err)
		}
	}
}
