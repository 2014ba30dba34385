package webtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

type feedbackJSON struct {
	ID       int64  `json:"id"`
	PostID   int64  `json:"post_id"`
	OtherID  int64  `json:"other_id"`
	Verdict  string `json:"verdict"`
	Reason   string `json:"reason"`
	Source   string `json:"source"`
	ByHost   bool   `json:"by_host"`
	Business string `json:"business"`
}

type feedbackListJSON struct {
	Items []feedbackJSON `json:"items"`
	Total int            `json:"total"`
}

type learnedJSON struct {
	Relations []struct {
		Kind      string `json:"kind"`
		A         string `json:"a"`
		B         string `json:"b"`
		Forgotten bool   `json:"forgotten"`
	} `json:"relations"`
}

// answers returns the answers recorded so far, as the host lists them.
func (s *site) answers(t *testing.T) feedbackListJSON {
	t.Helper()
	var l feedbackListJSON
	s.call(t, true, http.MethodGet, "/api/v1/feedback?limit=500", "", "", http.StatusOK, &l)
	return l
}

// forgotten reports whether the learned relation named "kind:a:b" (as the
// Learning page keys it) is forgotten.
func (s *site) forgotten(t *testing.T, key string) bool {
	t.Helper()
	var l learnedJSON
	s.call(t, true, http.MethodGet, "/api/v1/learned", "", "", http.StatusOK, &l)
	for _, r := range l.Relations {
		if r.Kind+":"+r.A+":"+r.B == key {
			return r.Forgotten
		}
	}
	t.Fatalf("the matcher has no relation %s", key)
	return false
}

// key presses keys in the tab, where the focus is, as a keyboard user.
func (tb *tab) key(what, keys string) {
	tb.t.Helper()
	tb.do(what, chromedp.KeyEvent(keys))
}

