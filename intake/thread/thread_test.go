package thread_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/intake/thread"
	"github.com/matchmaker/matchmaker/match/lexicon"
)

// Each format a host pastes, in a small thread of its own: the format is
// told, the offers become drafts, the chatter is skipped with its reason.

type wantOf struct {
	name, business, website, email, lane string
	seekHas, offerHas                    string
}

func checkDrafts(t *testing.T, res thread.Result, want []wantOf) {
	t.Helper()
	if len(res.Drafts) != len(want) {
		for _, d := range res.Drafts {
			t.Logf("draft: %s (%s): %q / %q", d.Name, d.Business, d.Offer, d.Seek)
		}
		t.Fatalf("got %d drafts, want %d", len(res.Drafts), len(want))
	}
	for i, w := range want {
		d := res.Drafts[i]
		check := func(field, got, want string) {
			if want != "" && got != want {
				t.Errorf("draft %d %s: got %q, want %q", i, field, got, want)
			}
		}
		check("name", d.Name, w.name)
		check("business", d.Business, w.business)
		check("website", d.Website, w.website)
		check("email", d.Email, w.email)
		check("lane", d.Lane, w.lane)
		if w.seekHas != "" && !strings.Contains(strings.ToLower(d.Seek), strings.ToLower(w.seekHas)) {
			t.Errorf("draft %d seek %q does not carry %q", i, d.Seek, w.seekHas)
		}
		if w.offerHas != "" && !strings.Contains(strings.ToLower(d.Offer), strings.ToLower(w.offerHas)) {
			t.Errorf("draft %d offer %q does not carry %q", i, d.Offer, w.offerHas)
		}
	}
}

func skippedReasons(res thread.Result) map[string]string {
	out := map[string]string{}
	for _, s := range res.Skipped {
		out[s.Name+": "+s.Text] = s.Reason
	}
	return out
}

func TestLinkedInThread(t *testing.T) {
	text := `Dana Whitfield
Dana Whitfield
 • You
Community builder | Host of Front Range Founders
2d • Edited •
Partnership Friday! Tell us what your business does and who you'd love to meet, and I'll play matchmaker 👇
👍❤️ 87
42 comments
Like
Comment
Most relevant
Marta Kessler
 • 2nd
Owner, Kessler Roofing & Gutters | Helping Denver homeowners keep the rain out
3d
Love this Dana! We do roof repairs, gutter installs and storm damage inspections across the Denver metro. Looking for home inspectors and real estate agents who hear about roof problems first. Happy to pay 10% on anything we close.
Like
Reply
3 Reactions
Tom Li
 • 3rd+
Realtor at Mile High Homes
3d
Following!
Like
Reply
Sam Ortega · 2nd · Plumber
2d
Marta Kessler we're brightpathplumbing.com — repipes, water heaters and sewer line repair for older homes. Would love intros to property managers and general contractors.
Like
Reply
Dana Whitfield
Author
Community builder | Host of Front Range Founders
2d
Marta Kessler love it! Who's your ideal client?
Like
Reply
Marta Kessler
 • 2nd
Owner, Kessler Roofing & Gutters | Helping Denver homeowners keep the rain out
2d
Dana Whitfield mostly homeowners with houses 20+ years old, and a few property managers.
Like
Reply
Ana Ruiz
 • 1st
Marketing
1d
Priya Shah Tom Li you should see this 👀
Like
Reply`
	res := thread.Read(text, thread.Options{})
	if res.Format != thread.LinkedIn || res.Host != "Dana Whitfield" {
		t.Fatalf("format %s, host %q; want linkedin, Dana Whitfield", res.Format, res.Host)
	}
	checkDrafts(t, res, []wantOf{
		{name: "Marta Kessler", business: "Kessler Roofing & Gutters", lane: "referral", seekHas: "home inspectors", offerHas: "roof repairs"},
		{name: "Sam Ortega", business: "Bright Path Plumbing", website: "https://brightpathplumbing.com", lane: "either", seekHas: "property managers", offerHas: "repipes"},
	})
	if c := res.Drafts[0].Customers; !strings.Contains(strings.ToLower(c), "homeowners with houses") {
		t.Errorf("Marta's answer to the host's question should be her customers: got %q", c)
	}
	if a := res.Drafts[0].Area; a != "Denver metro" {
		t.Errorf("area: got %q, want Denver metro", a)
	}
	reasons := skippedReasons(res)
	for text, want := range map[string]string{"Tom Li: Following!": thread.SkipChatter, "Ana Ruiz: Priya Shah Tom Li you should see this 👀": thread.SkipTag} {
		if reasons[text] != want {
			t.Errorf("skipped %q: got %q, want %q (all: %v)", text, reasons[text], want, reasons)
		}
	}
	var follow *thread.Skipped
	for i := range res.Skipped {
		if res.Skipped[i].Reason == thread.SkipFollowUp {
			follow = &res.Skipped[i]
		}
	}
	if follow == nil || follow.Into != 0 {
		t.Errorf("Marta's follow-up should be listed as merged into draft 0: %+v", res.Skipped)
	}
	if o := res.Drafts[0].Origins[thread.FieldBusiness]; o.From != "headline" {
		t.Errorf("Marta's business should come from her headline: %+v", o)
	}
}

