package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// What members write is shown to other members, in the web UI, in emails
// and in CSV exports. A name that reads "Acme Bank" may hide a right-to-left
// override or a zero-width space that makes it look like another business's
// name, or that turns around the text after it. So text is checked at the
// edge by two rules:
//
//   - IsCleanText, for free text (an offer, a note): any visible text and
//     line breaks, but no control characters and no invisible formatting
//     characters, save the two joiners that scripts and emoji need;
//   - IsCleanName, for what names a business or a thing (a business, an
//     area, a tag, a goal): one line of visible text, with no invisible
//     characters at all.
//
// Text is also put in Unicode's composed form (NFC, see NFC) as it comes in,
// so that "Café" typed on two keyboards is one name, not two.

// NameRule says what IsCleanName asks for, as an error message names it.
const NameRule = "must be one line of visible text: no control characters, direction overrides, zero-width or other invisible characters"

// IsCleanText reports whether s is valid UTF-8 free text: no control
// characters other than tab and line breaks, and no invisible formatting
// characters (category Cf: direction overrides and isolates, zero-width
// spaces, soft hyphens, byte-order marks, tag characters) other than the
// zero-width joiner and non-joiner, which Persian, Indic scripts and emoji
// sequences need.
func IsCleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
		case r == zwnj || r == zwj:
		case isInvisible(r):
			return false
		}
	}
	return true
}

// IsCleanName reports whether s is valid UTF-8 on one line with no
// invisible characters at all (see isInvisible), joiners included, and no
// private-use characters: a name is compared with other names by eye.
func IsCleanName(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		// Private-use characters draw as whatever a font puts there, or
		// as nothing.
		if r == '\n' || r == '\r' || r == '\t' || isInvisible(r) || unicode.Is(unicode.Co, r) {
			return false
		}
	}
	return true
}

const (
	zwnj = '\u200c' // zero-width non-joiner
	zwj  = '\u200d' // zero-width joiner
)

// isInvisible reports whether r is drawn as nothing, or changes how the
// text around it is drawn: control characters (Cc), format characters (Cf),
// line and paragraph separators, noncharacters, and the few letters and
// marks that fonts draw blank (the Hangul fillers, the Braille blank, the
// combining grapheme joiner, Khmer's inherent vowels).
func isInvisible(r rune) bool {
	switch r {
	case '\u115f', '\u1160', '\u3164', '\uffa0', '\u2800', '\u034f', '\u17b4', '\u17b5', '\u2028', '\u2029', '\ufffc':
		return true
	}
	if r >= 0xfdd0 && r <= 0xfdef || r&0xfffe == 0xfffe {
		return true // noncharacters
	}
	return unicode.In(r, unicode.Cc, unicode.Cf)
}

// NFC returns s in Unicode's composed normal form.
func NFC(s string) string { return norm.NFC.String(s) }

// CleanPasted prepares text people paste from elsewhere (a chat thread, a
// spreadsheet, a word processor): it drops the invisible characters such
// copies carry along (zero-width spaces, direction marks, soft hyphens,
// byte-order marks; joiners stay), turns line and paragraph separators into
// line breaks, and returns the result in NFC. Pasted text is read and then
// checked by a person, so it is cleaned rather than refused; what is typed
// into a field is refused instead (IsCleanText, IsCleanName).
func CleanPasted(s string) string {
	if !utf8.ValidString(s) {
		return s // the caller's IsCleanText check refuses it
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u2028' || r == '\u2029':
			return '\n'
		case r == '\n' || r == '\r' || r == '\t' || r == zwnj || r == zwj:
			return r
		case unicode.Is(unicode.Cc, r):
			return r // refused by the caller's check, not silently dropped
		case isInvisible(r):
			return -1
		}
		return r
	}, s)
	return NFC(s)
}
