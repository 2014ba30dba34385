package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var introLink = regexp.MustCompile(`/introduction\?token=([A-Za-z0-9_%-]+)`)

// introTokens returns the answer-link tokens of the introduction emails
// sent to each address, from the outbox mails after skip.
func introTokens(t *testing.T, mails []sentMail) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range mails {
		if found := introLink.FindStringSubmatch(m.Text); found != nil {
			tok, _ := url.QueryUnescape(found[1])
			out[strings.Trim(m.To, "<>")] = tok
		}
	}
	return out
}

// approvedPair runs a round on the evaluation set and approves its best
// suggestion.
func approvedPair(t *testing.T, ts *testServer, index int) suggestionView {
	t.Helper()
	list := decode[suggestionsJSON](t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/suggestions?status=proposed", host, ""))
	s := list.Suggestions[index]
	wantStatus(t, ts.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d", s.ID), host, `{"status":"approved","note":"Meet over coffee?"}`), http.StatusOK)
	return s
}

func TestIntroductionsAreDoubleOptIn(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)
	ts.runRound(t, `{"quarter":"2026-Q3"}`)
	s := approvedPair(t, ts, 0)
	introduce := fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d/introduce", s.ID)
	wantStatus(t, ts.do(t, http.MethodPost, introduce, anonymous, ""), http.StatusUnauthorized)
	before := len(ts.outbox(t))
	r := ts.do(t, http.MethodPost, introduce, host, "")
	wantStatus(t, r, http.StatusCreated)
	wantStatus(t, ts.do(t, http.MethodPost, introduce, host, ""), http.StatusConflict) // once

	mails := ts.outbox(t)[before:]
	a, b := s.A.Post.Email, s.B.Post.Email
	tokens := introTokens(t, mails)
	if len(mails) != 2 || tokens[a] == "" || tokens[b] == "" {
		t.Fatalf("introduction emails: %+v, want one with a link to each of %s and %s", mails, a, b)
	}
	for _, m := range mails {
		other := a
		if strings.Trim(m.To, "<>") == a {
			other = b
		}
		if strings.Contains(m.Text, other) || strings.Contains(m.HTML, other) {
			t.Errorf("the invitation to %s shares %s before both said yes:\n%s", m.To, other, m.Text)
		}
		if !strings.Contains(m.Text, "Meet over coffee?") || !strings.Contains(m.Text, "Why you two") {
			t.Errorf("the invitation lacks the host's note or the reasons:\n%s", m.Text)
		}
	}

	// A opens the page (no answer yet) and accepts; the link is then spent.
	anon := newBrowser(ts)
	page := anon.do(t, http.MethodGet, "/introduction?token="+url.QueryEscape(tokens[a]), "", nil)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), s.B.Post.Business) && !strings.Contains(string(page.Body), strings.ReplaceAll(s.B.Post.Business, "&", "&amp;")) {
		t.Errorf("answer page: %s", page)
	}
	// The page has what the email had: the reasons and the host's note.
	if body := string(page.Body); !strings.Contains(body, "Why you two: ") || !strings.Contains(body, "A note from the host: Meet over coffee?") {
		t.Errorf("the answer page lacks the reasons or the host's note: %s", page)
	}
	// answer posts the link's form; a decline with its confirmation, as the
	// page that asks first sends it.
	answer := func(token, ans string) response {
		v := url.Values{"token": {token}, "answer": {ans}}
		if ans == "decline" {
			v.Set("confirm", "yes")
		}
		return anon.do(t, http.MethodPost, "/introduction", v.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	}
	wantStatus(t, answer(tokens[a], "maybe"), http.StatusBadRequest)
	before = len(ts.outbox(t))
	wantStatus(t, answer(tokens[a], "accept"), http.StatusOK)
	// Back, then "No, thank you": the link says what was answered, and
	// changes nothing.
	again := answer(tokens[a], "decline")
	wantStatus(t, again, http.StatusConflict)
	if body := string(again.Body); !strings.Contains(body, "You already said yes") || !strings.Contains(body, "We will email you when they answer.") {
		t.Errorf("the spent link posted again: %s", again)
	}
	if page := anon.do(t, http.MethodGet, "/introduction?token="+url.QueryEscape(tokens[a]), "", nil); page.Status != http.StatusOK || !strings.Contains(string(page.Body), "You already said yes") {
		t.Errorf("the spent link opened again: %s", page)
	}
	wantStatus(t, anon.do(t, http.MethodGet, "/introduction?token=mml_not-a-real-link-token-000000000", "", nil), http.StatusNotFound)
	if n := len(ts.outbox(t)) - before; n != 0 {
		t.Errorf("%d emails after one side accepted, want none", n)
	}
	list := decode[map[string][]introductionView](t, ts.do(t, http.MethodGet, "/api/v1/introductions", host, ""))["introductions"]
	if len(list) != 1 || list[0].Status != "pending" || list[0].A.Answer != "accepted" {
		t.Errorf("after A accepted: %+v", list)
	}

	// B accepts too: each gets the other's contact details.
	wantStatus(t, answer(tokens[b], "accept"), http.StatusOK)
	mails = ts.outbox(t)[before:]
	if len(mails) != 2 {
		t.Fatalf("after both accepted: %d emails, want 2", len(mails))
	}
	for _, m := range mails {
		to := strings.Trim(m.To, "<>")
		other := a
		if to == a {
			other = b
		}
		if !strings.Contains(m.Subject, "introduced") || !strings.Contains(m.Text, other) {
			t.Errorf("the introduction email to %s lacks %s:\n%s", to, other, m.Text)
		}
	}
	list = decode[map[string][]introductionView](t, ts.do(t, http.MethodGet, "/api/v1/introductions", host, ""))["introductions"]
	if list[0].Status != "accepted" {
		t.Errorf("status %q, want accepted", list[0].Status)
	}
	// The pair is never suggested again.
	ts.runRound(t, `{"quarter":"2026-Q3"}`)
	all := decode[suggestionsJSON](t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/suggestions", host, ""))
	for _, x := range all.Suggestions {
		if x.A.Post.ID == s.A.Post.ID && x.B.Post.ID == s.B.Post.ID && x.Status != "introduced" {
			t.Errorf("the introduced pair was suggested again: %+v", x)
		}
	}

	// A decline is quiet: the other side hears only that it did not go ahead.
	s2 := approvedPair(t, ts, 0)
	before = len(ts.outbox(t))
	wantStatus(t, ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d/introduce", s2.ID), host, ""), http.StatusCreated)
	tokens = introTokens(t, ts.outbox(t)[before:])
	before = len(ts.outbox(t))
	// "No, thank you" asks first: the page's answer alone records nothing.
	ask := anon.do(t, http.MethodPost, "/introduction", url.Values{"token": {tokens[s2.A.Post.Email]}, "answer": {"decline"}}.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	wantStatus(t, ask, http.StatusOK)
	if body := string(ask.Body); !strings.Contains(body, "cannot be undone") || !strings.Contains(body, `name="confirm" value="yes"`) || !strings.Contains(body, `name="answer" value="decline"`) {
		t.Errorf("the decline's question: %s", ask)
	}
	if list := decode[map[string][]introductionView](t, ts.do(t, http.MethodGet, "/api/v1/introductions", host, ""))["introductions"]; len(list) != 2 || list[0].Status != "pending" {
		t.Errorf("after the question alone: %+v, want the introduction still pending", list)
	}
	if n := len(ts.outbox(t)) - before; n != 0 {
		t.Errorf("the question sent %d emails", n)
	}
	wantStatus(t, answer(tokens[s2.A.Post.Email], "decline"), http.StatusOK)
	mails = ts.outbox(t)[before:]
	if len(mails) != 1 || strings.Trim(mails[0].To, "<>") != s2.B.Post.Email || !strings.Contains(mails[0].Text, "did not go ahead") ||
		strings.Contains(mails[0].Text, s2.A.Post.Email) || strings.Contains(mails[0].Text, "declin") {
		t.Errorf("after a decline: %+v", mails)
	}
	wantStatus(t, answer(tokens[s2.B.Post.Email], "accept"), http.StatusConflict) // too late
	if n := len(ts.outbox(t)) - before; n != 1 {
		t.Errorf("contact details went out after a decline: %d emails", n)
	}

	// That news is a notice of kind introduction: with it off, a decline
	// sends nothing.
	s3 := approvedPair(t, ts, 0)
	if _, err := ts.App.SetNoticePrefs(context.Background(), s3.B.Post.Email, map[string]string{"introduction": "off"}); err != nil {
		t.Fatal(err)
	}
	before = len(ts.outbox(t))
	wantStatus(t, ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d/introduce", s3.ID), host, ""), http.StatusCreated)
	tokens = introTokens(t, ts.outbox(t)[before:])
	before = len(ts.outbox(t))
	wantStatus(t, answer(tokens[s3.A.Post.Email], "decline"), http.StatusOK)
	if mails := ts.outbox(t)[before:]; len(mails) != 0 {
		t.Errorf("with introduction notices off, a decline sent %+v", mails)
	}
}

// signIn signs the owner of an address in through the emailed link and
// returns their browser, CSRF token set.
func signIn(t *testing.T, ts *testServer, address string) *browser {
	t.Helper()
	b := newBrowser(ts)
	wantStatus(t, b.api(t, http.MethodPost, "/api/v1/auth/sign-in-link", fmt.Sprintf(`{"email":%q}`, address)), http.StatusAccepted)
	mails := ts.outbox(t)
	wantStatus(t, b.form(t, "/signin", tokenIn(t, mails[len(mails)-1], "signin")), http.StatusSeeOther)
	b.csrf = decode[meView](t, b.api(t, http.MethodGet, "/api/v1/me", "")).CSRFToken
	return b
}

func TestMembersAnswerIntroductionsInTheAPI(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)
	ts.runRound(t, `{"quarter":"2026-Q3"}`)
	s := approvedPair(t, ts, 0)
	r := ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d/introduce", s.ID), host, "")
	wantStatus(t, r, http.StatusCreated)
	in := decode[introductionView](t, r)
	path := fmt.Sprintf("/api/v1/introductions/%d/answer", in.ID)

	// A stranger neither sees nor answers it.
	var stranger string
	for _, p := range ts.listAll(t, host, nil, 100) {
		if domainOf(p.Email) != domainOf(s.A.Post.Email) && domainOf(p.Email) != domainOf(s.B.Post.Email) {
			stranger = p.Email
			break
		}
	}
	other := signIn(t, ts, stranger)
	if list := decode[map[string][]introductionView](t, other.api(t, http.MethodGet, "/api/v1/introductions", ""))["introductions"]; len(list) != 0 {
		t.Errorf("a stranger sees %d introductions", len(list))
	}
	wantStatus(t, other.api(t, http.MethodPost, path, `{"answer":"accept"}`), http.StatusNotFound)
	wantStatus(t, newBrowser(ts).api(t, http.MethodPost, path, `{"answer":"accept"}`), http.StatusUnauthorized)

	owner := signIn(t, ts, s.A.Post.Email)
	mine := decode[map[string][]introductionView](t, owner.api(t, http.MethodGet, "/api/v1/introductions", ""))["introductions"]
	if len(mine) == 0 || mine[0].ID != in.ID || mine[0].B.Post.Email != "" {
		t.Errorf("my introductions: %+v; want this one, without the other's address yet", mine)
	}
	wantStatus(t, owner.api(t, http.MethodPost, path, `{"answer":"perhaps"}`), http.StatusBadRequest)
	r = owner.api(t, http.MethodPost, path, `{"answer":"accept"}`)
	wantStatus(t, r, http.StatusOK)
	if got := decode[introductionView](t, r); got.A.Answer != "accepted" || got.Status != "pending" {
		t.Errorf("after accepting: %+v", got)
	}
	wantStatus(t, owner.api(t, http.MethodPost, path, `{"answer":"decline"}`), http.StatusConflict)
}

var feedbackLink = regexp.MustCompile(`/feedback\?token=([A-Za-z0-9_%-]+)`)

func TestIntroductionLifecycle(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)
	ts.runRound(t, `{"quarter":"2026-Q3"}`)
	start := time.Now().UTC()
	at := func(d time.Duration) { ts.App.SetClock(func() time.Time { return start.Add(d) }) }
	process := func() []sentMail {
		t.Helper()
		before := len(ts.outbox(t))
		if err := ts.App.ProcessIntroductions(context.Background()); err != nil {
			t.Fatal(err)
		}
		return ts.outbox(t)[before:]
	}
	anon := newBrowser(ts)
	form := func(path, token, answer string) response {
		return anon.do(t, http.MethodPost, path, url.Values{"token": {token}, "answer": {answer}}.Encode(),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	}
	introduce := func() (suggestionView, map[string]string) {
		s := approvedPair(t, ts, 0)
		before := len(ts.outbox(t))
		wantStatus(t, ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d/introduce", s.ID), host, ""), http.StatusCreated)
		return s, introTokens(t, ts.outbox(t)[before:])
	}
	s1, t1 := introduce()
	s2, t2 := introduce()
	wantStatus(t, form("/introduction", t1[s1.A.Post.Email], "accept"), http.StatusOK)

	// Nothing is due at first; three days before expiry, one reminder to
	// each side that has not answered, and only once.
	if mails := process(); len(mails) != 0 {
		t.Errorf("%d emails before anything was due", len(mails))
	}
	at(12 * 24 * time.Hour)
	reminders := process()
	got := map[string]bool{}
	for _, m := range reminders {
		got[strings.Trim(m.To, "<>")] = strings.Contains(m.Subject, "Reminder")
	}
	want := map[string]bool{s1.B.Post.Email: true, s2.A.Post.Email: true, s2.B.Post.Email: true}
	if len(reminders) != 3 || !got[s1.B.Post.Email] || !got[s2.A.Post.Email] || !got[s2.B.Post.Email] {
		t.Errorf("reminders went to %v, want %v", got, want)
	}
	if again := process(); len(again) != 0 {
		t.Errorf("a second pass sent %d more reminders", len(again))
	}
	// The reminder's link works, like the first one.
	fresh := introTokens(t, reminders)
	wantStatus(t, form("/introduction", fresh[s2.A.Post.Email], "accept"), http.StatusOK)
	wantStatus(t, form("/introduction", t2[s2.B.Post.Email], "accept"), http.StatusOK)

	// Past expiry, the unanswered introduction expires; the side who said
	// yes hears only that it did not go ahead.
	at(15 * 24 * time.Hour)
	expired := process()
	if len(expired) != 1 || strings.Trim(expired[0].To, "<>") != s1.A.Post.Email || !strings.Contains(expired[0].Text, "did not go ahead") {
		t.Errorf("on expiry: %+v", expired)
	}
	wantStatus(t, form("/introduction", t1[s1.B.Post.Email], "accept"), http.StatusConflict)

	// Two weeks after both accepted, both are asked whether they met.
	at(27 * 24 * time.Hour)
	followUps := process()
	fb := map[string]string{}
	for _, m := range followUps {
		if found := feedbackLink.FindStringSubmatch(m.Text); found != nil {
			fb[strings.Trim(m.To, "<>")], _ = url.QueryUnescape(found[1])
		}
	}
	if len(followUps) != 2 || fb[s2.A.Post.Email] == "" || fb[s2.B.Post.Email] == "" {
		t.Fatalf("follow-ups: %+v", followUps)
	}
	wantStatus(t, anon.do(t, http.MethodGet, "/feedback?token="+url.QueryEscape(fb[s2.A.Post.Email]), "", nil), http.StatusOK)
	wantStatus(t, form("/feedback", fb[s2.A.Post.Email], "7"), http.StatusBadRequest)
	wantStatus(t, form("/feedback", fb[s2.A.Post.Email], "4"), http.StatusOK)
	wantStatus(t, form("/feedback", fb[s2.A.Post.Email], "5"), http.StatusNotFound) // once
	// The follow-up's link expires after 30 days.
	at(58 * 24 * time.Hour)
	wantStatus(t, form("/feedback", fb[s2.B.Post.Email], "no"), http.StatusNotFound)

	f := decode[figuresView](t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/figures", host, ""))
	if f.Introductions != 2 || f.Invitations != 4 || f.Accepted != 3 || f.Mutual != 1 || f.Expired != 1 || f.Feedback != 1 || f.Met != 1 {
		t.Errorf("figures: %+v", f.RoundFigures)
	}
	if f.AcceptRate == nil || *f.AcceptRate != 0.75 || *f.MutualAcceptRate != 0.5 || *f.MeetingRate != 1 || f.RatingAvg == nil || *f.RatingAvg != 4 {
		t.Errorf("rates: accept %v mutual %v meeting %v rating %v", *f.AcceptRate, *f.MutualAcceptRate, *f.MeetingRate, f.RatingAvg)
	}
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/figures", anonymous, ""), http.StatusUnauthorized)
}

// TestMemberSeesOnlyTheirOwnAnswer: before both said yes, a member sees
// their own answer, not the other side's (a decline stays quiet), and the
// reasons written to them with the host's note.
func TestMemberSeesOnlyTheirOwnAnswer(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)
	ts.runRound(t, `{"quarter":"2026-Q3"}`)
	s := approvedPair(t, ts, 0)
	wantStatus(t, ts.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d", s.ID), host, `{"note":"You two should talk"}`), http.StatusOK)
	r := ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d/introduce", s.ID), host, "")
	wantStatus(t, r, http.StatusCreated)
	id := decode[introductionView](t, r).ID
	a, b := signIn(t, ts, s.A.Post.Email), signIn(t, ts, s.B.Post.Email)
	wantStatus(t, a.api(t, http.MethodPost, fmt.Sprintf("/api/v1/introductions/%d/answer", id), `{"answer":"decline"}`), http.StatusOK)
	mine := decode[map[string][]introductionView](t, a.api(t, http.MethodGet, "/api/v1/introductions", ""))["introductions"][0]
	theirs := decode[map[string][]introductionView](t, b.api(t, http.MethodGet, "/api/v1/introductions", ""))["introductions"][0]
	if mine.A.Answer != "declined" || len(mine.A.Reasons) == 0 || len(mine.B.Reasons) != 0 || mine.Note != "You two should talk" {
		t.Errorf("A's view: %+v", mine)
	}
	if theirs.A.Answer != "" || theirs.B.Answer != "" || len(theirs.B.Reasons) == 0 || len(theirs.A.Reasons) != 0 {
		t.Errorf("B sees A's answer or A's reasons: %+v", theirs)
	}
	if hosts := decode[map[string][]introductionView](t, ts.do(t, http.MethodGet, "/api/v1/introductions", host, ""))["introductions"][0]; hosts.A.Answer != "declined" || len(hosts.B.Reasons) == 0 {
		t.Errorf("the host's view: %+v", hosts)
	}
}