func TestFacebookThread(t *testing.T) {
	text := `Wes Tanaka
Admin
Who's growing a pet business in the East Bay? Tell us what you do and who you'd love to meet 🐾
Like · Reply · 1w
Trish Calloway
Top contributor
Mobile dog grooming 🐩 — Sudsy Pup Mobile Grooming. We come to you in a fully equipped van. Want to meet dog walkers, vets and pet sitters. We give 10% of the first groom for referrals!
Like Reply Share 1w
👍 4
Leo Park
Congrats on the group!!
Like Reply 1w
Kenji Mori Dog walking in the Mission and Bernal, group walks and solo walks, fully insured. Looking for groomers and trainers to trade referrals with.
Like Reply Share 6d`
	res := thread.Read(text, thread.Options{})
	if res.Format != thread.Facebook {
		t.Fatalf("format %s, want facebook", res.Format)
	}
	checkDrafts(t, res, []wantOf{
		{name: "Trish Calloway", business: "Sudsy Pup Mobile Grooming", lane: "referral", seekHas: "dog walkers"},
		{name: "Kenji Mori", lane: "referral", seekHas: "groomers and trainers", offerHas: "dog walking"},
	})
}

func TestSlackAndDiscordCopies(t *testing.T) {
	slack := `Adaeze Nwachukwu  9:00 AM
Partner thread! Post what you do and who you want to meet and I'll make intros 🙌
:raised_hands: 12
Gabriela Rivera  9:05 AM
Gabriela Rivera here :wave: Algebra through Calc tutoring, in person in Westchester. Rivera Math Lab. Looking for reading specialists and SAT tutors to send kids to.
Donut  APP  9:15 AM
It's time for a coffee chat! :coffee:
[9:20 AM] Felicity Amos: Educational psychologist, learning evaluations and IEP prep. Amos Learning Assessments. I'd love to meet tutors trained in Orton-Gillingham.`
	res := thread.Read(slack, thread.Options{})
	if res.Format != thread.Slack {
		t.Fatalf("format %s, want slack", res.Format)
	}
	checkDrafts(t, res, []wantOf{
		{name: "Gabriela Rivera", business: "Rivera Math Lab", seekHas: "reading specialists"},
		{name: "Felicity Amos", business: "Amos Learning Assessments", seekHas: "tutors"},
	})

	discord := `Juniper Voss — 03/10/2026 7:00 PM
📣 PARTNER THREAD: post what you do + who you wanna work with, and I'll play matchmaker
Tobias Lindgren — 03/10/2026 7:58 PM
QA testing studio here 🐛 Bugcatch QA, Gothenburg. Functional testing, compatibility testing, localisation QA in 6 languages. We pay 10% finder's fee for studios you bring us.
@Tobias Lindgren QA testing studio here 🐛 Bugcatch QA, Gothenburg…
Sam Achebe — Today at 8:15 PM
we're a 2-person studio (Lantern Hollow Games) making a cozy farming sim, would def need QA before launch. Looking for devs launching in the next 6 months who need marketing help`
	res = thread.Read(discord, thread.Options{})
	if res.Format != thread.Discord {
		t.Fatalf("format %s, want discord", res.Format)
	}
	checkDrafts(t, res, []wantOf{
		{name: "Tobias Lindgren", business: "Bugcatch QA", lane: "referral"},
		{name: "Sam Achebe", business: "Lantern Hollow Games", seekHas: "devs launching"},
	})
	if strings.Contains(res.Drafts[1].Offer, "Bugcatch") {
		t.Errorf("Discord's reply preview must not be read as Sam's words: %q", res.Drafts[1].Offer)
	}
}

