package match_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

type community struct {
	t      *testing.T
	posts  []match.Post
	engine *match.Engine
}

func newCommunity(t *testing.T) *community {
	return &community{t: t}
}

// add creates an active post; email decides the business behind it.
func (c *community) add(email, offer, seek, customers string, mods ...func(*match.Post)) int64 {
	in := match.PostInput{Business: email, Email: email, Offer: offer, Seek: seek, Customers: customers}
	in.Normalize()
	if err := match.Validate(&in); err != nil {
		c.t.Fatalf("post %s: %v", email, err)
	}
	p := in.Post(time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
	p.ID = int64(len(c.posts) + 1)
	for _, m := range mods {
		m(&p)
	}
	c.posts = append(c.posts, p)
	return p.ID
}

func (c *community) build() *match.Engine {
	c.engine = match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
	c.engine.Load(c.posts)
	return c.engine
}

func (c *community) matches(id int64, opt match.MatchOptions) []match.Match {
	c.t.Helper()
	ms, err := c.engine.Matches(id, opt)
	if err != nil {
		c.t.Fatalf("matches of %d: %v", id, err)
	}
	return ms
}

func rank(ms []match.Match, id int64) int {
	for i, m := range ms {
		if m.Post.ID == id {
			return i
		}
	}
	return -1
}

func find(t *testing.T, ms []match.Match, id int64) match.Match {
	t.Helper()
	if i := rank(ms, id); i >= 0 {
		return ms[i]
	}
	t.Fatalf("post %d is not among the matches %v", id, ms)
	return match.Match{}
}

func lane(l match.Lane) func(*match.Post) { return func(p *match.Post) { p.Lane = l } }

// filler gives the engine a community to compute word statistics on.
func (c *community) filler() {
	c.add("a@florals.example", "Wedding flowers and ceremony styling", "Wedding planners and venues", "Engaged couples")
	c.add("b@vets.example", "Veterinary care for dogs and cats", "Dog groomers and pet sitters", "Pet owners")
	c.add("c@gym.example", "Strength training and group classes", "Physiotherapists and nutrition coaches", "Busy adults who train")
	c.add("d@law.example", "Estate planning and wills", "Financial advisers for retirees", "Families and retirees")
}

func TestPartnerBeatsCompetitor(t *testing.T) {
	c := newCommunity(t)
	me := c.add("hi@ledger.example", "Bookkeeping and monthly closes for Shopify stores", "Shopify developers and agencies who build online stores", "Ecommerce brands")
	partner := c.add("hi@forge.example", "We design and build Shopify stores and themes", "A bookkeeper who understands ecommerce for our clients", "Online store owners")
	rival := c.add("hi@tally.example", "Bookkeeping and monthly closes for ecommerce businesses", "Shopify developers and agencies for referrals", "Shopify brands")
	c.filler()
	c.build()
	ms := c.matches(me, match.MatchOptions{})
	p, r := find(t, ms, partner), rank(ms, rival)
	if r >= 0 && r < rank(ms, partner) {
		t.Errorf("the rival ranks %d, above the partner at %d", r, rank(ms, partner))
	}
	if r >= 0 {
		rv := ms[r]
		if rv.Scores.SameOffer <= p.Scores.SameOffer {
			t.Errorf("same_offer: rival %.2f should exceed partner %.2f", rv.Scores.SameOffer, p.Scores.SameOffer)
		}
		if rv.Score >= p.Score/2 {
			t.Errorf("rival score %.3f is not far below the partner's %.3f", rv.Score, p.Score)
		}
	}
	if p.Score <= 0 || p.Score > 1 {
		t.Errorf("partner score %.3f is not in (0, 1]", p.Score)
	}
}

func TestSharedCustomersBeatDifferentCustomers(t *testing.T) {
	c := newCommunity(t)
	me := c.add("hi@smile.example", "Websites and SEO for dental practices", "A dental billing service to bundle with our websites", "Dentists")
	dental := c.add("hi@claims.example", "Insurance billing and claims for dental offices", "Web designers who build sites for dentists", "Dental practices")
	restaurant := c.add("hi@tabs.example", "Insurance billing and claims for restaurants", "Web designers who build sites for restaurants", "Restaurants and cafés")
	c.filler()
	c.build()
	ms := c.matches(me, match.MatchOptions{})
	d, r := find(t, ms, dental), find(t, ms, restaurant)
	if d.Scores.SharedCustomers <= r.Scores.SharedCustomers {
		t.Errorf("shared_customers: dental %.2f should exceed restaurant %.2f", d.Scores.SharedCustomers, r.Scores.SharedCustomers)
	}
	if rank(ms, dental) > rank(ms, restaurant) {
		t.Errorf("the partner with other customers ranks above the one sharing them")
	}
}

func TestOneSidedRanksBelowMutual(t *testing.T) {
	c := newCommunity(t)
	me := c.add("hi@lens.example", "Wedding photography and albums", "A wedding planner to build packages with", "Engaged couples")
	mutual := c.add("hi@plan.example", "Wedding planning and day-of coordination", "A wedding photographer for our couples", "Engaged couples")
	oneSided := c.add("hi@events.example", "Wedding planning and day-of coordination", "A bookkeeper to handle our invoices", "Engaged couples")
	c.filler()
	c.build()
	ms := c.matches(me, match.MatchOptions{})
	m, o := find(t, ms, mutual), find(t, ms, oneSided)
	if o.Scores.YouOfferWhatTheySeek >= m.Scores.YouOfferWhatTheySeek {
		t.Errorf("you_offer_what_they_seek: one-sided %.2f should be below mutual %.2f", o.Scores.YouOfferWhatTheySeek, m.Scores.YouOfferWhatTheySeek)
	}
	if o.Score >= m.Score {
		t.Errorf("one-sided match %.3f does not rank below the mutual one %.3f", o.Score, m.Score)
	}
}

func TestLaneRules(t *testing.T) {
	c := newCommunity(t)
	me := c.add("hi@lens.example", "Wedding photography and albums", "A wedding planner to build packages with", "Engaged couples", lane(match.LaneStrategic))
	referral := c.add("hi@plan.example", "Wedding planning and coordination", "A wedding photographer for our couples", "Engaged couples", lane(match.LaneReferral))
	either := c.add("hi@plan2.example", "Wedding planning and coordination", "A wedding photographer for our couples", "Engaged couples", lane(match.LaneEither))
	strategic := c.add("hi@plan3.example", "Wedding planning and coordination", "A wedding photographer for our couples", "Engaged couples", lane(match.LaneStrategic))
	c.filler()
	c.build()
	ms := c.matches(me, match.MatchOptions{})
	if rank(ms, referral) >= 0 {
		t.Error("a referral post matched a strategic one")
	}
	find(t, ms, either)
	find(t, ms, strategic)
	// Seen from the referral post: the strategic one is not there either.
	if rank(c.matches(referral, match.MatchOptions{}), me) >= 0 {
		t.Error("the strategic post matched the referral one")
	}
	// A lane filter keeps partners both of whom accept that lane.
	ms = c.matches(either, match.MatchOptions{Lane: match.LaneReferral})
	if rank(ms, me) >= 0 || rank(ms, strategic) >= 0 {
		t.Errorf("lane=referral kept strategic posts: %v", ms)
	}
}

func TestNeverSelfOrSameBusiness(t *testing.T) {
	c := newCommunity(t)
	me := c.add("anna@keystone.example", "Real estate agent for first-time buyers", "A home inspector and a mortgage broker", "Home buyers")
	sameFirm := c.add("bob@keystone.example", "Home inspections for buyers", "Real estate agents who work with first-time buyers", "Home buyers")
	other := c.add("hi@trueframe.example", "Home inspections for buyers", "Real estate agents who work with first-time buyers", "Home buyers")
	webmailA := c.add("anna.k@gmail.com", "Mortgage broker for first-time buyers", "Real estate agents and home inspectors", "Home buyers")
	webmailB := c.add("bob.m@gmail.com", "Home inspections for buyers", "Mortgage brokers who work with first-time buyers", "Home buyers")
	c.filler()
	c.build()
	ms := c.matches(me, match.MatchOptions{Limit: 20})
	if rank(ms, me) >= 0 || rank(ms, sameFirm) >= 0 {
		t.Errorf("matched itself or its own firm: %v", ms)
	}
	find(t, ms, other)
	// Webmail domains are shared by strangers: different addresses match.
	find(t, c.matches(webmailA, match.MatchOptions{Limit: 20}), webmailB)
}

func TestOnlyActivePostsAreMatched(t *testing.T) {
	c := newCommunity(t)
	me := c.add("hi@lens.example", "Wedding photography and albums", "A wedding planner to build packages with", "Engaged couples")
	var others []int64
	for _, st := range []match.Status{match.StatusPaused, match.StatusHidden, match.StatusPending} {
		others = append(others, c.add("hi@"+string(st)+".example", "Wedding planning and coordination", "A wedding photographer for our couples", "Engaged couples",
			func(p *match.Post) { p.Status = st }))
	}
	active := c.add("hi@active.example", "Wedding planning and coordination", "A wedding photographer for our couples", "Engaged couples")
	c.filler()
	c.build()
	ms := c.matches(me, match.MatchOptions{})
	for _, id := range others {
		if rank(ms, id) >= 0 {
			t.Errorf("a post that is not active (%d) was matched", id)
		}
	}
	find(t, ms, active)
	// A paused post still has matches to look at (for its owner and the host).
	find(t, c.matches(others[0], match.MatchOptions{}), me)
	// Exclude drops pairs declined or introduced before.
	if rank(c.matches(me, match.MatchOptions{Exclude: func(id int64) bool { return id == active }}), active) >= 0 {
		t.Error("an excluded partner was matched")
	}
}

func TestUpsertAndRemove(t *testing.T) {
	c := newCommunity(t)
	me := c.add("hi@lens.example", "Wedding photography and albums", "A wedding planner to build packages with", "Engaged couples")
	planner := c.add("hi@plan.example", "Wedding planning and coordination", "A wedding photographer for our couples", "Engaged couples")
	c.filler()
	e := c.build()
	changed := c.posts[planner-1]
	changed.Offer, changed.Seek, changed.Customers = "Payroll for construction firms", "Accountants for contractors", "Contractors"
	e.Upsert(changed)
	// Payroll for contractors may still touch a word of ours ("build"
	// and "construction" are alike), but it is no partner any more.
	if ms := c.matches(me, match.MatchOptions{}); rank(ms, planner) >= 0 && ms[rank(ms, planner)].Score >= 0.1 {
		t.Errorf("after its offer changed, the old planner post still matches with score %.3f", ms[rank(ms, planner)].Score)
	}
	newcomer := c.posts[0]
	newcomer.ID, newcomer.Email = 99, "hi@new.example"
	newcomer.Offer, newcomer.Seek = "Wedding planning and coordination", "A wedding photographer for our couples"
	e.Upsert(newcomer)
	find(t, c.matches(me, match.MatchOptions{}), 99)
	e.Remove(99)
	if rank(c.matches(me, match.MatchOptions{}), 99) >= 0 {
		t.Error("a removed post is still matched")
	}
	if _, err := e.Matches(99, match.MatchOptions{}); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("matches of a removed post: got %v, want not found", err)
	}
	if e.Len() != len(c.posts) {
		t.Errorf("engine holds %d posts, want %d", e.Len(), len(c.posts))
	}
}

