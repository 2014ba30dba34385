package thread_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/intake/thread"
)

// The corpus in ../testdata/threads was written apart from this package
// (see its README): threads in every format a host pastes, each with the
// drafts a careful host would make of it. dev to dev6 are what the
// reader was built against; holdout was never used to change it.

type wantThread struct {
	Format   string      `json:"format"`
	Platform string      `json:"platform"`
	Host     string      `json:"host"`
	Drafts   []wantDraft `json:"drafts"`
	Skipped  []struct {
		Name   string `json:"name"`
		Reason string `json:"reason"`
	} `json:"skipped"`
}

type wantDraft struct {
	Name, Business, Website, Email, Offer, Seek, Customers, Lane, Area string
}

// score is what a set of threads was read into, counted field by field
// over the drafts a host would make (a missed draft counts wrong in every
// field).
type score struct {
	threads, want, got, matched int
	formatRight                 int
	right                       map[string]int
	together                    int
}

var scoredFields = []string{"business", "website", "email", "offer", "seek", "customers", "lane", "area"}

func (s *score) add(o score) {
	s.threads += o.threads
	s.want += o.want
	s.got += o.got
	s.matched += o.matched
	s.formatRight += o.formatRight
	s.together += o.together
	if s.right == nil {
		s.right = map[string]int{}
	}
	for k, v := range o.right {
		s.right[k] += v
	}
}

func (s *score) recall() float64    { return ratio(s.matched, s.want) }
func (s *score) precision() float64 { return ratio(s.matched, s.got) }
func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// scoreThread reads one thread and compares it with what a host would make.
func scoreThread(t *testing.T, path string, verbose bool) score {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".want.json"
	raw, err := os.ReadFile(wantPath)
	if err != nil {
		t.Fatal(err)
	}
	var want wantThread
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%s: %v", wantPath, err)
	}
	res := thread.Read(string(data), thread.Options{})
	s := score{threads: 1, want: len(want.Drafts), got: len(res.Drafts), right: map[string]int{}}
	wantFormat := want.Format
	switch wantFormat {
	case "numbered":
		wantFormat = want.Platform
	case "linkedin-plain":
		wantFormat = "linkedin"
	case "threads":
		wantFormat = "x"
	}
	// The corpus's schema has no label for Reddit; its writer filed it
	// under the nearest, Facebook.
	if res.Format == thread.Reddit && wantFormat == "facebook" {
		wantFormat = "reddit"
	}
	if string(res.Format) == wantFormat {
		s.formatRight = 1
	} else if verbose {
		t.Logf("%s: read as %s, is %s", filepath.Base(path), res.Format, wantFormat)
	}
	used := make([]bool, len(res.Drafts))
	for _, w := range want.Drafts {
		k := findDraft(res.Drafts, used, w)
		if k < 0 {
			if verbose {
				t.Logf("%s: MISSED %s (%s)", filepath.Base(path), w.Name, w.Business)
			}
			continue
		}
		used[k] = true
		s.matched++
		g := res.Drafts[k]
		ok := map[string]bool{
			"business":  sameBusiness(g.Business, w.Business),
			"website":   sameSite(g.Website, w.Website),
			"email":     strings.EqualFold(g.Email, w.Email),
			"offer":     carries(g.Offer, w.Offer),
			"seek":      carries(g.Seek, w.Seek),
			"customers": carries(g.Customers, w.Customers),
			"lane":      g.Lane == w.Lane,
			"area":      carries(g.Area, w.Area),
		}
		for f, right := range ok {
			if right {
				s.right[f]++
			} else if verbose {
				t.Logf("%s: %s %s: got %q, want %q", filepath.Base(path), w.Name, f, fieldOf(g, f), fieldOfWant(w, f))
			}
		}
		if ok["business"] && ok["website"] && ok["offer"] && ok["seek"] && ok["lane"] {
			s.together++
		}
	}
	if verbose {
		for k, g := range res.Drafts {
			if !used[k] {
				t.Logf("%s: EXTRA draft %s (%s): %s", filepath.Base(path), g.Name, g.Business, clipText(g.Source))
			}
		}
	}
	return s
}

func clipText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 90 {
		return s[:90] + "…"
	}
	return s
}

// findDraft finds the draft made for a business a host would make: by
// the person's name, else by the business.
func findDraft(ds []thread.Draft, used []bool, w wantDraft) int {
	for k, d := range ds {
		if !used[k] && w.Name != "" && norm(d.Name) == norm(w.Name) {
			return k
		}
	}
	for k, d := range ds {
		if !used[k] && w.Business != "" && sameBusiness(d.Business, w.Business) {
			return k
		}
	}
	return -1
}

func fieldOf(d thread.Draft, f string) string {
	return map[string]string{"business": d.Business, "website": d.Website, "email": d.Email, "offer": d.Offer, "seek": d.Seek,
		"customers": d.Customers, "lane": d.Lane, "area": d.Area}[f]
}

