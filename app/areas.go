package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/match/geo"
)

// AreaInput is an area as the host describes it: a name, a centre the
// gazetteer knows ("Albany"), and how far it reaches.
type AreaInput struct {
	Name     string
	Centre   string
	RadiusKm float64
}

// PutArea creates or replaces one of the host's areas and reads every
// post's reach again: a post whose region names the area works in it. It
// returns EINVALID for a bad name, an unknown centre or a radius out of
// 1–1000 km.
func (a *App) PutArea(ctx context.Context, in AreaInput) (domain.Area, error) {
	in.Name, in.Centre = match.OneLine(in.Name), match.OneLine(in.Centre)
	fields := map[string]string{}
	if n := len([]rune(in.Name)); n < 2 || n > 80 {
		fields["name"] = "must be 2 to 80 characters"
	} else if !match.IsCleanName(in.Name) {
		fields["name"] = match.NameRule
	}
	place, ok := geo.Default().Find(in.Centre, false)
	if !ok {
		fields["centre"] = fmt.Sprintf("no town or region called %q is known: name a town of 15,000 people or more, or a state or province", in.Centre)
	}
	if in.RadiusKm < 1 || in.RadiusKm > 1000 {
		fields["radius_km"] = "must be from 1 to 1000"
	}
	if len(fields) > 0 {
		return domain.Area{}, match.Invalid("some fields are not valid", fields)
	}
	area, err := a.Store.PutArea(ctx, domain.Area{Name: in.Name, Centre: place.Name, Lat: place.Lat, Lon: place.Lon, RadiusKm: in.RadiusKm})
	if err != nil {
		return domain.Area{}, err
	}
	return area, a.applyAreas(ctx)
}

// DeleteArea removes one of the host's areas. It returns ENOTFOUND if
// there is none of that name.
func (a *App) DeleteArea(ctx context.Context, name string) error {
	if err := a.Store.DeleteArea(ctx, name); err != nil {
		return err
	}
	return a.applyAreas(ctx)
}

// applyAreas gives the engine the host's areas, if it is loaded (loading
// reads them).
func (a *App) applyAreas(ctx context.Context) error {
	engine := a.matching.loaded()
	if engine == nil {
		return nil
	}
	areas, err := a.Store.Areas(ctx)
	if err != nil {
		return err
	}
	places := make(map[string]geo.Place, len(areas))
	for _, ar := range areas {
		places[ar.Name] = geo.Place{Name: ar.Name, Lat: ar.Lat, Lon: ar.Lon, RadiusKm: ar.RadiusKm}
	}
	engine.SetAreas(places)
	return nil
}

// PlaceNamed finds a place by name: one of the host's areas, or a town or
// region the gazetteer knows. It returns EINVALID when neither does.
func (a *App) PlaceNamed(ctx context.Context, name string) (geo.Place, error) {
	areas, err := a.Store.Areas(ctx)
	if err != nil {
		return geo.Place{}, err
	}
	for _, ar := range areas {
		if strings.EqualFold(ar.Name, strings.TrimSpace(name)) {
			return geo.Place{Name: ar.Name, Lat: ar.Lat, Lon: ar.Lon, RadiusKm: ar.RadiusKm}, nil
		}
	}
	if p, ok := geo.Default().Find(name, false); ok {
		return p, nil
	}
	return geo.Place{}, match.Invalid("some query parameters are not valid", map[string]string{"near": fmt.Sprintf("no place called %q is known", name)})
}
