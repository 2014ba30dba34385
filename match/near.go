package match

import (
	"iter"

	"github.com/matchmaker/matchmaker/match/lexicon"
)

// similarStems yields the stems like stem, most alike first, with how
// alike (see lexicon.Words.SimilarStems): the relation the similar-word
// measures and their reasons read. It goes both ways, so that the share
// of one post's seek another's offer covers reads the same from either
// post.
func similarStems(stem string) iter.Seq2[string, float32] {
	return lexicon.DefaultWords().SimilarStems(stem)
}

// wordOfStem returns the commonest English word with the stem, for people
// to read ("licens" -> "license"), or the stem itself when none is known.
func wordOfStem(stem string) string {
	if w, ok := lexicon.DefaultWords().WordOfStem(stem); ok {
		return w
	}
	return stem
}