func fieldOfWant(d wantDraft, f string) string {
	return map[string]string{"business": d.Business, "website": d.Website, "email": d.Email, "offer": d.Offer, "seek": d.Seek,
		"customers": d.Customers, "lane": d.Lane, "area": d.Area}[f]
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

func norm(s string) string { return nonAlnum.ReplaceAllString(strings.ToLower(s), "") }

var legalSuffix = regexp.MustCompile(`(?i)[\s,]+(?:llc|ltd|limited|inc|co|corp|gmbh|plc|pty|l\.l\.c\.)\.?$`)

// sameBusiness: the same name once case, spaces, punctuation, a leading
// "The" and a legal ending are set aside; or one holding most of the
// other ("Kessler Roofing" for "Kessler Roofing & Gutters").
func sameBusiness(got, want string) bool {
	g := norm(strings.TrimPrefix(legalSuffix.ReplaceAllString(strings.TrimSpace(got), ""), "The "))
	w := norm(strings.TrimPrefix(legalSuffix.ReplaceAllString(strings.TrimSpace(want), ""), "The "))
	if g == "" || w == "" {
		return g == w
	}
	if g == w {
		return true
	}
	short, long := g, w
	if len(short) > len(long) {
		short, long = long, short
	}
	return strings.Contains(long, short) && len(short)*10 >= len(long)*6
}

func sameSite(got, want string) bool {
	site := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		return strings.TrimSuffix(strings.TrimPrefix(s, "www."), "/")
	}
	return site(got) == site(want)
}

// carries reports whether got holds at least 60% of the words that
// matter in want (the measure of an offer or seek a careful host
// would write); an empty want wants an empty got.
func carries(got, want string) bool {
	ws := stems(want)
	if len(ws) == 0 {
		return len(stems(got)) == 0
	}
	have := map[string]bool{}
	for _, g := range stems(got) {
		have[g] = true
	}
	hit := 0
	for _, w := range ws {
		if have[w] {
			hit++
		}
	}
	return hit*10 >= len(ws)*6
}

var stop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but of to in on for with at by from as is are was were be been am i we you they
		it my our your their this that these those so if who whom which what when where how do does did have has had will would can could
		should just also not no more most some any all each every very really about into over up out who's we're i'm you're they're us me them`) {
		stop[w] = true
	}
}

var letters = regexp.MustCompile(`[\p{L}0-9]+`)

// stems are a text's words that matter, lower case, roughly stemmed.
func stems(s string) []string {
	var out []string
	for _, w := range letters.FindAllString(strings.ToLower(s), -1) {
		if stop[w] {
			continue
		}
		for _, suf := range []string{"ies", "es", "s", "ing", "ed"} {
			if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
				w = strings.TrimSuffix(w, suf)
				if suf == "ies" {
					w += "y"
				}
				break
			}
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func scoreSet(t *testing.T, set string, verbose bool) score {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "threads", set, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var total score
	total.right = map[string]int{}
	for _, p := range paths {
		if strings.HasSuffix(p, ".want.json") || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".go") {
			continue
		}
		s := scoreThread(t, p, verbose)
		if verbose {
			t.Logf("%-45s drafts %2d/%2d found %2d  together %2d", filepath.Base(p), s.got, s.want, s.matched, s.together)
		}
		total.add(s)
	}
	return total
}

func report(s score) string {
	var b strings.Builder
	fmt.Fprintf(&b, "threads %d, format right %d; drafts: want %d, made %d, found %d: recall %.3f precision %.3f\n",
		s.threads, s.formatRight, s.want, s.got, s.matched, s.recall(), s.precision())
	for _, f := range scoredFields {
		fmt.Fprintf(&b, "  %-10s %.3f\n", f, ratio(s.right[f], s.want))
	}
	fmt.Fprintf(&b, "  together   %.3f (business, website, offer, seek and lane all right)\n", ratio(s.together, s.want))
	return b.String()
}

// floors are what each set must keep reading at: a little under what was
// measured when they were set, so that a change that loses ground fails.
// They guard against going back; they are not the goals (issue 17 asks
// for 0.95 recall and precision, and 0.85 of drafts right in all of
// business, website, offer, seek and lane, on threads kept apart).
var floors = map[string]struct{ recall, precision, lane, together float64 }{
	"dev":     {0.97, 0.97, 0.92, 0.82},
	"dev2":    {0.97, 0.95, 0.94, 0.74},
	"dev3":    {0.95, 0.97, 0.88, 0.74},
	"dev4":    {0.95, 0.97, 0.92, 0.72},
	"dev5":    {0.95, 0.97, 0.85, 0.53},
	"dev6":    {0.97, 0.98, 0.88, 0.55},
	"holdout": {0.94, 0.88, 0.88, 0.68},
}

// TestCorpus reads every thread of each set and prints per-field
// accuracy; THREAD_VERBOSE=dev (or dev2 to dev6) lists every miss of that set
// (never of the hold-out set, which is only ever counted).
func TestCorpus(t *testing.T) {
	for _, set := range []string{"dev", "dev2", "dev3", "dev4", "dev5", "dev6", "holdout"} {
		s := scoreSet(t, set, set != "holdout" && os.Getenv("THREAD_VERBOSE") == set)
		if s.threads == 0 {
			t.Fatalf("no threads in the %s set", set)
		}
		t.Logf("%s set:\n%s", set, report(s))
		f := floors[set]
		for _, c := range []struct {
			what      string
			got, want float64
		}{{"recall", s.recall(), f.recall}, {"precision", s.precision(), f.precision},
			{"lane", ratio(s.right["lane"], s.want), f.lane}, {"together", ratio(s.together, s.want), f.together}} {
			if c.got < c.want {
				t.Errorf("%s set: %s %.3f, below its floor %.2f", set, c.what, c.got, c.want)
			}
		}
	}
}