// focused reports whether the focused element matches the selector.
func (tb *tab) focused(selector string) bool {
	tb.t.Helper()
	return eval[bool](tb, fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%s)`, jsString(selector)))
}

// A member tells the matcher which partners fit: "Not a fit: a competitor"
// only after choosing the reason and confirming (done by keyboard), which
// takes the partner out of the list; "Good fit" in one click, shown again
// after a reload. The host answers for a member on a round's pair (the
// pair is rejected), then on the Learning page sees the answers, forgets a
// learned relation and takes an answer back after confirming. Every page
// fits a phone's width.
func TestBrowserMatchFeedback(t *testing.T) {
	s := startSite(t)
	s.importEvalSet(t)
	s.createPost(t, map[string]any{
		"business": memberBusiness, "email": memberEmail, "lane": "referral", "region": "Leeds",
		"offer":     "Bookkeeping, payroll and tax returns for dental practices: monthly accounts, cash-flow reports and help with practice finance.",
		"seek":      "A dental marketing agency or a dental billing company whose practices need an accountant who understands dentistry, to refer clients to each other.",
		"customers": "Dental practices and practice owners",
	})
	member := s.newTab(t, "member")
	signIn(t, s, member, memberEmail)
	member.open("/app/matches")
	member.waitFor("three strong matches or more", `document.querySelectorAll('.matches > .card-list > .match-card').length >= 3`)
	if n := member.count(".match-card .fit button"); n < 2*member.count(".match-card") {
		t.Errorf("%d buttons to say good fit or not a fit, want two on each of %d cards", n, member.count(".match-card"))
	}
	rivalID := eval[string](member, `document.querySelectorAll('.matches > .card-list > .match-card')[0].dataset.post`)
	fitID := eval[string](member, `document.querySelectorAll('.matches > .card-list > .match-card')[1].dataset.post`)
	rival := fmt.Sprintf(`.match-card[data-post=%q]`, rivalID)
	fit := fmt.Sprintf(`.match-card[data-post=%q]`, fitID)

	// "Not a fit" opens the reasons, each saying what it does, and sends
	// nothing; Cancel closes them and gives the focus back.
	member.click(rival+" .fit", "Not a fit")
	member.waitFor("the reasons", fmt.Sprintf(`!document.querySelector('%s .fit-reasons').hidden`, rival))
	if !member.focused(rival + " .fit-reasons input[type=radio]") {
		t.Error("opening the reasons does not move the focus to them")
	}
	member.waitText(rival+" .fit-reasons .hint", "neither of you will be suggested the other again")
	member.screenshot("matches-not-a-fit-reasons")
	if got := s.answers(t).Total; got != 0 {
		t.Fatalf("opening the reasons recorded %d answers, want none before the member confirms", got)
	}
	member.click(rival+" .fit-reasons", "Cancel")
	member.waitFor("the reasons closed", fmt.Sprintf(`document.querySelector('%s .fit-reasons').hidden`, rival))
	if !member.focused(rival + " .fit button[aria-expanded]") {
		t.Error("Cancel does not give the focus back to the \"Not a fit\" button")
	}

	// The same by keyboard: Enter opens, Space chooses the first reason (a
	// competitor), Tab goes to the confirm button, Enter confirms.
	member.key("open the reasons", kb.Enter)
	member.waitFor("the reasons open", fmt.Sprintf(`!document.querySelector('%s .fit-reasons').hidden`, rival))
	member.key("choose a competitor", " ")
	member.key("go to the confirm button", kb.Tab)
	if !member.focused(rival + " .fit-reasons button[type=submit]") {
		t.Fatalf("Tab from the reasons goes to %s, want the confirm button", eval[string](member, `document.activeElement.outerHTML.slice(0, 120)`))
	}
	member.key("confirm", kb.Enter)
	member.waitText(rival+" .fit-said", "not a fit (a competitor)")
	if !member.focused(rival + " .fit-said[role=status]") {
		t.Error("after answering, the focus is not on what was recorded")
	}
	if !eval[bool](member, fmt.Sprintf(`document.querySelector('%s').classList.contains('declined')`, rival)) {
		t.Error("the not-a-fit card is not marked declined")
	}

	// "Good fit" is one click; "Not a fit" stays offered.
	member.click(fit+" .fit", "Good fit")
	member.waitText(fit+" .fit-said", "you said it is a good fit")
	if !member.focused(fit + " .fit-said") {
		t.Error("after a good fit, the focus is not on what was recorded")
	}

	// A partner the host hid meanwhile cannot be answered about: the
	// server's message shows in the card, read out at once.
	goneID := eval[string](member, `document.querySelectorAll('.matches > .card-list > .match-card')[2].dataset.post`)
	gone := fmt.Sprintf(`.match-card[data-post=%q]`, goneID)
	s.call(t, true, http.MethodPatch, "/api/v1/posts/"+goneID, "application/json", `{"status":"hidden"}`, http.StatusOK, nil)
	member.click(gone+" .fit", "Good fit")
	member.waitText(gone+` .fit [role="alert"]`, "Post "+goneID+" not found")

	l := s.answers(t)
	if l.Total != 2 {
		t.Fatalf("got %d answers recorded, want 2: %+v", l.Total, l.Items)
	}
	for _, f := range l.Items {
		want := map[string]string{rivalID: "not_a_fit/competitor", fitID: "good_fit/"}[fmt.Sprint(f.OtherID)]
		if got := f.Verdict + "/" + f.Reason; got != want || f.Source != "matches" || f.ByHost {
			t.Errorf("answer about %d: got %s from %s (by host %v), want %s from matches by the member", f.OtherID, got, f.Source, f.ByHost, want)
		}
	}

	// Reloaded, the competitor is gone and the good fit says so.
	member.open("/app/matches")
	member.waitFor("the matches", `document.querySelectorAll('.match-card').length > 0`)
	if n := member.count(rival); n != 0 {
		t.Errorf("the competitor is still among the matches after a reload")
	}
	member.waitText(fit+" .fit-said", "You said it is a good fit")
	if n := eval[int](member, fmt.Sprintf(`[...document.querySelectorAll('%s .fit button')].filter((b) => b.textContent === 'Not a fit').length`, fit)); n != 1 {
		t.Errorf("a good-fit card offers %d \"Not a fit\" buttons, want 1", n)
	}
	member.screenshot("matches-feedback")

	// The host answers for a member on a round's pair (one of others, not
	// to overwrite the member's answers): a competitor.
	quarter := currentQuarter()
	s.runRound(t, fmt.Sprintf(`{"quarter":%q}`, quarter))
	host := s.newTab(t, "host")
	hostSignIn(host)
	host.open("/app/host/rounds/" + quarter)
	host.waitFor("suggestions", `document.querySelectorAll('.suggestion').length > 0`)
	sg := fmt.Sprintf(`.suggestion[data-suggestion=%q]`, eval[string](host, fmt.Sprintf(
		`[...document.querySelectorAll('.suggestion')].find((c) => !c.textContent.includes(%s)).dataset.suggestion`, jsString(memberBusiness))))
	host.click(sg+" .fit", "Not a fit")
	host.waitFor("the reasons", fmt.Sprintf(`!document.querySelector('%s .fit-reasons').hidden`, sg))
	if got := s.answers(t).Total; got != 2 {
		t.Fatalf("opening the reasons on a pair recorded an answer (%d in all, want 2)", got)
	}
	host.screenshot("host-round-not-a-fit")
	host.check(sg+" .fit-reasons", "A competitor")
	host.click(sg+" .fit-reasons", "Confirm: not a fit")
	host.waitFor("the pair rejected", fmt.Sprintf(`document.querySelector('%s').dataset.status === 'rejected'`, sg))
	host.waitText(sg+" .fit-said", "not a fit (a competitor)")
	host.waitFor("the server's note on the redrawn pair", fmt.Sprintf(`document.querySelector('%s .note-form textarea').value.includes('Not a fit')`, sg))
	if !host.focused(sg + " .fit-said") {
		t.Error("after the host answered, the focus is not on what was recorded")
	}
	if f := s.answers(t).Items[0]; f.Source != "round" || !f.ByHost || f.Reason != "competitor" {
		t.Errorf("the host's answer is recorded as %+v, want a competitor from a round, by the host", f)
	}

	// The Learning page lists the answers, newest first, and what the
	// matcher learned from them.
	host.click(".tabs", "Learning")
	host.waitText("h1", "Learning")
	host.waitFor("three answers", `document.querySelectorAll('.answer').length === 3`)
	host.waitText(".answer:first-child", "Answered by the host for")
	host.waitText(".answer:first-child", "in a round")
	host.waitText(".answer .badge", "Not a fit: a competitor")
	host.waitText(".answer .badge", "Good fit")
	host.waitText(".answer", "on their matches")
	host.waitFor("rival words learned", `document.querySelectorAll('[data-kind="rivals"] .relation').length > 0`)
	host.screenshot("host-learning")

	// Forgetting a relation: it stays listed, marked, and counts again on
	// request.
	relation := eval[string](host, `document.querySelector('[data-kind="rivals"] .relation').dataset.key`)
	rel := fmt.Sprintf(`.relation[data-key=%q]`, relation)
	host.click(rel, "Forget")
	host.waitFor("the relation forgotten", fmt.Sprintf(`document.querySelector('%s').dataset.forgotten === 'true'`, rel))
	host.waitText(rel+" button", "Count again")
	if !host.focused(rel + " button") {
		t.Error("after forgetting, the focus is not on the relation's button")
	}
	if !s.forgotten(t, relation) {
		t.Errorf("the server does not have %s forgotten", relation)
	}
	host.click(rel, "Count again")
	host.waitFor("the relation counted again", fmt.Sprintf(`document.querySelector('%s').dataset.forgotten === 'false'`, rel))
	if s.forgotten(t, relation) {
		t.Errorf("the server still has %s forgotten after \"Count again\"", relation)
	}
	host.click(rel, "Forget")
	host.waitFor("the relation forgotten again", fmt.Sprintf(`document.querySelector('%s').dataset.forgotten === 'true'`, rel))

	// Taking the member's good fit back asks first.
	good := eval[string](host, `[...document.querySelectorAll('.answer')].find((a) => a.textContent.includes('Good fit')).dataset.answer`)
	row := fmt.Sprintf(`.answer[data-answer=%q]`, good)
	host.click(row, "Take back")
	host.waitText(row+" .confirm-question", "Take this answer back?")
	if got := s.answers(t).Total; got != 3 {
		t.Fatalf("the answer was taken back before the host confirmed (%d left, want 3)", got)
	}
	host.click(row, "Yes, take it back")
	host.waitFor("the row removed", fmt.Sprintf(`document.querySelector('%s') === null`, row))
	host.waitText(".section-answers .results-status", "2 answers")
	if focus := eval[string](host, `document.activeElement.tagName`); focus == "BODY" {
		t.Error("after taking an answer back, the focus fell to the page's body")
	}
	l = s.answers(t)
	if l.Total != 2 {
		t.Errorf("got %d answers after taking one back, want 2", l.Total)
	}
	for _, f := range l.Items {
		if fmt.Sprint(f.ID) == good {
			t.Errorf("the answer taken back is still listed: %+v", f)
		}
	}
	host.screenshot("host-learning-after")

	// The good fit is gone from the member's card too.
	member.open("/app/matches")
	member.waitFor("the matches", fmt.Sprintf(`document.querySelector('%s .fit') !== null`, fit))
	if text := member.text(fit + " .fit"); strings.Contains(text, "You said") {
		t.Errorf("after the host took the good fit back, the card still says %q", text)
	}
}
