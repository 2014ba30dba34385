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
	"strconv"
	"strings"
	"sync"
)

// The word vectors are GloVe's (Pennington, Socher and Manning 2014,
// public domain under the PDDL), 100 dimensions, trained on Wikipedia and
// Gigaword, for the 100,000 commonest plain words, commonest first; and
// for the Porter stems of those words, which stems are alike: the stems
// of the words most like their words (see ./gen and README.md).

//go:embed words.bin.gz
var wordsTable []byte

// Dims is the length of a word vector.
const Dims = 100

// Words are GloVe's vectors for common English words, and the likeness
// of their stems. Safe for concurrent use.
type Words struct {
	ids   map[string]int32
	words []string
	vecs  []int8 // Dims a word: its unit vector times 127
	// Stems, by number: the stem, its commonest word, and the stems like
	// it, most alike first: simID[simStart[i]:simStart[i+1]] with their
	// likeness times 255 in simBy (one array for all, not a slice each).
	stemIDs  map[string]int32
	stems    []string
	stemWord []int32
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
	w := &Words{ids: map[string]int32{}, stemIDs: map[string]int32{}}
	if err := eachLine(r, func(line string) error {
		w.ids[line] = int32(len(w.words))
		w.words = append(w.words, line)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("word list: %w", err)
	}
	w.vecs = make([]int8, len(w.words)*Dims)
	if err := binary.Read(r, binary.LittleEndian, w.vecs); err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}
	if err := eachLine(r, func(line string) error {
		stem, word, ok := strings.Cut(line, "\t")
		n, err := strconv.Atoi(word)
		if !ok || err != nil || n < 0 || n >= len(w.words) {
			return fmt.Errorf("bad stem line %q", line)
		}
		w.stemIDs[stem] = int32(len(w.stems))
		w.stems = append(w.stems, stem)
		w.stemWord = append(w.stemWord, int32(n))
		return nil
	}); err != nil {
		return nil, fmt.Errorf("stems: %w", err)
	}
	w.simStart = make([]int32, len(w.stems)+1)
	var rec [5]byte
	for i := range w.stems {
		if _, err := io.ReadFull(r, rec[:2]); err != nil {
			return nil, fmt.Errorf("stems like %q: %w", w.stems[i], err)
		}
		for range binary.LittleEndian.Uint16(rec[:2]) {
			if _, err := io.ReadFull(r, rec[:]); err != nil {
				return nil, fmt.Errorf("stems like %q: %w", w.stems[i], err)
			}
			id := int32(binary.LittleEndian.Uint32(rec[:4]))
			if id < 0 || int(id) >= len(w.stems) {
				return nil, fmt.Errorf("stems like %q: stem %d out of range", w.stems[i], id)
			}
			w.simID, w.simBy = append(w.simID, id), append(w.simBy, rec[4])
		}
		w.simStart[i+1] = int32(len(w.simID))
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the stems")
	}
	return w, nil
}

// eachLine calls fn with each line up to a blank one.
func eachLine(r *bufio.Reader, fn func(string) error) error {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			return nil
		}
		if err := fn(line); err != nil {
			return err
		}
	}
}

// Len returns the number of words with a vector.
func (w *Words) Len() int { return len(w.words) }

// Rank returns how common a word is in English, 0 for the commonest (the
// table keeps GloVe's order), and whether the table holds it.
func (w *Words) Rank(word string) (int, bool) {
	id, ok := w.ids[word]
	return int(id), ok
}

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

// SimilarStems yields the stems like stem (Porter's, of lower-case words),
// most alike first, each with the best likeness (cosine, from 0.5 to 1)
// of one of its words to one of stem's. Likeness goes both ways: a stem is
// among another's when the other is among its own.
func (w *Words) SimilarStems(stem string) iter.Seq2[string, float32] {
	return func(yield func(string, float32) bool) {
		id, ok := w.stemIDs[stem]
		if !ok {
			return
		}
		for n := w.simStart[id]; n < w.simStart[id+1]; n++ {
			if !yield(w.stems[w.simID[n]], float32(w.simBy[n])/255) {
				return
			}
		}
	}
}

// WordOfStem returns the commonest word with the stem, for people to read
// ("licens" -> "license"), and whether the table knows the stem.
func (w *Words) WordOfStem(stem string) (string, bool) {
	id, ok := w.stemIDs[stem]
	if !ok {
		return "", false
	}
	return w.words[w.stemWord[id]], true
}
