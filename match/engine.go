package match

import (
	"cmp"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/matchmaker/matchmaker/match/geo"
	"github.com/matchmaker/matchmaker/match/lexicon"
)

// Engine finds and scores matches among posts. It keeps every post it is
// given in memory as sparse term vectors (offer, seek, audience) and two
// dense topic vectors (the whole post's, its audience's), with inverted
// lists from terms to the posts whose offer, seek or audience hold them.
//
// Each posting holds the term's weight in its post's unit vector, so a
// query that sums over the lists of its own terms gets, for every post
// sharing a term with it, the cosines a score is built from (see Weights),
// with no per-post lookup; the similar-word measures are summed over the
// lists of similar words' stems the same way. A bound on the score from
// those sums turns nearly every post away; the few left are scored in
// full. The result is exactly what scoring every post would give
// (MatchOptions.Exact does that, to prove it), without scoring every post.
//
// An Engine is safe for concurrent use: queries share a read lock; writes
// take turns (writing) and hold the write lock only to change what queries
// read, the slow parts (analysis, rebuilding the idf table) being done
// outside it or under the read lock.
type Engine struct {
	vocab   *Vocabulary
	words   *lexicon.Words
	weights Weights

	// writing serialises writers, so that one can build a new idf table
	// and inverted lists under the read lock alone (queries go on) and
	// swap them in under the write lock: nothing else writes meanwhile.
	writing sync.Mutex
	mu      sync.RWMutex
	termIDs map[string]int32
	keys    []string  // term ID -> key
	df      []int32   // number of live posts holding each term
	idf     []float32 // inverse document frequency, refreshed as the corpus grows
	idfN    int       // the live post count the idf table was computed for
	// changed counts the posts added and removed since the idf table was
	// computed: the table is refreshed when they reach a share of idfN.
	changed int
	// dfAud and dfSvc count the live posts that use a term to say whom
	// they serve (customers, audience clauses, tags), and those that use
	// it only to say what they offer or seek. Words a community uses for
	// its audiences ("dental", "farms", "couples") say whom, not what,
	// wherever they stand: sidf is idf less that share (see serviceIDF),
	// the weight of terms in offers and seeks.
	dfAud, dfSvc []int32
	sidf         []float32
	docs         []doc
	// rules holds, by slot, what the rules of a match read of each post:
	// a compact array apart from docs, whose embedded Posts make them large.
	rules []docRules
	// backScale holds, by slot, what turns the sum of a post's seek
	// postings into the share of its seek (nSeek / seekMass): read for
	// every post a query touches, so kept apart from docs too.
	backScale []float32
	slots     map[int64]int32  // post ID -> index in docs
	owners    map[string]int32 // business identity -> interned number
	live      int
	dead      int
	offerIdx  [][]posting // term -> posts whose offer holds it
	seekIdx   [][]posting // term -> posts whose seek holds it
	audIdx    [][]posting // term -> posts whose audience holds it
	// means are the live posts' mean topic vectors, under which topic
	// cosines are centred; refreshed with the idf table.
	means means
	// learned is what the community's answers taught (see Learn).
	learned learning
	// areas are the places the host named ("Tri-County"), by geoKey.
	areas map[string]geo.Place

	scratch sync.Pool // *accumulator

	// refreshing, when set (by tests), runs once a new idf table is built,
	// before the read lock is let go.
	refreshing func()

	// queries admits as many single-post queries at once as there are
	// cores. They are pure computation, so more at once would not finish
	// sooner; and a write waits for every query holding the read lock: on
	// a busy server with dozens of requests in flight, each descheduled
	// in mid-query, that wait would stall every reader behind the writer.
	queries chan struct{}
}

// docRules is what the rules of a match (see eligible) read of a post.
type docRules struct {
	owner  int32
	lanes  laneBits // the lanes the post accepts: one compare, no strings
	active bool
	local  bool // works near a place: lat, lon, radius and km say where
	lat    float32
	lon    float32
	radius float32 // the place's own radius, km
	km     float32 // how far beyond it the business serves
}

// laneBits is a lane as the set of partnership lanes it accepts: two
// posts can partner when their sets meet (see Lane.Accepts).
type laneBits uint8

const (
	strategicBit laneBits = 1 << iota
	referralBit
)

func bitsOf(l Lane) laneBits {
	switch l {
	case LaneStrategic:
		return strategicBit
	case LaneReferral:
		return referralBit
	}
	return strategicBit | referralBit // either, or unknown: as Accepts treats it
}

