package intake_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
)

const thread = `Jane Doe
Founder at Bright Ledger
We build Shopify stores for skincare brands — looking for a bookkeeper who gets ecommerce. jane@brightledger.example
Like · Reply · 2d

Tomás Ruiz · 2nd
Owner | Ruiz Plumbing
Looking for a property manager who needs reliable plumbers. We fix leaks and install boilers across Leeds. www.ruizplumbing.example
3 likes

Sam Lee
Wedding photographer here, happy to connect!
Reply
`

func TestParseThread(t *testing.T) {
	drafts := intake.ParseThread(thread)
	if len(drafts) != 3 {
		t.Fatalf("got %d drafts, want 3: %+v", len(drafts), drafts)
	}
	jane := drafts[0]
	if jane.Name != "Jane Doe" || jane.Business != "Bright Ledger" || jane.Email != "jane@brightledger.example" {
		t.Errorf("jane: %+v", jane)
	}
	if jane.Offer != "We build Shopify stores for skincare brands" || jane.Seek != "a bookkeeper who gets ecommerce" {
		t.Errorf("jane's offer %q seek %q", jane.Offer, jane.Seek)
	}
	if len(jane.Problems) != 0 {
		t.Errorf("jane's draft has problems %v", jane.Problems)
	}
	tomas := drafts[1]
	if tomas.Name != "Tomás Ruiz" || tomas.Business != "Ruiz Plumbing" || tomas.Website != "https://www.ruizplumbing.example" {
		t.Errorf("tomás: %+v", tomas)
	}
	if tomas.Seek != "a property manager who needs reliable plumbers" || !strings.Contains(tomas.Offer, "We fix leaks") {
		t.Errorf("tomás's offer %q seek %q", tomas.Offer, tomas.Seek)
	}
	if !strings.Contains(strings.Join(tomas.Problems, " "), "no email") {
		t.Errorf("tomás has no email, problems %v", tomas.Problems)
	}
	sam := drafts[2]
	if sam.Business != "Sam Lee" || sam.Seek != "" || len(sam.Problems) < 3 {
		t.Errorf("sam: %+v", sam)
	}
	for _, d := range drafts {
		if strings.Contains(d.Source, "Like · Reply") || strings.Contains(d.Source, "3 likes") {
			t.Errorf("interface text kept in %q", d.Source)
		}
	}
}

// TestReviewChecksEmailsAsPublishingDoes: review flags exactly the
// addresses that publishing (match.Validate) would refuse.
func TestReviewChecksEmailsAsPublishingDoes(t *testing.T) {
	for _, email := range []string{"o'brien@example.com", "ana@alpha.example", "a..b@example.com", "no-at-sign.example", "x@y"} {
		d := intake.Review(intake.Draft{Business: "Alpha", Email: email, Offer: "Bookkeeping for shops", Seek: "Shopify developers"})
		flagged := slices.ContainsFunc(d.Problems, func(p string) bool { return strings.Contains(p, "email address") })
		if flagged == match.ValidEmail(email) {
			t.Errorf("%q: review flags it %v, the post validator accepts it %v", email, flagged, match.ValidEmail(email))
		}
	}
}
