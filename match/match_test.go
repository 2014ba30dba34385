package match_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

func validInput() match.PostInput {
	return match.PostInput{
		Business: "Ledger Lane", Email: "hi@ledgerlane.example",
		Offer: "Bookkeeping for ecommerce businesses", Seek: "Shopify developers who need an accountant",
	}
}

func TestQuarter(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want match.Quarter
	}{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "2026-Q1"},
		{time.Date(2026, 3, 31, 23, 59, 59, 0, time.UTC), "2026-Q1"},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "2026-Q2"},
		{time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), "2026-Q4"},
	} {
		if got := match.QuarterOf(tc.at); got != tc.want {
			t.Errorf("QuarterOf(%v) = %s, want %s", tc.at, got, tc.want)
		}
	}
	for _, s := range []string{"2026-Q0", "2026-Q5", "26-Q1", "2026Q1", "2026-q1", "", "2026-Q1 "} {
		if _, err := match.ParseQuarter(s); !errors.Is(err, match.ErrInvalid) {
			t.Errorf("ParseQuarter(%q) error = %v, want invalid", s, err)
		}
	}
	if got := match.Quarter("2026-Q4").Next(); got != "2027-Q1" {
		t.Errorf("Next of 2026-Q4 = %s, want 2027-Q1", got)
	}
}

func TestLaneAccepts(t *testing.T) {
	for _, tc := range []struct {
		a, b match.Lane
		want bool
	}{
		{match.LaneStrategic, match.LaneStrategic, true},
		{match.LaneStrategic, match.LaneReferral, false},
		{match.LaneReferral, match.LaneStrategic, false},
		{match.LaneEither, match.LaneReferral, true},
		{match.LaneStrategic, match.LaneEither, true},
	} {
		if got := tc.a.Accepts(tc.b); got != tc.want {
			t.Errorf("%s.Accepts(%s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestValidateFields(t *testing.T) {
	in := validInput()
	in.Business = "x"
	in.Email = "not-an-email"
	in.Website = "javascript:alert(1)"
	in.Offer = "short"
	in.Seek = strings.Repeat("é", 2001)
	in.Tags = []string{"ok", "", strings.Repeat("t", 41)}
	in.Lane = "both"
	in.Quarter = "2026-Q9"
	in.Status = "pending" // callers may not set pending themselves
	in.Customers = "tab\tand newline\n are fine but not \x00"
	in.Normalize()
	err := match.Validate(&in)
	var e *match.Error
	if !errors.As(err, &e) || e.Code != match.EINVALID {
		t.Fatalf("Validate error = %v, want an invalid *match.Error", err)
	}
	for _, field := range []string{"business", "email", "website", "offer", "seek", "tags[1]", "tags[2]", "lane", "quarter", "status", "customers"} {
		if e.Fields[field] == "" {
			t.Errorf("no message for field %q; got fields %v", field, e.Fields)
		}
	}
	if len(e.Fields) != 11 {
		t.Errorf("got %d bad fields, want 11: %v", len(e.Fields), e.Fields)
	}
}

func TestLimitsCountCharacters(t *testing.T) {
	in := validInput()
	in.Offer = strings.Repeat("日", 2000) // 6000 bytes, 2000 characters
	in.Business = strings.Repeat("Ω", 120)
	in.Normalize()
	if err := match.Validate(&in); err != nil {
		t.Errorf("2000 CJK characters in offer: got %v, want valid", err)
	}
}

func TestNormalizeAndDefaults(t *testing.T) {
	in := validInput()
	in.Business = "  Ledger   Lane \n"
	in.Email = " Hi@LedgerLane.Example "
	in.Tags = []string{" Shopify ", "shopify", "Books"}
	in.Lane = " Referral "
	in.Normalize()
	if err := match.Validate(&in); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	now := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	p := in.Post(now)
	if p.Business != "Ledger Lane" || p.Email != "hi@ledgerlane.example" {
		t.Errorf("got business %q email %q, want trimmed and folded", p.Business, p.Email)
	}
	if strings.Join(p.Tags, ",") != "Shopify,Books" {
		t.Errorf("tags = %v, want [Shopify Books]", p.Tags)
	}
	if p.Lane != match.LaneReferral || p.Quarter != "2026-Q3" || p.Status != match.StatusActive {
		t.Errorf("got lane %s quarter %s status %s, want referral 2026-Q3 active", p.Lane, p.Quarter, p.Status)
	}
}

func TestPatchApply(t *testing.T) {
	p := validInput().Post(time.Now())
	p.Website = "https://ledgerlane.example"
	empty, offer := "", "Bookkeeping and payroll for online stores"
	patch := match.PostPatch{Website: &empty, Offer: &offer}
	patch.Normalize()
	if err := match.Validate(&patch); err != nil {
		t.Fatalf("Validate patch: %v", err)
	}
	patch.Apply(&p)
	if p.Website != "" || p.Offer != offer || p.Business != "Ledger Lane" {
		t.Errorf("after patch: website %q offer %q business %q", p.Website, p.Offer, p.Business)
	}
	short := "tiny"
	bad := match.PostPatch{Offer: &short, Business: &empty}
	err := match.Validate(&bad)
	var e *match.Error
	if !errors.As(err, &e) || e.Fields["offer"] == "" || e.Fields["business"] == "" {
		t.Errorf("Validate bad patch = %v, want offer and business reported", err)
	}
}

func TestErrorCodes(t *testing.T) {
	err := match.Errorf(match.ENOTFOUND, "post %d not found", 7)
	wrapped := errors.Join(errors.New("context"), err)
	if !errors.Is(wrapped, match.ErrNotFound) || errors.Is(wrapped, match.ErrConflict) {
		t.Errorf("errors.Is on wrapped not-found gave wrong answers")
	}
	if got := match.ErrorCode(wrapped); got != match.ENOTFOUND {
		t.Errorf("ErrorCode = %q, want not_found", got)
	}
	if got := match.ErrorMessage(errors.New("sqlite: disk I/O error")); got != "internal error" {
		t.Errorf("ErrorMessage of a plain error = %q, want internal error", got)
	}
}