// entry is one term of a vector and its weight.
type entry struct {
	t int32
	w float32
}

// vector is a sparse vector sorted by term.
type vector []entry

// posting is a post in a term's inverted list, with the term's weight in
// the post's unit vector (weight × idf / norm, under the current idf table).
type posting struct {
	doc int32
	w   float32
}

type doc struct {
	post  Post
	offer vector
	seek  vector
	aud   vector
	topic dense // of the whole post
	whom  dense // of the words saying whom it serves
	reach Reach
	owner int32 // the business behind the post (see ownerOf), interned
	alive bool
	// active: alive and with status active, a possible partner.
	active bool
	// Under the idf table and topic means (both change only in
	// refreshIDF, which recomputes these, or for a brand-new term, which
	// no older post holds): the vector norms; the idf mass of the seek's
	// stems.
	nOffer, nSeek, nAud float32
	seekMass, offerMass float32
}

// LoadLanguage reads the language tables the engine uses (WordNet, word
// vectors and their likeness, the gazetteer), as the first engine or the
// first analysis would: so that a server can read them at start, and a
// benchmark measure them.
func LoadLanguage() {
	lexicon.Default()
	lexicon.DefaultWords()
	geo.Default()
}

// NewEngine returns an empty engine.
func NewEngine(vocab *Vocabulary, w Weights) *Engine {
	return &Engine{vocab: vocab, words: lexicon.DefaultWords(), weights: w, termIDs: map[string]int32{}, slots: map[int64]int32{},
		owners: map[string]int32{}, queries: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// Weights returns the engine's weights.
func (e *Engine) Weights() Weights { return e.weights }

// Len returns the number of posts the engine holds.
func (e *Engine) Len() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.live
}

// Load adds many posts at once, analysing them on every core. It is how an
// engine is filled at start; Upsert and Apply keep it current afterwards.
func (e *Engine) Load(posts []Post) { e.Apply(posts, nil) }

// Apply adds or replaces the posts in upserts and forgets those in removals,
// analysing on every core: the way to apply a batch of changes. It
// refreshes the idf table when enough has changed since the last time (see
// refreshIDF); to apply many batches in a row, ApplyAll refreshes once.
func (e *Engine) Apply(upserts []Post, removals []int64) {
	e.writing.Lock()
	defer e.writing.Unlock()
	e.apply(upserts, removals)
	e.refreshIDF()
}

// ApplyAll applies every batch of changes batches yields, in order, and
// refreshes the idf table once at the end: catching up on a million
// changes costs what applying them does, not a refresh of everything per
// batch. Queries go on between batches, under the table as it was.
func (e *Engine) ApplyAll(batches iter.Seq2[[]Post, []int64]) {
	e.writing.Lock()
	defer e.writing.Unlock()
	for upserts, removals := range batches {
		e.apply(upserts, removals)
	}
	e.refreshIDF()
}

// apply is Apply without the refresh. The caller holds e.writing.
//
// A large batch goes in by chunks: only one chunk's analyses are held at a
// time (a whole community's at once would double the memory loading
// takes), and queries get the lock between chunks. Analysis runs outside
// the lock: it is the slow part.
func (e *Engine) apply(upserts []Post, removals []int64) {
	chunks := slices.Collect(slices.Chunk(upserts, applyChunk))
	if len(chunks) == 0 {
		chunks = [][]Post{nil} // removals only
	}
	for i, chunk := range chunks {
		prepared := e.prepareAll(chunk)
		e.mu.Lock()
		if i == 0 {
			for _, id := range removals {
				e.remove(id)
			}
		}
		for _, p := range prepared {
			e.insert(p)
		}
		e.mu.Unlock()
	}
}

// applyChunk is how many posts Apply analyses before inserting them.
const applyChunk = 5000

// prepareAll analyses posts on every core (a single post in place).
func (e *Engine) prepareAll(posts []Post) []prepared {
	out := make([]prepared, len(posts))
	if len(posts) <= 1 {
		for i, p := range posts {
			out[i] = e.prepare(p)
		}
		return out
	}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(posts); i += workers {
				out[i] = e.prepare(posts[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// Upsert adds a post, or replaces the post with the same ID.
func (e *Engine) Upsert(p Post) { e.Apply([]Post{p}, nil) }

// Remove forgets the post with the given ID, if the engine holds it.
func (e *Engine) Remove(id int64) { e.Apply(nil, []int64{id}) }

// vector turns keyed weights into a vector, registering new terms. The
// caller holds the write lock.
func (e *Engine) vector(weights map[string]float32) vector {
	v := make(vector, 0, len(weights))
	for key, w := range weights {
		v = append(v, entry{t: e.termID(key), w: w})
	}
	slices.SortFunc(v, func(a, b entry) int { return cmp.Compare(a.t, b.t) })
	return v
}

// termID returns the ID of a term key, registering a new one. The caller
// holds the write lock.
func (e *Engine) termID(key string) int32 {
	if id, ok := e.termIDs[key]; ok {
		return id
	}
	id := int32(len(e.df))
	e.termIDs[key] = id
	e.keys = append(e.keys, key)
	e.df = append(e.df, 0)
	e.idf = append(e.idf, 0)
	e.dfAud, e.dfSvc, e.sidf = append(e.dfAud, 0), append(e.dfSvc, 0), append(e.sidf, 0)
	e.offerIdx = append(e.offerIdx, nil)
	e.seekIdx = append(e.seekIdx, nil)
	e.audIdx = append(e.audIdx, nil)
	return id
}

// isStem reports whether a term is a word's own stem (not a family or a
// sense): the similar-word measures compare stems only.
func (e *Engine) isStem(t int32) bool {
	k := e.keys[t]
	return !strings.HasPrefix(k, familyPrefix) && !strings.HasPrefix(k, sensePrefix)
}

// insert adds a prepared post, replacing an older version. Caller holds
// the write lock.
func (e *Engine) insert(p prepared) {
	e.remove(p.post.ID)
	owner, ok := e.owners[ownerOf(p.post.Email)]
	if !ok {
		owner = int32(len(e.owners))
		e.owners[ownerOf(p.post.Email)] = owner
	}
	d := doc{post: p.post, owner: owner, alive: true, active: p.post.Status == StatusActive, topic: dense{v: p.topic}, whom: dense{v: p.whom}, reach: p.reach,
		offer: e.vector(p.offer), seek: e.vector(p.seek), aud: e.vector(p.aud)}
	slot := int32(len(e.docs))
	e.count(&d, 1)
	for _, t := range d.terms() {
		if e.idf[t] == 0 {
			e.idf[t] = idf(max(e.live+1, e.idfN), int(e.df[t]))
			e.sidf[t] = e.serviceIDF(t, e.idf[t])
		}
	}
	e.measure(&d, e.idf, e.sidf, &e.means)
	e.docs = append(e.docs, d)
	e.rules = append(e.rules, d.ruled())
	e.backScale = append(e.backScale, d.backScale())
	e.list(slot)
	e.slots[p.post.ID] = slot
	e.live++
	e.changed++
}

// count adds a post's terms to the document frequencies (by is 1), or
// takes them away (-1).
func (e *Engine) count(d *doc, by int32) {
	for _, t := range d.terms() {
		e.df[t] += by
		switch {
		case holds(d.aud, t):
			e.dfAud[t] += by
		default:
			e.dfSvc[t] += by
		}
	}
}

// serviceIDF is a term's weight in offers and seeks: its idf, less the
// share of the posts using it that use it to say whom they serve.
func (e *Engine) serviceIDF(t int32, idf float32) float32 {
	share := float32(e.dfAud[t]) / float32(e.dfAud[t]+e.dfSvc[t]+1)
	return idf * (1 - float32(e.weights.AudienceWords)*share)
}

// measure sets what a post's scores need of it under the idf tables (idf
// for the audience, sidf for offer and seek) and topic means: its norms,
// stems' masses and centred topics.
func (e *Engine) measure(d *doc, idf, sidf []float32, m *means) {
	d.nOffer, d.nSeek, d.nAud = normWith(d.offer, sidf), normWith(d.seek, sidf), normWith(d.aud, idf)
	d.seekMass, d.offerMass = e.stemMass(d.seek, sidf), e.stemMass(d.offer, sidf)
	d.topic.centre(&m.topic)
	d.whom.centre(&m.whom)
}

// stemMass is the idf mass of a vector's stems: the denominator of the
// shares the similar-word measures are.
func (e *Engine) stemMass(v vector, idf []float32) float32 {
	var m float32
	for _, en := range v {
		if e.isStem(en.t) {
			m += en.w * idf[en.t]
		}
	}
	return m
}

// list appends the post in slot to the inverted lists of its offer, seek
// and audience terms. Caller holds the write lock.
func (e *Engine) list(slot int32) {
	d := &e.docs[slot]
	for _, en := range d.offer {
		e.offerIdx[en.t] = append(e.offerIdx[en.t], posting{doc: slot, w: unit(en, d.nOffer, e.sidf)})
	}
	for _, en := range d.seek {
		e.seekIdx[en.t] = append(e.seekIdx[en.t], posting{doc: slot, w: unit(en, d.nSeek, e.sidf)})
	}
	for _, en := range d.aud {
		e.audIdx[en.t] = append(e.audIdx[en.t], posting{doc: slot, w: unit(en, d.nAud, e.idf)})
	}
}

// unit is the entry's weight in its vector scaled to length 1, under the
// idf table given.
func unit(en entry, norm float32, idf []float32) float32 {
	if norm == 0 {
		return 0
	}
	return en.w * idf[en.t] / norm
}

// lists builds the inverted lists of the live posts, in slot order, under
// the idf tables and the posts' measures given (by slot). It only reads
// the engine: the caller holds the read lock, or the write lock.
func (e *Engine) lists(idf, sidf []float32, ms []doc) (offer, seek, aud [][]posting) {
	build := func(vec func(*doc) vector, norm func(*doc) float32, idf []float32) [][]posting {
		// Counted first, so that all the lists share one array; each is
		// capped at its end, so that appending to one never runs into
		// the next.
		count := make([]int, len(idf))
		total := 0
		for slot := range e.docs {
			if e.docs[slot].alive {
				for _, en := range vec(&e.docs[slot]) {
					count[en.t]++
					total++
				}
			}
		}
		all := make([]posting, 0, total)
		out := make([][]posting, len(idf))
		for t, n := range count {
			out[t] = all[len(all) : len(all) : len(all)+n]
			all = all[:len(all)+n]
		}
		for slot := range e.docs {
			if d := &e.docs[slot]; d.alive {
				for _, en := range vec(d) {
					out[en.t] = append(out[en.t], posting{doc: int32(slot), w: unit(en, norm(&ms[slot]), idf)})
				}
			}
		}
		return out
	}
	offer = build(func(d *doc) vector { return d.offer }, func(m *doc) float32 { return m.nOffer }, sidf)
	seek = build(func(d *doc) vector { return d.seek }, func(m *doc) float32 { return m.nSeek }, sidf)
	aud = build(func(d *doc) vector { return d.aud }, func(m *doc) float32 { return m.nAud }, idf)
	return offer, seek, aud
}

// relist rebuilds the inverted lists from the live posts, as compaction
// needs. Caller holds the write lock.
func (e *Engine) relist() {
	e.offerIdx, e.seekIdx, e.audIdx = e.lists(e.idf, e.sidf, e.docs)
}

// remove marks a post dead; its postings are skipped until the next
// compaction. Caller holds the write lock.
func (e *Engine) remove(id int64) {
	slot, ok := e.slots[id]
	if !ok {
		return
	}
	d := &e.docs[slot]
	e.count(d, -1)
	d.alive, d.active = false, false
	e.rules[slot].active = false
	delete(e.slots, id)
	e.live--
	e.dead++
	e.changed++
	if e.dead > 1000 && e.dead > e.live/4 {
		e.compact()
	}
}

// compact drops dead posts and rebuilds the inverted lists.
func (e *Engine) compact() {
	live := make([]doc, 0, e.live)
	for _, d := range e.docs {
		if d.alive {
			live = append(live, d)
		}
	}
	e.docs, e.dead = live, 0
	e.rules, e.backScale = e.rules[:0], e.backScale[:0]
	for slot, d := range e.docs {
		e.rules = append(e.rules, d.ruled())
		e.backScale = append(e.backScale, d.backScale())
		e.slots[d.post.ID] = int32(slot)
	}
	e.relist()
}

func (d *doc) backScale() float32 {
	if d.seekMass == 0 {
		return 0
	}
	return d.nSeek / d.seekMass
}

func (d *doc) ruled() docRules {
	r := docRules{owner: d.owner, lanes: bitsOf(d.post.Lane), active: d.active}
	if d.reach.Local {
		r.local, r.lat, r.lon = true, float32(d.reach.Place.Lat), float32(d.reach.Place.Lon)
		r.radius, r.km = float32(d.reach.Place.RadiusKm), float32(d.reach.Km)
	}
	return r
}

// terms returns the distinct terms of a post, across its vectors.
func (d *doc) terms() []int32 {
	var ts []int32
	for _, v := range []vector{d.offer, d.seek, d.aud} {
		for _, en := range v {
			ts = append(ts, en.t)
		}
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// refreshIDF recomputes the idf table, the topic mean, each post's
// measures and the postings' weights once the posts added and removed
// since the last time reach 2% of the posts then: they drift slowly, and a
// full pass over the lists on every write would cost too much. (An update
// counts twice, as a removal and an addition: rewording many posts moves
// the table even when their number stays.)
//
// The new table, measures and lists (tens of milliseconds for 100,000
// posts) are built under the read lock, so queries go on meanwhile; only
// the swap takes the write lock. The caller holds e.writing, so nothing
// changes in between.
func (e *Engine) refreshIDF() {
	e.mu.RLock()
	live := e.live
	if e.changed == 0 || float64(e.changed) <= 0.02*float64(e.idfN) {
		e.mu.RUnlock()
		return
	}
	table, stable := make([]float32, len(e.df)), make([]float32, len(e.df))
	for t, df := range e.df {
		table[t] = idf(live, int(df))
		stable[t] = e.serviceIDF(int32(t), table[t])
	}
	mean := newMeans(e.meanOf(func(d *doc) []int8 { return d.topic.v }), e.meanOf(func(d *doc) []int8 { return d.whom.v }))
	ms := make([]doc, len(e.docs))
	for slot := range e.docs {
		m, d := &ms[slot], &e.docs[slot]
		m.offer, m.seek, m.aud, m.topic.v, m.whom.v = d.offer, d.seek, d.aud, d.topic.v, d.whom.v
		e.measure(m, table, stable, &mean)
	}
	offer, seek, aud := e.lists(table, stable, ms)
	if e.refreshing != nil {
		e.refreshing()
	}
	e.mu.RUnlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	e.idf, e.sidf, e.idfN, e.means, e.changed = table, stable, live, mean, 0
	for slot := range ms {
		d, m := &e.docs[slot], &ms[slot]
		d.nOffer, d.nSeek, d.nAud, d.seekMass, d.offerMass, d.topic, d.whom = m.nOffer, m.nSeek, m.nAud, m.seekMass, m.offerMass, m.topic, m.whom
		e.backScale[slot] = d.backScale()
	}
	e.offerIdx, e.seekIdx, e.audIdx = offer, seek, aud
}

func idf(n, df int) float32 {
	if df <= 0 {
		df = 1
	}
	return float32(math.Log(1 + float64(max(n, 1))/float64(df)))
}

// normWith is the length of v with terms weighted by idf.
func normWith(v vector, idf []float32) float32 {
	var s float32
	for _, en := range v {
		x := en.w * idf[en.t]
		s += x * x
	}
	return float32(math.Sqrt(float64(s)))
}

// cosine is the cosine similarity of two vectors weighted by idf (a
// table), whose norms are na and nb.
func cosine(a, b vector, na, nb float32, idf []float32) float64 {
	if na == 0 || nb == 0 {
		return 0
	}
	var dot float32
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].t < b[j].t:
			i++
		case a[i].t > b[j].t:
			j++
		default:
			f := idf[a[i].t]
			dot += a[i].w * b[j].w * f * f
			i++
			j++
		}
	}
	return math.Min(1, float64(dot/(na*nb)))
}

// webmail domains are shared by many businesses, so for them the whole
// address identifies the business rather than the domain.
var webmail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "yahoo.com": true, "ymail.com": true, "outlook.com": true,
	"hotmail.com": true, "live.com": true, "msn.com": true, "icloud.com": true, "me.com": true, "mac.com": true,
	"aol.com": true, "proton.me": true, "protonmail.com": true, "gmx.com": true, "gmx.de": true, "gmx.net": true,
	"mail.com": true, "yandex.com": true, "yandex.ru": true, "zoho.com": true, "fastmail.com": true,
	"hey.com": true, "tutanota.com": true, "web.de": true, "qq.com": true, "163.com": true,
}

// SameBusiness reports whether two posts come from one business: the same
// email domain, or for webmail the same address.
func SameBusiness(a, b Post) bool { return ownerOf(a.Email) == ownerOf(b.Email) }

// ownerOf returns what identifies the business behind an email address.
func ownerOf(email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	_, domain, ok := strings.Cut(email, "@")
	if !ok || webmail[domain] {
		return email
	}
	return domain
}
