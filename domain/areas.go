package domain

import "time"

// Area is a place the host named for the community: a centre (a place the
// gazetteer knows) and how far the area reaches.
type Area struct {
	Name      string    `json:"name"`
	Centre    string    `json:"centre"`
	Lat       float64   `json:"lat"`
	Lon       float64   `json:"lon"`
	RadiusKm  float64   `json:"radius_km"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}
