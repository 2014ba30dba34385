package match

import (
	"strings"
	"time"
	"unicode"
)

// PostInput is a post as a caller writes it: in a create request, or as one
// line of an import file. Field names and rules are the public API.
type PostInput struct {
	Business   string   `json:"business" validate:"required,min=2,max=120,name"`
	Email      string   `json:"email" validate:"required,max=254,email"`
	Website    string   `json:"website" validate:"max=500,weburl"`
	Offer      string   `json:"offer" validate:"required,min=10,max=2000,text"`
	Seek       string   `json:"seek" validate:"required,min=10,max=2000,text"`
	Customers  string   `json:"customers" validate:"max=1000,text"`
	Industry   string   `json:"industry" validate:"max=120,name"`
	Region     string   `json:"region" validate:"max=120,name"`
	Tags       []string `json:"tags" validate:"max=20,dive,min=1,max=40,name"`
	Lane       Lane     `json:"lane" validate:"omitempty,oneof=strategic referral either"`
	Quarter    Quarter  `json:"quarter" validate:"omitempty,quarter"`
	ExternalID string   `json:"external_id" validate:"max=200,name"`
	Status     Status   `json:"status" validate:"omitempty,oneof=active paused hidden"`
}

// Normalize trims and tidies the input in place; call it before Validate so
// that "  " counts as empty and limits apply to what will be stored.
func (in *PostInput) Normalize() {
	in.Business = OneLine(in.Business)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Website = strings.TrimSpace(in.Website)
	in.Offer = strings.TrimSpace(in.Offer)
	in.Seek = strings.TrimSpace(in.Seek)
	in.Customers = strings.TrimSpace(in.Customers)
	in.Industry = OneLine(in.Industry)
	in.Region = OneLine(in.Region)
	in.Tags = normalizeTags(in.Tags)
	in.Lane = Lane(strings.ToLower(strings.TrimSpace(string(in.Lane))))
	in.Quarter = Quarter(strings.ToUpper(strings.TrimSpace(string(in.Quarter))))
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	in.Status = Status(strings.ToLower(strings.TrimSpace(string(in.Status))))
}

// Post returns the post described by the input, with defaults filled in:
// lane either, the quarter containing now, status active.
func (in PostInput) Post(now time.Time) Post {
	p := Post{
		Business: in.Business, Email: in.Email, Website: in.Website,
		Offer: in.Offer, Seek: in.Seek, Customers: in.Customers,
		Industry: in.Industry, Region: in.Region, Tags: in.Tags,
		Lane: in.Lane, Quarter: in.Quarter, ExternalID: in.ExternalID,
		Status: in.Status, CreatedAt: now, UpdatedAt: now,
	}
	if p.Lane == "" {
		p.Lane = LaneEither
	}
	if p.Quarter == "" {
		p.Quarter = QuarterOf(now)
	}
	if p.Status == "" {
		p.Status = StatusActive
	}
	if p.Tags == nil {
		p.Tags = []string{}
	}
	return p
}

// PostPatch is a partial update: nil fields are left as they are, and a
// field set to "" clears it (where the field may be empty).
type PostPatch struct {
	Business   *string   `json:"business" validate:"omitnil,min=2,max=120,name"`
	Email      *string   `json:"email" validate:"omitnil,max=254,email"`
	Website    *string   `json:"website" validate:"omitnil,max=500,weburl"`
	Offer      *string   `json:"offer" validate:"omitnil,min=10,max=2000,text"`
	Seek       *string   `json:"seek" validate:"omitnil,min=10,max=2000,text"`
	Customers  *string   `json:"customers" validate:"omitnil,max=1000,text"`
	Industry   *string   `json:"industry" validate:"omitnil,max=120,name"`
	Region     *string   `json:"region" validate:"omitnil,max=120,name"`
	Tags       *[]string `json:"tags" validate:"omitnil,max=20,dive,min=1,max=40,name"`
	Lane       *Lane     `json:"lane" validate:"omitnil,oneof=strategic referral either"`
	Quarter    *Quarter  `json:"quarter" validate:"omitnil,quarter"`
	ExternalID *string   `json:"external_id" validate:"omitnil,max=200,name"`
	Status     *Status   `json:"status" validate:"omitnil,oneof=active paused hidden"`
}

// Normalize tidies the set fields the same way PostInput.Normalize does.
func (p *PostPatch) Normalize() {
	trim := func(s *string, f func(string) string) {
		if s != nil {
			*s = f(*s)
		}
	}
	trim(p.Business, OneLine)
	trim(p.Email, func(s string) string { return strings.ToLower(strings.TrimSpace(s)) })
	trim(p.Website, strings.TrimSpace)
	trim(p.Offer, strings.TrimSpace)
	trim(p.Seek, strings.TrimSpace)
	trim(p.Customers, strings.TrimSpace)
	trim(p.Industry, OneLine)
	trim(p.Region, OneLine)
	trim(p.ExternalID, strings.TrimSpace)
	if p.Tags != nil {
		t := normalizeTags(*p.Tags)
		p.Tags = &t
	}
	if p.Lane != nil {
		l := Lane(strings.ToLower(strings.TrimSpace(string(*p.Lane))))
		p.Lane = &l
	}
	if p.Quarter != nil {
		q := Quarter(strings.ToUpper(strings.TrimSpace(string(*p.Quarter))))
		p.Quarter = &q
	}
	if p.Status != nil {
		s := Status(strings.ToLower(strings.TrimSpace(string(*p.Status))))
		p.Status = &s
	}
}

// Empty reports whether the patch changes nothing.
func (p PostPatch) Empty() bool { return p == PostPatch{} }

// Apply writes the set fields of the patch onto post.
func (p PostPatch) Apply(post *Post) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&post.Business, p.Business)
	set(&post.Email, p.Email)
	set(&post.Website, p.Website)
	set(&post.Offer, p.Offer)
	set(&post.Seek, p.Seek)
	set(&post.Customers, p.Customers)
	set(&post.Industry, p.Industry)
	set(&post.Region, p.Region)
	set(&post.ExternalID, p.ExternalID)
	if p.Tags != nil {
		post.Tags = *p.Tags
	}
	if p.Lane != nil {
		post.Lane = *p.Lane
	}
	if p.Quarter != nil {
		post.Quarter = *p.Quarter
	}
	if p.Status != nil {
		post.Status = *p.Status
	}
}

// OneLine trims s and folds every run of white space into one space.
func OneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// isSpace reports whether r is a space or a line break. Unlike
// unicode.IsSpace it leaves the controls \v, \f and U+0085 alone, so that
// the text rules refuse them rather than they pass as spaces.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || unicode.Is(unicode.Zs, r)
}

// normalizeTags trims tags and drops repeats (ignoring case), keeping order.
// Empty tags are kept so that validation can report them.
func normalizeTags(tags []string) []string {
	if tags == nil {
		return nil
	}
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = OneLine(t)
		key := strings.ToLower(t)
		if t != "" && seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, t)
	}
	return out
}