func TestReasonsQuoteBothSides(t *testing.T) {
	c := newCommunity(t)
	me := c.add("hi@ledger.example", "Bookkeeping for ecommerce businesses", "An accountant is what our clients keep asking for, so: Shopify developers", "Online store owners",
		func(p *match.Post) { p.Seek = "We want to meet Shopify developers whose clients need a bookkeeper" })
	partner := c.add("hi@forge.example", "We build Shopify stores for skincare brands", "An accountant who understands Shopify payouts", "Online store owners")
	c.filler()
	c.build()
	m := find(t, c.matches(me, match.MatchOptions{}), partner)
	all := strings.Join(m.Reasons, "\n")
	for _, want := range []string{
		"you look for 'We want to meet Shopify developers whose clients need a bookkeeper'; they offer 'We build Shopify stores for skincare brands'",
		"they look for 'An accountant who understands Shopify payouts'; you offer 'Bookkeeping for ecommerce businesses'; 'Bookkeeping' is close to the 'accountant' they seek",
		"you both serve 'Online store owners'",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("reasons lack %q; got:\n%s", want, all)
		}
	}
}

func TestMatchesOfUnknownPost(t *testing.T) {
	e := match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
	if _, err := e.Matches(1, match.MatchOptions{}); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("got %v, want not found", err)
	}
}

func TestParseWeights(t *testing.T) {
	w, err := match.ParseWeights([]byte(`{"shared_customers": 0.5}`))
	if err != nil || w.SharedCustomers != 0.5 || w.Mutual != match.DefaultWeights().Mutual {
		t.Errorf("partial override: %+v %v", w, err)
	}
	for _, bad := range []string{`{"shared_customer": 0.5}`, `{"mutual": 11}`, `{"mutual": -1}`, `{"competitor_penalty": 1.5}`, `{"candidates": 400}`, `{"rival_at": 0}`, `[1]`} {
		if _, err := match.ParseWeights([]byte(bad)); !errors.Is(err, match.ErrInvalid) {
			t.Errorf("ParseWeights(%s) = %v, want invalid", bad, err)
		}
	}
}
