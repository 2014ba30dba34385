package thread

import (
	"regexp"
	"slices"
	"strings"
)

// Making drafts of a paste's items: who the host is, which items are
// chatter, which belong together (a person's follow-ups, the same offer
// twice), and the fields of each draft.

// group is the items that make one draft.
type group struct {
	items []*item
	hints []string // for each item, the field the host's question before it asked for
}

func assemble(res *Result, items []item) {
	firstSigned := 0 // the item that can be the host's call for replies
	host := res.Host
	if host == "" {
		host = hostOf(items)
	}
	res.Host = host
	var (
		questions []string // the fields of the host's numbered questions
		groups    []*group
		byPerson  = map[string]int{}
		lastAsk   = map[string]string{} // person -> field the host last asked them about
		skips     []Skipped
	)
	for k := range items {
		it := &items[k]
		reason := chatterReason(it, host, k == firstSigned)
		if k == firstSigned && it.author == "" && reason == SkipOriginalPost && len(strings.Fields(it.text())) <= 12 && k+1 < len(items) {
			firstSigned++ // a channel's or page's heading: the post comes next
		}
		if reason == SkipOriginalPost || reason == SkipHost {
			if qs := questionsOf(it.text()); len(qs) >= 2 && questions == nil {
				questions = qs
			}
			if reason == SkipHost {
				if f := askedField(it.text()); f != "" {
					for _, who := range addressed(it, items[:k]) {
						lastAsk[normName(who)] = f
					}
				}
			}
		}
		key := personKey(it)
		if reason != "" && reason != SkipChatter && reason != SkipTag {
			skips = append(skips, Skipped{Name: it.author, Reason: reason, Text: clip(it.text(), 200), Into: -1})
			continue
		}
		if g, ok := byPerson[key]; ok && key != "" {
			// A person's later words: the same offer again, a follow-up
			// that adds to it, or chatter of theirs.
			prev := groups[g]
			switch {
			case reason == "" && otherBusiness.MatchString(it.text()) && it.row == 0:
				// "Other hat on: I also run Chew Valley Honey": a second
				// business of theirs, a draft of its own.
				groups = append(groups, &group{items: []*item{it}, hints: []string{""}})
				continue
			case it.row > 0:
				prev.items, prev.hints = append(prev.items, it), append(prev.hints, "")
				skips = append(skips, Skipped{Name: it.author, Reason: SkipDuplicate, Text: clip(rowText(it), 200), Into: g})
			case alike(it.text(), groupText(prev)):
				skips = append(skips, Skipped{Name: it.author, Reason: SkipDuplicate, Text: clip(it.text(), 200), Into: g})
			case reason == "" || lastAsk[key] != "" || hasLetters(it.text()) && words(it.text()) >= 3 && !chatterPhrase.MatchString(it.text()):
				prev.items, prev.hints = append(prev.items, it), append(prev.hints, lastAsk[key])
				delete(lastAsk, key)
				skips = append(skips, Skipped{Name: it.author, Reason: SkipFollowUp, Text: clip(it.text(), 200), Into: g})
			default:
				skips = append(skips, Skipped{Name: it.author, Reason: reason, Text: clip(it.text(), 200), Into: -1})
			}
			continue
		}
		if reason != "" {
			skips = append(skips, Skipped{Name: it.author, Reason: reason, Text: clip(it.text(), 200), Into: -1})
			continue
		}
		if key != "" {
			byPerson[key] = len(groups)
		}
		groups = append(groups, &group{items: []*item{it}, hints: []string{""}})
	}
	var names []string
	nameKeys := map[string]bool{}
	for _, it := range items {
		if k := normName(it.author); k != "" && !nameKeys[k] {
			nameKeys[k] = true
			names = append(names, it.author)
		}
	}
	drafts := make([]Draft, len(groups))
	for g, gr := range groups {
		drafts[g] = draftFrom(gr.items, &paste{questions: questions, hints: gr.hints, host: host, names: names, nameKeys: nameKeys})
	}
	// One business, one draft: a second person from it, or a form filled
	// twice under another name, joins the first.
	for k := range skips {
		if skips[k].Into >= 0 {
			skips[k].Into = -2 - skips[k].Into // a group's number, made a draft's below
		}
	}
	keep := make([]int, len(drafts)) // group -> draft
	var out []Draft
	seen := businesses{}
	for g := range drafts {
		into := seen.find(drafts[g])
		if into < 0 {
			into = colleagueOf(drafts[g], out)
		}
		if into < 0 {
			into = shortFormOf(drafts[g], out)
		}
		if into >= 0 {
			keep[g] = into
			skips = append(skips, Skipped{Name: drafts[g].Name, Reason: SkipDuplicate, Text: clip(drafts[g].Source, 200), Into: into})
			continue
		}
		keep[g] = len(out)
		seen.add(drafts[g], len(out))
		out = append(out, drafts[g])
	}
	for k := range skips {
		if skips[k].Into <= -2 {
			skips[k].Into = keep[-2-skips[k].Into]
		}
	}
	res.Drafts = out
	res.Skipped = append(res.Skipped, skips...)
	if res.Skipped == nil {
		res.Skipped = []Skipped{}
	}
}

