package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/match/geo"
)

// mappingVersion changes whenever the mapping does; an index built with
// another version is rebuilt on open.
// mappingVersion names the mapping: an index built with another is
// rebuilt from the database on start. 2: posts' places, for "near".
const mappingVersion = "2"

// Field names in the index.
const (
	fieldBusiness  = "business"
	fieldOffer     = "offer"
	fieldSeek      = "seek"
	fieldCustomers = "customers"
	fieldLane      = "lane"
	fieldQuarter   = "quarter"
	fieldStatus    = "status"
	fieldIndustry  = "industry"
	fieldRegion    = "region"
	fieldLocation  = "location"
)

// analyzerFolded compares whole values ignoring case: filters on industry
// and region are exact but "Dental" finds "dental".
const analyzerFolded = "folded"

// doc is what the index holds of a post: the searched text and the filter
// fields, nothing else. Bleve stores none of it; results are read from the
// database by ID.
type doc struct {
	Business  string `json:"business"`
	Offer     string `json:"offer"`
	Seek      string `json:"seek"`
	Customers string `json:"customers"`
	Lane      string `json:"lane"`
	Quarter   string `json:"quarter"`
	Status    string `json:"status"`
	Industry  string `json:"industry"`
	Region    string `json:"region"`
	// Location is where the region field places the post, when the
	// gazetteer knows it: "Leeds", "Porto, Portugal".
	Location *point `json:"location,omitempty"`
}

type point struct {
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
}

func newDoc(p match.Post) doc {
	return doc{
		Business: p.Business, Offer: p.Offer, Seek: p.Seek, Customers: p.Customers,
		Lane: string(p.Lane), Quarter: string(p.Quarter), Status: string(p.Status),
		Industry: strings.ToLower(p.Industry), Region: strings.ToLower(p.Region),
		Location: locationOf(p),
	}
}

func locationOf(p match.Post) *point {
	if strings.TrimSpace(p.Region) == "" {
		return nil
	}
	if place, ok := geo.Default().Find(p.Region, false); ok {
		return &point{Lon: place.Lon, Lat: place.Lat}
	}
	return nil
}

// newMapping is lean on purpose: only searched and filtered fields, no
// stored values, no term vectors, no doc values, no catch-all field.
func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	if err := im.AddCustomAnalyzer(analyzerFolded, map[string]any{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		panic(err) // a static definition: only a programming error lands here
	}

	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName // stemming and English stop words
		lean(f)
		return f
	}
	exact := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		lean(f)
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldBusiness, text())
	dm.AddFieldMappingsAt(fieldOffer, text())
	dm.AddFieldMappingsAt(fieldSeek, text())
	dm.AddFieldMappingsAt(fieldCustomers, text())
	dm.AddFieldMappingsAt(fieldLane, exact(keyword.Name))
	dm.AddFieldMappingsAt(fieldQuarter, exact(keyword.Name))
	dm.AddFieldMappingsAt(fieldStatus, exact(keyword.Name))
	dm.AddFieldMappingsAt(fieldIndustry, exact(analyzerFolded))
	dm.AddFieldMappingsAt(fieldRegion, exact(analyzerFolded))
	loc := bleve.NewGeoPointFieldMapping()
	lean(loc)
	dm.AddFieldMappingsAt(fieldLocation, loc)
	im.DefaultMapping = dm
	im.DefaultAnalyzer = en.AnalyzerName
	return im
}

func lean(f *mapping.FieldMapping) {
	f.Store = false
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
}
