package match_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/match/geo"
)

// TestLocalServicesMatchWithinReach: a local business is matched with
// local partners whose areas meet its own, and with online ones anywhere;
// the reasons say where; the host's areas count as places.
func TestLocalServicesMatchWithinReach(t *testing.T) {
	c := newCommunity(t)
	region := func(r string) func(*match.Post) { return func(p *match.Post) { p.Region = r } }
	plumber := c.add("hi@pipes.example", "Local plumbing: we come to you for leaks, boilers and bathroom refits", "Local electricians and kitchen fitters who send homeowners our way", "Homeowners", region("Leeds"))
	nearby := c.add("hi@sparks.example", "Mobile electricians for homeowners: rewiring, fuse boards, EV chargers", "Plumbers and kitchen fitters for referrals", "Homeowners", region("Bradford"))
	far := c.add("hi@volts.example", "Mobile electricians for homeowners: rewiring, fuse boards, EV chargers", "Plumbers and kitchen fitters for referrals", "Homeowners", region("Porto"))
	online := c.add("hi@plans.example", "Online kitchen design plans for homeowners, drawn remotely", "Plumbers and electricians who fit kitchens", "Homeowners", region("Online"))
	unknown := c.add("hi@tiles.example", "Kitchen fitting and tiling for homeowners", "Plumbers and electricians for referrals", "Homeowners")
	narrow := c.add("hi@drains.example", "Drain unblocking within 5 miles of Bradford, we come to you", "Plumbers for referrals", "Homeowners", region("Bradford"))
	c.filler()
	c.build()
	ms := c.matches(plumber, match.MatchOptions{Limit: 20})
	for _, want := range []int64{nearby, online, unknown} {
		if rank(ms, want) < 0 {
			t.Errorf("post %d is not matched with the Leeds plumber: %v", want, ms)
		}
	}
	if rank(ms, far) >= 0 {
		t.Error("an electrician working around Porto is matched with a plumber working around Leeds")
	}
	// Bradford is 14 km from Leeds: within 40 + 8 km, the drain firm's
	// reach with the plumber's default one.
	if rank(ms, narrow) < 0 {
		t.Error("the drain firm in reach of Leeds is not matched")
	}
	reasons := strings.Join(find(t, ms, nearby).Reasons, "\n")
	if !regexp.MustCompile(`they work around Bradford, 1[345] km from you`).MatchString(reasons) {
		t.Errorf("reasons for the Bradford electrician do not say where:\n%s", reasons)
	}
	if r := find(t, ms, online).Reasons; !slices.Contains(r, "they work online, anywhere") {
		t.Errorf("reasons for the online designer: %q", r)
	}
	// The far electrician's own matches leave Leeds out too.
	if rank(c.matches(far, match.MatchOptions{Limit: 20}), plumber) >= 0 {
		t.Error("the Porto electrician is matched with the Leeds plumber")
	}

	// The host's area: Tri-County around Albany, NY, 40 km across.
	albany, ok := geo.Default().Lookup("Albany")
	if !ok {
		t.Fatal("the gazetteer has no Albany")
	}
	albany.Name, albany.RadiusKm = "Tri-County", 40
	tri := c.add("hi@tri.example", "Local roofing for homeowners, we come to you", "Plumbers and electricians for referrals", "Homeowners", region("Tri-County"))
	c.build()
	if rank(c.matches(tri, match.MatchOptions{Limit: 20}), plumber) < 0 {
		t.Fatal("before the host names Tri-County, a post there is matched like any other: its region is no place")
	}
	c.engine.SetAreas(map[string]geo.Place{"Tri-County": albany})
	if rank(c.matches(tri, match.MatchOptions{Limit: 20}), plumber) >= 0 {
		t.Error("a Tri-County roofer is matched with a Leeds plumber once the host named Tri-County")
	}
}

func TestReachReadsTheText(t *testing.T) {
	g := geo.Default()
	if _, ok := g.Find("mobile dog grooming, we come to you", true); ok {
		t.Error("'mobile' in prose was read as a place")
	}
	if p, ok := g.Find("We serve households across Greater Austin", true); !ok || p.Name != "Austin" || p.Country != "US" {
		t.Errorf("Greater Austin: %+v %v", p, ok)
	}
	for text, want := range map[string]string{"Troy, NY": "NY", "Troy MI": "MI", "Portland, Maine": "ME", "Portland OR": "OR"} {
		if p, ok := g.Find(text, false); !ok || p.RegionCode != want {
			t.Errorf("%s: %+v, want the one in %s", text, p, want)
		}
	}
	if p, ok := g.Find("Porto", false); !ok || p.Country != "PT" {
		t.Errorf("Porto: %+v, want the one in Portugal (the most populous)", p)
	}
	if d := geo.Km(mustPlace(t, "Leeds"), mustPlace(t, "Bradford")); d < 12 || d > 16 {
		t.Errorf("Leeds to Bradford: %.1f km, want about 14", d)
	}
}

func mustPlace(t *testing.T, name string) geo.Place {
	t.Helper()
	p, ok := geo.Default().Lookup(name)
	if !ok {
		t.Fatalf("no %s in the gazetteer", name)
	}
	return p
}