// hostOf finds the host: whoever wrote a first item that calls for
// replies, or the writer the platform marks as the post's author, or the
// one most e-mails were sent to.
func hostOf(items []item) string {
	if len(items) == 0 {
		return ""
	}
	if callForReplies.MatchString(items[0].text()) && items[0].author != "" {
		return items[0].author
	}
	for _, it := range items {
		if strings.EqualFold(it.badge, "author") {
			return it.author
		}
	}
	count := map[string]int{}
	best, bestN := "", 1
	for _, it := range items {
		if it.to == "" {
			continue
		}
		count[normName(it.to)]++
		if n := count[normName(it.to)]; n > bestN {
			best, bestN = it.to, n
		}
	}
	if best != "" {
		return best
	}
	// An e-mail that calls for replies.
	for _, it := range items {
		if callForReplies.MatchString(it.text()) && it.author != "" {
			return it.author
		}
	}
	return ""
}

// askedField reads what field a host's reply asks a member about: "Who's
// your ideal client?" -> customers.
func askedField(text string) string {
	for _, s := range units(text) {
		if !strings.Contains(s, "?") {
			continue
		}
		if f, ok := fieldOfQuestion(s); ok && f != "" && f != fieldNotes && f != fieldComment && f != FieldName {
			return f
		}
		if findSeekCue(s) != nil {
			return FieldSeek
		}
	}
	return ""
}

// addressed returns whom a host's reply is to: names it tags, or the
// writer of the comment it answers (the item before it).
func addressed(it *item, before []item) []string {
	var out []string
	text := it.text()
	for k := len(before) - 1; k >= 0; k-- {
		a := before[k].author
		if a == "" || sameName(a, it.author) {
			continue
		}
		first := strings.Fields(a)[0]
		if strings.Contains(text, a) || strings.Contains(text, "@"+first) || strings.HasPrefix(text, first) ||
			it.replyTo != "" && (sameName(it.replyTo, a) || strings.EqualFold(strings.TrimPrefix(it.replyTo, "@"), strings.TrimPrefix(before[k].handle, "@"))) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		for k := len(before) - 1; k >= 0; k-- {
			if before[k].author != "" && !sameName(before[k].author, it.author) {
				return []string{before[k].author}
			}
		}
	}
	return out
}

// paste is what a draft's reading needs of the whole paste.
type paste struct {
	questions []string
	hints     []string
	host      string
	names     []string // everyone who wrote, whose names start replies to them
	nameKeys  map[string]bool
}

// stripAddressee drops the name a reply starts with, as LinkedIn and
// Facebook write whom it answers: "Marta Kessler we're…" -> "we're…".
func stripAddressee(text string, names []string, author string) string {
	// "Lautaro Benítez Sebastián Urquiza Aula Móvil here": one tag or more.
	for stripped := true; stripped; {
		stripped = false
		for _, n := range names {
			if n == author || len(n) < 3 {
				continue
			}
			if rest, ok := strings.CutPrefix(text, n); ok && (rest == "" || strings.ContainsAny(rest[:1], " ,:—–-\n")) {
				text, stripped = strings.TrimLeft(rest, " ,:—–-\n"), true
			}
		}
	}
	return text
}

