package webtest

import (
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/static"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// The app's pages can be linked to and reloaded: every path under /app is
// the app; other unknown paths stay a 404, the API's as JSON.
func TestStaticAppPaths(t *testing.T) {
	s := startSite(t)
	for _, tc := range []struct {
		path, wantType, wantBody string
		want                     int
	}{
		{"/", "text/html", `<script type="module" src="/js/main.js">`, 200},
		{"/app", "text/html", `<script type="module" src="/js/main.js">`, 200},
		{"/app/matches", "text/html", `<script type="module" src="/js/main.js">`, 200},
		{"/app/host/rounds/2026-Q3", "text/html", `<script type="module" src="/js/main.js">`, 200},
		{"/app/no/such/page", "text/html", `<script type="module" src="/js/main.js">`, 200},
		{"/js/main.js", "text/javascript", "import", 200},
		{"/style.css", "text/css", "--accent", 200},
		{"/vendor/uplot/uPlot.esm.js", "text/javascript", "export { uPlot as default }", 200},
		{"/vendor/uplot/LICENSE", "", "MIT License", 200},
		{"/api/v1/nope", "application/json", `"not_found"`, 404},
		{"/apps", "application/json", `"not_found"`, 404},
		{"/js/nope.js", "application/json", `"not_found"`, 404},
	} {
		res, body := get(t, s.URL+tc.path)
		if res.StatusCode != tc.want {
			t.Errorf("GET %s: got status %d, want %d", tc.path, res.StatusCode, tc.want)
			continue
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.wantType) {
			t.Errorf("GET %s: got Content-Type %q, want %q", tc.path, ct, tc.wantType)
		}
		if !strings.Contains(body, tc.wantBody) {
			t.Errorf("GET %s: body lacks %q", tc.path, tc.wantBody)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: got Content-Security-Policy %q, want default-src 'self'", tc.path, csp)
		}
	}
	res, _ := get(t, s.URL+"/app/matches")
	if res.Header.Get("ETag") == "" || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET /app/matches: got ETag %q and Cache-Control %q, want an ETag and no-cache", res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
	}
}

var importPattern = regexp.MustCompile(`(?m)(?:^import\s[^'"]*|^export\s[^'"]*\sfrom\s|import\()\s*['"]([^'"]+)['"]`)

// Every module the app imports is served: a typo in an import path would
// break the whole app in the browser.
func TestStaticModulesResolve(t *testing.T) {
	s := startSite(t)
	seen := 0
	err := fs.WalkDir(static.Files, "js", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(static.Files, name)
		if err != nil {
			return err
		}
		for _, m := range importPattern.FindAllStringSubmatch(string(src), -1) {
			target := m[1]
			if !strings.HasPrefix(target, "/") {
				target = path.Join("/", path.Dir(name), target)
			}
			res, _ := get(t, s.URL+target)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s imports %s: GET %s gives %d", name, m[1], target, res.StatusCode)
			}
			seen++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 10 {
		t.Errorf("found %d imports in static/js, want the app's modules (is the pattern broken?)", seen)
	}
}

// The UI never turns text into HTML, and its pages need nothing the
// Content-Security-Policy (default-src 'self') forbids: no inline scripts,
// styles or event handlers. The browser tests check the same in practice;
// this names the line that would break it.
func TestStaticUINeverParsesHTML(t *testing.T) {
	forbiddenJS := regexp.MustCompile(`\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setAttribute\(\s*['"]style['"]|\.setHTMLUnsafe|createContextualFragment`)
	forbiddenHTML := regexp.MustCompile(`(?i)<script(?:\s+type="module")?\s*>|\sstyle\s*=|\son[a-z]+\s*=|<style|javascript:`)
	err := fs.WalkDir(static.Files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(name, "vendor/") {
			return err
		}
		src, err := fs.ReadFile(static.Files, name)
		if err != nil {
			return err
		}
		pattern := forbiddenJS
		if strings.HasSuffix(name, ".html") {
			pattern = forbiddenHTML
		} else if !strings.HasSuffix(name, ".js") {
			return nil
		}
		for i, line := range strings.Split(string(src), "\n") {
			if loc := pattern.FindString(line); loc != "" {
				t.Errorf("static/%s:%d uses %q: build elements with dom.js's h() and textContent instead", name, i+1, loc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
