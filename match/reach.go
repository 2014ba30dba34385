package match

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/matchmaker/matchmaker/match/geo"
)

// Reach is where a post's business works, as far as the post says: near a
// place (a local plumber, salon or caterer serves its own area), online
// (anywhere), or unknown. Only two local businesses can be out of each
// other's reach; a post that does not say how far it works is never
// filtered out for it.
type Reach struct {
	Local  bool
	Online bool
	Place  geo.Place
	// Km is how far from Place (beyond its own radius) the business
	// serves: what the post says ("within 30 miles"), or DefaultReachKm.
	Km float64
}

// DefaultReachKm is how far a local business serves when its post does
// not say: a half-hour's drive.
const DefaultReachKm = 40

// Works reports whether two reaches meet: true unless both are local and
// their areas do not touch.
func (a Reach) Works(b Reach) bool {
	if !a.Local || !b.Local {
		return true
	}
	return geo.Km(a.Place, b.Place)-a.Place.RadiusKm-b.Place.RadiusKm <= a.Km+b.Km
}

// onlineWords say a business works anywhere, in the region field or its
// offer.
var onlineWords = []string{"online", "remote", "remotely", "anywhere", "worldwide", "nationwide", "virtual", "virtually",
	"everywhere", "global", "globally", "over zoom", "by video"}

// localWords say a business comes to its customers or serves its area.
var localWords = []string{"local", "locally", "mobile", "on-site", "onsite", "on site", "in person", "in-person",
	"come to you", "comes to you", "house calls", "door to door", "door-to-door", "in town", "around town",
	"our area", "the area", "the county", "the valley", "nearby", "near you"}

var withinRe = regexp.MustCompile(`(?i)\bwithin\s+(?:a\s+)?(\d{1,4})\s*(miles?|mi|km|kilomet(?:er|re)s?)\b`)

// reachOf reads a post's reach from its region field and its texts. A
// region the host defined ("Tri-County") makes a post local to it; so
// does a place its texts name where they also say the business comes to
// its customers, works locally or "within 30 miles". Online words in the
// region field or the offer make it online.
func reachOf(p Post, areas map[string]geo.Place) Reach {
	region := strings.ToLower(strings.TrimSpace(p.Region))
	offer := strings.ToLower(p.Offer)
	if containsWord(region, onlineWords) || containsWord(offer, onlineWords) {
		return Reach{Online: true}
	}
	r := Reach{Km: DefaultReachKm}
	if m := withinRe.FindStringSubmatch(p.Offer + " " + p.Region); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.Km = float64(n)
		if strings.HasPrefix(strings.ToLower(m[2]), "mi") {
			r.Km = math.Round(float64(n) * 1.609)
		}
	}
	if area, ok := areas[geoKey(p.Region)]; ok && region != "" {
		r.Local, r.Place = true, area
		return r
	}
	local := r.Km != DefaultReachKm || containsWord(region, localWords) || containsWord(offer, localWords)
	if !local {
		return Reach{}
	}
	g := geo.Default()
	if place, ok := g.Find(p.Region, false); ok && region != "" {
		r.Local, r.Place = true, place
		return r
	}
	for _, text := range []string{p.Offer, p.Customers, p.Seek} {
		if place, ok := g.Find(text, true); ok {
			r.Local, r.Place = true, place
			return r
		}
	}
	return Reach{}
}

// geoKey is how a host's area is looked up by name.
func geoKey(name string) string { return strings.Join(strings.Fields(strings.ToLower(name)), " ") }

// containsWord reports whether text holds one of phrases as whole words.
func containsWord(text string, phrases []string) bool {
	for _, ph := range phrases {
		for at := 0; ; {
			i := strings.Index(text[at:], ph)
			if i < 0 {
				break
			}
			i += at
			end := i + len(ph)
			if (i == 0 || !isWordByte(text[i-1])) && (end == len(text) || !isWordByte(text[end])) {
				return true
			}
			at = i + 1
		}
	}
	return false
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

// reachReason says where the two work, when that is part of why they fit:
// "you both work around Leeds", "they work in Bradford, 14 km from you",
// "they work online, anywhere".
func reachReason(a, b Reach) string {
	switch {
	case a.Local && b.Local && a.Place.Name == b.Place.Name:
		return "you both work around " + a.Place.Name
	case a.Local && b.Local:
		return "they work around " + b.Place.Name + ", " + strconv.Itoa(int(math.Round(geo.Km(a.Place, b.Place)))) + " km from you"
	case a.Local && b.Online:
		return "they work online, anywhere"
	}
	return ""
}

// inReach reports whether two posts' areas meet (see Reach.Works), from
// their rules.
func inReach(x, y *docRules) bool {
	if !x.local || !y.local {
		return true
	}
	a := geo.Place{Lat: float64(x.lat), Lon: float64(x.lon)}
	b := geo.Place{Lat: float64(y.lat), Lon: float64(y.lon)}
	return float32(geo.Km(a, b))-x.radius-y.radius <= x.km+y.km
}

// SetAreas replaces the places the host named ("Tri-County": a centre and
// how far it reaches) and reads every post's reach again: a post whose
// region names one of them works in it.
func (e *Engine) SetAreas(areas map[string]geo.Place) {
	e.writing.Lock()
	defer e.writing.Unlock()
	byKey := make(map[string]geo.Place, len(areas))
	for name, p := range areas {
		byKey[geoKey(name)] = p
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.areas = byKey
	for slot := range e.docs {
		d := &e.docs[slot]
		d.reach = reachOf(d.post, byKey)
		e.rules[slot] = d.ruled()
	}
}