// draftFrom makes the draft of a person's items: the first what they
// posted, the rest follow-ups.
func draftFrom(items []*item, ctx *paste) Draft {
	if ctx == nil {
		ctx = &paste{}
	}
	first := items[0]
	var p parts
	var sources []string
	for k, it := range items {
		// Fields a form's columns gave, later rows over earlier ones.
		for _, f := range []string{FieldName, FieldBusiness, FieldEmail, FieldWebsite, FieldOffer, FieldSeek, FieldCustomers, FieldArea, FieldLane} {
			v := strings.TrimSpace(it.fields[f])
			if v == "" {
				continue
			}
			from := it.fieldSrc[f]
			if from == "" {
				from = "comment"
			}
			if k > 0 {
				p.clear(f)
			}
			switch f {
			case FieldWebsite:
				if w := findWebsite(v); w != "" {
					p.set(f, w, from)
				} else if w := normalizeSite(v); w != "" && strings.Contains(v, ".") {
					p.set(f, w, from)
				}
			case FieldEmail:
				p.set(f, strings.ToLower(v), from)
			case FieldLane:
				p.set(f, laneOf(v, true), from)
			case FieldSeek:
				p.set(f, tidy(stripSeekCue(v)), from)
			default:
				p.set(f, v, from)
			}
		}
		hint := ""
		if k < len(ctx.hints) {
			hint = ctx.hints[k]
		}
		if t := stripAddressee(it.text(), ctx.names, it.author); t != "" {
			if it.row > 0 && (p.offer != nil || p.seek != nil) {
				// A form's notes: only what the columns left unsaid.
				var extra parts
				readText(t, ctx.questions, hint, &extra)
				p.merge(&extra)
			} else {
				readText(t, ctx.questions, hint, &p)
			}
		}
		if it.row > 0 {
			sources = append(sources, rowText(it))
		} else if t := stripAddressee(it.text(), ctx.names, it.author); t != "" {
			sources = append(sources, t)
		}
	}
	all := strings.Join(sources, "\n")
	d := Draft{Name: first.author, Origins: map[string]Origin{}, Source: strings.Join(sources, "\n\n")}
	if p.name != "" && d.Name == "" {
		d.Name = p.name
	}
	// A handle ("dmitri.docs") gives way to the name the message states
	// ("Hi all, I'm Dmitri Volkonsky").
	if handleLike.MatchString(d.Name) {
		if m := statedName.FindStringSubmatch(all); m != nil {
			d.Name = m[1]
		}
	}
	if d.Name != "" {
		d.Origins[FieldName] = Origin{From: firstNonEmpty(p.from[FieldName], "comment")}
	}
	sig := strings.Join(first.sig, "\n")
	// E-mail: theirs, from what they wrote, their signature, the sender.
	switch {
	case p.email != "":
		d.Email, d.Origins[FieldEmail] = p.email, Origin{From: p.from[FieldEmail]}
	case emailPattern.MatchString(all):
		d.Email, d.Origins[FieldEmail] = strings.ToLower(emailPattern.FindString(all)), Origin{From: "comment"}
	case emailPattern.MatchString(sig):
		d.Email, d.Origins[FieldEmail] = strings.ToLower(emailPattern.FindString(sig)), Origin{From: "signature"}
	case strings.Contains(first.handle, "@") && !strings.HasPrefix(first.handle, "@") && !strings.Contains(first.handle, ".."):
		// Not an address a list archive shortened: "oda...@example.org".
		d.Email, d.Origins[FieldEmail] = first.handle, Origin{From: "email address"}
	}
	// Website: what they gave, or their signature's.
	switch {
	case p.website != "":
		d.Website, d.Origins[FieldWebsite] = p.website, Origin{From: p.from[FieldWebsite]}
	case findWebsite(all) != "":
		d.Website, d.Origins[FieldWebsite] = findWebsite(all), Origin{From: "comment"}
	case findWebsite(sig) != "":
		d.Website, d.Origins[FieldWebsite] = findWebsite(sig), Origin{From: "signature"}
	case first.headline != "" && findWebsite(first.headline) != "":
		d.Website, d.Origins[FieldWebsite] = findWebsite(first.headline), Origin{From: "headline"}
	}
	d.Business, d.Origins[FieldBusiness] = businessOf(&p, first, all, d, ctx)
	if strings.Contains(d.Name, " ") && sameName(d.Business, d.Name) {
		// Their own name is no business name: the site's domain stands in
		// when they give one ("leafischer.photo"), else there is none.
		d.Business = domainOf(d.Website)
		if d.Business == "" {
			delete(d.Origins, FieldBusiness)
		} else {
			d.Origins[FieldBusiness] = Origin{From: "website"}
		}
	}
	if d.Business == "" {
		delete(d.Origins, FieldBusiness)
	}
	d.Offer = joinParts(dropIntro(p.offer, d.Business, d.Name))
	d.Seek = joinParts(p.seek)
	seekGuess := false
	if terms := joinParts(p.terms); d.Seek == "" && terms != "" {
		// "We give €50 for every member who signs up": whom, by its terms;
		// "Keen on referral swaps with installers…" says it itself.
		switch ref, _ := laneSignals(terms); {
		case swapWith.MatchString(terms):
			d.Seek, seekGuess = terms, true
		case ref:
			d.Seek, seekGuess = referrersBy(terms), true
		}
	}
	d.Customers = joinParts(p.customers)
	if d.Offer != "" {
		d.Origins[FieldOffer] = Origin{From: firstNonEmpty(p.from[FieldOffer], "comment")}
	}
	if d.Seek != "" {
		d.Origins[FieldSeek] = Origin{From: firstNonEmpty(p.from[FieldSeek], "comment"), Guess: seekGuess}
	}
	if d.Customers != "" {
		d.Origins[FieldCustomers] = Origin{From: firstNonEmpty(p.from[FieldCustomers], "comment")}
	} else if a := audienceOf(d.Offer); a != "" {
		// "Bookkeeping for dental practices": whom the offer is for.
		d.Customers, d.Origins[FieldCustomers] = a, Origin{From: "offer", Guess: true}
	}
	// Lane: fees and commissions one way, long-term and joint work the
	// other, said anywhere: in a column, an answer or the text.
	ref, strat := laneSignals(all)
	laneFrom := "comment"
	switch p.lane {
	case LaneReferral:
		ref, laneFrom = true, p.from[FieldLane]
	case LaneStrategic:
		strat, laneFrom = true, p.from[FieldLane]
	case laneBoth: // they said both suit them
		ref, strat, laneFrom = true, true, p.from[FieldLane]
	}
	switch {
	case ref && !strat:
		d.Lane, d.Origins[FieldLane] = LaneReferral, Origin{From: laneFrom}
	case strat && !ref:
		d.Lane, d.Origins[FieldLane] = LaneStrategic, Origin{From: laneFrom}
	case ref && strat:
		d.Lane, d.Origins[FieldLane] = LaneEither, Origin{From: laneFrom} // both said: either lane
	default:
		d.Lane, d.Origins[FieldLane] = LaneEither, Origin{From: "default", Guess: true}
	}
	// Area: as given, else as the text says.
	if p.area != "" {
		d.Area, d.Origins[FieldArea] = p.area, Origin{From: p.from[FieldArea]}
	} else if a := closingPlaces(all); a != "" && placeOf(all) == "" {
		d.Area, d.Origins[FieldArea] = a, Origin{From: "comment", Guess: true}
	} else if a := areaOf(all); a != "" {
		d.Area, d.Origins[FieldArea] = a, Origin{From: "comment", Guess: true}
	} else if a := areaOf(first.headline); first.headline != "" && a != "" {
		d.Area, d.Origins[FieldArea] = a, Origin{From: "headline", Guess: true}
	}
	for f, o := range d.Origins {
		if o.From == "" {
			o.From = "comment"
			d.Origins[f] = o
		}
	}
	return Check(d)
}

