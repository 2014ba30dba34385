package match

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// validate is the one validator instance of the project: built on first
// use, safe for concurrent use, caching struct metadata across calls.
var validate = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by their JSON names, as API callers know them.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	must(v.RegisterValidation("quarter", func(fl validator.FieldLevel) bool {
		return quarterPattern.MatchString(fl.Field().String())
	}))
	must(v.RegisterValidation("weburl", func(fl validator.FieldLevel) bool {
		return isWebURL(fl.Field().String())
	}))
	must(v.RegisterValidation("text", func(fl validator.FieldLevel) bool {
		return IsCleanText(fl.Field().String())
	}))
	must(v.RegisterValidation("name", func(fl validator.FieldLevel) bool {
		return IsCleanName(fl.Field().String())
	}))
	return v
})

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// isWebURL reports whether s is empty or an absolute http(s) address with a
// host, written without spaces or hidden characters: the only kind of
// website link safe to show to other members.
func isWebURL(s string) bool {
	if s == "" {
		return true
	}
	if !IsCleanName(s) || strings.ContainsRune(s, ' ') {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// ValidEmail reports whether s passes the email rule posts are validated
// with: the one rule for anything that checks an address ahead of Validate.
func ValidEmail(s string) bool { return validate().Var(s, "email") == nil }

// Validate checks v against its `validate` struct tags and returns nil or an
// EINVALID *Error whose Fields name each bad field by its JSON name.
func Validate(v any) error {
	err := validate().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return fmt.Errorf("validate: %w", err)
	}
	fields := make(map[string]string, len(verrs))
	for _, fe := range verrs {
		name := fe.Namespace()
		// Drop the root struct's name: "PostInput.tags[2]" -> "tags[2]".
		if _, rest, ok := strings.Cut(name, "."); ok {
			name = rest
		}
		if _, seen := fields[name]; !seen {
			fields[name] = fieldMessage(fe)
		}
	}
	return Invalid("some fields are not valid", fields)
}

// fieldMessage turns a failed validation tag into a sentence for people.
func fieldMessage(fe validator.FieldError) string {
	isList := fe.Kind() == reflect.Slice
	isNumber := fe.Kind() >= reflect.Int && fe.Kind() <= reflect.Float64
	switch fe.Tag() {
	case "required":
		return "is required"
	case "min", "gte":
		if isNumber {
			return "must be at least " + fe.Param()
		}
		if isList {
			return "must have at least " + fe.Param() + " items"
		}
		if fe.Param() == "1" {
			return "must not be empty"
		}
		return "must be at least " + fe.Param() + " characters"
	case "max", "lte":
		if isNumber {
			return "must be at most " + fe.Param()
		}
		if isList {
			return "must have at most " + fe.Param() + " items"
		}
		return "must be at most " + fe.Param() + " characters"
	case "email":
		return "must be a valid email address"
	case "weburl":
		return "must be a web address starting with http:// or https://, without spaces or hidden characters"
	case "oneof":
		return "must be one of: " + strings.Join(strings.Fields(fe.Param()), ", ")
	case "gt":
		return "must be more than " + fe.Param()
	case "required_if":
		return "is required here"
	case "excluded_unless":
		return "must be left out here"
	case "iso4217":
		return "must be an ISO 4217 currency code, like USD or EUR"
	case "datetime":
		return "must be a date like 2026-11-24"
	case "quarter":
		return "must be a quarter like 2026-Q3"
	case "text":
		return "must be plain text: no control characters, no invisible formatting characters such as direction overrides, valid UTF-8"
	case "name":
		return NameRule
	default:
		return "is not valid (" + fe.Tag() + ")"
	}
}
