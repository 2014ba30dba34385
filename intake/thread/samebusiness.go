package thread

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// One business, one draft: how the replies of one person, or of one
// business under two people or two names, are told to belong together.

// personKey identifies who wrote an item: their name, or their address.
func personKey(it *item) string {
	if it.row > 0 && it.fields[FieldEmail] != "" {
		return strings.ToLower(it.fields[FieldEmail])
	}
	if k := normName(it.author); k != "" {
		return k
	}
	return strings.ToLower(it.handle)
}

func groupText(g *group) string {
	var parts []string
	for _, it := range g.items {
		parts = append(parts, it.text())
	}
	return strings.Join(parts, "\n")
}

func rowText(it *item) string {
	var parts []string
	for _, f := range []string{FieldBusiness, FieldOffer, FieldSeek} {
		if v := it.fields[f]; v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(append(parts, it.body...), " | ")
}

// alike reports whether a text says again what was said: most of its
// words are in the earlier text.
func alike(text, before string) bool {
	ws := contentWords(text)
	if len(ws) < 4 {
		return false
	}
	seen := map[string]bool{}
	for _, w := range contentWords(before) {
		seen[w] = true
	}
	hit := 0
	for _, w := range ws {
		if seen[w] {
			hit++
		}
	}
	return hit*10 >= len(ws)*8
}

var wordRe = regexp.MustCompile(`[\p{L}0-9']+`)

func contentWords(s string) []string {
	var out []string
	for _, w := range wordRe.FindAllString(strings.ToLower(s), -1) {
		if !stopWords[w] && utf8.RuneCountInString(w) > 1 {
			out = append(out, w)
		}
	}
	return out
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but of to in on for with at by from as is are was were be been being am i we you they he she it
		my our your their his her its me us them this that these those so if then than too very just also not no yes do does did have has had
		will would can could should may might must about into over under up down out off again more most some any all each every own same
		such only both either here there when where why how what who whom which while because until again further once hi hello hey thanks`) {
		m[w] = true
	}
	return m
}()

// businesses indexes drafts by what says two are one business: the same
// site, the same business e-mail domain, or the same name.
// otherBusiness opens a second business of the same person.
var otherBusiness = regexp.MustCompile(`(?i)\b(?:this time for|(?:his|her|their|my|our) (?:other|second) (?:business|company|venture|studio|shop|brand)|other hat|my other (?:business|company|venture|hat)|(?:i|we) also (?:run|own|have) (?:a |an |another )?(?:second |separate |sister )?(?:business|company|brand|side business)|second business|side (?:business|hustle)|another business|sister (?:company|business|brand))\b`)

// colleague says a reply is by someone who works with a person who posted
// before: "I work with Marta at PackRight", "Ahmad's colleague here".
var colleague = regexp.MustCompile(`(?i)\b(?:i work with|(?:my|a|his|her|their|\w+'s|\w+’s) (?:colleague|co-?worker|boss|business partner|co-?founder)|colleague of|co-?owner of|(?:the )?other half of|same as (?:he|she|they|\w+) said|same (?:company|outfit|team|business|firm|practice)|(?:also|too) (?:work|am) (?:at|with)|just echoing|echoing|on behalf of)\b`)

// colleagueOfName names whose colleague writes: "Ahmad's colleague".
var colleagueOfName = regexp.MustCompile(`(\p{Lu}\p{Ll}+)['’]s (?:colleague|co-?worker|business partner|co-?founder|co-?owner|boss|partner|sister|brother|wife|husband|son|daughter|mum|mom|dad)\b`)

// colleagueOf returns the draft, among those kept, of the business a
// colleague's reply names, or -1.
func colleagueOf(d Draft, kept []Draft) int {
	if !colleague.MatchString(d.Source) {
		return -1
	}
	text := normName(d.Source)
	whose := ""
	if m := colleagueOfName.FindStringSubmatch(d.Source); m != nil {
		whose = normName(m[1])
	}
	for i, k := range kept {
		if f := strings.Fields(k.Name); whose != "" && len(f) > 0 && normName(f[0]) == whose {
			return i // "Ahmad's colleague here"
		}
		if b := normName(k.Business); len(b) > 3 && strings.Contains(text, b) {
			return i
		}
		if f := strings.Fields(k.Name); len(f) > 0 && len(f[0]) > 2 && containsWord(strings.ToLower(d.Source), strings.ToLower(f[0])) && d.Business != "" &&
			strings.Contains(normName(k.Source), normName(d.Business)) {
			return i
		}
	}
	return -1
}

// shortFormOf returns the kept draft whose business name is this one's
// with words added or left off ("Rheinlab" and "Rheinlab Analytics AG"),
// or -1. The shared words must hold one no dictionary knows, so that
// "Kessler Roofing" and "Kessler Plumbing" stay two.
func shortFormOf(d Draft, kept []Draft) int {
	a := strings.Fields(strings.ToLower(d.Business))
	if len(a) == 0 {
		return -1
	}
	for i, k := range kept {
		b := strings.Fields(strings.ToLower(k.Business))
		short, long := a, b
		if len(short) > len(long) {
			short, long = long, short
		}
		if len(short) == 0 || len(short) == len(long) || !slices.Equal(short, long[:len(short)]) {
			continue
		}
		for _, w := range short {
			if r, known := wordRank(strings.Trim(w, ".,'’")); len(w) >= 5 && (!known || r > 30000) {
				return i
			}
		}
	}
	return -1
}

// containsWord reports whether w is a whole word of text.
func containsWord(text, w string) bool {
	for _, f := range strings.Fields(text) {
		if f == w {
			return true
		}
	}
	return false
}

type businesses map[string]int

func businessKeys(d Draft) []string {
	var keys []string
	if d.Website != "" {
		keys = append(keys, "site:"+domainOf(d.Website))
	}
	if d.Email != "" && !webmail[domainOf(d.Email)] {
		keys = append(keys, "mail:"+domainOf(d.Email))
	}
	if k := normName(d.Business); k != "" {
		keys = append(keys, "name:"+k)
	}
	return keys
}

// find returns the index of a draft for the same business as d, or -1.
func (b businesses) find(d Draft) int {
	for _, k := range businessKeys(d) {
		if i, ok := b[k]; ok {
			return i
		}
	}
	return -1
}

func (b businesses) add(d Draft, i int) {
	for _, k := range businessKeys(d) {
		if _, ok := b[k]; !ok {
			b[k] = i
		}
	}
}