func (p *parts) clear(field string) {
	switch field {
	case FieldOffer:
		p.offer = nil
	case FieldSeek:
		p.seek = nil
	case FieldCustomers:
		p.customers = nil
	case FieldBusiness:
		p.business = ""
	case FieldWebsite:
		p.website = ""
	case FieldEmail:
		p.email = ""
	case FieldArea:
		p.area = ""
	case FieldLane:
		p.lane = ""
	case FieldName:
		p.name = ""
	}
	delete(p.from, field)
}

// merge adds what o found that p lacks, and every partner o seeks: a
// form's notes often add a second ask ("we'd also like a long-term
// partner to…").
func (p *parts) merge(o *parts) {
	if len(p.offer) == 0 {
		for _, v := range o.offer {
			p.set(FieldOffer, v, o.from[FieldOffer])
		}
	}
	for _, v := range o.seek {
		p.set(FieldSeek, v, firstNonEmpty(p.from[FieldSeek], o.from[FieldSeek]))
	}
	if len(p.seek) == 0 && len(p.terms) == 0 {
		p.terms = append(p.terms, o.terms...)
	}
	if len(p.customers) == 0 {
		for _, v := range o.customers {
			p.set(FieldCustomers, v, o.from[FieldCustomers])
		}
	}
	for _, f := range []struct {
		name, v string
	}{{FieldBusiness, o.business}, {FieldWebsite, o.website}, {FieldEmail, o.email}, {FieldArea, o.area}, {FieldLane, o.lane}} {
		if f.v != "" {
			p.set(f.name, f.v, o.from[f.name])
		}
	}
}

