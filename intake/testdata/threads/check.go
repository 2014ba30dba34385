//go:build ignore

// check.go validates the labelled thread corpus in this directory and prints
// the counts quoted in README.md.
//
//	go run intake/testdata/threads/check.go          # from the repository root
//	go run check.go                                   # from this directory
//
// It exits 1 if any want.json breaks a rule. It reads only the corpus files.
// Seven sets: dev, holdout, dev2, dev3, dev4, dev5 and dev6 (second to
// sixth development sets); no two of them may share a person, business,
// website or host.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"unicode"
)

type draft struct {
	Name      string `json:"name"`
	Business  string `json:"business"`
	Website   string `json:"website"`
	Email     string `json:"email"`
	Offer     string `json:"offer"`
	Seek      string `json:"seek"`
	Customers string `json:"customers"`
	Lane      string `json:"lane"`
	Area      string `json:"area"`
}

type skip struct {
	Name   string  `json:"name"`
	Reason string  `json:"reason"`
	Text   *string `json:"text,omitempty"`
}

type want struct {
	Format   string  `json:"format"`
	Platform string  `json:"platform"`
	Host     string  `json:"host"`
	Drafts   []draft `json:"drafts"`
	Skipped  []skip  `json:"skipped"`
	Notes    string  `json:"notes"`
}

var (
	formats   = []string{"linkedin", "linkedin-plain", "facebook", "slack", "discord", "x", "email", "numbered", "prose", "csv", "tsv"}
	platforms = []string{"linkedin", "linkedin-plain", "facebook", "slack", "discord", "x", "email", "prose", "csv", "tsv"}
	lanes     = []string{"referral", "strategic", "either"}
	reasons   = []string{"original_post", "host", "chatter", "tag", "emoji", "deleted", "follow_up", "duplicate", "test_row"}
	topKeys   = []string{"format", "platform", "host", "drafts", "skipped", "notes"}
	draftKeys = []string{"name", "business", "website", "email", "offer", "seek", "customers", "lane", "area"}
)

