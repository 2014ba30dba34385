package lexicon

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"sync"
)

// The word vectors are GloVe's (Pennington, Socher and Manning 2014,
// public domain under the PDDL), 100 dimensions, trained on Wikipedia and
// Gigaword, for the 100,000 commonest plain words, commonest first; see
// ./gen and README.md.

//go:embed words.bin.gz
var wordsTable []byte

// Dims is the length of a word vector.
const Dims = 100

// Similar is a word like another, with how alike their vectors are
// (cosine, from 0.5 to 1).
type Similar struct {
	Word string
	Sim  float32
}

// Words are GloVe's vectors for common English words and, for each word,
// the others most like it. Safe for concurrent use.
type Words struct {
	ids   map[string]int32
	words []string
	vecs  []int8 // Dims a word: its unit vector times 127
	// Word i's neighbours, most alike first, are simID[simStart[i]:
	// simStart[i+1]] with their similarities times 255 in simBy: one array
	// for all, not a slice per word.
	simStart []int32
	simID    []int32
	simBy    []uint8
}

var (
	wordsOnce   sync.Once
	wordsLoaded *Words
)

// DefaultWords returns the embedded word vectors, read on first use.
func DefaultWords() *Words {
	wordsOnce.Do(func() {
		w, err := readWords(wordsTable)
		if err != nil {
			panic("lexicon: the embedded word table does not read: " + err.Error())
		}
		wordsLoaded = w
	})
	return wordsLoaded
}

func readWords(table []byte) (*Words, error) {
	zr, err := gzip.NewReader(bytes.NewReader(table))
	if err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(zr, 1<<16)
	w := &Words{ids: map[string]int32{}}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("word list: %w", err)
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			break
		}
		w.ids[line] = int32(len(w.words))
		w.words = append(w.words, line)
	}
	w.vecs = make([]int8, len(w.words)*Dims)
	if err := binary.Read(r, binary.LittleEndian, w.vecs); err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}
	w.simStart = make([]int32, len(w.words)+1)
	var rec [5]byte
	for i := range w.words {
		n, err := r.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("neighbours of %q: %w", w.words[i], err)
		}
		for range n {
			if _, err := io.ReadFull(r, rec[:]); err != nil {
				return nil, fmt.Errorf("neighbours of %q: %w", w.words[i], err)
			}
			id := int32(binary.LittleEndian.Uint32(rec[:4]))
			if id < 0 || int(id) >= len(w.words) {
				return nil, fmt.Errorf("neighbours of %q: word %d out of range", w.words[i], id)
			}
			w.simID, w.simBy = append(w.simID, id), append(w.simBy, rec[4])
		}
		w.simStart[i+1] = int32(len(w.simID))
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the neighbours")
	}
	return w, nil
}

// All yields every word the table holds, commonest first.
func (w *Words) All() iter.Seq[string] { return slices.Values(w.words) }

// Len returns the number of words with a vector.
func (w *Words) Len() int { return len(w.words) }

// Vector returns the word's unit vector scaled to signed bytes (times
// 127), or nil when the table does not hold it. The slice is shared: do
// not change it.
func (w *Words) Vector(word string) []int8 {
	id, ok := w.ids[word]
	if !ok {
		return nil
	}
	return w.vecs[int(id)*Dims : int(id+1)*Dims]
}

// Similar returns the words most like word (each at least 0.5 alike), most
// alike first; nil when the table does not hold it. Likeness goes both
// ways: a word is among another's similar words when the other is among
// its own.
func (w *Words) Similar(word string) []Similar {
	id, ok := w.ids[word]
	if !ok {
		return nil
	}
	from, to := w.simStart[id], w.simStart[id+1]
	out := make([]Similar, to-from)
	for i := range out {
		n := from + int32(i)
		out[i] = Similar{Word: w.words[w.simID[n]], Sim: float32(w.simBy[n]) / 255}
	}
	return out
}
