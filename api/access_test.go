package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/domain"
)

// The access table: every route of (*Server).routes() × every kind of
// caller, with the status each must get and what each may see. A route
// added to the route table without rows here fails TestAccess.

// accessCaller is who sends a request of the access table. "Owner" is
// member A, who owns the post, the introduction side and the personal
// token the paths name; "other" is member B, who owns only a hidden post.
type accessCaller int

const (
	asAnonymous    accessCaller = iota
	asOwner                     // A's session cookie, with its CSRF token on writes
	asOwnerNoCSRF               // A's session cookie, without the CSRF token
	asOther                     // B's session cookie, with B's CSRF token on writes
	asHost                      // the host's bearer token
	asExpired                   // A's session cookie, 31 days old, with its CSRF token
	asForgedAPI                 // Bearer mmp_forged…: shaped like a personal token
	asForgedRandom              // Bearer <random string>
	asToken                     // A's personal API token
	numCallers
)

var accessCallerNames = [numCallers]string{"anonymous", "owner", "owner-no-CSRF", "other-member", "host",
	"expired-session", "forged-mmp-token", "random-bearer", "personal-token"}

func (c accessCaller) String() string { return accessCallerNames[c] }

// isA reports whether the caller is member A, signed in.
func (c accessCaller) isA() bool { return c == asOwner || c == asOwnerNoCSRF || c == asToken }

// accessWant is the status each caller must get.
type accessWant [numCallers]int

// expect lists the statuses in the order of the table's columns; a forged
// bearer token is refused everywhere, before any route looks at it.
func accessExpect(anon, owner, ownerNoCSRF, other, host, expired, token int) accessWant {
	return accessWant{anon, owner, ownerNoCSRF, other, host, expired, http.StatusUnauthorized, http.StatusUnauthorized, token}
}

func accessEveryone(status int) accessWant {
	return accessExpect(status, status, status, status, status, status, status)
}

func accessHostOnly(status int) accessWant {
	const no = http.StatusUnauthorized
	return accessExpect(no, no, no, no, status, no, no)
}

// accessNeeds are fixtures only some rows need (they spend rate limit or
// move the clock).
type accessNeeds struct {
	signIn   bool // an unspent sign-in link of A's: {signin}
	feedback bool // a follow-up link of A's, after both accepted: {feedback}
	// partnerships: A's partnerships with C and D (access_partnerships_test.go)
	partnerships bool
	// meeting: A and C accepted {intro}, and C offered times
	// (access_meetings_test.go)
	meeting bool
}

// accessRow is one route (or one variant of it) × every caller.
type accessRow struct {
	route   string // "METHOD /pattern", as in (*Server).routes()
	variant string // what the row is about, when a route has several
	path    string // {name} stands for accessWorld.vars[name]
	body    string
	form    bool // the body is a form, as an emailed link's page posts it
	// contentType, when set, is sent instead of JSON's or a form's.
	contentType string
	needs       accessNeeds
	want        accessWant
	// allow names private values (accessWorld.vars) anyone calling this
	// row may be shown, e.g. the address of the post a link confirms.
	allow []string
	// check looks further at a response that has the expected status,
	// when that is a success.
	check func(t *testing.T, w *accessWorld, c accessCaller, r response)
}

func (r accessRow) method() string { m, _, _ := strings.Cut(r.route, " "); return m }

func (r accessRow) name() string {
	if r.variant == "" {
		return r.route
	}
	return r.route + " (" + r.variant + ")"
}

const accessQuarter = "/api/v1/rounds/2026-Q3"

// accessThread is a pasted comment thread: one reply, one draft.
const accessThread = "Fiona Fox\nOwner at Foxtrot Dental Labs\nWe make crowns and bridges for dental practices — looking for dentists who want a fast lab. fiona@foxtrot-labs.example\nLike · Reply · 2d\n\n" +
	"Gus Grant\nFollowing!\nLike · Reply · 1d\n"

// accessSheet is a form's spreadsheet: one reply.
const accessSheet = "Timestamp,Your name,Email address,What does your business do?,Who would you like to meet?\n" +
	"2026-11-02 10:00:00,Hana Holm,hana@holm-ortho.example,Orthodontic aligners for general dentists,Dental labs and practice consultants\n"

