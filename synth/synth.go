// Package synth generates a synthetic but realistic community of posts for
// load tests, benchmarks and demos.
//
// Each post is a business offering one service to one customer segment and
// seeking one or two services that complement its own for those customers,
// so the community has the structure the matching engine looks for:
// complementary pairs, shared customers, and competitors (many posts share a
// service and a segment). Text is assembled from templates, synonyms and
// optional details, so few posts read exactly alike.
//
// Output depends only on the Options: the same seed gives the same posts.
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Options describe a generated community.
type Options struct {
	N    int    // number of posts; zero or less gives none
	Seed uint64 // same seed, same output
	// Quarter is the quarter of every post; "" means the quarter containing
	// the current time. An invalid quarter is copied into the posts as it is
	// (and they then fail validation); Write rejects it.
	Quarter match.Quarter
}

// Generate returns opts.N posts. Each passes Normalize and match.Validate,
// and is already normalised. Post i (from 1) has external_id
// "gen-<seed>-<i>" and does not depend on N, so a smaller community is a
// prefix of a larger one with the same seed.
func Generate(opts Options) []match.PostInput {
	n := max(opts.N, 0)
	out := make([]match.PostInput, 0, n)
	g := newGenerator(opts)
	for range n {
		out = append(out, g.next().in)
	}
	return out
}

