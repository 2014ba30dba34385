//go:build ignore

// derive reads the hold-out set's ground truth (roles.json) and its posts (posts.src.jsonl) and writes
// set.jsonl: each post with "relevant" and "competitors" derived from the roles alone.
//
//	go run match/testdata/holdout/derive.go            (from the module root)
//
// relevant[k] = 2 when each post's role seeks the other's, 1 when only one side's role seeks the other's.
// competitors = the other posts with the same role.
// It exits non-zero on an unknown role, an undefined audience, a seeks entry naming an unknown role, a
// duplicate or empty key, or a post left with no relevant partner.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type role struct {
	Industry string   `json:"industry"`
	Audience string   `json:"audience"`
	Offers   string   `json:"offers"`
	Seeks    []string `json:"seeks"`
}

type truth struct {
	Roles     map[string]role   `json:"roles"`
	Audiences map[string]string `json:"audiences"`
}

type post struct {
	Key       string
	Role      string
	Business  string
	Offer     string
	Seek      string
	Customers string
}

// out is one line of set.jsonl; field order is fixed for stable diffs.
type out struct {
	Key         string         `json:"key"`
	Role        string         `json:"role"`
	Business    string         `json:"business"`
	Offer       string         `json:"offer"`
	Seek        string         `json:"seek"`
	Customers   string         `json:"customers"`
	Relevant    map[string]int `json:"relevant"`
	Competitors []string       `json:"competitors"`
}

func main() {
	dir := "match/testdata/holdout"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := run(dir); err != nil {
		fmt.Fprintln(os.Stderr, "derive:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	var t truth
	raw, err := os.ReadFile(filepath.Join(dir, "roles.json"))
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return fmt.Errorf("roles.json: %w", err)
	}
	if len(t.Roles) == 0 {
		return fmt.Errorf("roles.json: no roles")
	}
	var problems []string
	for id, r := range t.Roles {
		if r.Industry == "" {
			problems = append(problems, fmt.Sprintf("role %q has no industry", id))
		}
		if _, ok := t.Audiences[r.Audience]; !ok {
			problems = append(problems, fmt.Sprintf("role %q: audience %q is not defined", id, r.Audience))
		}
		for _, s := range r.Seeks {
			if _, ok := t.Roles[s]; !ok {
				problems = append(problems, fmt.Sprintf("role %q seeks unknown role %q", id, s))
			}
			if s == id {
				problems = append(problems, fmt.Sprintf("role %q seeks itself (same role = competitors)", id))
			}
		}
	}
	if err := fail(problems); err != nil {
		return err
	}
	seeks := func(a, b string) bool {
		for _, s := range t.Roles[a].Seeks {
			if s == b {
				return true
			}
		}
		return false
	}

	f, err := os.Open(filepath.Join(dir, "posts.src.jsonl"))
	if err != nil {
		return err
	}
	defer f.Close()
	var posts []post
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var p struct {
			Key       string `json:"key"`
			Role      string `json:"role"`
			Business  string `json:"business"`
			Offer     string `json:"offer"`
			Seek      string `json:"seek"`
			Customers string `json:"customers"`
		}
		d := json.NewDecoder(strings.NewReader(sc.Text()))
		d.DisallowUnknownFields()
		if err := d.Decode(&p); err != nil {
			problems = append(problems, fmt.Sprintf("posts.src.jsonl:%d: %v", line, err))
			continue
		}
		switch {
		case p.Key == "":
			problems = append(problems, fmt.Sprintf("posts.src.jsonl:%d: empty key", line))
		case seen[p.Key] > 0:
			problems = append(problems, fmt.Sprintf("posts.src.jsonl:%d: duplicate key %q (first on line %d)", line, p.Key, seen[p.Key]))
		}
		seen[p.Key] = line
		if _, ok := t.Roles[p.Role]; !ok {
			problems = append(problems, fmt.Sprintf("posts.src.jsonl:%d: post %q has unknown role %q", line, p.Key, p.Role))
		}
		if strings.TrimSpace(p.Offer) == "" || strings.TrimSpace(p.Seek) == "" {
			problems = append(problems, fmt.Sprintf("posts.src.jsonl:%d: post %q has an empty offer or seek", line, p.Key))
		}
		posts = append(posts, post{p.Key, p.Role, p.Business, p.Offer, p.Seek, p.Customers})
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if err := fail(problems); err != nil {
		return err
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, p := range posts {
		o := out{Key: p.Key, Role: p.Role, Business: p.Business, Offer: p.Offer, Seek: p.Seek, Customers: p.Customers,
			Relevant: map[string]int{}, Competitors: []string{}}
		for _, q := range posts {
			if q.Key == p.Key {
				continue
			}
			if q.Role == p.Role {
				o.Competitors = append(o.Competitors, q.Key)
				continue
			}
			g := 0
			if seeks(p.Role, q.Role) {
				g++
			}
			if seeks(q.Role, p.Role) {
				g++
			}
			if g > 0 {
				o.Relevant[q.Key] = g
			}
		}
		sort.Strings(o.Competitors)
		if len(o.Relevant) == 0 {
			problems = append(problems, fmt.Sprintf("post %q (role %q) has no relevant partner in the set", p.Key, p.Role))
		}
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	if err := fail(problems); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "set.jsonl"), buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("derive: wrote %s (%d posts)\n", filepath.Join(dir, "set.jsonl"), len(posts))
	return nil
}

func fail(problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	return fmt.Errorf("%d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
}