// businessOf picks the business's name: as given, as the text says it,
// from the headline or signature, from the website or e-mail domain, else
// the person's name, marked a guess.
func businessOf(p *parts, first *item, all string, d Draft, ctx *paste) (string, Origin) {
	if p.business != "" {
		return p.business, Origin{From: firstNonEmpty(p.from[FieldBusiness], "comment")}
	}
	var domains []string
	if d.Website != "" {
		domains = append(domains, stemOf(domainOf(d.Website)))
	}
	if d.Email != "" && !webmail[domainOf(d.Email)] {
		domains = append(domains, stemOf(domainOf(d.Email)))
	}
	// A handle often spells the business: @kisanudaan, lashesbytiana,
	// u/tx_cross_dock.
	handles := handleStems(first)
	domains = append(domains, handles...)
	// A closing line of places ("Krvavec and Vogel.") is where they work.
	if places := closingPlaces(all); places != "" {
		all = strings.TrimSpace(all[:strings.LastIndex(all, places)])
	}
	sources := []nameSource{{all, "comment"}}
	for _, part := range headlineParts(first.headline) {
		sources = append(sources, nameSource{part, "headline"})
	}
	for _, l := range first.sig {
		if !sameName(l, first.author) && !strings.HasPrefix(normName(l), normName(first.author)) {
			for _, part := range headlineParts(l) {
				sources = append(sources, nameSource{part, "signature"})
			}
		}
	}
	if b, from, _ := bestBusiness(first.author, ctx.nameKeys, sources, domains); b != "" {
		return b, Origin{From: from}
	}
	around := all + "\n" + first.headline + "\n" + strings.Join(first.sig, "\n")
	if d.Website != "" {
		if b := nameFromDomain(domainOf(d.Website), around); b != "" {
			return b, Origin{From: "website", Guess: !strings.Contains(strings.ToLower(around), strings.ToLower(b))}
		}
	}
	if d.Email != "" && !webmail[domainOf(d.Email)] {
		if b := nameFromDomain(domainOf(d.Email), around); b != "" {
			return b, Origin{From: "email address", Guess: !strings.Contains(strings.ToLower(around), strings.ToLower(b))}
		}
	}
	for _, h := range handles {
		if b := spelledInText(segmentWords(h), around); b != "" {
			return b, Origin{From: "handle"}
		}
	}
	// X shows a business's own account under the business's name.
	if first.handle != "" && strings.HasPrefix(first.handle, "@") && first.author != "" && businessNouns.MatchString(first.author) {
		return first.author, Origin{From: "handle"}
	}
	return "", Origin{}
}

// swapWith is referral terms that name whom they swap with.
var swapWith = regexp.MustCompile(`(?i)\b(?:swaps?|swapping|exchanges?|trade|trading)\b.*\bwith\b|\bwith\b.*\b(?:swaps?|swapping)\b`)

