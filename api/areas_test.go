package api

import (
	"net/http"
	"slices"
	"testing"
)

// TestAreasAndSearchNear: the host names an area; searches near a town,
// a region or the area find the posts placed within reach, and refuse
// places nobody knows.
func TestAreasAndSearchNear(t *testing.T) {
	ts := newTestServer(t)
	mk := func(name, region string) int64 {
		return ts.createPost(t, post("business", name, "email", "hi@"+name+".example", "region", region,
			"offer", "Bookkeeping for family farms and orchards", "seek", "Crop consultants who work with growers")).ID
	}
	leeds, bradford, porto := mk("leedsbooks", "Leeds"), mk("bradbooks", "Bradford, UK"), mk("portobooks", "Porto, Portugal")
	troy := mk("troybooks", "Troy, NY")
	austin := mk("austinbooks", "Austin TX")
	mk("nowhere", "the Midlands-ish bit")
	near := func(query string) []int64 {
		t.Helper()
		r := ts.do(t, http.MethodGet, "/api/v1/posts?"+query, anonymous, "")
		wantStatus(t, r, http.StatusOK)
		var ids []int64
		for _, p := range decode[postPageJSON](t, r).Posts {
			ids = append(ids, p.ID)
		}
		slices.Sort(ids)
		return ids
	}
	if got, want := near("near=Leeds&within_km=30"), []int64{leeds, bradford}; !slices.Equal(got, want) {
		t.Errorf("near Leeds: %v, want %v", got, want)
	}
	if got, want := near("near=Leeds&within_km=30&q=orchards"), []int64{leeds, bradford}; !slices.Equal(got, want) {
		t.Errorf("orchards near Leeds: %v, want %v", got, want)
	}
	if got, want := near("near=Texas"), []int64{austin}; !slices.Equal(got, want) {
		t.Errorf("near Texas (a state): %v, want %v", got, want)
	}
	if got, want := near("near=Porto"), []int64{porto}; !slices.Equal(got, want) {
		t.Errorf("near Porto: %v, want %v", got, want)
	}
	for _, bad := range []string{"near=Nowhereville", "within_km=30", "near=Leeds&within_km=0", "near=Leeds&within_km=x"} {
		wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/posts?"+bad, anonymous, ""), http.StatusBadRequest)
	}

	// The host's area: 'Tri-County' around Albany, 40 km.
	r := ts.do(t, http.MethodPut, "/api/v1/areas/Tri-County", host, `{"centre":"Albany","radius_km":40}`)
	wantStatus(t, r, http.StatusOK)
	for _, bad := range []string{`{"centre":"Qwertyville","radius_km":40}`, `{"centre":"Albany","radius_km":0}`, `{"centre":"Albany","radius_km":5000}`} {
		wantStatus(t, ts.do(t, http.MethodPut, "/api/v1/areas/Tri-County", host, bad), http.StatusBadRequest)
	}
	if got, want := near("near=tri-county&within_km=5"), []int64{troy}; !slices.Equal(got, want) {
		t.Errorf("near Tri-County: %v, want %v", got, want)
	}
	areas := decode[map[string][]map[string]any](t, ts.do(t, http.MethodGet, "/api/v1/areas", host, ""))["areas"]
	if len(areas) != 1 || areas[0]["name"] != "Tri-County" || areas[0]["centre"] != "Albany" {
		t.Errorf("areas: %v", areas)
	}
	wantStatus(t, ts.do(t, http.MethodDelete, "/api/v1/areas/tri-county", host, ""), http.StatusNoContent)
	wantStatus(t, ts.do(t, http.MethodDelete, "/api/v1/areas/tri-county", host, ""), http.StatusNotFound)
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/posts?near=Tri-County", anonymous, ""), http.StatusBadRequest)
}
