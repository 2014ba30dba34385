package api

import "testing"

// accessFeedbackRows are the access table's rows for answers about matches
// and what the matcher learned.
func accessFeedbackRows() []accessRow {
	return []accessRow{
		{route: "POST /api/v1/posts/:id/matches/:other/feedback", variant: "A's post, E a good fit", path: "/api/v1/posts/{postA}/matches/{postE}/feedback",
			body: `{"verdict":"good_fit"}`, want: accessExpect(401, 200, 403, 403, 200, 401, 200), check: accessCheckMatchFeedback},
		{route: "POST /api/v1/posts/:id/matches/:other/feedback", variant: "B's hidden post, A a competitor", path: "/api/v1/posts/{hiddenB}/matches/{postA}/feedback",
			body: `{"verdict":"not_a_fit","reason":"competitor"}`, want: accessExpect(401, 404, 403, 200, 200, 401, 404)},
		{route: "POST /api/v1/posts/:id/matches/:other/feedback", variant: "A's post, a hidden partner", path: "/api/v1/posts/{postA}/matches/{hiddenB}/feedback",
			body: `{"verdict":"not_a_fit","reason":"not_relevant"}`, want: accessExpect(401, 404, 403, 403, 404, 401, 404)},
		{route: "POST /api/v1/posts/:id/matches/:other/feedback", variant: "a reason the verdict cannot carry", path: "/api/v1/posts/{postA}/matches/{postE}/feedback",
			body: `{"verdict":"good_fit","reason":"competitor"}`, want: accessExpect(401, 400, 403, 403, 400, 401, 400)},
		{route: "GET /api/v1/feedback", path: "/api/v1/feedback", want: accessHostOnly(200)},
		{route: "DELETE /api/v1/feedback/:id", path: "/api/v1/feedback/{answer}", want: accessHostOnly(200)},
		{route: "GET /api/v1/learned", path: "/api/v1/learned", want: accessHostOnly(200)},
		{route: "PUT /api/v1/learned/forgotten", path: "/api/v1/learned/forgotten", body: `{"kind":"answers","a":"licens","b":"permit","forgotten":true}`,
			want: accessHostOnly(200)},
	}
}

// accessCheckMatchFeedback checks that the answer is stored as the caller's:
// by the host, or by the member.
func accessCheckMatchFeedback(t *testing.T, w *accessWorld, c accessCaller, r response) {
	f := decode[feedbackView](t, r)
	if f.Verdict != "good_fit" || f.Source != "matches" || f.ByHost != (c == asHost) {
		t.Errorf("answer as %s: %+v", c, f)
	}
}

// accessAreaRows are the access table's rows for the host's areas.
func accessAreaRows() []accessRow {
	return []accessRow{
		{route: "GET /api/v1/areas", path: "/api/v1/areas", want: accessHostOnly(200)},
		{route: "PUT /api/v1/areas/:name", path: "/api/v1/areas/Tri-County", body: `{"centre":"Albany","radius_km":40}`, want: accessHostOnly(200)},
		{route: "DELETE /api/v1/areas/:name", path: "/api/v1/areas/Porto%20Metro", want: accessHostOnly(204)},
	}
}