func accessTable() []accessRow {
	newPost := jsonBody(post("business", "Alpha Ledger Porto", "email", "{emailA}", "website", "https://alpha-ledger.example",
		"region", "Porto", "lane", "either"))
	patch := `{"offer":"Bookkeeping, payroll and tax returns for dental practices"}`
	core := []accessRow{
		// Statuses: anonymous, owner, owner-no-CSRF, other member, host,
		// expired session, personal token (forged bearer tokens: 401).
		{route: "GET /healthz", path: "/healthz", want: accessEveryone(200)},
		{route: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", want: accessEveryone(200)},
		{route: "GET /metrics", path: "/metrics", want: accessHostOnly(200)},
		{route: "GET /api/v1/posts", path: "/api/v1/posts?limit=100", want: accessEveryone(200), check: accessCheckListPosts},
		{route: "GET /api/v1/posts", variant: "status=hidden", path: "/api/v1/posts?status=hidden",
			want: accessExpect(403, 403, 403, 403, 200, 403, 403)},
		{route: "POST /api/v1/posts/check", path: "/api/v1/posts/check", body: newPost, want: accessEveryone(204)},
		// Checked as it would be taken: only the host sets a status.
		{route: "POST /api/v1/posts/check", variant: "with a status", path: "/api/v1/posts/check",
			body: jsonBody(post("business", "Alpha Ledger Porto", "email", "{emailA}", "lane", "either", "status", "active")),
			want: accessExpect(400, 400, 400, 400, 204, 400, 400)},
		{route: "POST /api/v1/posts", variant: "under A's address", path: "/api/v1/posts", body: newPost,
			want: accessExpect(202, 201, 202, 202, 201, 202, 201), check: accessCheckCreatePost},
		// The import key (external_id) is the host's: nobody else may set
		// it, or learn by a conflict that a key is taken.
		{route: "POST /api/v1/posts", variant: "with A's import key", path: "/api/v1/posts",
			body: jsonBody(post("business", "Key Probe", "email", "probe@probe.example", "website", "https://probe.example", "external_id", "{extA}")),
			want: accessExpect(400, 400, 400, 400, 409, 400, 400)},
		{route: "POST /api/v1/posts", variant: "with an unused import key", path: "/api/v1/posts",
			body: jsonBody(post("business", "Alpha Ledger Porto", "email", "{emailA}", "website", "https://alpha-ledger.example", "external_id", "row-unused-4711")),
			want: accessExpect(400, 400, 400, 400, 201, 400, 400)},
		{route: "GET /api/v1/posts/:id", variant: "A's active post", path: "/api/v1/posts/{postA}", want: accessEveryone(200), check: accessCheckGetPostA},
		{route: "GET /api/v1/posts/:id", variant: "B's hidden post", path: "/api/v1/posts/{hiddenB}",
			want: accessExpect(404, 404, 404, 200, 200, 404, 404)},
		{route: "GET /api/v1/posts/:id", variant: "a pending post", path: "/api/v1/posts/{pending}",
			want: accessExpect(404, 404, 404, 404, 200, 404, 404)},
		{route: "GET /api/v1/posts/:id", variant: "no such post", path: "/api/v1/posts/999999", want: accessEveryone(404)},
		{route: "PATCH /api/v1/posts/:id", variant: "A's active post", path: "/api/v1/posts/{postA}", body: patch,
			want: accessExpect(401, 200, 403, 403, 200, 401, 200), check: accessCheckPatched("postA")},
		{route: "PATCH /api/v1/posts/:id", variant: "B's hidden post", path: "/api/v1/posts/{hiddenB}", body: patch,
			want: accessExpect(401, 404, 403, 200, 200, 401, 404), check: accessCheckPatched("hiddenB")},
		{route: "DELETE /api/v1/posts/:id", variant: "A's active post", path: "/api/v1/posts/{postA}",
			want: accessExpect(401, 204, 403, 403, 204, 401, 204), check: accessCheckDeleted("postA")},
		{route: "DELETE /api/v1/posts/:id", variant: "B's hidden post", path: "/api/v1/posts/{hiddenB}",
			want: accessExpect(401, 404, 403, 204, 204, 401, 404), check: accessCheckDeleted("hiddenB")},
		{route: "GET /api/v1/posts/:id/matches", variant: "A's active post", path: "/api/v1/posts/{postA}/matches",
			want: accessExpect(401, 200, 200, 403, 200, 401, 200), check: accessCheckMatches("postA")},
		{route: "GET /api/v1/posts/:id/matches", variant: "B's hidden post", path: "/api/v1/posts/{hiddenB}/matches",
			want: accessExpect(401, 404, 404, 200, 200, 401, 404), check: accessCheckMatches("hiddenB")},

		{route: "POST /api/v1/import", path: "/api/v1/import", body: importLine("access-import-1"), want: accessHostOnly(200)},
		{route: "POST /api/v1/rounds", path: "/api/v1/rounds", body: `{"quarter":"2026-Q3"}`, want: accessHostOnly(202)},
		{route: "GET /api/v1/rounds", path: "/api/v1/rounds", want: accessHostOnly(200)},
		{route: "GET /api/v1/rounds/:quarter", path: accessQuarter, want: accessHostOnly(200)},
		{route: "GET /api/v1/rounds/:quarter/suggestions", path: accessQuarter + "/suggestions", want: accessHostOnly(200)},
		{route: "POST /api/v1/rounds/:quarter/suggestions", path: accessQuarter + "/suggestions",
			body: `{"post_a":{postD},"post_b":{postE},"note":"By hand"}`, want: accessHostOnly(201)},
		{route: "PATCH /api/v1/rounds/:quarter/suggestions/:id", variant: "a suggestion with A's post", path: accessQuarter + "/suggestions/{sugAD}",
			body: `{"note":"Coffee next week?"}`, want: accessHostOnly(200)},
		{route: "POST /api/v1/rounds/:quarter/suggestions/:id/swap", variant: "a suggestion with A's post", path: accessQuarter + "/suggestions/{sugAD}/swap",
			body: `{"keep":{postA},"partner":{postE}}`, want: accessHostOnly(201)},
		{route: "POST /api/v1/rounds/:quarter/suggestions/:id/introduce", variant: "a suggestion with A's post", path: accessQuarter + "/suggestions/{sugAD}/introduce",
			want: accessHostOnly(201)},
		{route: "GET /api/v1/rounds/:quarter/figures", path: accessQuarter + "/figures", want: accessHostOnly(200)},

		{route: "POST /api/v1/drafts", path: "/api/v1/drafts", body: accessThread, contentType: "text/plain", want: accessHostOnly(201)},
		{route: "GET /api/v1/drafts", path: "/api/v1/drafts", want: accessHostOnly(200)},
		{route: "PATCH /api/v1/drafts/:id", path: "/api/v1/drafts/{draft}", body: `{"business":"Foxtrot Labs"}`, want: accessHostOnly(200)},
		{route: "DELETE /api/v1/drafts/:id", path: "/api/v1/drafts/{draft}", want: accessHostOnly(204)},
		{route: "POST /api/v1/drafts/:id/publish", path: "/api/v1/drafts/{draft}/publish", want: accessHostOnly(201)},
		{route: "GET /api/v1/intakes", path: "/api/v1/intakes", want: accessHostOnly(200)},
		{route: "GET /api/v1/outbox", path: "/api/v1/outbox", want: accessHostOnly(200)},
		{route: "GET /api/v1/exports/:file", path: "/api/v1/exports/posts.csv", want: accessHostOnly(200)},
		{route: "POST /api/v1/outbox/:id/retry", path: "/api/v1/outbox/{mail}/retry", want: accessHostOnly(409)},
		{route: "POST /api/v1/outbox/:id/cancel", path: "/api/v1/outbox/{mail}/cancel", want: accessHostOnly(409)},
		{route: "GET /api/v1/intakes/:id", path: "/api/v1/intakes/{intake}", want: accessHostOnly(200)},
		{route: "PUT /api/v1/intakes/:id/columns", path: "/api/v1/intakes/{sheet}/columns", body: `{"columns":{"Timestamp":""}}`, want: accessHostOnly(200)},
		{route: "POST /api/v1/skipped/:id/draft", path: "/api/v1/skipped/{skipped}/draft", want: accessHostOnly(201)},
		{route: "DELETE /api/v1/intakes/:id/skipped", path: "/api/v1/intakes/{sheet}/skipped", want: accessHostOnly(200)},
		{route: "DELETE /api/v1/intakes/:id", path: "/api/v1/intakes/{sheet}", want: accessHostOnly(204)},
		{route: "POST /api/v1/comments/read", path: "/api/v1/comments/read",
			body: `{"text":"We make crowns for dental practices, looking for dentists who want a fast lab"}`, want: accessEveryone(200)},

		{route: "GET /api/v1/introductions", path: "/api/v1/introductions", want: accessExpect(401, 200, 200, 200, 200, 401, 200), check: accessCheckIntroductions},
		{route: "POST /api/v1/introductions/:id/answer", variant: "A's introduction", path: "/api/v1/introductions/{intro}/answer",
			body: `{"answer":"accept"}`, want: accessExpect(401, 200, 403, 404, 401, 401, 200), check: accessCheckAnswered},

		{route: "POST /api/v1/auth/sign-in-link", path: "/api/v1/auth/sign-in-link", body: `{"email":"{emailA}"}`, want: accessEveryone(202)},
		{route: "POST /api/v1/auth/sign-out", path: "/api/v1/auth/sign-out", want: accessExpect(401, 204, 403, 204, 401, 401, 204), check: accessCheckSignedOut},
		{route: "GET /api/v1/me", path: "/api/v1/me", want: accessExpect(401, 200, 200, 200, 401, 401, 200), check: accessCheckMe},
		{route: "GET /api/v1/session", path: "/api/v1/session", want: accessEveryone(200), check: accessCheckSession},
		{route: "GET /api/v1/me/posts", path: "/api/v1/me/posts", want: accessExpect(401, 200, 200, 200, 401, 401, 200), check: accessCheckMyPosts},
		{route: "GET /api/v1/me/tokens", path: "/api/v1/me/tokens", want: accessExpect(401, 200, 200, 200, 401, 401, 200), check: accessCheckMyTokens},
		{route: "POST /api/v1/me/tokens", path: "/api/v1/me/tokens", body: `{"name":"another script"}`,
			want: accessExpect(401, 201, 403, 201, 401, 401, 201), check: accessCheckNewToken},
		{route: "GET /api/v1/me/export", path: "/api/v1/me/export", want: accessExpect(401, 200, 200, 200, 401, 401, 200), check: accessCheckOwnExport},
		// Erasing for real is TestMemberExportsAndErases; here the address
		// given again is not the caller's, which refuses it (and the world
		// stays whole for the other rows).
		{route: "POST /api/v1/me/erase", variant: "another address confirmed", path: "/api/v1/me/erase", body: `{"confirm_email":"{emailC}"}`,
			want: accessExpect(401, 400, 403, 400, 401, 401, 400)},
		{route: "GET /api/v1/members/export", path: "/api/v1/members/export?email={emailA}", want: accessHostOnly(200)},
		{route: "POST /api/v1/members/erase", variant: "another address confirmed", path: "/api/v1/members/erase",
			body: `{"email":"{emailA}","confirm_email":"{emailC}"}`, want: accessHostOnly(400)},
		{route: "GET /api/v1/me/notices", path: "/api/v1/me/notices", want: accessExpect(401, 200, 200, 200, 401, 401, 200)},
		{route: "PUT /api/v1/me/notices", path: "/api/v1/me/notices", body: `{"modes":{"plan":"off"}}`, want: accessExpect(401, 200, 403, 200, 401, 401, 200)},
		{route: "DELETE /api/v1/me/tokens/:id", variant: "A's token", path: "/api/v1/me/tokens/{tokenAID}",
			want: accessExpect(401, 204, 403, 404, 401, 401, 204), check: accessCheckTokenRevoked},

		// The pages emailed links open: the token in the link is the
		// credential, so whoever holds it gets the same answer; a cookie
		// without its CSRF token counts as nobody, which is just as good.
		{route: "GET /confirm", path: "/confirm?token={confirm}", want: accessEveryone(200)},
		{route: "POST /confirm", variant: "the link's token", path: "/confirm", body: "token={confirm}", form: true,
			want: accessEveryone(200), allow: []string{"emailP"}, check: accessCheckConfirmed},
		{route: "POST /confirm", variant: "a forged token", path: "/confirm", body: "token=mml_forged-link-token-0000000000", form: true, want: accessEveryone(404)},
		{route: "GET /signin", path: "/signin?token={signin}", needs: accessNeeds{signIn: true}, want: accessEveryone(200)},
		{route: "POST /signin", variant: "the link's token", path: "/signin", body: "token={signin}", form: true, needs: accessNeeds{signIn: true},
			want: accessEveryone(303), check: accessCheckSignedIn},
		{route: "POST /signin", variant: "a forged token", path: "/signin", body: "token=mml_forged-link-token-0000000000", form: true, want: accessEveryone(404)},
		{route: "GET /introduction", variant: "A's link", path: "/introduction?token={introLinkA}", want: accessEveryone(200), check: accessCheckIntroductionPage},
		{route: "GET /introduction", variant: "a forged token", path: "/introduction?token=mml_forged-link-token-0000000000", want: accessEveryone(404)},
		{route: "POST /introduction", variant: "A's link", path: "/introduction", body: "token={introLinkA}&answer=accept", form: true,
			want: accessEveryone(200), check: accessCheckAnswered},
		{route: "POST /introduction", variant: "a forged token", path: "/introduction", body: "token=mml_forged-link-token-0000000000&answer=accept", form: true,
			want: accessEveryone(404)},
		{route: "POST /introduction", variant: "answer neither accept nor decline", path: "/introduction", body: "token={introLinkA}&answer=maybe", form: true, want: accessEveryone(400)},
		// The follow-up page looks nothing up until its form is sent.
		{route: "GET /feedback", path: "/feedback?token=mml_follow-up-link-token-0000000000", want: accessEveryone(200)},
		{route: "POST /feedback", variant: "A's link", path: "/feedback", body: "token={feedback}&answer=4", form: true, needs: accessNeeds{feedback: true},
			want: accessEveryone(200), check: accessCheckFeedback},
		{route: "POST /feedback", variant: "a forged token", path: "/feedback", body: "token=mml_forged-link-token-0000000000&answer=4", form: true, want: accessEveryone(404)},
	}
	return slices.Concat(core, accessPartnershipRows(), accessDigestRows(), accessFeedbackRows(), accessAreaRows(), accessMeetingRows())
}

func TestAccess(t *testing.T) {
	t.Parallel()
	rows := accessTable()
	checkAccessCoverage(t, rows)
	if testing.Verbose() {
		t.Log("\n" + accessMarkdown(rows))
	}

	// Reads share one world (two: a planned meeting spends the
	// introduction's answer links): none may change anything.
	t.Run("reads", func(t *testing.T) {
		worlds := map[bool]*accessWorld{}
		bases := map[bool]string{}
		for _, meeting := range []bool{false, true} {
			worlds[meeting] = newAccessWorld(t, accessNeeds{signIn: true, partnerships: true, meeting: meeting})
			bases[meeting] = worlds[meeting].state(t)
		}
		for _, row := range rows {
			if row.method() != http.MethodGet {
				continue
			}
			w, base := worlds[row.needs.meeting], bases[row.needs.meeting]
			for c := range numCallers {
				t.Run(row.name()+"/"+c.String(), func(t *testing.T) {
					w.run(t, row, c)
					if after := w.state(t); after != base {
						t.Errorf("%s as %s changed what is stored:\n%s", row.name(), c, accessStateDiff(base, after))
					}
				})
			}
		}
	})

	// Each write gets a world of its own, so that no row depends on
	// another's leftovers (a delete before an update, a spent link): a
	// copy of a world built once for each set of needs.
	templates := map[accessNeeds]*accessTemplate{}
	for _, row := range rows {
		if _, ok := templates[row.needs]; !ok && row.method() != http.MethodGet {
			templates[row.needs] = newAccessTemplate(t, row.needs)
		}
	}
	t.Run("writes", func(t *testing.T) {
		for _, row := range rows {
			if row.method() == http.MethodGet {
				continue
			}
			for c := range numCallers {
				t.Run(row.name()+"/"+c.String(), func(t *testing.T) {
					t.Parallel()
					w := templates[row.needs].world(t)
					// A refused write changes nothing.
					refused := row.want[c] >= 400
					var before string
					if refused {
						before = w.state(t)
					}
					r := w.run(t, row, c)
					if refused {
						if after := w.state(t); after != before {
							t.Errorf("%s as %s (status %d) changed what is stored:\n%s", row.name(), c, r.Status, accessStateDiff(before, after))
						}
					}
				})
			}
		}
	})
}

// checkAccessCoverage fails for a route of the route table without a row,
// a row for a route that is gone, and a row whose path is not its route's.
func checkAccessCoverage(t *testing.T, rows []accessRow) {
	t.Helper()
	table := map[string]bool{}
	for _, r := range (&Server{}).routes() {
		table[r.method+" "+r.path] = true
	}
	param := regexp.MustCompile(`:[a-z_]+`)
	covered := map[string]bool{}
	for _, row := range rows {
		covered[row.route] = true
		if !table[row.route] {
			t.Errorf("the access table has a row for %s, which is not in (*Server).routes()", row.route)
		}
		_, pattern, _ := strings.Cut(row.route, " ")
		path, _, _ := strings.Cut(row.path, "?")
		if !regexp.MustCompile("^" + param.ReplaceAllString(regexp.QuoteMeta(pattern), `[^/]+`) + "$").MatchString(path) {
			t.Errorf("row %s: path %s is not the route's", row.name(), row.path)
		}
		for c, status := range row.want {
			if status == 0 {
				t.Errorf("row %s: no status for %s", row.name(), accessCaller(c))
			}
		}
	}
	for key := range table {
		if !covered[key] {
			t.Errorf("route %s has no row in the access table (access_test.go): say what each caller gets", key)
		}
	}
}

// accessMarkdown renders the table, for go test -v.
func accessMarkdown(rows []accessRow) string {
	var b strings.Builder
	b.WriteString("| route |")
	for c := range numCallers {
		b.WriteString(" " + c.String() + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", int(numCallers)) + "\n")
	for _, row := range rows {
		b.WriteString("| " + row.name() + " |")
		for _, s := range row.want {
			fmt.Fprintf(&b, " %d |", s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// accessWorld is a server with a fixture for every path of the table:
//
//   - postA: member A's active post; A is signed in (a live session, an
//     expired one, and a personal token).
//   - hiddenB: member B's post, hidden by the host; B is signed in.
//   - postC, postD, postE: other members' active posts (not signed in).
//   - pending: a post submitted anonymously, waiting for {confirm}.
//   - draft: a draft from a pasted thread, with an address.
//   - a round for 2026-Q3; an introduction {intro} of A and C with their
//     answer links {introLinkA} and {introLinkC}; an approved suggestion
//     {sugAD} of A and D, not introduced yet.
type accessWorld struct {
	ts   *testServer
	vars map[string]string
	// emails are the fixtures' addresses, by owner letter.
	emails                     map[string]string
	externalIDs                []string
	sessionA, csrfA            string
	sessionB, csrfB            string
	sessionX, csrfX            string // A's expired session
	tokenA                     string
	forgedAPI, forgedRandom    string
	secrets                    []string // tokens nobody may be shown but who sent them
	hiddenMarker, tokenAMarker string
}

// accessTemplate is a world built once, its server stopped and its data
// folder kept, for each test that needs such a world to start from a copy.
type accessTemplate struct {
	dir  string
	base accessWorld
}

func newAccessTemplate(t *testing.T, needs accessNeeds) *accessTemplate {
	t.Helper()
	tpl := &accessTemplate{dir: t.TempDir()}
	t.Run(fmt.Sprintf("world %+v", needs), func(t *testing.T) {
		w := newAccessWorld(t, needs)
		w.ts.stop(t)
		if err := os.CopyFS(tpl.dir, os.DirFS(w.ts.App.DataDir())); err != nil {
			t.Fatal(err)
		}
		tpl.base = *w
	})
	if t.Failed() {
		t.FailNow()
	}
	return tpl
}

// world returns a world of its own: a copy of the template's data folder,
// served anew, with the template's names and secrets.
func (tpl *accessTemplate) world(t *testing.T) *accessWorld {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(dir, os.DirFS(tpl.dir)); err != nil {
		t.Fatal(err)
	}
	w := tpl.base
	w.ts = newTestServerOn(t, dir, Config{})
	w.vars, w.emails = maps.Clone(w.vars), maps.Clone(w.emails)
	w.externalIDs, w.secrets = slices.Clone(w.externalIDs), slices.Clone(w.secrets)
	return &w
}

func newAccessWorld(t *testing.T, needs accessNeeds) *accessWorld {
	t.Helper()
	ts := newTestServer(t)
	w := &accessWorld{ts: ts, vars: map[string]string{}, emails: map[string]string{},
		forgedAPI: "mmp_forged" + rand.Text(), forgedRandom: rand.Text(),
		hiddenMarker: "Quillwort", tokenAMarker: "alpha-script-2f9"}
	mk := func(key, name, business, email, offer, seek, status string) postView {
		ext := "ext-" + strings.ToLower(key) + "-9c41e7"
		_, domain, _ := strings.Cut(email, "@")
		p := ts.createPost(t, post("business", business, "email", email, "website", "https://"+domain,
			"offer", offer, "seek", seek, "customers", "Dentists and dental practices", "tags", []string{"dental"},
			"lane", "either", "status", status, "external_id", ext))
		w.vars[name] = strconv.FormatInt(p.ID, 10)
		w.vars["email"+key] = email
		w.vars["ext"+key] = ext
		w.emails[key] = email
		w.externalIDs = append(w.externalIDs, ext)
		return p
	}
	mk("A", "postA", "Alpha Ledger", "ana@alpha-ledger.example",
		"Bookkeeping and payroll for independent dental practices", "A practice-management software vendor who serves dentists", "active")
	mk("B", "hiddenB", "Bravo Quillwort", "bo@bravo-quillwort.example",
		"Quillwort herbal remedies for dental practices", "Distributors who serve dental practices", "hidden")
	mk("C", "postC", "Charlie Chairside", "cy@charlie-chairside.example",
		"Practice-management software for dental clinics", "Accountants and bookkeepers who serve dental practices", "active")

	// A post submitted by someone not signed in waits for its link.
	eP := "pat@papa-aligners.example"
	r := newBrowser(ts).api(t, http.MethodPost, "/api/v1/posts", jsonBody(post("business", "Papa Aligners", "email", eP,
		"website", "https://papa-aligners.example", "offer", "Clear aligner lab work for orthodontists",
		"seek", "Orthodontists who want a faster lab")))
	wantStatus(t, r, http.StatusAccepted)
	w.vars["pending"] = strconv.FormatInt(decode[submittedView](t, r).Post.ID, 10)
	w.vars["emailP"], w.emails["P"] = eP, eP
	w.vars["confirm"] = w.lastLink(t, eP, "confirm")
	// The confirmation email, sent by now: retrying or cancelling it is
	// a conflict, but only the host may ask.
	sent, _, err := ts.App.Outbox(context.Background(), domain.OutboxFilter{Status: domain.MailSent, Limit: 1})
	if err != nil || len(sent) != 1 {
		t.Fatalf("the outbox holds no sent email: %v %v", sent, err)
	}
	w.vars["mail"] = strconv.FormatInt(sent[0].ID, 10)

	// The round, among A and C (B's post is hidden); then A and C are
	// introduced.
	ts.runRound(t, `{"quarter":"2026-Q3"}`)
	sugAC := w.pair(t, "postA", "postC")
	before := len(ts.outbox(t))
	r = ts.do(t, http.MethodPost, fmt.Sprintf("%s/suggestions/%d/introduce", accessQuarter, sugAC), host, "")
	wantStatus(t, r, http.StatusCreated)
	w.vars["intro"] = strconv.FormatInt(decode[introductionView](t, r).ID, 10)
	links := introTokens(t, ts.outbox(t)[before:])
	w.vars["introLinkA"], w.vars["introLinkC"] = links[w.emails["A"]], links[w.emails["C"]]
	if w.vars["introLinkA"] == "" || w.vars["introLinkC"] == "" {
		t.Fatalf("introduction links: %v", links)
	}

	// A draft from a pasted thread, for the host to review.
	r = ts.request(t, http.MethodPost, "/api/v1/drafts", host, strings.NewReader(accessThread), map[string]string{"Content-Type": "text/plain"})
	wantStatus(t, r, http.StatusCreated)
	read := decode[draftList](t, r)
	if len(read.Drafts) != 1 || read.Drafts[0].Email == "" || len(read.Skipped) != 1 || read.Intake == nil {
		t.Fatalf("drafts from the thread: %+v", read)
	}
	w.vars["draft"] = strconv.FormatInt(read.Drafts[0].ID, 10)
	w.vars["intake"] = strconv.FormatInt(read.Intake.ID, 10)
	w.vars["skipped"] = strconv.FormatInt(read.Skipped[0].ID, 10)
	w.emails["F"] = read.Drafts[0].Email
	r = ts.request(t, http.MethodPost, "/api/v1/drafts", host, strings.NewReader(accessSheet), map[string]string{"Content-Type": "text/csv"})
	wantStatus(t, r, http.StatusCreated)
	w.vars["sheet"] = strconv.FormatInt(decode[draftList](t, r).Intake.ID, 10)

	// Two more posts, after the round: an approved pair of A's by hand,
	// and a partner to swap in.
	mk("D", "postD", "Delta Smiles Marketing", "di@delta-smiles.example",
		"Websites and patient marketing for dental practices", "Bookkeepers and software vendors who serve dentists", "active")
	mk("E", "postE", "Echo Dental Finance", "ed@echo-dental.example",
		"Equipment leasing and finance for new dental practices", "Marketing agencies and bookkeepers who serve dentists", "active")
	w.vars["sugAD"] = strconv.FormatInt(w.pair(t, "postA", "postD"), 10)

	// An area of the host's, to remove.
	wantStatus(t, ts.do(t, http.MethodPut, "/api/v1/areas/Porto%20Metro", host, `{"centre":"Porto","radius_km":30}`), http.StatusOK)

	// The host's answer for C about D, for the host to take back.
	r = ts.do(t, http.MethodPost, "/api/v1/posts/"+w.vars["postC"]+"/matches/"+w.vars["postD"]+"/feedback", host, `{"verdict":"good_fit"}`)
	wantStatus(t, r, http.StatusOK)
	w.vars["answer"] = strconv.FormatInt(decode[feedbackView](t, r).ID, 10)

	// Sessions: A's and B's, and one of A's that is 31 days old.
	w.sessionA, w.csrfA = w.signIn(t, w.emails["A"])
	w.sessionB, w.csrfB = w.signIn(t, w.emails["B"])
	realNow := ts.App.Clock()
	ts.App.SetClock(func() time.Time { return realNow().Add(-31 * 24 * time.Hour) })
	w.sessionX, w.csrfX = w.signIn(t, w.emails["A"])
	ts.App.SetClock(realNow)
	r, _ = w.send(t, asExpired, http.MethodGet, "/api/v1/me", "", false)
	wantStatus(t, r, http.StatusUnauthorized)

	r, _ = w.send(t, asOwner, http.MethodPost, "/api/v1/me/tokens", fmt.Sprintf(`{"name":%q}`, w.tokenAMarker), false)
	wantStatus(t, r, http.StatusCreated)
	tok := decode[tokenView](t, r)
	w.tokenA, w.vars["tokenAID"] = tok.Token, strconv.FormatInt(tok.ID, 10)

	if needs.signIn {
		wantStatus(t, newBrowser(ts).api(t, http.MethodPost, "/api/v1/auth/sign-in-link", fmt.Sprintf(`{"email":%q}`, w.emails["A"])), http.StatusAccepted)
		w.vars["signin"] = w.lastLink(t, w.emails["A"], "signin")
	}
	if needs.feedback {
		// Both accept; two weeks later both are asked whether they met.
		r, _ = w.send(t, asOwner, http.MethodPost, "/api/v1/introductions/"+w.vars["intro"]+"/answer", `{"answer":"accept"}`, false)
		wantStatus(t, r, http.StatusOK)
		wantStatus(t, newBrowser(ts).do(t, http.MethodPost, "/introduction", url.Values{"token": {w.vars["introLinkC"]}, "answer": {"accept"}}.Encode(),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}), http.StatusOK)
		before := len(ts.outbox(t))
		ts.App.SetClock(func() time.Time { return realNow().Add(15 * 24 * time.Hour) })
		err := ts.App.ProcessIntroductions(context.Background())
		ts.App.SetClock(realNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ts.outbox(t)[before:] {
			if found := feedbackLink.FindStringSubmatch(m.Text); found != nil {
				tok, _ := url.QueryUnescape(found[1])
				w.secrets = append(w.secrets, tok)
				if m.To == "<"+w.emails["A"]+">" {
					w.vars["feedback"] = tok
				}
			}
		}
		if w.vars["feedback"] == "" {
			t.Fatal("no follow-up link for A")
		}
	}
	w.setUpPartnerships(t, needs)
	w.setUpDigests(t, needs)
	w.setUpMeeting(t, needs)
	w.secrets = append(w.secrets, hostToken, w.sessionA, w.sessionB, w.sessionX, w.csrfX, w.tokenA,
		w.vars["confirm"], w.vars["introLinkA"], w.vars["introLinkC"])
	if s := w.vars["signin"]; s != "" {
		w.secrets = append(w.secrets, s)
	}
	return w
}

// pair returns the approved suggestion of two posts in 2026-Q3: the round's
// proposal approved, or one added by hand.
func (w *accessWorld) pair(t *testing.T, a, b string) int64 {
	t.Helper()
	ida, _ := strconv.ParseInt(w.vars[a], 10, 64)
	idb, _ := strconv.ParseInt(w.vars[b], 10, 64)
	list := decode[suggestionsJSON](t, w.ts.do(t, http.MethodGet, accessQuarter+"/suggestions", host, ""))
	for _, s := range list.Suggestions {
		if s.A.Post.ID == min(ida, idb) && s.B.Post.ID == max(ida, idb) {
			wantStatus(t, w.ts.do(t, http.MethodPatch, fmt.Sprintf("%s/suggestions/%d", accessQuarter, s.ID), host, `{"status":"approved"}`), http.StatusOK)
			return s.ID
		}
	}
	r := w.ts.do(t, http.MethodPost, accessQuarter+"/suggestions", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, ida, idb))
	wantStatus(t, r, http.StatusCreated)
	return decode[suggestionView](t, r).ID
}

// lastLink returns the token of the newest link of that kind mailed to
// address.
func (w *accessWorld) lastLink(t *testing.T, address, kind string) string {
	t.Helper()
	mails := w.ts.outbox(t)
	for i := len(mails) - 1; i >= 0; i-- {
		if mails[i].To == "<"+address+">" && strings.Contains(mails[i].Text, "/"+kind+"?token=") {
			return tokenIn(t, mails[i], kind)
		}
	}
	t.Fatalf("no /%s link mailed to %s", kind, address)
	return ""
}

// signIn signs address in through its emailed link and returns the
// session's token and its CSRF token.
func (w *accessWorld) signIn(t *testing.T, address string) (session, csrf string) {
	t.Helper()
	b := newBrowser(w.ts)
	wantStatus(t, b.api(t, http.MethodPost, "/api/v1/auth/sign-in-link", fmt.Sprintf(`{"email":%q}`, address)), http.StatusAccepted)
	r := b.form(t, "/signin", w.lastLink(t, address, "signin"))
	wantStatus(t, r, http.StatusSeeOther)
	session = cookieValue(r.Header.Get("Set-Cookie"))
	me := decode[meView](t, b.api(t, http.MethodGet, "/api/v1/me", ""))
	if me.Email != address || me.CSRFToken == "" || !strings.HasPrefix(session, "mms_") {
		t.Fatalf("signed in as %s: session %q, me %+v", address, session, me)
	}
	return session, me.CSRFToken
}

func (w *accessWorld) expand(s string) string {
	for k, v := range w.vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// send makes one request as c and returns the response and everything the
// caller sent (what the response may echo).
func (w *accessWorld) send(t *testing.T, c accessCaller, method, path, body string, form bool, contentType ...string) (response, string) {
	t.Helper()
	h := map[string]string{}
	switch {
	case len(contentType) > 0 && contentType[0] != "":
		h["Content-Type"] = contentType[0]
	case body != "" && form:
		h["Content-Type"] = "application/x-www-form-urlencoded"
	case body != "":
		h["Content-Type"] = "application/json"
	}
	write := method != http.MethodGet
	cookie := func(session, csrf string) {
		h["Cookie"] = sessionCookie + "=" + session
		if write && csrf != "" {
			h[csrfHeader] = csrf
		}
	}
	switch c {
	case asOwner:
		cookie(w.sessionA, w.csrfA)
	case asOwnerNoCSRF:
		cookie(w.sessionA, "")
	case asOther:
		cookie(w.sessionB, w.csrfB)
	case asExpired:
		cookie(w.sessionX, w.csrfX)
	case asHost:
		h["Authorization"] = "Bearer " + hostToken
	case asForgedAPI:
		h["Authorization"] = "Bearer " + w.forgedAPI
	case asForgedRandom:
		h["Authorization"] = "Bearer " + w.forgedRandom
	case asToken:
		h["Authorization"] = "Bearer " + w.tokenA
	}
	r := newBrowser(w.ts).do(t, method, path, body, h)
	sent := []string{method, path, body}
	for _, v := range h {
		sent = append(sent, v)
	}
	return r, strings.Join(sent, "\n")
}

// run sends a row's request as c and checks the status, the headers every
// response carries, and that nothing private shows.
func (w *accessWorld) run(t *testing.T, row accessRow, c accessCaller) response {
	t.Helper()
	path, body := w.expand(row.path), w.expand(row.body)
	if accessPlaceholder.MatchString(path + body) {
		t.Fatalf("row %s: a accessPlaceholder is left in %s %s", row.name(), path, body)
	}
	r, sent := w.send(t, c, row.method(), path, body, row.form, row.contentType)
	want := row.want[c]
	if r.Status != want {
		t.Errorf("%s %s as %s: got %s, want %d", row.method(), path, c, r, want)
	}
	if ct := r.Header.Get("Content-Type"); r.Status >= 400 && !strings.HasPrefix(ct, "application/json") {
		// An emailed link's page explains a bad link in HTML.
		if !strings.HasPrefix(ct, "text/html") || strings.HasPrefix(path, "/api/") {
			t.Errorf("error with Content-Type %q: %s", ct, r)
		}
		page := r
		page.Status = http.StatusOK
		checkCommon(t, page)
	} else {
		checkCommon(t, r)
	}
	w.checkPrivate(t, row, c, r, sent)
	if r.Status == want && want < 400 && row.check != nil {
		row.check(t, w, c, r)
	}
	return r
}

var accessPlaceholder = regexp.MustCompile(`\{[A-Za-z]+\}`)

// accessAnyToken finds tokens by their prefixes (host, personal, session, link).
var accessAnyToken = regexp.MustCompile(`mm[hpsl]_[A-Za-z0-9_-]{16,}`)

// checkPrivate fails when a response shows c something private that c did
// not send itself: a token, another member's address, an import key, a
// hidden post, another member's token names.
func (w *accessWorld) checkPrivate(t *testing.T, row accessRow, c accessCaller, r response, sent string) {
	t.Helper()
	body := string(r.Body)
	private := slices.Clone(w.secrets)
	if c != asOwner && c != asOwnerNoCSRF {
		private = append(private, w.csrfA)
	}
	if c != asOther {
		private = append(private, w.csrfB)
	}
	if !c.isA() {
		private = append(private, w.tokenAMarker)
	}
	if c != asHost {
		private = append(private, w.externalIDs...)
		for owner, email := range w.emails {
			if !(owner == "A" && c.isA()) && !(owner == "B" && c == asOther) {
				private = append(private, email)
			}
		}
		if c != asOther {
			private = append(private, w.hiddenMarker)
		}
		// (The OpenAPI document describes the field, and an error may name it.)
		if strings.Contains(body, `"external_id"`) && r.Status < 400 && row.route != "GET /api/v1/openapi.json" {
			t.Errorf("%s sees an external_id: %s", c, r)
		}
	}
	for _, name := range row.allow {
		private = slices.DeleteFunc(private, func(s string) bool { return s == w.vars[name] })
	}
	for _, s := range private {
		if s != "" && strings.Contains(body, s) && !strings.Contains(sent, s) {
			t.Errorf("%s %s as %s shows the private %q: %s", row.method(), row.path, c, s, r)
		}
	}
	for _, tok := range accessAnyToken.FindAllString(body, -1) {
		if strings.Contains(sent, tok) {
			continue
		}
		if row.route == "POST /api/v1/me/tokens" && r.Status == http.StatusCreated && strings.HasPrefix(tok, "mmp_") {
			continue // a new personal token, shown once to the member who made it
		}
		t.Errorf("%s %s as %s shows a token: %s", row.method(), row.path, c, r)
	}
}

// state is everything a request could change: posts and index, rounds,
// suggestions, introductions and figures, A's tokens, which sessions and
// tokens work, and the mail sent.
func (w *accessWorld) state(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(w.ts.snapshot(t))
	for _, p := range []string{"/api/v1/rounds", accessQuarter + "/suggestions", "/api/v1/introductions", accessQuarter + "/figures"} {
		r := w.ts.do(t, http.MethodGet, p, host, "")
		fmt.Fprintf(&b, "\n%s: %d %s", p, r.Status, r.Body)
	}
	r, _ := w.send(t, asOwner, http.MethodGet, "/api/v1/me/tokens", "", false)
	fmt.Fprintf(&b, "\nA's tokens: %d", r.Status)
	if r.Status == http.StatusOK {
		for _, tok := range decode[map[string][]tokenView](t, r)["tokens"] {
			fmt.Fprintf(&b, " %d:%s", tok.ID, tok.Name) // last_used_at moves with every use
		}
	}
	for _, c := range []accessCaller{asOwner, asOther, asToken, asExpired} {
		r, _ := w.send(t, c, http.MethodGet, "/api/v1/me", "", false)
		fmt.Fprintf(&b, "\nGET /api/v1/me as %s: %d", c, r.Status)
	}
	r = w.ts.do(t, http.MethodGet, "/api/v1/introductions/"+w.vars["intro"]+"/meeting", host, "")
	fmt.Fprintf(&b, "\nthe meeting: %d %s", r.Status, r.Body)
	fmt.Fprintf(&b, "\nmails sent: %d", len(w.ts.outbox(t)))
	b.WriteString(w.partnershipState(t))
	return b.String()
}

// accessStateDiff shows the lines of two states that differ, one post or list
// item a line.
func accessStateDiff(before, after string) string {
	split := func(s string) []string { return strings.Split(strings.ReplaceAll(s, "},{", "},\n{"), "\n") }
	b, a := split(before), split(after)
	var out strings.Builder
	for _, l := range b {
		if !slices.Contains(a, l) {
			fmt.Fprintf(&out, "- %.400s\n", l)
		}
	}
	for _, l := range a {
		if !slices.Contains(b, l) {
			fmt.Fprintf(&out, "+ %.400s\n", l)
		}
	}
	return out.String()
}

func (w *accessWorld) id(name string) int64 {
	id, _ := strconv.ParseInt(w.vars[name], 10, 64)
	return id
}

// hostGet returns a post as the host sees it.
func (w *accessWorld) hostGet(t *testing.T, name string) response {
	t.Helper()
	return w.ts.getPost(t, w.id(name), host)
}

func accessCheckListPosts(t *testing.T, w *accessWorld, c accessCaller, r response) {
	got := ids(decode[postPageJSON](t, r).Posts)
	if !slices.Contains(got, w.id("postA")) {
		t.Errorf("A's active post is not listed to %s: %v", c, got)
	}
	for _, name := range []string{"hiddenB", "pending"} {
		if slices.Contains(got, w.id(name)) != (c == asHost) {
			t.Errorf("%s post %s listed to %s: %v", name, w.vars[name], c, got)
		}
	}
}

func accessCheckCreatePost(t *testing.T, w *accessWorld, c accessCaller, r response) {
	switch r.Status {
	case http.StatusCreated: // the host's, or A's under A's own proven address: live at once
		p := decode[postView](t, r)
		if p.Status != "active" || p.Email != w.emails["A"] {
			t.Errorf("post created by %s: %+v, want active, with its address shown", c, p)
		}
	case http.StatusAccepted: // anyone else's waits for the address's owner
		if p := decode[submittedView](t, r).Post; p.Status != "pending" || strings.Contains(string(r.Body), `"email"`) {
			t.Errorf("post submitted by %s: %s, want pending, without the address", c, r)
		}
	}
}

func accessCheckGetPostA(t *testing.T, w *accessWorld, c accessCaller, r response) {
	p := decode[postView](t, r)
	switch {
	case c == asHost:
		if p.Email != w.emails["A"] || p.ExternalID == "" {
			t.Errorf("the host should see the address and import key: %+v", p)
		}
	case c.isA():
		if p.Email != w.emails["A"] {
			t.Errorf("the owner (%s) should see their address: %+v", c, p)
		}
	default:
		if p.Email != "" {
			t.Errorf("%s sees the owner's address: %+v", c, p)
		}
	}
}

func accessCheckPatched(name string) func(t *testing.T, w *accessWorld, c accessCaller, r response) {
	return func(t *testing.T, w *accessWorld, c accessCaller, r response) {
		if p := decode[postView](t, w.hostGet(t, name)); !strings.Contains(p.Offer, "tax returns") {
			t.Errorf("after a PATCH by %s: offer %q", c, p.Offer)
		}
	}
}

func accessCheckDeleted(name string) func(t *testing.T, w *accessWorld, c accessCaller, r response) {
	return func(t *testing.T, w *accessWorld, c accessCaller, r response) {
		wantStatus(t, w.hostGet(t, name), http.StatusNotFound)
	}
}

func accessCheckMatches(name string) func(t *testing.T, w *accessWorld, c accessCaller, r response) {
	return func(t *testing.T, w *accessWorld, c accessCaller, r response) {
		page := decode[matchesPage](t, r)
		if page.PostID != w.id(name) {
			t.Errorf("matches of post %d, want %s", page.PostID, w.vars[name])
		}
		for _, m := range page.Matches {
			if m.Post.ID == w.id("hiddenB") || m.Post.ID == w.id("pending") {
				t.Errorf("a post that is not active is matched, for %s: %+v", c, m)
			}
		}
	}
}

func accessCheckIntroductions(t *testing.T, w *accessWorld, c accessCaller, r response) {
	list := decode[map[string][]introductionView](t, r)["introductions"]
	var got []int64
	for _, in := range list {
		got = append(got, in.ID)
	}
	if want := c.isA() || c == asHost; want != slices.Contains(got, w.id("intro")) {
		t.Errorf("introductions listed to %s: %v (A and C's is %s)", c, got, w.vars["intro"])
	}
	if c == asOther && len(list) != 0 {
		t.Errorf("B, in no introduction, sees %d", len(list))
	}
}

// accessCheckAnswered checks, as the host, that A's side of the introduction
// accepted and that it is still waiting for C.
func accessCheckAnswered(t *testing.T, w *accessWorld, c accessCaller, r response) {
	for _, in := range decode[map[string][]introductionView](t, w.ts.do(t, http.MethodGet, "/api/v1/introductions", host, ""))["introductions"] {
		if in.ID != w.id("intro") {
			continue
		}
		side := in.A
		if in.B.Post.ID == w.id("postA") {
			side = in.B
		}
		if side.Answer != "accepted" || in.Status != "pending" {
			t.Errorf("after %s answered for A: %+v", c, in)
		}
		return
	}
	t.Errorf("introduction %s is gone", w.vars["intro"])
}

func accessCheckSignedOut(t *testing.T, w *accessWorld, c accessCaller, r response) {
	var gone, kept []accessCaller
	switch c {
	case asOwner:
		gone, kept = []accessCaller{asOwner}, []accessCaller{asOther, asToken}
	case asOther:
		gone, kept = []accessCaller{asOther}, []accessCaller{asOwner, asToken}
	case asToken: // no session to end; the token stays until revoked
		kept = []accessCaller{asOwner, asOther, asToken}
	}
	for _, who := range gone {
		if r, _ := w.send(t, who, http.MethodGet, "/api/v1/me", "", false); r.Status != http.StatusUnauthorized {
			t.Errorf("after %s signed out, %s still works: %s", c, who, r)
		}
	}
	for _, who := range kept {
		if r, _ := w.send(t, who, http.MethodGet, "/api/v1/me", "", false); r.Status != http.StatusOK {
			t.Errorf("after %s signed out, %s no longer works: %s", c, who, r)
		}
	}
}

func accessCheckMe(t *testing.T, w *accessWorld, c accessCaller, r response) {
	me := decode[meView](t, r)
	switch c {
	case asOwner, asOwnerNoCSRF:
		if me.Email != w.emails["A"] || me.CSRFToken != w.csrfA {
			t.Errorf("me as %s: %+v", c, me)
		}
	case asToken:
		if me.Email != w.emails["A"] || me.CSRFToken != "" {
			t.Errorf("me by personal token: %+v, want A without a CSRF token", me)
		}
	case asOther:
		if me.Email != w.emails["B"] || me.CSRFToken != w.csrfB {
			t.Errorf("me as B: %+v", me)
		}
	}
}

// accessCheckSession: members are told who they are, as by GET /me;
// everyone else that nobody is signed in.
func accessCheckSession(t *testing.T, w *accessWorld, c accessCaller, r response) {
	s := decode[sessionView](t, r)
	switch c {
	case asOwner, asOwnerNoCSRF, asToken, asOther:
		if !s.SignedIn || s.Member == nil {
			t.Fatalf("session as %s: %+v, want signed in", c, s)
		}
		body, err := json.Marshal(s.Member)
		if err != nil {
			t.Fatal(err)
		}
		accessCheckMe(t, w, c, response{Status: r.Status, Body: body})
	default:
		if s.SignedIn || s.Member != nil {
			t.Errorf("session as %s: %+v, want nobody signed in", c, s)
		}
	}
}

func accessCheckMyPosts(t *testing.T, w *accessWorld, c accessCaller, r response) {
	got := ids(decode[postPageJSON](t, r).Posts)
	want := []int64{w.id("postA")}
	if c == asOther {
		want = []int64{w.id("hiddenB")}
	}
	if !slices.Equal(got, want) {
		t.Errorf("my posts as %s: %v, want %v", c, got, want)
	}
}

func accessCheckMyTokens(t *testing.T, w *accessWorld, c accessCaller, r response) {
	list := decode[map[string][]tokenView](t, r)["tokens"]
	if c == asOther {
		if len(list) != 0 {
			t.Errorf("B sees tokens: %+v", list)
		}
		return
	}
	if len(list) != 1 || list[0].Name != w.tokenAMarker || list[0].Token != "" {
		t.Errorf("A's tokens as %s: %+v", c, list)
	}
}

// accessCheckNewToken checks that the new token works, for whoever made it.
func accessCheckNewToken(t *testing.T, w *accessWorld, c accessCaller, r response) {
	tok := decode[tokenView](t, r)
	me := w.ts.request(t, http.MethodGet, "/api/v1/me", anonymous, nil, map[string]string{"Authorization": "Bearer " + tok.Token})
	wantStatus(t, me, http.StatusOK)
	want := w.emails["A"]
	if c == asOther {
		want = w.emails["B"]
	}
	if got := decode[meView](t, me).Email; got != want {
		t.Errorf("a token made by %s belongs to %s, want %s", c, got, want)
	}
}

func accessCheckTokenRevoked(t *testing.T, w *accessWorld, c accessCaller, r response) {
	if r, _ := w.send(t, asToken, http.MethodGet, "/api/v1/me", "", false); r.Status != http.StatusUnauthorized {
		t.Errorf("A's token still works after %s revoked it: %s", c, r)
	}
}

func accessCheckConfirmed(t *testing.T, w *accessWorld, c accessCaller, r response) {
	if p := decode[postView](t, w.hostGet(t, "pending")); p.Status != "active" {
		t.Errorf("after %s confirmed: the post is %s", c, p.Status)
	}
}

func accessCheckSignedIn(t *testing.T, w *accessWorld, c accessCaller, r response) {
	session := cookieValue(r.Header.Get("Set-Cookie"))
	me := w.ts.request(t, http.MethodGet, "/api/v1/me", anonymous, nil, map[string]string{"Cookie": sessionCookie + "=" + session})
	if me.Status != http.StatusOK || decode[meView](t, me).Email != w.emails["A"] {
		t.Errorf("the session %s got from A's link: %s", c, me)
	}
}

func accessCheckIntroductionPage(t *testing.T, w *accessWorld, c accessCaller, r response) {
	if body := string(r.Body); !strings.Contains(body, "Charlie Chairside") || strings.Contains(body, w.emails["C"]) {
		t.Errorf("A's introduction page, as %s: want C's business without C's address: %s", c, r)
	}
}

func accessCheckFeedback(t *testing.T, w *accessWorld, c accessCaller, r response) {
	f := decode[figuresView](t, w.ts.do(t, http.MethodGet, accessQuarter+"/figures", host, ""))
	if f.Feedback != 1 || f.Met != 1 {
		t.Errorf("figures after %s sent A's follow-up: %+v", c, f.RoundFigures)
	}
}

// TestAccessSessionExpires moves the clock past a session's 30 days: the cookie
// stops working and counts as nobody's (the access table's expired
// session is one signed in 31 days ago).
func TestAccessSessionExpires(t *testing.T) {
	w := newAccessWorld(t, accessNeeds{})
	realNow := w.ts.App.Clock()
	t.Cleanup(func() { w.ts.App.SetClock(realNow) })
	r, _ := w.send(t, asOwner, http.MethodGet, "/api/v1/me", "", false)
	wantStatus(t, r, http.StatusOK)
	w.ts.App.SetClock(func() time.Time { return realNow().Add(30*24*time.Hour + time.Minute) })
	for _, c := range []accessCaller{asOwner, asOther} {
		r, _ := w.send(t, c, http.MethodGet, "/api/v1/me", "", false)
		wantStatus(t, r, http.StatusUnauthorized)
		checkCommon(t, r)
	}
	r, _ = w.send(t, asOwner, http.MethodPatch, "/api/v1/posts/"+w.vars["postA"], `{"status":"paused"}`, false)
	wantStatus(t, r, http.StatusUnauthorized)
	// A personal token does not expire with sessions.
	r, _ = w.send(t, asToken, http.MethodGet, "/api/v1/me", "", false)
	wantStatus(t, r, http.StatusOK)
}

// TestAccessImportKeyIsTheHosts follows what a submitted import key leads
// to: whoever submits a post under a key the host's file will use later
// captures the imported post. The import updates the submitted (pending)
// post, which stays out of the directory, and the submitter's confirmation
// link then publishes it and shows them the genuine business's address.
func TestAccessImportKeyIsTheHosts(t *testing.T) {
	ts := newTestServer(t)
	squatter := newBrowser(ts)
	r := squatter.api(t, http.MethodPost, "/api/v1/posts", jsonBody(post("business", "Squatter", "email", "sq@squatter.example",
		"website", "https://squatter.example", "external_id", "row-18")))
	if r.Status != http.StatusBadRequest {
		t.Errorf("submitting a post with an import key: got %s, want 400 (external_id is set by the host)", r)
	}
	genuine := "genuine@genuine.example"
	line := jsonBody(post("business", "Genuine Co", "email", genuine, "website", "https://genuine.example", "external_id", "row-18")) + "\n"
	wantStatus(t, ts.request(t, http.MethodPost, "/api/v1/import", host, strings.NewReader(line), map[string]string{"Content-Type": "application/x-ndjson"}), http.StatusOK)
	for _, p := range ts.listAll(t, host, nil, 100) {
		if p.ExternalID == "row-18" && (p.Status != "active" || p.Email != genuine) {
			t.Errorf("the host's imported post: %s %s %s, want active under %s", p.Business, p.Email, p.Status, genuine)
		}
	}
	for _, m := range ts.outbox(t) {
		if m.To == "<sq@squatter.example>" && strings.Contains(m.Text, "/confirm?token=") {
			page := squatter.form(t, "/confirm", tokenIn(t, m, "confirm"))
			if strings.Contains(string(page.Body), genuine) {
				t.Errorf("the squatter's confirmation link shows them the imported business's address: %s", page)
			}
		}
	}
}

// accessCheckOwnExport: each member's export is of their own address.
func accessCheckOwnExport(t *testing.T, w *accessWorld, c accessCaller, r response) {
	got := decode[struct {
		Email string `json:"email"`
	}](t, r).Email
	want := w.vars["emailA"]
	if c == asOther {
		want = w.vars["emailB"]
	}
	if got != want {
		t.Errorf("the export as %s is of %q, want %q", c, got, want)
	}
}
