package api

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/static"
)

// openAPIDocument is the part of an OpenAPI 3 document the test reads.
type openAPIDocument struct {
	OpenAPI  string                `json:"openapi"`
	Security []map[string][]string `json:"security"`
	Paths    map[string]map[string]json.RawMessage
}

type openAPIOperation struct {
	Security   *[]map[string][]string     `json:"security"`
	Parameters []openAPIParameter         `json:"parameters"`
	Responses  map[string]json.RawMessage `json:"responses"`
}

type openAPIParameter struct {
	Name string `json:"name"`
	In   string `json:"in"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

var echoParam = regexp.MustCompile(`:(\w+)`)

// TestOpenAPIDocumentsEveryRoute fails when a route is served but not
// described, or described but not served.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	r := ts.do(t, http.MethodGet, "/api/v1/openapi.json", anonymous, "")
	wantStatus(t, r, http.StatusOK)
	var doc openAPIDocument
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi: got %q, want 3.x", doc.OpenAPI)
	}

	type op struct{ method, path string }
	served := map[op]access{}
	for _, rt := range ts.API.routes() {
		served[op{strings.ToLower(rt.method), echoParam.ReplaceAllString(rt.path, "{$1}")}] = rt.access
	}
	// Routes registered on Echo outside the route table count too; the web
	// UI's files are the routes that are not part of the API.
	ui := map[string]bool{"/": true}
	for _, f := range uiFiles(t) {
		ui["/"+f] = true
	}
	for _, rt := range ts.API.echo.Routes() {
		if ui[rt.Path] {
			continue
		}
		k := op{strings.ToLower(rt.Method), echoParam.ReplaceAllString(rt.Path, "{$1}")}
		if _, ok := served[k]; !ok {
			served[k] = -1 // not in the route table: access unknown
		}
	}
	if len(served) < 8 {
		t.Fatalf("found %d routes, want at least the 8 of issue 2: %v", len(served), served)
	}

	var missing []string
	for k, acc := range served {
		raw, ok := doc.Paths[k.path][k.method]
		if !ok {
			missing = append(missing, strings.ToUpper(k.method)+" "+k.path)
			continue
		}
		var o openAPIOperation
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Errorf("%s %s: %v", k.method, k.path, err)
			continue
		}
		security := doc.Security
		if o.Security != nil {
			security = *o.Security
		}
		anonymousAllowed := len(security) == 0 || slices.ContainsFunc(security, func(s map[string][]string) bool { return len(s) == 0 })
		switch {
		case acc == hostOnly && anonymousAllowed:
			t.Errorf("%s %s needs the host token, but the document lets anyone call it", strings.ToUpper(k.method), k.path)
		case acc == anyone && !anonymousAllowed:
			t.Errorf("%s %s is open to anyone, but the document asks for a token", strings.ToUpper(k.method), k.path)
		}
		for _, name := range echoParam.FindAllStringSubmatch(strings.NewReplacer("{", ":", "}", "").Replace(k.path), -1) {
			if !declaresPathParam(doc.Paths[k.path], o, name[1]) {
				t.Errorf("%s %s: path parameter %q is not declared", strings.ToUpper(k.method), k.path, name[1])
			}
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json: %s", strings.Join(missing, ", "))
	}

	var extra []string
	for path, item := range doc.Paths {
		for method := range item {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			if _, ok := served[op{method, path}]; !ok {
				extra = append(extra, strings.ToUpper(method)+" "+path)
			}
		}
	}
	slices.Sort(extra)
	if len(extra) > 0 {
		t.Errorf("openapi.json describes routes that are not served: %s", strings.Join(extra, ", "))
	}
}

// declaresPathParam reports whether name is declared as a path parameter on
// the path item or the operation.
func declaresPathParam(item map[string]json.RawMessage, o openAPIOperation, name string) bool {
	params := o.Parameters
	if raw, ok := item["parameters"]; ok {
		var shared []openAPIParameter
		if err := json.Unmarshal(raw, &shared); err == nil {
			params = append(params, shared...)
		}
	}
	return slices.ContainsFunc(params, func(p openAPIParameter) bool { return p.Name == name && p.In == "path" })
}

// uiFiles lists the embedded web UI files.
func uiFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := fs.WalkDir(static.Files, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestOpenAPIDocumentsRefusals checks that the document lists the answers
// every route may give before its handler runs: 413 for a body over the
// route's limit, 403 and 408 for writes (a cross-site request, a body too
// slow), 429 where a rate limit applies.
func TestOpenAPIDocumentsRefusals(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	var doc openAPIDocument
	if err := json.Unmarshal(decode[json.RawMessage](t, ts.do(t, http.MethodGet, "/api/v1/openapi.json", anonymous, "")), &doc); err != nil {
		t.Fatal(err)
	}
	for _, rt := range ts.API.routes() {
		var o openAPIOperation
		raw := doc.Paths[echoParam.ReplaceAllString(rt.path, "{$1}")][strings.ToLower(rt.method)]
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Errorf("%s %s: %v", rt.method, rt.path, err)
			continue
		}
		want := []string{"413"}
		if !safeMethod(rt.method) {
			want = append(want, "403", "408")
		}
		if rt.limit != unlimited {
			want = append(want, "429")
		}
		for _, code := range want {
			if _, ok := o.Responses[code]; !ok {
				t.Errorf("%s %s: the document lacks the %s answer", rt.method, rt.path, code)
			}
		}
	}
}