// Write writes the posts Generate would return to w as JSON Lines: one
// compact JSON object per line with PostInput's field names. It generates
// and writes one post at a time, so memory use does not grow with N.
// It returns an EINVALID error if opts.Quarter is set but malformed, and
// the first error from w.
func Write(w io.Writer, opts Options) error {
	if opts.Quarter != "" && !opts.Quarter.Valid() {
		return match.Errorf(match.EINVALID, "quarter %q must look like 2026-Q3", opts.Quarter)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // keep "Rossi & Chen" readable in the file
	g := newGenerator(opts)
	for range max(opts.N, 0) {
		if err := enc.Encode(g.next().in); err != nil {
			return fmt.Errorf("synth: write post %d: %w", g.i, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synth: write: %w", err)
	}
	return nil
}

// Shares of posts with particular traits.
const (
	shareEither      = 0.45
	shareReferral    = 0.30 // the rest are strategic
	shareNoCustomers = 0.30
	shareWebsite     = 0.70
	shareGmail       = 0.01
	shareNoIndustry  = 0.05
	shareNoRegion    = 0.06
	shareScript      = 0.004 // partly in a non-Latin script
	shareLong        = 0.005 // offers of more than a thousand characters
)

// tables are the vocabulary resolved into indices and cumulative weights,
// built once on first use.
type tables struct {
	segCum     []float64   // cumulative weights of segments
	segSvcs    [][]int     // per segment: services sold to it
	segSvcCum  [][]float64 // per segment: cumulative weights of segSvcs
	svcSegs    [][]int     // per service: segments it is sold to
	seekCands  [][][]int   // per segment and service: services to seek
	regionCum  []float64
	scriptRefs [][2]int // per scriptPost: service and segment index
}

var vocab = sync.OnceValue(buildTables)

// buildTables panics on a key that names no service or segment: that is a
// mistake in vocab.go, and TestVocabulary reports it.
func buildTables() *tables {
	svcIndex := make(map[string]int, len(services))
	for i, s := range services {
		svcIndex[s.key] = i
	}
	segIndex := make(map[string]int, len(segments))
	for i, s := range segments {
		segIndex[s.key] = i
	}
	svc := func(key string) int {
		i, ok := svcIndex[key]
		if !ok {
			panic("synth: unknown service " + strconv.Quote(key))
		}
		return i
	}
	t := &tables{
		segSvcs:   make([][]int, len(segments)),
		segSvcCum: make([][]float64, len(segments)),
		svcSegs:   make([][]int, len(services)),
		seekCands: make([][][]int, len(segments)),
	}
	// A few segments and a few services in each are much more common than
	// the rest, as in a real community; that is what makes competitors.
	t.segCum = zipfCum(len(segments), 0.6)
	t.regionCum = zipfCum(len(regions), 0.4)
	for gi, g := range segments {
		for _, key := range g.services {
			si := svc(key)
			t.segSvcs[gi] = append(t.segSvcs[gi], si)
			t.svcSegs[si] = append(t.svcSegs[si], gi)
		}
		t.segSvcCum[gi] = zipfCum(len(g.services), 0.5)
	}
	for gi := range segments {
		sold := make(map[int]bool, len(t.segSvcs[gi]))
		for _, si := range t.segSvcs[gi] {
			sold[si] = true
		}
		t.seekCands[gi] = make([][]int, len(services))
		for si, s := range services {
			// Prefer complements these customers buy too; fall back to the
			// rest when fewer than two of them do.
			var in, out []int
			for _, key := range s.complements {
				ci := svc(key)
				switch {
				case ci == si:
				case sold[ci]:
					in = append(in, ci)
				default:
					out = append(out, ci)
				}
			}
			if len(in) < 2 {
				in = append(in, out[:min(2-len(in), len(out))]...)
			}
			if len(in) < 2 {
				panic("synth: service " + strconv.Quote(s.key) + " needs two complements")
			}
			t.seekCands[gi][si] = in
		}
	}
	for _, p := range scriptPosts {
		gi, ok := segIndex[p.segment]
		if !ok {
			panic("synth: unknown segment " + strconv.Quote(p.segment))
		}
		t.scriptRefs = append(t.scriptRefs, [2]int{svc(p.service), gi})
	}
	return t
}

// zipfCum returns cumulative weights 1/k^s for k = 1..n.
func zipfCum(n int, s float64) []float64 {
	cum := make([]float64, n)
	total := 0.0
	for k := range n {
		total += 1 / math.Pow(float64(k+1), s)
		cum[k] = total
	}
	return cum
}

type generator struct {
	r       *rand.Rand
	t       *tables
	seed    uint64
	quarter match.Quarter
	year    int
	i       int    // number of the last post made, from 1
	buf     []byte // reused for building text
}

func newGenerator(opts Options) *generator {
	q := opts.Quarter
	if q == "" {
		q = match.QuarterOf(time.Now())
	}
	year := q.Year()
	if year == 0 {
		year = time.Now().Year()
	}
	return &generator{
		// The second PCG word is a fixed constant ("synth"): the seed alone
		// decides the stream.
		r:       rand.New(rand.NewPCG(opts.Seed, 0x73796e7468)),
		t:       vocab(),
		seed:    opts.Seed,
		quarter: q,
		year:    year,
	}
}

// draft is a post being made, with what it was made from.
type draft struct {
	in       match.PostInput
	svc, seg int   // indices into services and segments
	seeks    []int // the services the seek text asks for
	script   *scriptPost

	g      *generator
	r      *rand.Rand
	region region
	biz    string // the business name as the text refers to it
	comps  [2]int // complements the seek may name, distinct
	specs  []string
	spec   [2]int // chosen specs; -1 until used
	years  int
	n      int // a client count
	seg2   int // another segment that buys the service; -1 until used
	used   uint8
	buf    []byte
}

// Slots whose use is tracked, so optional sentences do not repeat them.
const (
	usedYears uint8 = 1 << iota
	usedCity
	usedSpec
)

func (g *generator) next() *draft {
	g.i++
	r, t := g.r, g.t
	d := &draft{g: g, r: r, spec: [2]int{-1, -1}, seg2: -1, buf: g.buf}
	if r.Float64() < shareScript {
		k := r.IntN(len(scriptPosts))
		d.script = &scriptPosts[k]
		d.svc, d.seg = t.scriptRefs[k][0], t.scriptRefs[k][1]
		d.region = region{name: d.script.region, city: d.script.region}
	} else {
		d.seg = pickCum(r, t.segCum)
		d.svc = t.segSvcs[d.seg][pickCum(r, t.segSvcCum[d.seg])]
		if r.Float64() >= shareNoRegion {
			d.region = regions[pickCum(r, t.regionCum)]
		}
	}
	s, sg := &services[d.svc], &segments[d.seg]
	d.specs = s.specs
	if sp := s.special[sg.key]; len(sp) > 0 && r.Float64() < 0.6 {
		d.specs = sp
	}
	d.years = 2 + r.IntN(25)
	d.n = 8 + r.IntN(150)
	cands := t.seekCands[d.seg][d.svc]
	d.comps[0] = cands[r.IntN(len(cands))]
	d.comps[1] = d.comps[0]
	for d.comps[1] == d.comps[0] {
		d.comps[1] = cands[r.IntN(len(cands))]
	}

	in := &d.in
	switch f := r.Float64(); {
	case f < shareEither:
		in.Lane = match.LaneEither
	case f < shareEither+shareReferral:
		in.Lane = match.LaneReferral
	default:
		in.Lane = match.LaneStrategic
	}

	var slug string
	if d.script != nil {
		d.biz = d.script.latin
		in.Business = d.script.business
		if r.IntN(2) == 0 {
			in.Business = d.script.latin + " (" + d.script.business + ")"
		}
		slug = d.script.slug
	} else {
		in.Business = d.businessName()
		d.biz = in.Business
		slug = slugify(in.Business)
	}

	noCustomers := d.script == nil && r.Float64() < shareNoCustomers
	in.Offer = d.offer(noCustomers)
	in.Seek = d.seek()
	switch {
	case d.script != nil:
		in.Customers = d.script.customers
	case !noCustomers:
		d.buf = d.sentence(d.buf[:0], pick(r, customerTemplates))
		in.Customers = string(d.buf)
	}
	if r.Float64() >= shareNoIndustry {
		in.Industry = s.industry
	}
	in.Region = d.region.name
	in.Tags = d.tags()
	in.Quarter = g.quarter

	num := strconv.Itoa(g.i)
	if r.Float64() < shareGmail {
		in.Email = strings.ReplaceAll(slug, "-", "") + "." + num + "@gmail.com"
	} else {
		in.Email = "hello@" + slug + "-" + num + ".example"
	}
	if r.Float64() < shareWebsite {
		in.Website = "https://" + slug + "-" + num + ".example"
	}
	in.ExternalID = "gen-" + strconv.FormatUint(g.seed, 10) + "-" + num
	g.buf = d.buf
	return d
}

// pickCum returns an index drawn with the weights whose running totals are cum.
func pickCum(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	return sort.SearchFloat64s(cum, x)
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func (d *draft) businessName() string {
	r, s, sg := d.r, &services[d.svc], &segments[d.seg]
	switch r.IntN(10) {
	case 0, 1, 2:
		return pick(r, nameAdjectives) + " " + pick(r, s.words) + " " + pick(r, nameSuffixes)
	case 3, 4:
		return pick(r, nameAdjectives) + " " + pick(r, sg.words) + " " + s.label
	case 5:
		return pick(r, surnames) + " " + s.label
	case 6:
		a, b := pick(r, surnames), pick(r, surnames)
		if a == b {
			return a + " " + s.label + " " + pick(r, nameSuffixes)
		}
		return a + " & " + b + " " + pick(r, []string{"Partners", "Associates", "Co"})
	case 7:
		return pick(r, firstNames) + "'s " + s.label
	case 8:
		return pick(r, nameAdjectives) + " " + pick(r, s.words)
	default:
		return pick(r, sg.words) + " " + pick(r, s.words) + " " + pick(r, nameSuffixes)
	}
}

// slugify turns a business name into lower-case ASCII words joined by
// hyphens, at most 40 bytes, for email addresses and web addresses.
func slugify(name string) string {
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c == '\'':
		default:
			if len(b) > 0 && b[len(b)-1] != '-' {
				b = append(b, '-')
			}
		}
	}
	if len(b) > 40 {
		b = b[:40]
	}
	s := strings.Trim(string(b), "-")
	if s == "" {
		return "business"
	}
	return s
}

func (d *draft) offer(noCustomers bool) string {
	r, b := d.r, d.buf[:0]
	b = d.sentence(b, pick(r, offerTemplates))
	if d.used&usedYears == 0 && r.Float64() < 0.3 {
		b = d.sentence(append(b, ' '), pick(r, []string{"In business since {since}.", "{years} years in business.", "Founded in {since}."}))
	}
	if d.region.city != "" && d.used&usedCity == 0 && r.Float64() < 0.35 {
		b = d.sentence(append(b, ' '), pick(r, []string{"Based in {city}.", "We're in {city} and work with clients everywhere.", "Local to {city}, happy to work remotely."}))
	}
	if d.used&usedSpec == 0 && r.Float64() < 0.3 {
		b = d.sentence(append(b, ' '), pick(r, []string{"Known for {spec}.", "Specialties: {spec} and {spec2}."}))
	}
	if r.Float64() < 0.25 {
		b = d.sentence(append(b, ' '), pick(r, []string{"We've worked with {n}+ {seg}.", "Trusted by {n} {seg} and counting."}))
	}
	if noCustomers && r.Float64() < 0.6 {
		b = d.sentence(append(b, ' '), "Most of our clients are {seg} {detail}.")
	}
	if d.script != nil {
		b = append(append(b, ' '), d.script.line...)
	}
	if r.Float64() < shareLong {
		b = d.longTail(b)
	}
	d.buf = b
	return string(b)
}

// longTail appends paragraphs until the text is 1,000–1,850 bytes long or
// the paragraphs run out, never passing the 2,000-character limit.
func (d *draft) longTail(b []byte) []byte {
	target := 1000 + d.r.IntN(850)
	for _, k := range d.r.Perm(len(longParagraphs)) {
		if len(b) >= target {
			break
		}
		start := len(b)
		b = d.sentence(append(b, "\n\n"...), longParagraphs[k])
		if len(b) > 1990 {
			b = b[:start]
			break
		}
	}
	return b
}

func (d *draft) seek() string {
	r, in := d.r, &d.in
	var tmpl string
	switch n := len(seekTemplates); in.Lane {
	case match.LaneReferral:
		tmpl = pickOf(r, seekTemplates, referralSeekTemplates)
	case match.LaneStrategic:
		tmpl = pickOf(r, seekTemplates, strategicSeekTemplates)
	default:
		if r.IntN(n+4) < n {
			tmpl = pick(r, seekTemplates)
		} else if r.IntN(2) == 0 {
			tmpl = pick(r, referralSeekTemplates)
		} else {
			tmpl = pick(r, strategicSeekTemplates)
		}
	}
	b := d.sentence(d.buf[:0], tmpl)
	var lines []string
	switch p := r.Float64(); in.Lane {
	case match.LaneReferral:
		if p < 0.75 {
			lines = referralLines
		}
	case match.LaneStrategic:
		if p < 0.75 {
			lines = strategicLines
		}
	default:
		if p < 0.35 {
			lines = eitherLines
		}
	}
	if lines != nil {
		b = append(append(b, ' '), pick(r, lines)...)
	}
	d.buf = b
	return string(b)
}

// pickOf picks uniformly from the two lists together.
func pickOf(r *rand.Rand, a, b []string) string {
	k := r.IntN(len(a) + len(b))
	if k < len(a) {
		return a[k]
	}
	return b[k-len(a)]
}

func (d *draft) tags() []string {
	r, s, sg := d.r, &services[d.svc], &segments[d.seg]
	var n int
	switch x := r.IntN(100); {
	case x < 15:
		n = 0
	case x < 30:
		n = 1
	case x < 55:
		n = 2
	case x < 80:
		n = 3
	case x < 92:
		n = 4
	default:
		n = 5
	}
	tags := make([]string, 0, n)
	if d.script != nil && n > 0 {
		tags = append(tags, d.script.tag)
	}
	pool := len(s.tags) + len(sg.tags)
	for _, k := range r.Perm(pool) {
		if len(tags) >= n {
			break
		}
		var t string
		if k < len(s.tags) {
			t = s.tags[k]
		} else {
			t = sg.tags[k-len(s.tags)]
		}
		dup := false
		for _, have := range tags {
			if strings.EqualFold(have, t) {
				dup = true
				break
			}
		}
		if !dup {
			tags = append(tags, t)
		}
	}
	return tags
}

// sentence appends tmpl to b with its {slots} filled in and its first
// letter capitalised.
func (d *draft) sentence(b []byte, tmpl string) []byte {
	start := len(b)
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b = append(b, tmpl...)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		b = append(b, tmpl[:i]...)
		b = append(b, d.slot(tmpl[i+1:i+j])...)
		tmpl = tmpl[i+j+1:]
	}
	if start < len(b) && b[start] >= 'a' && b[start] <= 'z' {
		b[start] -= 'a' - 'A'
	}
	return b
}

// slot returns the text for one {name} in a template. Names:
//
//	svc, role, arole  the service, and who does it (arole with an article)
//	seg, seg2, short  the segment, another segment buying the service, an adjective
//	spec, spec2       two different specialties
//	outcome, need, detail
//	comp, comp2       who the post seeks, with an article; compbare without
//	compsvc           the sought service
//	biz, city, incity, area, years, since, team, n
func (d *draft) slot(name string) string {
	r, s, sg := d.r, &services[d.svc], &segments[d.seg]
	switch name {
	case "svc":
		return pick(r, s.names)
	case "role":
		return bare(pick(r, s.roles))
	case "arole":
		return pick(r, s.roles)
	case "seg":
		return pick(r, sg.names)
	case "seg2":
		if d.seg2 < 0 {
			d.seg2 = d.otherSegment()
		}
		return pick(r, segments[d.seg2].names)
	case "short":
		return sg.short
	case "spec":
		return d.specialty(0)
	case "spec2":
		return d.specialty(1)
	case "outcome":
		return pick(r, s.outcomes)
	case "need":
		return pick(r, sg.needs)
	case "detail":
		return pick(r, sg.details)
	case "comp":
		d.seeking(d.comps[0])
		return pick(r, services[d.comps[0]].roles)
	case "comp2":
		d.seeking(d.comps[1])
		return pick(r, services[d.comps[1]].roles)
	case "compbare":
		d.seeking(d.comps[0])
		return bare(pick(r, services[d.comps[0]].roles))
	case "compsvc":
		d.seeking(d.comps[0])
		return pick(r, services[d.comps[0]].names)
	case "biz":
		return d.biz
	case "city":
		d.used |= usedCity
		return d.region.city
	case "incity":
		if d.region.city == "" {
			return ""
		}
		d.used |= usedCity
		return " in " + d.region.city
	case "area":
		if d.region.city == "" {
			return pick(r, []string{" anywhere, we work online", " across the country", ""})
		}
		d.used |= usedCity
		return pick(r, []string{" in and around ", " in ", " within an hour of "}) + d.region.city
	case "years":
		d.used |= usedYears
		return strconv.Itoa(d.years)
	case "since":
		d.used |= usedYears
		return strconv.Itoa(d.g.year - d.years)
	case "team":
		return pick(r, []string{"two-person", "three-person", "four-person", "five-person", "small", "tight-knit", "12-person", "family-run"})
	case "n":
		return strconv.Itoa(d.n)
	}
	panic("synth: unknown template slot " + strconv.Quote(name))
}

// specialty returns the k-th (0 or 1) specialty of the post; the two differ.
func (d *draft) specialty(k int) string {
	d.used |= usedSpec
	if d.spec[k] < 0 {
		for {
			d.spec[k] = d.r.IntN(len(d.specs))
			if d.spec[k] != d.spec[1-k] || len(d.specs) < 2 {
				break
			}
		}
	}
	return d.specs[d.spec[k]]
}

// otherSegment returns a segment other than the post's that also buys its
// service, or any other segment if none does.
func (d *draft) otherSegment() int {
	segs := d.g.t.svcSegs[d.svc]
	for range 8 {
		if o := segs[d.r.IntN(len(segs))]; o != d.seg {
			return o
		}
	}
	return (d.seg + 1 + d.r.IntN(len(segments)-1)) % len(segments)
}

func (d *draft) seeking(svc int) {
	for _, s := range d.seeks {
		if s == svc {
			return
		}
	}
	d.seeks = append(d.seeks, svc)
}

// bare drops the article from a role: "an accountant" -> "accountant".
func bare(role string) string {
	if rest, ok := strings.CutPrefix(role, "a "); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(role, "an "); ok {
		return rest
	}
	return role
}