func TestExports(t *testing.T) {
	slackJSON := `[
 {"type":"message","user":"U01","text":"Tell us what you do and who you want to meet!","user_profile":{"real_name":"Adaeze Nwachukwu"}},
 {"type":"message","subtype":"channel_join","user":"U02","text":"<@U02> has joined the channel"},
 {"type":"message","user":"U03","text":"We run Inboxlift (<https://inboxlift.co|inboxlift.co>): Klaviyo flows and SMS for Shopify brands. Looking for Shopify dev shops to swap referrals with, <@U01>","user_profile":{"real_name":"Priya Nair"}}
]`
	res := thread.Read(slackJSON, thread.Options{})
	if res.Format != thread.Slack {
		t.Fatalf("Slack export: format %s", res.Format)
	}
	checkDrafts(t, res, []wantOf{{name: "Priya Nair", business: "Inboxlift", website: "https://inboxlift.co", lane: "referral", seekHas: "shopify dev shops"}})

	discordJSON := `{"guild":{"name":"Indie"},"messages":[
 {"type":"Default","content":"Post your studio and who you want to work with, I'll play matchmaker","author":{"name":"juniper","nickname":"Juniper Voss"}},
 {"type":"Default","content":"3D props & environment modeling. Studio name Volkov 3D. I give 15% commission for referrals that become clients.","author":{"name":"dmitri","nickname":"Dmitri Volkov"}},
 {"type":"GuildMemberJoin","content":"","author":{"name":"newbie"}}
]}`
	res = thread.Read(discordJSON, thread.Options{})
	if res.Format != thread.Discord {
		t.Fatalf("Discord export: format %s", res.Format)
	}
	checkDrafts(t, res, []wantOf{{name: "Dmitri Volkov", business: "Volkov 3D", lane: "referral"}})

	whatsApp := `[3/4/26, 9:00:01 AM] Carla Mendes: Morning all! Tell me what your business does and who you'd love to meet and I'll make intros ☀️
[3/4/26, 9:02:13 AM] Carla Mendes: ` + "\u200e" + `Ravi joined using this group's invite link
3/4/26, 9:12 AM - Ravi Patel: Hi! Patel Bikes here, we repair and service e-bikes in Leeds.
Looking for cycle-to-work scheme providers and bike cafés. Happy to pay £20 per referral
3/4/26, 9:15 AM - Jo Bright: <Media omitted>
3/4/26, 9:16 AM - Jo Bright: 👏👏`
	res = thread.Read(whatsApp, thread.Options{})
	if res.Format != thread.WhatsApp {
		t.Fatalf("WhatsApp: format %s", res.Format)
	}
	checkDrafts(t, res, []wantOf{{name: "Ravi Patel", business: "Patel Bikes", lane: "referral", seekHas: "cycle-to-work"}})

	// DiscordChatExporter's table and plain-text exports.
	dceCSV := "AuthorID,Author,Date,Content,Attachments,Reactions\n" +
		`"1","juniper#0001","2026-03-01T10:00:00+00:00","Welcome! Tell us what you do and who you want to meet","",""` + "\n" +
		`"2","pixelforge#1234","2026-03-01T10:05:00+00:00","PixelForge Studio here - we do pixel art and UI for indie games. Looking for composers and QA studios. pixelforge.gg","","👍 (3)"` + "\n"
	res = thread.Read(dceCSV, thread.Options{})
	checkDrafts(t, res, []wantOf{{name: "pixelforge", business: "PixelForge Studio", website: "https://pixelforge.gg", seekHas: "composers"}})
	dceText := "==============================================================\nGuild: Indie Devs\nChannel: partner-matching\n" +
		"==============================================================\n\n[01-Mar-26 10:00 AM] juniper\nWelcome! Tell us what you do and who you want to meet\n\n" +
		"[01-Mar-26 10:05 AM] pixelforge\nPixelForge Studio here - we do pixel art and UI for indie games. Looking for composers and QA studios. pixelforge.gg\n{Reactions}\n👍 (3)\n"
	res = thread.Read(dceText, thread.Options{})
	if res.Format != thread.Discord {
		t.Errorf("DiscordChatExporter text: format %s", res.Format)
	}
	checkDrafts(t, res, []wantOf{{name: "pixelforge", business: "PixelForge Studio", website: "https://pixelforge.gg", seekHas: "composers"}})
}

