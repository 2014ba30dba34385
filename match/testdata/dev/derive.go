//go:build ignore

// Derive writes set.jsonl, the labelled development set, from two hand-written
// files: roles.json (the ground truth: which role seeks which) and
// posts.src.jsonl (the posts, each tagged with its role). Labels are never
// typed by hand; they follow from the roles:
//
//   - relevant[other] = 2 when each post's role seeks the other's role,
//     1 when only one side's role seeks the other's; absent otherwise.
//   - competitors = the keys of the other posts with the same role.
//
// Run from the module root:
//
//	go run match/testdata/dev/derive.go
//
// It exits non-zero, writing nothing, when the inputs are inconsistent: an
// unknown role, a role whose audience is undefined, a seeks entry naming an
// unknown role (or the role itself, or a role with another audience), a
// duplicate key, a post with an unknown field, or a post with no relevant
// partner in the set.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
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
	// Traps lists pairs of roles that sell the same kind of service to
	// different audiences; they must not seek each other. Optional.
	Traps [][2]string `json:"traps"`
}

type post struct {
	Key       string `json:"key"`
	Role      string `json:"role"`
	Business  string `json:"business"`
	Offer     string `json:"offer"`
	Seek      string `json:"seek"`
	Customers string `json:"customers"`
}

type labelled struct {
	post
	Relevant    map[string]int `json:"relevant"`
	Competitors []string       `json:"competitors"`
}

// problems collects every inconsistency so one run reports them all.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func main() {
	dir := flag.String("dir", "", "folder holding roles.json and posts.src.jsonl (default: match/testdata/dev, or . if run from inside it)")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "derive:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if dir == "" {
		dir = "match/testdata/dev"
		if _, err := os.Stat(filepath.Join(dir, "roles.json")); err != nil {
			dir = "."
		}
	}
	t, err := readTruth(filepath.Join(dir, "roles.json"))
	if err != nil {
		return err
	}
	posts, err := readPosts(filepath.Join(dir, "posts.src.jsonl"))
	if err != nil {
		return err
	}

	var bad problems
	checkTruth(t, &bad)
	checkPosts(t, posts, &bad)
	if len(bad) > 0 {
		return fmt.Errorf("%d problem(s):\n  %s", len(bad), strings.Join(bad, "\n  "))
	}

	set := label(t, posts)
	for _, p := range set {
		if len(p.Relevant) == 0 {
			bad.add("post %s (role %s) has no relevant partner in the set", p.Key, p.Role)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d problem(s):\n  %s", len(bad), strings.Join(bad, "\n  "))
	}

	if err := writeSet(filepath.Join(dir, "set.jsonl"), set); err != nil {
		return err
	}
	summarise(os.Stdout, t, set)
	return nil
}

func readTruth(path string) (*truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var t truth
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &t, nil
}

func readPosts(path string) ([]post, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var posts []post
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var p post
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:%d: trailing data after the post", path, n)
		}
		posts = append(posts, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(posts) == 0 {
		return nil, fmt.Errorf("%s: no posts", path)
	}
	return posts, nil
}

func checkTruth(t *truth, bad *problems) {
	if len(t.Roles) == 0 {
		bad.add("roles.json: no roles")
	}
	for _, id := range sortedKeys(t.Roles) {
		r := t.Roles[id]
		if r.Industry == "" {
			bad.add("role %s: no industry", id)
		}
		if r.Offers == "" {
			bad.add("role %s: no offers", id)
		}
		if r.Audience == "" {
			bad.add("role %s: no audience", id)
		} else if _, ok := t.Audiences[r.Audience]; !ok {
			bad.add("role %s: audience %q is not defined in audiences", id, r.Audience)
		}
		seen := map[string]bool{}
		for _, s := range r.Seeks {
			other, ok := t.Roles[s]
			switch {
			case !ok:
				bad.add("role %s: seeks unknown role %q", id, s)
			case s == id:
				bad.add("role %s: seeks itself (posts of one role are competitors)", id)
			case seen[s]:
				bad.add("role %s: seeks %s twice", id, s)
			case other.Audience != r.Audience:
				bad.add("role %s (audience %s) seeks %s (audience %s): partners must share customers", id, r.Audience, s, other.Audience)
			}
			seen[s] = true
		}
	}
	for i, tp := range t.Traps {
		a, aok := t.Roles[tp[0]]
		b, bok := t.Roles[tp[1]]
		switch {
		case !aok || !bok:
			bad.add("trap %d %v: unknown role", i, tp)
		case tp[0] == tp[1]:
			bad.add("trap %d %v: same role twice", i, tp)
		case a.Audience == b.Audience:
			bad.add("trap %d %v: both roles serve %s; a trap is the same service for a different audience", i, tp, a.Audience)
		case seeks(t, tp[0], tp[1]) || seeks(t, tp[1], tp[0]):
			bad.add("trap %d %v: the roles seek each other", i, tp)
		}
	}
}