func in(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// squash lower-cases and keeps letters and digits only, so that
// "Denver metro + Boulder County" matches "denver metro+boulder county".
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// spaces lower-cases and collapses white space (CSV cells may be quoted and
// wrapped; chat text may be re-flowed).
func spaces(s string) string {
	s = strings.ReplaceAll(s, `""`, `"`)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

type counts struct {
	threads, items, drafts   int
	reasons, formats, lanes  map[string]int
	platforms                map[string]int
	withWebsite, withEmail   int
	withCustomers, withArea  int
	withSeek, withBusiness   int
	itemsMin, itemsMax       int
	draftsMin, draftsMax     int
	hosts                    map[string]bool
	names, businesses, sites map[string]string // value: file
	people                   map[string]string // draft and skipped names; value: file
}

func newCounts() *counts {
	return &counts{
		reasons: map[string]int{}, formats: map[string]int{}, lanes: map[string]int{},
		platforms: map[string]int{}, hosts: map[string]bool{},
		names: map[string]string{}, businesses: map[string]string{}, sites: map[string]string{},
		people:   map[string]string{},
		itemsMin: 1 << 30, draftsMin: 1 << 30,
	}
}

var failures int

func fail(file, format string, a ...any) {
	failures++
	fmt.Printf("FAIL %s: %s\n", file, fmt.Sprintf(format, a...))
}

func baseDir() string {
	if st, err := os.Stat("intake/testdata/threads"); err == nil && st.IsDir() {
		return "intake/testdata/threads"
	}
	if _, err := os.Stat("dev"); err == nil {
		return "."
	}
	_, file, _, ok := runtime.Caller(0)
	if ok {
		return filepath.Dir(file)
	}
	return "."
}

func main() {
	dir := baseDir()
	sets := []string{"dev", "holdout", "dev2", "dev3", "dev4", "dev5", "dev6"}
	all := map[string]*counts{}
	for _, set := range sets {
		all[set] = checkSet(filepath.Join(dir, set), set)
	}

	// No two sets may share people, businesses, websites or hosts. For dev
	// and holdout "people" means draft names (as before); pairs involving
	// dev2, dev3, dev4, dev5 or dev6 compare every named person, drafts and
	// skipped items alike.
	d, h, d2, d3, d4, d5 := all["dev"], all["holdout"], all["dev2"], all["dev3"], all["dev4"], all["dev5"]
	d6 := all["dev6"]
	disjoint := func(a, b string, ca, cb *counts, everyone bool) {
		na, nb := ca.names, cb.names
		if everyone {
			na, nb = ca.people, cb.people
		}
		for n, f := range na {
			if g, ok := nb[n]; ok {
				fail(g, "person %q also appears in %s (%s)", n, a, f)
			}
		}
		for n, f := range ca.businesses {
			if g, ok := cb.businesses[n]; ok {
				fail(g, "business %q also appears in %s (%s)", n, a, f)
			}
		}
		for n, f := range ca.sites {
			if g, ok := cb.sites[n]; ok {
				fail(g, "website %q also appears in %s (%s)", n, a, f)
			}
		}
		for n := range ca.hosts {
			if cb.hosts[n] {
				fail(b, "host %q also hosts a %s thread", n, a)
			}
		}
	}
	disjoint("dev", "holdout", d, h, false)
	disjoint("dev", "dev2", d, d2, true)
	disjoint("holdout", "dev2", h, d2, true)
	disjoint("dev", "dev3", d, d3, true)
	disjoint("holdout", "dev3", h, d3, true)
	disjoint("dev2", "dev3", d2, d3, true)
	disjoint("dev", "dev4", d, d4, true)
	disjoint("holdout", "dev4", h, d4, true)
	disjoint("dev2", "dev4", d2, d4, true)
	disjoint("dev3", "dev4", d3, d4, true)
	disjoint("dev", "dev5", d, d5, true)
	disjoint("holdout", "dev5", h, d5, true)
	disjoint("dev2", "dev5", d2, d5, true)
	disjoint("dev3", "dev5", d3, d5, true)
	disjoint("dev4", "dev5", d4, d5, true)
	disjoint("dev", "dev6", d, d6, true)
	disjoint("holdout", "dev6", h, d6, true)
	disjoint("dev2", "dev6", d2, d6, true)
	disjoint("dev3", "dev6", d3, d6, true)
	disjoint("dev4", "dev6", d4, d6, true)
	disjoint("dev5", "dev6", d5, d6, true)

	// Coverage rules from the brief.
	need := func(set string, c *counts, format string, n int) {
		got := c.formats[format]
		if format == "csv" {
			got += c.formats["tsv"]
		}
		if got < n {
			fail(set, "needs at least %d %s thread(s), has %d", n, format, got)
		}
	}
	for _, f := range []string{"linkedin", "linkedin-plain", "facebook", "slack", "discord", "x", "email", "numbered", "prose", "csv"} {
		need("dev", d, f, 1)
		need("holdout", h, f, 1)
	}
	for _, f := range []string{"linkedin", "facebook", "slack", "discord", "x", "email", "numbered", "prose", "csv"} {
		need("dev2", d2, f, 1)
	}
	for _, f := range []string{"linkedin", "linkedin-plain", "facebook", "slack", "discord", "x", "email", "numbered", "prose", "csv"} {
		need("dev3", d3, f, 1)
	}
	for _, f := range []string{"linkedin", "facebook", "x"} {
		need("dev3", d3, f, 2)
	}
	for _, f := range []string{"linkedin", "linkedin-plain", "facebook", "slack", "discord", "x", "email", "numbered", "prose", "csv"} {
		need("dev4", d4, f, 1)
	}
	need("dev4", d4, "prose", 2)
	need("dev4", d4, "csv", 2) // one csv and one tsv
	if d4.platforms["facebook"] < 1 {
		fail("dev4", "needs a numbered thread on facebook")
	}
	for _, f := range []string{"linkedin", "facebook", "numbered", "csv"} {
		need("dev", d, f, 2)
	}
	// dev5: what hosts paste most often — five LinkedIn desktop threads, two
	// Facebook groups, a Slack channel, an e-mail chain and a form export.
	need("dev5", d5, "linkedin", 5)
	need("dev5", d5, "facebook", 2)
	for _, f := range []string{"slack", "email", "csv"} {
		need("dev5", d5, f, 1)
	}
	// dev6: four LinkedIn threads (one without headlines), a Facebook group,
	// Slack, Discord, X, an e-mail chain, numbered answers and a form export.
	need("dev6", d6, "linkedin", 4)
	for _, f := range []string{"facebook", "slack", "discord", "x", "email", "numbered", "csv"} {
		need("dev6", d6, f, 1)
	}
	if d.threads < 14 {
		fail("dev", "needs at least 14 threads, has %d", d.threads)
	}
	if h.threads < 9 {
		fail("holdout", "needs at least 9 threads, has %d", h.threads)
	}
	if d2.threads < 14 {
		fail("dev2", "needs at least 14 threads, has %d", d2.threads)
	}
	if d3.threads < 14 {
		fail("dev3", "needs at least 14 threads, has %d", d3.threads)
	}
	if d4.threads < 12 {
		fail("dev4", "needs at least 12 threads, has %d", d4.threads)
	}
	if d5.threads < 10 {
		fail("dev5", "needs at least 10 threads, has %d", d5.threads)
	}
	if d6.threads < 11 {
		fail("dev6", "needs at least 11 threads, has %d", d6.threads)
	}

	for _, set := range sets {
		printCounts(set, all[set])
	}
	if failures > 0 {
		fmt.Printf("\n%d problem(s)\n", failures)
		os.Exit(1)
	}
	fmt.Println("\nOK")
}

func checkSet(dir, set string) *counts {
	c := newCounts()
	entries, err := os.ReadDir(dir)
	if err != nil {
		fail(dir, "%v", err)
		return c
	}
	threads := map[string]string{} // stem -> thread file name
	wants := map[string]bool{}
	for _, e := range entries {
		n := e.Name()
		switch {
		case strings.HasSuffix(n, ".want.json"):
			wants[strings.TrimSuffix(n, ".want.json")] = true
		case strings.HasSuffix(n, ".txt"), strings.HasSuffix(n, ".csv"), strings.HasSuffix(n, ".tsv"):
			stem := strings.TrimSuffix(n, filepath.Ext(n))
			if old, ok := threads[stem]; ok {
				fail(filepath.Join(dir, n), "two thread files for %s (%s)", stem, old)
			}
			threads[stem] = n
		default:
			fail(filepath.Join(dir, n), "unexpected file")
		}
	}
	var stems []string
	for s := range threads {
		if !wants[s] {
			fail(filepath.Join(dir, threads[s]), "no .want.json")
		}
	}
	for s := range wants {
		if _, ok := threads[s]; !ok {
			fail(filepath.Join(dir, s+".want.json"), "no thread file")
			continue
		}
		stems = append(stems, s)
	}
	sort.Strings(stems)
	for _, s := range stems {
		checkThread(c, set, filepath.Join(dir, threads[s]), filepath.Join(dir, s+".want.json"))
	}
	return c
}

func checkThread(c *counts, set, threadPath, wantPath string) {
	raw, err := os.ReadFile(wantPath)
	if err != nil {
		fail(wantPath, "%v", err)
		return
	}
	thread, err := os.ReadFile(threadPath)
	if err != nil {
		fail(threadPath, "%v", err)
		return
	}
	text := string(thread)
	if !strings.HasSuffix(text, "\n") {
		fail(threadPath, "thread file should end with a newline")
	}
	flat := spaces(text)
	sq := squash(text)

	// Exact key sets.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		fail(wantPath, "not JSON: %v", err)
		return
	}
	for _, k := range topKeys {
		if _, ok := top[k]; !ok {
			fail(wantPath, "missing key %q", k)
		}
	}
	for k := range top {
		if !in(topKeys, k) {
			fail(wantPath, "unknown key %q", k)
		}
	}
	var rawDrafts []map[string]json.RawMessage
	if err := json.Unmarshal(top["drafts"], &rawDrafts); err == nil {
		for i, d := range rawDrafts {
			for _, k := range draftKeys {
				if _, ok := d[k]; !ok {
					fail(wantPath, "draft %d: missing key %q", i, k)
				}
			}
			for k := range d {
				if !in(draftKeys, k) {
					fail(wantPath, "draft %d: unknown key %q", i, k)
				}
			}
		}
	}
	var w want
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		fail(wantPath, "decode: %v", err)
		return
	}

	// Format, platform, file extension.
	if !in(formats, w.Format) {
		fail(wantPath, "format %q not in %v", w.Format, formats)
	}
	ext := filepath.Ext(threadPath)
	switch w.Format {
	case "csv":
		if ext != ".csv" {
			fail(wantPath, "csv thread must be a .csv file")
		}
	case "tsv":
		if ext != ".tsv" {
			fail(wantPath, "tsv thread must be a .tsv file")
		}
	default:
		if ext != ".txt" {
			fail(wantPath, "%s thread must be a .txt file", w.Format)
		}
	}
	if w.Format == "numbered" {
		if !in(platforms, w.Platform) {
			fail(wantPath, "numbered thread needs a platform from %v, has %q", platforms, w.Platform)
		}
		c.platforms[w.Platform]++
	} else if w.Platform != "" {
		fail(wantPath, "platform must be empty unless format is numbered")
	}
	if w.Host != "" {
		if !strings.Contains(text, w.Host) {
			fail(wantPath, "host %q not in thread", w.Host)
		}
		c.hosts[w.Host] = true
	}
	if strings.TrimSpace(w.Notes) == "" {
		fail(wantPath, "notes empty")
	}

	// Drafts.
	if len(w.Drafts) < 5 || len(w.Drafts) > 14 {
		fail(wantPath, "%d drafts; want 5 to 14", len(w.Drafts))
	}
	seenBiz := map[string]bool{}
	firstPos := -1
	for i, d := range w.Drafts {
		where := fmt.Sprintf("draft %d (%s)", i, d.Name)
		if d.Name == "" {
			fail(wantPath, "%s: empty name", where)
		} else if pos := strings.Index(text, d.Name); pos < 0 {
			fail(wantPath, "%s: name not in thread", where)
		} else {
			if pos < firstPos {
				// A name can appear earlier as a tag; only warn when it
				// appears nowhere after the previous draft's first mention.
				if strings.Index(text[firstPos:], d.Name) < 0 {
					fail(wantPath, "%s: drafts out of order", where)
				}
			} else {
				firstPos = pos
			}
		}
		if !in(lanes, d.Lane) {
			fail(wantPath, "%s: lane %q not in %v", where, d.Lane, lanes)
		}
		if strings.TrimSpace(d.Offer) == "" {
			fail(wantPath, "%s: empty offer", where)
		}
		for field, v := range map[string]string{"name": d.Name, "business": d.Business, "website": d.Website, "email": d.Email, "offer": d.Offer, "seek": d.Seek, "customers": d.Customers, "area": d.Area} {
			if v != strings.TrimSpace(v) {
				fail(wantPath, "%s: %s has leading/trailing space", where, field)
			}
		}
		if d.Business != "" {
			if !strings.Contains(sq, squash(d.Business)) {
				fail(wantPath, "%s: business %q not in thread", where, d.Business)
			}
			key := squash(d.Business)
			if seenBiz[key] {
				fail(wantPath, "%s: business %q has two drafts", where, d.Business)
			}
			seenBiz[key] = true
			c.withBusiness++
			c.businesses[key] = wantPath
		}
		if d.Website != "" {
			ws := d.Website
			low := strings.ToLower(ws)
			if strings.Contains(ws, "://") || strings.HasPrefix(low, "http") {
				fail(wantPath, "%s: website %q has a scheme", where, ws)
			}
			if strings.HasPrefix(low, "www.") {
				fail(wantPath, "%s: website %q starts with www.", where, ws)
			}
			if strings.HasSuffix(ws, "/") || strings.ContainsAny(ws, " \t@") || !strings.Contains(ws, ".") {
				fail(wantPath, "%s: website %q is not a bare domain[/path]", where, ws)
			}
			hostPart := strings.SplitN(ws, "/", 2)[0]
			if hostPart != strings.ToLower(hostPart) {
				fail(wantPath, "%s: website domain %q not lower-case", where, hostPart)
			}
			if !strings.Contains(strings.ToLower(text), low) {
				fail(wantPath, "%s: website %q not in thread", where, ws)
			}
			c.withWebsite++
			c.sites[low] = wantPath
		}
		if d.Email != "" {
			if d.Email != strings.ToLower(d.Email) {
				fail(wantPath, "%s: email %q not lower-case", where, d.Email)
			}
			if strings.Count(d.Email, "@") != 1 || strings.ContainsAny(d.Email, " <>") || !strings.Contains(strings.SplitN(d.Email, "@", 2)[1], ".") {
				fail(wantPath, "%s: email %q malformed", where, d.Email)
			}
			if !strings.Contains(strings.ToLower(text), d.Email) {
				fail(wantPath, "%s: email %q not in thread", where, d.Email)
			}
			c.withEmail++
		}
		if d.Area != "" {
			if d.Area != "remote" && !strings.Contains(sq, squash(d.Area)) {
				fail(wantPath, "%s: area %q not in thread (use the member's words, or \"remote\")", where, d.Area)
			}
			c.withArea++
		}
		if d.Customers != "" {
			c.withCustomers++
		}
		if d.Seek != "" {
			c.withSeek++
		}
		c.lanes[d.Lane]++
		c.names[d.Name] = wantPath
		c.people[d.Name] = wantPath
	}

	// Skipped.
	draftNames := map[string]bool{}
	for _, d := range w.Drafts {
		draftNames[d.Name] = true
	}
	for i, s := range w.Skipped {
		where := fmt.Sprintf("skipped %d (%s)", i, s.Name)
		if !in(reasons, s.Reason) {
			fail(wantPath, "%s: reason %q not in %v", where, s.Reason, reasons)
		}
		if s.Name == "" {
			if s.Reason != "deleted" && s.Reason != "test_row" {
				fail(wantPath, "%s: empty name (allowed only for deleted or test_row)", where)
			}
		} else if !strings.Contains(text, s.Name) {
			fail(wantPath, "%s: name not in thread", where)
		}
		if (s.Reason == "original_post" || s.Reason == "host") && s.Name != w.Host {
			fail(wantPath, "%s: reason %s but name is not the host %q", where, s.Reason, w.Host)
		}
		if s.Reason == "follow_up" && !draftNames[s.Name] {
			fail(wantPath, "%s: follow_up by someone without a draft", where)
		}
		if s.Text != nil {
			if strings.TrimSpace(*s.Text) == "" {
				fail(wantPath, "%s: empty text", where)
			} else if !strings.Contains(flat, spaces(*s.Text)) {
				fail(wantPath, "%s: text %q not in thread", where, *s.Text)
			}
		}
		if s.Name != "" && s.Reason != "test_row" {
			c.people[s.Name] = wantPath
		}
		c.reasons[s.Reason]++
	}
	items := len(w.Drafts) + len(w.Skipped)
	if items < 8 || items > 30 {
		fail(wantPath, "%d items; want 8 to 30", items)
	}
	c.threads++
	c.items += items
	c.drafts += len(w.Drafts)
	c.formats[w.Format]++
	c.itemsMin, c.itemsMax = min(c.itemsMin, items), max(c.itemsMax, items)
	c.draftsMin, c.draftsMax = min(c.draftsMin, len(w.Drafts)), max(c.draftsMax, len(w.Drafts))
}

func printMap(label string, m map[string]int, order []string) {
	var parts []string
	for _, k := range order {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
	}
	fmt.Printf("  %-10s %s\n", label, strings.Join(parts, ", "))
}

func printCounts(set string, c *counts) {
	skipped := 0
	for _, n := range c.reasons {
		skipped += n
	}
	fmt.Printf("\n%s: %d threads, %d items (%d–%d per thread), %d drafts (%d–%d per thread), %d skipped\n",
		set, c.threads, c.items, c.itemsMin, c.itemsMax, c.drafts, c.draftsMin, c.draftsMax, skipped)
	printMap("formats", c.formats, formats)
	printMap("numbered", c.platforms, platforms)
	printMap("lanes", c.lanes, lanes)
	printMap("skipped", c.reasons, reasons)
	fmt.Printf("  %-10s business %d, website %d, email %d, seek %d, customers %d, area %d (of %d drafts)\n",
		"fields", c.withBusiness, c.withWebsite, c.withEmail, c.withSeek, c.withCustomers, c.withArea, c.drafts)
}