// referredNoun is whom referral terms pay for: "for every member",
// "per family referred", "$25 per booking".
var referredNoun = regexp.MustCompile(`(?i)\b(?:for (?:every|each|any)|per|for)\s+(?:new |regular |paying |signed )?([a-z]{3,20})\b`)

// referrersBy writes the seek that referral terms imply: "People who
// refer members (We give €50 for every member who signs up)".
func referrersBy(terms string) string {
	noun := "customers"
	if m := referredNoun.FindStringSubmatch(terms); m != nil && !strings.HasPrefix(strings.ToLower(m[1]), "refer") {
		noun = strings.ToLower(m[1])
		switch {
		case strings.HasSuffix(noun, "y") && !strings.HasSuffix(noun, "ay") && !strings.HasSuffix(noun, "ey"):
			noun = noun[:len(noun)-1] + "ies"
		case !strings.HasSuffix(noun, "s"):
			noun += "s"
		}
	}
	return "People who refer " + noun + " (" + strings.TrimRight(terms, ".") + ")"
}

// handleLike is a user name rather than a person's: "dmitri.docs",
// "quiet_byte".
var handleLike = regexp.MustCompile(`^[a-z0-9]+(?:[._][a-z0-9]+)+$|^[a-z]+[0-9]+$`)

// statedName is the name a message gives: "I'm Dmitri Volkonsky".
var statedName = regexp.MustCompile(`(?:\b(?:I'm|I am|my name is|this is)\s+)(\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’-]+){1,2})\b`)

// handleStems are the pieces of a writer's handle that may spell the
// business: "@suresh_soilsense" -> soilsense (the person's own name left
// out), "glossnailbar.atl" -> glossnailbar.
func handleStems(it *item) []string {
	h := it.handle
	if h == "" && threadsUser.MatchString(it.author) {
		h = it.author
	}
	h = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(h), "@"), "u/")
	if h == "" || strings.Contains(h, "@") {
		return nil
	}
	person := strings.ToLower(it.author)
	if person == h {
		person = "" // the handle is all the name there is (Threads)
	}
	var out []string
	for _, chunk := range strings.FieldsFunc(h, func(r rune) bool { return r == '_' || r == '.' || r == '-' }) {
		if len(chunk) >= 5 && isASCIIWord(chunk) && !strings.Contains(person, chunk) && chunk != strings.ReplaceAll(person, " ", "") {
			out = append(out, chunk)
		}
	}
	return out
}

// dropIntro leaves out of the offer the sentences that only say who they
// are ("I'm Marta, owner of Kessler Roofing"), when others say what they
// do.
func dropIntro(offer []string, business, name string) []string {
	if len(offer) < 2 {
		return offer
	}
	var kept []string
	for _, s := range offer {
		rest := strings.ToLower(urlPattern.ReplaceAllString(bareDomain.ReplaceAllString(s, " "), " "))
		names := []string{strings.ToLower(business), strings.ToLower(name)}
		if f := strings.Fields(name); len(f) > 0 {
			names = append(names, strings.ToLower(f[0]))
		}
		for _, w := range names {
			if w != "" {
				rest = strings.ReplaceAll(rest, w, "")
			}
		}
		if introOnly.MatchString(strings.TrimSpace(rest)) {
			continue
		}
		kept = append(kept, s)
	}
	if len(kept) == 0 {
		return offer
	}
	return kept
}

var introOnly = regexp.MustCompile(`(?i)^(?:(?:hi|hey|hello)[ ,!]*(?:all|everyone|folks)?[ ,!]*)?(?:i'?m|i am|this is|my name is|it'?s|we'?re|we are)?[\s,]*(?:the\s+|a\s+)?(?:(?:co-?)?founder|owner|ceo|director|md)?\s*(?:of|at|from|here|@)?\s*(?:the\s+)?[\s,.!—–-]*$`)

// joinParts joins the sentences of a field into a text.
func joinParts(ps []string) string {
	var out []string
	for _, s := range ps {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(out, s) {
			continue
		}
		if !strings.ContainsAny(s[len(s)-1:], ".!?") {
			s += "."
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