func TestEmailChains(t *testing.T) {
	outlook := `From: Gail Emerson <gail@gldbn.org>
Sent: Monday, March 2, 2026 8:03 AM
Subject: Spring matchmaking

Hi everyone, just hit reply and tell me what your business does and who you'd like to meet.

Gail

From: Marek Nowak <marek@precisionarchlab.com>
Sent: Tuesday, March 3, 2026 10:02 AM
To: Gail Emerson <gail@gldbn.org>
Subject: RE: Spring matchmaking

Hi Gail,

We make crowns, bridges and implant restorations for general dentists in the western suburbs. We'd love to meet dental assistants' schools and practice consultants.

Best,
Marek Nowak
Lab Director
Precision Arch Dental Lab
(630) 555-0142

-----Original Message-----
From: Gail Emerson <gail@gldbn.org>
Sent: Monday, March 2, 2026 8:03 AM
Hi everyone, just hit reply and tell me what your business does and who you'd like to meet.`
	res := thread.Read(outlook, thread.Options{})
	if res.Format != thread.Email || res.Host != "Gail Emerson" {
		t.Fatalf("format %s host %q", res.Format, res.Host)
	}
	checkDrafts(t, res, []wantOf{{name: "Marek Nowak", business: "Precision Arch Dental Lab", email: "marek@precisionarchlab.com", seekHas: "practice consultants"}})
	if strings.Contains(res.Drafts[0].Offer, "Lab Director") || strings.Contains(res.Drafts[0].Offer, "555") {
		t.Errorf("the signature must stay out of the offer: %q", res.Drafts[0].Offer)
	}

	gmail := `Hollis Grant <hollis@granttransitions.com>
Tue, Mar 3, 9:14 AM (2 days ago)
to me

Gail — I broker dental practice sales and associate buyouts across Chicagoland. Looking for CPAs who work with dentists and dental-specific lenders.

Hollis Grant
Grant Transitions LLC`
	res = thread.Read(gmail, thread.Options{})
	if res.Format != thread.Email {
		t.Fatalf("Gmail copy: format %s", res.Format)
	}
	checkDrafts(t, res, []wantOf{{name: "Hollis Grant", business: "Grant Transitions LLC", email: "hollis@granttransitions.com", seekHas: "cpas who work with dentists"}})
}

func TestXAndThreads(t *testing.T) {
	text := `Theo Brandt
@theobrandt
Creators with a service business: reply with what you do and who you want to meet, I'll connect people 👇
12
Leo Fontaine
@leofontaine_
·
2h
Replying to @theobrandt
Podcast guest booking agency (Booked Solid Media). We get B2B founders onto top-100 podcasts. Referral partners get 15%.
4
22
anaghostwrites
5h
I ghostwrite LinkedIn posts + newsletters for B2B founders (Quill & Signal ✍️). Looking for newsletter designers to refer clients to, 10% on whatever closes
3`
	res := thread.Read(text, thread.Options{})
	if res.Format != thread.X {
		t.Fatalf("format %s, want x", res.Format)
	}
	checkDrafts(t, res, []wantOf{
		{name: "Leo Fontaine", business: "Booked Solid Media", lane: "referral"},
		{name: "anaghostwrites", business: "Quill & Signal", lane: "referral", seekHas: "newsletter designers"},
	})
}

