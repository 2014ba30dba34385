package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

// Tracking links and conversions: a referrer shares /r/{code}; the seller's
// systems report sign-ups, sales and refunds by the API.
func (s *Server) trackingRoutes() []route {
	p := "/api/v1/partnerships/:id"
	return []route{
		{http.MethodGet, "/r/:code", anyone, s.followLink, unlimited},
		{http.MethodGet, p + "/links", signedIn, s.listLinks, unlimited},
		{http.MethodPut, p + "/links/mine", signedIn, s.setLink, unlimited},
		{http.MethodPost, "/api/v1/conversions", signedIn, s.recordConversion, unlimited},
	}
}

type linkQuarterView struct {
	Quarter    match.Quarter    `json:"quarter"`
	Clicks     int              `json:"clicks"`
	Leads      int              `json:"leads"`
	Won        int              `json:"won"`
	Commission map[string]int64 `json:"commission"` // minor units by currency, net of refunds
}

type linkView struct {
	ID              int64             `json:"id"`
	Code            string            `json:"code"`
	URL             string            `json:"url"`
	Referrer        string            `json:"referrer"` // the side that shares it
	LandingURL      string            `json:"landing_url"`
	AttributionDays int               `json:"attribution_days"`
	Quarters        []linkQuarterView `json:"quarters"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
}

func viewLink(l app.LinkView) linkView {
	v := linkView{ID: l.ID, Code: l.Code, URL: l.URL, Referrer: string(l.Referrer), LandingURL: l.LandingURL,
		AttributionDays: l.AttributionDays, Quarters: []linkQuarterView{}, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
	for _, q := range l.Quarters {
		v.Quarters = append(v.Quarters, linkQuarterView{Quarter: q.Quarter, Clicks: q.Clicks, Leads: q.Leads, Won: q.Won, Commission: q.Commission})
	}
	return v
}

// followLink sends a visitor on to the link's landing page (302), counting
// the click; a code that is no link gets a page that says so.
func (s *Server) followLink(c echo.Context) error {
	req := c.Request()
	to, err := s.app.FollowLink(req.Context(), c.Param("code"), c.RealIP(), req.UserAgent())
	if errors.Is(err, match.ErrNotFound) {
		return deadLink(c, "The partner link you followed is not known here: it may have been mistyped.")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, to)
}

func (s *Server) listLinks(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	list, err := s.app.Links(c.Request().Context(), callerOf(c).app(), id)
	if err != nil {
		return err
	}
	out := make([]linkView, len(list))
	for i, l := range list {
		out[i] = viewLink(l)
	}
	return c.JSON(http.StatusOK, map[string][]linkView{"links": out})
}

func (s *Server) setLink(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	var in app.LinkInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	l, err := s.app.SetLink(c.Request().Context(), callerOf(c).app(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewLink(l))
}

type conversionView struct {
	ID            int64        `json:"id"`
	PartnershipID int64        `json:"partnership_id"`
	ExternalID    string       `json:"external_id"`
	Status        string       `json:"status"`
	ViaLink       bool         `json:"via_link"`
	Referral      referralView `json:"referral"`
	Entries       []entryView  `json:"entries"` // the ledger entries this report added
	Changed       bool         `json:"changed"` // false when the report was sent before
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

// recordConversion answers 201 for a new conversion, 200 for one moved on
// or sent again (changed says which).
func (s *Server) recordConversion(c echo.Context) error {
	var in app.ConversionInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	res, err := s.app.RecordConversion(c.Request().Context(), callerOf(c).app(), in)
	if err != nil {
		return err
	}
	v := conversionView{ID: res.Conversion.ID, PartnershipID: res.Conversion.PartnershipID, ExternalID: res.Conversion.ExternalID,
		Status: res.Conversion.Status, ViaLink: res.Conversion.LinkID != 0, Referral: viewReferral(res.Referral), Entries: []entryView{},
		Changed: res.Changed, CreatedAt: res.Conversion.CreatedAt, UpdatedAt: res.Conversion.UpdatedAt}
	for _, e := range res.Entries {
		v.Entries = append(v.Entries, viewEntry(e))
	}
	if res.Created {
		return c.JSON(http.StatusCreated, v)
	}
	return c.JSON(http.StatusOK, v)
}
