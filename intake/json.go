// Package intake turns what callers send — JSON bodies, JSON Lines and CSV
// import files — into normalized, validated post inputs, reporting every
// problem by field name and line number.
package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"

	"github.com/matchmaker/matchmaker/match"
)

// DecodeJSON decodes one JSON object from data into v, strictly: unknown
// fields, wrong types, trailing data and an empty body are EINVALID errors
// that name the field where there is one. Every string decoded is put in
// Unicode's composed form (match.NFC), so that equal text is stored as
// equal bytes however it was typed.
func DecodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return match.Invalid("the body is empty: send a JSON object", nil)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return match.Invalid("unexpected data after the JSON object", nil)
	}
	if err := exactFieldNames(data, v); err != nil {
		return err
	}
	composeStrings(reflect.ValueOf(v))
	return nil
}

// composeStrings puts every string reachable from v in NFC, in place:
// fields, pointers, list items and map values (map keys are left alone).
func composeStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			composeStrings(v.Elem())
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(match.NFC(v.String()))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				composeStrings(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			composeStrings(v.Index(i))
		}
	case reflect.Map:
		if v.Type().Elem().Kind() != reflect.String {
			return
		}
		for _, k := range v.MapKeys() {
			v.SetMapIndex(k, reflect.ValueOf(match.NFC(v.MapIndex(k).String())).Convert(v.Type().Elem()))
		}
	}
}

// exactFieldNames rejects what encoding/json lets through: a null body,
// field names in another case ("BUSINESS"), which it matches silently, and
// a name given twice, which it settles silently by the last value (a body
// that different readers would read differently).
func exactFieldNames(data []byte, v any) error {
	notObject := match.Invalid("the body must be a JSON object", nil)
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return notObject
	}
	known := jsonNames(reflect.TypeOf(v).Elem())
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return notObject
		}
		name, _ := tok.(string)
		switch {
		case !known[name]:
			return match.Invalid("unknown field "+name, map[string]string{name: "is not a known field (names are case-sensitive)"})
		case seen[name]:
			return match.Invalid("field "+name+" is given twice", map[string]string{name: "is given more than once"})
		}
		seen[name] = true
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return notObject
		}
	}
	return nil
}

var jsonNamesCache sync.Map // reflect.Type -> map[string]bool

// jsonNames returns the JSON field names of a struct type, those of its
// embedded structs included (encoding/json reads them as the outer's).
func jsonNames(t reflect.Type) map[string]bool {
	if names, ok := jsonNamesCache.Load(t); ok {
		return names.(map[string]bool)
	}
	names := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			for inner := range jsonNames(f.Type) {
				names[inner] = true
			}
		case name != "" && name != "-":
			names[name] = true
		}
	}
	jsonNamesCache.Store(t, names)
	return names
}

func jsonError(err error) error {
	var (
		syntax    *json.SyntaxError
		typeError *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		return match.Invalid(fmt.Sprintf("malformed JSON at byte %d: %s", syntax.Offset, syntax.Error()), nil)
	case errors.As(err, &typeError):
		field := typeError.Field
		if field == "" {
			return match.Invalid("the body must be a JSON object", nil)
		}
		return match.Invalid("some fields have the wrong type", map[string]string{field: "must be " + kindName(typeError.Type)})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return match.Invalid("malformed JSON: the body ends too early", nil)
	}
	// encoding/json reports unknown fields only as text; this is the one
	// place that reads it.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return match.Invalid("unknown field "+name, map[string]string{name: "is not a known field"})
	}
	return match.Invalid("malformed JSON: "+err.Error(), nil)
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64, reflect.Float64:
		return "a number"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return kindName(t.Elem())
	}
	return "of type " + t.String()
}

// PostInput decodes, normalizes and validates a post from a JSON object.
func PostInput(data []byte) (match.PostInput, error) {
	var in match.PostInput
	if err := DecodeJSON(data, &in); err != nil {
		return in, err
	}
	in.Normalize()
	return in, match.Validate(&in)
}