func TestNumberedAnswersFollowTheHostsQuestions(t *testing.T) {
	text := `Carmen Diaz
Author
Restaurant owners' circle
1d
Matchmaking round! Answer in the comments:
1️⃣ Who are you looking to meet?
2️⃣ What does your business do?
3️⃣ Who is your ideal customer?
Like · Reply
Kwabena Mensah
 • 2nd
Owner | HoodPro Services
1d
1️⃣ Restaurant managers and commercial landlords
2️⃣ Kitchen exhaust hood cleaning and grease trap service
3️⃣ Independent restaurants with 1-5 locations
Like · Reply`
	res := thread.Read(text, thread.Options{})
	checkDrafts(t, res, []wantOf{{name: "Kwabena Mensah", business: "HoodPro Services", seekHas: "restaurant managers", offerHas: "hood cleaning"}})
	if c := res.Drafts[0].Customers; !strings.Contains(c, "Independent restaurants") {
		t.Errorf("answer 3 is the customers: got %q", c)
	}
}

func TestSpreadsheetColumnsAreMappedAndCanBeSet(t *testing.T) {
	csv := "Timestamp,Email Address,Your name,Business / company name,What does your business do?,Who would you love to be introduced to?,Describe your ideal customer,Website (optional),Where are you based?,Open to paying or receiving referral fees?,Anything else?\n" +
		"2/21/2026 8:14:55,liam@dohertycivil.com.au,Liam Doherty,Doherty Civil,\"Civil works: earthworks, drainage, retaining walls\",\"Builders, surveyors\",Tier 2 builders,www.dohertycivil.com.au,South East Queensland,\"No - but keen to team up with a structural engineer on tenders\",\n" +
		"2/21/2026 9:00:00,test@example.com,test,test,test,,,,,,\n" +
		"2/22/2026 9:00:00,liam@dohertycivil.com.au,Liam Doherty,Doherty Civil,\"Civil works: bulk earthworks, drainage, retaining walls\",\"Builders, geotech engineers, surveyors\",,,,,\n"
	res := thread.Read(csv, thread.Options{})
	if res.Format != thread.CSV {
		t.Fatalf("format %s", res.Format)
	}
	checkDrafts(t, res, []wantOf{{name: "Liam Doherty", business: "Doherty Civil", website: "https://dohertycivil.com.au", email: "liam@dohertycivil.com.au", lane: "strategic", seekHas: "geotech engineers"}})
	mapped := map[string]string{}
	for _, c := range res.Columns {
		mapped[c.Header] = c.Field
	}
	for header, field := range map[string]string{"Timestamp": "", "Email Address": "email", "Your name": "name", "Business / company name": "business",
		"What does your business do?": "offer", "Who would you love to be introduced to?": "seek", "Describe your ideal customer": "customers",
		"Website (optional)": "website", "Where are you based?": "area", "Open to paying or receiving referral fees?": "lane"} {
		if mapped[header] != field {
			t.Errorf("column %q mapped to %q, want %q", header, mapped[header], field)
		}
	}
	reasons := map[string]int{}
	for _, s := range res.Skipped {
		reasons[s.Reason]++
	}
	if reasons[thread.SkipTestRow] != 1 || reasons[thread.SkipDuplicate] != 1 {
		t.Errorf("skipped: %+v, want one test row and one resubmission", res.Skipped)
	}
	// The host says the "Anything else?" column is the offer, and the
	// offer column is to be left out.
	res = thread.Read(csv, thread.Options{Columns: map[string]string{"What does your business do?": "", "Describe your ideal customer": "offer"}})
	if got := res.Drafts[0].Offer; !strings.Contains(got, "Tier 2 builders") {
		t.Errorf("with the host's mapping the offer should come from the customer column: %q", got)
	}
	for _, c := range res.Columns {
		if c.Header == "Describe your ideal customer" && (!c.Set || c.Field != "offer") {
			t.Errorf("the host's mapping should be marked set: %+v", c)
		}
	}
}

