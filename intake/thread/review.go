package thread

import (
	"regexp"
	"unicode/utf8"
)

// What a draft still needs before it can be published, and how much of
// it the host should check.

// Check lists what a draft still needs before it can be published: call
// it again after the host corrects a field.
func Check(d Draft) Draft {
	d.Problems = []string{}
	if d.Business == "" {
		d.Problems = append(d.Problems, "business name not found: add it before publishing")
	} else if o := d.Origins[FieldBusiness]; o.Guess {
		d.Problems = append(d.Problems, "business name guessed from the "+o.From+": check it")
	}
	if d.Email == "" {
		d.Problems = append(d.Problems, "no email address: add one before publishing")
	} else if !wholeEmail.MatchString(d.Email) {
		d.Problems = append(d.Problems, "the email address does not look right: check it")
	}
	if d.Seek == "" {
		d.Problems = append(d.Problems, "could not tell whom they are looking for")
	}
	if utf8.RuneCountInString(d.Offer) < 10 {
		d.Problems = append(d.Problems, "could not tell what they do")
	}
	return d
}

// wholeEmail is what a usable address looks like, all of the field.
var wholeEmail = regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$`)

// Uncertainty is how much of a draft the host should check: problems
// count most, then guessed fields. Lists sort the most uncertain first.
func Uncertainty(d Draft) int {
	n := 10 * len(d.Problems)
	for _, o := range d.Origins {
		if o.Guess {
			n++
		}
	}
	return n
}
