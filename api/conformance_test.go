package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The OpenAPI document is kept by hand; it cannot drift from what the
// server does because every response any test of this package sees is
// checked against it: the route and status must be documented, and the
// body must fit the documented schema (with its content type).

var spec struct {
	once   sync.Once
	router routers.Router
	err    error
}

// specRouter loads api/openapi.json once, checks it is a valid OpenAPI 3
// document and returns a router over its operations.
func specRouter() (routers.Router, error) {
	spec.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(openAPIDoc)
		if err != nil {
			spec.err = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			spec.err = err
			return
		}
		closeObjects(doc)
		spec.router, spec.err = gorillamux.NewRouter(doc)
	})
	return spec.router, spec.err
}

// closeObjects makes every object schema that lists its properties and
// says nothing of others refuse others, as the responses are checked: a
// field the server sends and the document does not name is drift too.
// (The document itself stays open, so that clients accept new fields.)
func closeObjects(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			s.AdditionalProperties = openapi3.AdditionalProperties{Has: openapi3.Ptr(false)}
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, list := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, x := range list {
				walk(x)
			}
		}
	}
	for _, ref := range doc.Components.Schemas {
		walk(ref)
	}
	for _, r := range doc.Components.Responses {
		for _, mt := range r.Value.Content {
			walk(mt.Schema)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// conformance wraps the server's handler: each response is checked against
// the document, and a mismatch fails tb.
func conformance(tb testing.TB, next http.Handler) http.Handler {
	router, err := specRouter()
	if err != nil {
		tb.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		tee := &teeWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(tee, r)
		if err := checkResponse(router, r, body, tee); err != nil {
			tb.Errorf("%s %s answered %d, which the OpenAPI document does not describe: %v\nbody: %.300s", r.Method, r.URL.Path, tee.status, err, tee.body.Bytes())
		}
	})
}

func checkResponse(router routers.Router, r *http.Request, reqBody []byte, tee *teeWriter) error {
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	// The document's server is "/": the router matches the path alone.
	req.URL.Scheme, req.URL.Host, req.Host = "", "", ""
	route, params, err := router.FindRoute(req)
	if err != nil {
		// A path no route serves (probes of unknown paths, the web UI's
		// files) has nothing to be described.
		if tee.status == http.StatusNotFound || tee.status == http.StatusMethodNotAllowed || !strings.HasPrefix(r.URL.Path, "/api/") {
			return nil
		}
		return err
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 tee.status,
		Header:                 tee.Header(),
		Body:                   io.NopCloser(bytes.NewReader(tee.body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if tee.status == http.StatusNotModified || r.Method == http.MethodHead {
		in.Options.ExcludeResponseBody = true
	}
	err = openapi3filter.ValidateResponse(context.Background(), in)
	var unsupported *openapi3filter.ParseError
	if errors.As(err, &unsupported) && strings.Contains(err.Error(), "unsupported content type") {
		return nil // bodies the validator cannot read (CSV, HTML, iCalendar) are checked by their own tests
	}
	return err
}

// teeWriter passes a response on and keeps a copy of it.
type teeWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (t *teeWriter) WriteHeader(code int) {
	if !t.wroteHeader {
		t.status, t.wroteHeader = code, true
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *teeWriter) Write(b []byte) (int, error) {
	t.wroteHeader = true
	t.body.Write(b)
	return t.ResponseWriter.Write(b)
}

func (t *teeWriter) Flush() {
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (t *teeWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