func TestUnknownFormatFallsBackToBlocksAndSaysSo(t *testing.T) {
	text := "we fix bikes and sell refurbished ones in Leeds, looking for cafes and offices with bike schemes\n\nthanks all this is great\n\nI run a small bakery, looking for coffee shops who want fresh croissants daily"
	res := thread.Read(text, thread.Options{})
	if res.Notice == "" {
		t.Error("an unknown format should say it was read block by block")
	}
	if len(res.Drafts) != 2 {
		t.Errorf("got %d drafts, want 2: %+v", len(res.Drafts), res.Drafts)
	}
}

func TestDraftOfOneReply(t *testing.T) {
	d := thread.DraftOf("Priya Shah", "Hi all! I'm Priya, founder of Ledgerlight. We help early-stage SaaS companies with financial models and monthly close. Ideal partners: startup lawyers and VC platform teams. Open to a long-term co-marketing partnership. ledgerlight.io")
	if d.Business != "Ledgerlight" || d.Website != "https://ledgerlight.io" || d.Lane != thread.LaneStrategic ||
		!strings.Contains(strings.ToLower(d.Seek), "startup lawyers") || !strings.Contains(d.Offer, "financial models") {
		t.Errorf("got %+v", d)
	}
	if strings.Contains(d.Offer, "co-marketing") {
		t.Errorf("how they want to partner belongs to the lane, not the offer: %q", d.Offer)
	}
}

// BenchmarkRead500 reads a 500-comment LinkedIn thread.
// BenchmarkRead500 times a 500-comment thread. The word table is loaded
// first, as the service does at start-up for matching; the first Read of
// a fresh process pays about 0.4 s more for it.
func BenchmarkRead500(b *testing.B) {
	text := bigThread(500)
	lexicon.DefaultWords()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if res := thread.Read(text, thread.Options{}); len(res.Drafts) < 400 {
			b.Fatalf("got %d drafts", len(res.Drafts))
		}
	}
}

// bigThread writes n LinkedIn comments, each a different business.
func bigThread(n int) string {
	var b strings.Builder
	b.WriteString("Dana Whitfield\n • You\nHost\n2d\nTell us what you do and who you'd love to meet 👇\nLike\n")
	trades := []string{"roofing", "plumbing", "bookkeeping", "catering", "photography", "landscaping", "payroll", "interior design"}
	first := []string{"Marta", "Tomas", "Priya", "Kenji", "Amara", "Lucia", "Owen", "Grace", "Rhys", "Noor", "Ines", "Dmitri", "Sofia", "Ravi", "Hana", "Gus", "Keiko", "Jonah", "Femi", "Anita"}
	last := []string{"Kessler", "Ortega", "Shah", "Mori", "Briggs", "Fernandez", "Paek", "Liu", "Pemberton", "Haddad", "Carvalho", "Volkov", "Ramirez", "Menon", "Yoshida", "Halloran", "Andersson", "Whitcombe", "Oladipo", "Raman", "Okafor", "Lindgren", "Castro", "Murphy", "Brooks"}
	for i := range n {
		trade := trades[i%len(trades)]
		name := first[i%len(first)] + " " + last[(i/len(first))%len(last)]
		fmt.Fprintf(&b, "%s\n • 2nd\nOwner, %s Works %d | Helping people\n%dd\nWe do %s for homeowners and small firms across the metro. Looking for realtors and contractors to swap referrals with. works%d.com\nLike\nReply\n",
			name, strings.ToUpper(trade[:1])+trade[1:], i, 1+i%6, trade, i)
	}
	return b.String()
}