func checkPosts(t *truth, posts []post, bad *problems) {
	keys := map[string]int{}
	for i, p := range posts {
		where := fmt.Sprintf("post %d", i+1)
		if p.Key != "" {
			where = "post " + p.Key
		}
		if p.Key == "" {
			bad.add("%s: no key", where)
		} else if j, dup := keys[p.Key]; dup {
			bad.add("%s: duplicate key (also post %d)", where, j+1)
		} else {
			keys[p.Key] = i
		}
		if _, ok := t.Roles[p.Role]; !ok {
			bad.add("%s: unknown role %q", where, p.Role)
		}
		for name, v := range map[string]string{"business": p.Business, "offer": p.Offer, "seek": p.Seek} {
			if strings.TrimSpace(v) == "" {
				bad.add("%s: empty %s", where, name)
			}
		}
	}
}

func seeks(t *truth, from, to string) bool {
	for _, s := range t.Roles[from].Seeks {
		if s == to {
			return true
		}
	}
	return false
}

func label(t *truth, posts []post) []labelled {
	set := make([]labelled, len(posts))
	for i, p := range posts {
		l := labelled{post: p, Relevant: map[string]int{}, Competitors: []string{}}
		for j, q := range posts {
			if i == j {
				continue
			}
			if q.Role == p.Role {
				l.Competitors = append(l.Competitors, q.Key)
				continue
			}
			a, b := seeks(t, p.Role, q.Role), seeks(t, q.Role, p.Role)
			switch {
			case a && b:
				l.Relevant[q.Key] = 2
			case a || b:
				l.Relevant[q.Key] = 1
			}
		}
		sort.Strings(l.Competitors)
		set[i] = l
	}
	return set
}

func writeSet(path string, set []labelled) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, p := range set {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// summarise prints the counts a reviewer wants; warnings do not fail the run.
func summarise(w io.Writer, t *truth, set []labelled) {
	type ind struct{ posts, roles int }
	industries := map[string]*ind{}
	rolePosts := map[string]int{}
	emptyCustomers := 0
	for _, p := range set {
		rolePosts[p.Role]++
		if strings.TrimSpace(p.Customers) == "" {
			emptyCustomers++
		}
	}
	for id, n := range rolePosts {
		name := t.Roles[id].Industry
		if industries[name] == nil {
			industries[name] = &ind{}
		}
		industries[name].posts += n
		industries[name].roles++
	}
	grade := map[int]int{}
	competitorPairs := 0
	for i, p := range set {
		for _, q := range set[i+1:] {
			if g := p.Relevant[q.Key]; g > 0 {
				grade[g]++
			}
		}
		competitorPairs += len(p.Competitors)
	}
	competitorPairs /= 2
	trapPairs := 0
	for _, tp := range t.Traps {
		trapPairs += rolePosts[tp[0]] * rolePosts[tp[1]]
	}

	fmt.Fprintf(w, "wrote set.jsonl: %d posts, %d industries, %d roles with posts (%d defined), %d audiences\n",
		len(set), len(industries), len(rolePosts), len(t.Roles), len(t.Audiences))
	fmt.Fprintf(w, "relevant pairs: %d grade 2, %d grade 1; competitor pairs: %d\n", grade[2], grade[1], competitorPairs)
	fmt.Fprintf(w, "trap role pairs: %d (%d post pairs); posts with empty customers: %d\n", len(t.Traps), trapPairs, emptyCustomers)
	for _, name := range sortedKeys(industries) {
		in := industries[name]
		note := ""
		if in.posts < 8 || in.posts > 14 || in.roles < 4 || in.roles > 7 {
			note = "  (outside 8-14 posts / 4-7 roles)"
		}
		fmt.Fprintf(w, "  %-32s %3d posts %2d roles%s\n", name, in.posts, in.roles, note)
	}
	for _, id := range sortedKeys(t.Roles) {
		if rolePosts[id] == 0 {
			fmt.Fprintf(w, "  note: role %s has no posts\n", id)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
