package api

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/matchmaker/matchmaker/match"
)

func matchesOf(t *testing.T, ts *testServer, post int64) []int64 {
	t.Helper()
	r := ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/posts/%d/matches?limit=50", post), host, "")
	wantStatus(t, r, http.StatusOK)
	return matchIDs(decode[matchesJSON](t, r).Matches)
}

// TestFeedbackTakesPairsOutAndTeaches answers matches through the API and
// checks what each answer does: a competitor leaves both sides' matches
// for good, "not relevant" only the answering side's, a good fit is shown
// with the match; what the matcher learned is listed, can be forgotten,
// and an answer taken back brings its pair back.
func TestFeedbackTakesPairsOutAndTeaches(t *testing.T) {
	ts := newTestServer(t)
	mk := func(name, offer, seek string) int64 {
		return ts.createPost(t, post("business", name, "email", "hi@"+name+".example", "offer", offer, "seek", seek,
			"customers", "Horse owners and riding stables", "lane", "either")).ID
	}
	farrier := mk("shoes", "Hoof trimming and horseshoeing for riding stables", "Equine vets and saddle fitters for our clients")
	rival := mk("hooves", "Farrier work: trimming, shoeing and corrective shoes", "Vets and saddlers who see lame horses")
	vet := mk("equivet", "Equine veterinary care and lameness exams", "Farriers we can send horses to")
	saddler := mk("saddles", "Saddle fitting and repairs at your yard", "Farriers and vets for referrals")
	for _, id := range []int64{farrier, rival, vet, saddler} {
		if len(matchesOf(t, ts, id)) == 0 {
			t.Fatalf("post %d has no matches to answer about", id)
		}
	}
	answer := func(post, other int64, body string, status int) feedbackView {
		t.Helper()
		r := ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/posts/%d/matches/%d/feedback", post, other), host, body)
		wantStatus(t, r, status)
		if status != http.StatusOK {
			return feedbackView{}
		}
		return decode[feedbackView](t, r)
	}
	// Bad answers change nothing.
	for _, tc := range []struct {
		body  string
		field string
	}{
		{`{"verdict":"great"}`, "verdict"},
		{`{"verdict":"not_a_fit"}`, "reason"},
		{`{"verdict":"good_fit","reason":"competitor"}`, "reason"},
		{`{"verdict":"good_fit","source":"email"}`, "source"},
		{`{"verdict":"good_fit","note":"a\u0000b"}`, "note"},
	} {
		r := ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/posts/%d/matches/%d/feedback", farrier, vet), host, tc.body)
		wantStatus(t, r, http.StatusBadRequest)
		if fields := decode[errorEnvelope](t, r).Error.Fields; fields[tc.field] == "" {
			t.Errorf("%s: error fields %v, want %s", tc.body, fields, tc.field)
		}
	}
	answer(farrier, farrier, `{"verdict":"good_fit"}`, http.StatusBadRequest)
	answer(farrier, 99999, `{"verdict":"good_fit"}`, http.StatusNotFound)
	if r := ts.do(t, http.MethodGet, "/api/v1/feedback", host, ""); decode[feedbackList](t, r).Total != 0 {
		t.Fatal("refused answers were stored")
	}

	// A competitor: gone from both sides' matches.
	answer(farrier, rival, `{"verdict":"not_a_fit","reason":"competitor"}`, http.StatusOK)
	if slices.Contains(matchesOf(t, ts, farrier), rival) || slices.Contains(matchesOf(t, ts, rival), farrier) {
		t.Error("after 'not a fit: competitor' the pair is still matched on one side")
	}
	// Not relevant: gone for the one who said it only.
	answer(vet, saddler, `{"verdict":"not_a_fit","reason":"not_relevant"}`, http.StatusOK)
	if slices.Contains(matchesOf(t, ts, vet), saddler) {
		t.Error("after 'not relevant' the partner is still in the answering side's matches")
	}
	if !slices.Contains(matchesOf(t, ts, saddler), vet) {
		t.Error("'not relevant' took the pair out of the other side's matches too")
	}
	// A good fit is shown with the match.
	f := answer(farrier, vet, `{"verdict":"good_fit","note":"We share three yards"}`, http.StatusOK)
	if f.Verdict != match.GoodFit || !f.ByHost || f.Note != "We share three yards" {
		t.Errorf("stored answer: %+v", f)
	}
	r := ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/posts/%d/matches", farrier), host, "")
	var shown bool
	for _, m := range decode[matchesJSON](t, r).Matches {
		if m.Post.ID == vet {
			shown = m.Feedback != nil && m.Feedback.Verdict == match.GoodFit
		}
	}
	if !shown {
		t.Error("the good fit is not shown with its match")
	}

	// The host's list, newest first, with both businesses.
	list := decode[feedbackList](t, ts.do(t, http.MethodGet, "/api/v1/feedback?limit=2", host, ""))
	if list.Total != 3 || len(list.Items) != 2 || list.Items[0].ID != f.ID || list.Items[0].Business != "shoes" || list.Items[0].OtherBusiness != "equivet" {
		t.Errorf("answers: %+v", list)
	}
	for _, bad := range []string{"?limit=0", "?offset=-1", "?post=x", "?colour=red"} {
		wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/feedback"+bad, host, ""), http.StatusBadRequest)
	}

	// The competitor taught which offer words name the same service;
	// forgetting one of them.
	learned := decode[learnedList](t, ts.do(t, http.MethodGet, "/api/v1/learned", host, ""))
	if i := slices.IndexFunc(learned.Relations, func(l match.Learned) bool { return l.Kind == match.KindRivals }); i < 0 {
		t.Errorf("nothing learned from the competitor: %+v", learned.Relations)
	} else {
		l := learned.Relations[i]
		body := fmt.Sprintf(`{"kind":%q,"a":%q,"b":%q,"forgotten":true}`, l.Kind, l.A, l.B)
		after := decode[learnedList](t, ts.do(t, http.MethodPut, "/api/v1/learned/forgotten", host, body))
		if i := slices.IndexFunc(after.Relations, func(x match.Learned) bool { return x.Key() == l.Key() }); i < 0 || !after.Relations[i].Forgotten {
			t.Errorf("forgotten relation: %+v", after.Relations)
		}
	}
	wantStatus(t, ts.do(t, http.MethodPut, "/api/v1/learned/forgotten", host, `{"kind":"colours","a":"x","b":"y","forgotten":true}`), http.StatusBadRequest)
	wantStatus(t, ts.do(t, http.MethodPut, "/api/v1/learned/forgotten", host, `{"kind":"answers","a":"x","b":"y"}`), http.StatusBadRequest)

	// Taking the competitor answer back brings the pair back.
	var competitor int64
	for _, it := range decode[feedbackList](t, ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/feedback?post=%d", rival), host, "")).Items {
		if it.Reason == match.ReasonCompetitor {
			competitor = it.ID
		}
	}
	wantStatus(t, ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/feedback/%d", competitor), host, ""), http.StatusOK)
	wantStatus(t, ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/feedback/%d", competitor), host, ""), http.StatusNotFound)
	if !slices.Contains(matchesOf(t, ts, rival), farrier) {
		t.Error("after the answer was taken back, the pair is still out")
	}
}
