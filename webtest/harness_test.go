package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/matchmaker/matchmaker/api"
	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/mail"
)

// hostToken is the host's token in every test site.
const hostToken = "mmh_webtest-host-token-7d2e91"

// stepTimeout bounds each wait for the page, so that a broken page fails
// the test instead of hanging it. It is generous: two shared cores run the
// server and the browser, and no test depends on how fast a page is.
const stepTimeout = 60 * time.Second

// site is a running Matchmaker: a fresh data folder, the real API and UI.
type site struct {
	URL string
	App *app.App
}

// startSite opens a data folder under t.TempDir and serves it on a free
// port of 127.0.0.1. Emailed links point at that address.
func startSite(t *testing.T) *site {
	t.Helper()
	return startSiteMailingTo(t, mail.Config{})
}

// startSiteMailingTo is startSite with its mail going where m says (the
// outbox folder when m is empty).
func startSiteMailingTo(t *testing.T, m mail.Config) *site {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	a, err := app.Open(context.Background(), app.Config{DataDir: t.TempDir(), HostToken: hostToken, BaseURL: url, Mail: m})
	if err != nil {
		ln.Close()
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("close app: %v", err)
		}
	})
	// The browser counts as one client address making every write: lift
	// the public rate limit well above what a test does.
	server, err := api.New(a, api.Config{PublicWritesPerHour: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	handler := server.Handler()
	if os.Getenv("MATCHMAKER_WEBTEST_LOG") != "" {
		// Show the requests the browser makes, to follow a failing test.
		inner := handler
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t.Logf("%s %s", r.Method, r.URL.Path)
			inner.ServeHTTP(w, r)
		})
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return &site{URL: url, App: a}
}

// call makes an API request as the host (or anonymously when host is
// false), checks its status and decodes its JSON answer into out.
func (s *site) call(t *testing.T, host bool, method, path, contentType, body string, want int, out any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host {
		req.Header.Set("Authorization", "Bearer "+hostToken)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != want {
		t.Fatalf("%s %s: got status %d, want %d: %s", method, path, res.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

type postJSON struct {
	ID       int64  `json:"id"`
	Business string `json:"business"`
	Email    string `json:"email"`
	Status   string `json:"status"`
}

// createPost stores a live post as the host would.
func (s *site) createPost(t *testing.T, fields map[string]any) postJSON {
	t.Helper()
	body, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	var p postJSON
	s.call(t, true, http.MethodPost, "/api/v1/posts", "application/json", string(body), http.StatusCreated, &p)
	return p
}

// importEvalSet imports the labelled community the matching engine is
// evaluated on (86 businesses in 14 customer segments), for the current
// quarter: a realistic directory to search and match in.
func (s *site) importEvalSet(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "match", "testdata", "eval", "posts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for line := range bytes.Lines(bytes.TrimSpace(data)) {
		var p map[string]any
		if err := json.Unmarshal(line, &p); err != nil {
			t.Fatal(err)
		}
		delete(p, "quarter") // the posts' default: the quarter of today
		out, _ := json.Marshal(p)
		b.Write(out)
		b.WriteByte('\n')
	}
	s.call(t, true, http.MethodPost, "/api/v1/import", "application/x-ndjson", b.String(), http.StatusOK, nil)
}

// mails returns every email sent so far, oldest first.
func (s *site) mails(t *testing.T) []mail.Message {
	t.Helper()
	s.App.WaitBackground()
	ob, ok := s.App.Mailer().(*mail.Outbox)
	if !ok {
		t.Fatal("the test site does not write mail to an outbox")
	}
	msgs, err := ob.Messages()
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

var linkPattern = regexp.MustCompile(`https?://[^\s"<>]+/(confirm|signin|introduction|feedback)\?token=[A-Za-z0-9_%.~-]+`)

// link returns the newest link of a kind ("confirm", "signin",
// "introduction") emailed to the address, as a member would click it.
func (s *site) link(t *testing.T, to, kind string) string {
	t.Helper()
	msgs := s.mails(t)
	for i := len(msgs) - 1; i >= 0; i-- {
		if !strings.EqualFold(msgs[i].To, to) {
			continue
		}
		for _, m := range linkPattern.FindAllStringSubmatch(msgs[i].Text, -1) {
			if m[1] == kind {
				if !strings.HasPrefix(m[0], s.URL+"/") {
					t.Fatalf("the %s link %s does not point at the site %s", kind, m[0], s.URL)
				}
				return m[0]
			}
		}
	}
	t.Fatalf("no %s link emailed to %s among %d emails", kind, to, len(msgs))
	return ""
}

// --- the browser ---

var browser struct {
	once    sync.Once
	ctx     context.Context
	cancel  func()
	dataDir string
	err     error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dataDir != "" {
		os.RemoveAll(browser.dataDir)
	}
	os.Exit(code)
}

// inCI reports whether the tests run in CI, where a missing browser is a
// failure, not a reason to skip.
func inCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "false" && v != "0"
}

// chromiumPath finds the browser: MATCHMAKER_CHROMIUM, or Debian's
// chromium on the PATH.
func chromiumPath() (string, error) {
	if p := os.Getenv("MATCHMAKER_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("chromium is not installed")
}

// needBrowser returns the context of the one headless chromium the tests
// share (each test opens its own tabs in their own browser contexts), or
// skips the test when there is no chromium outside CI.
func needBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := chromiumPath()
	if err != nil {
		if inCI() {
			t.Fatalf("browser tests need chromium and CI is set: %v (apt-get install chromium)", err)
		}
		t.Skipf("skipping browser test: %v; install it with 'apt-get install chromium' (or set MATCHMAKER_CHROMIUM) to run the web UI tests", err)
	}
	browser.once.Do(func() {
		browser.dataDir, browser.err = os.MkdirTemp("", "matchmaker-webtest-chromium-*")
		if browser.err != nil {
			return
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-default-apps", true),
			chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
			chromedp.Flag("no-default-browser-check", true),
			chromedp.Flag("password-store", "basic"),
			chromedp.Flag("lang", "en-GB"),
			chromedp.UserDataDir(browser.dataDir),
			chromedp.WindowSize(1280, 900),
		)
		ctx, cancelBrowser := chromedp.NewContext(alloc)
		browser.ctx = ctx
		browser.cancel = func() { cancelBrowser(); cancelAlloc() }
		start, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		// Start the browser with a context that lives as long as the tests:
		// the first Do binds the browser's life to its context.
		done := make(chan error, 1)
		go func() { done <- chromedp.Do(ctx) }()
		select {
		case browser.err = <-done:
		case <-start.Done():
			browser.err = errors.New("chromium did not start within 2 minutes")
		}
		if browser.err != nil {
			browser.err = fmt.Errorf("start %s: %w", path, browser.err)
		}
	})
	if browser.err != nil {
		t.Fatal(browser.err)
	}
	return browser.ctx
}

// tab is one person's browser: its own tab in its own browser context, so
// its cookies and sessionStorage are its own.
type tab struct {
	t    *testing.T
	ctx  context.Context
	site *site
	name string

	mu       sync.Mutex
	problems []string
	failed   []string // requests that failed, since failedLoads last took them

	screen screen // the screen the person uses: a laptop's, or a phone's

}

// longestTask returns the longest task that held the page's main thread
// (over 50 ms; 0 when none did) since the page loaded or longestTask was
// last called, and forgets them.
func (tb *tab) longestTask() time.Duration {
	tb.t.Helper()
	ms := eval[float64](tb, `(() => { const d = Math.max(0, ...window.__longTasks); window.__longTasks = []; return d; })()`)
	return time.Duration(ms * float64(time.Millisecond))
}

// failedLoads returns the requests that failed since it was last called.
func (tb *tab) failedLoads() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	out := tb.failed
	tb.failed = nil
	return out
}

// watchScript runs in every page before its own scripts (DevTools scripts
// are not subject to the page's CSP): it records Content-Security-Policy
// violations, which would mean part of the UI does not work.
// It also keeps the main thread's long tasks (over 50 ms) for
// longestTask.
const watchScript = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });`

// newTab opens a tab for a person. Script errors, console errors, CSP
// violations and dialogs (alert, confirm) in it fail the test.
func (s *site) newTab(t *testing.T, name string) *tab {
	t.Helper()
	bctx := needBrowser(t)
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	tb := &tab{t: t, ctx: ctx, site: s, name: name}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("%s: open a tab: %v", name, err)
	}
	t.Cleanup(cancel)
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			tb.problem("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, a.Description+string(a.Value))
				}
				tb.problem("console.error: %s", strings.Join(parts, " "))
			}
		case *log.EventEntryAdded:
			// A failed request (a 400 for a form with mistakes, a 409 for a
			// refused action) is the API answering, not a fault; it is kept
			// for the tests of quiet page loads (failedLoads).
			switch {
			case ev.Entry.Level != log.EntryLevelError:
			case ev.Entry.Source == log.EntrySourceNetwork:
				tb.mu.Lock()
				tb.failed = append(tb.failed, ev.Entry.Text+" "+ev.Entry.URL)
				tb.mu.Unlock()
			default:
				tb.problem("browser log (%s): %s", ev.Entry.Source, ev.Entry.Text)
			}
		case *page.EventJavascriptDialogOpening:
			tb.problem("a %s dialog opened: %q", ev.Type, ev.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchScript}); err != nil {
		t.Fatal(err)
	}
	tb.emulate(laptop) // no page to lay out yet
	t.Cleanup(tb.checkProblems)
	return tb
}

func (tb *tab) problem(format string, args ...any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.problems = append(tb.problems, fmt.Sprintf(format, args...))
}

// checkProblems fails the test for what went wrong in the page. The round
// trip first lets the events sent before it arrive.
func (tb *tab) checkProblems() {
	csp, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`window.__cspViolations || []`))
	if err == nil {
		for _, v := range csp {
			tb.problem("Content-Security-Policy violation: %s", v)
		}
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		tb.t.Errorf("%s's browser: %s", tb.name, p)
	}
}

// do runs actions with the step timeout, failing the test with what it was
// doing and a screenshot of the page when they do not complete.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.fail(what, err)
	}
}

func (tb *tab) fail(what string, err error) {
	tb.t.Helper()
	url, _ := chromedp.Run(tb.ctx, chromedp.Location())
	text, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('main') ? document.querySelector('main').innerText.slice(0, 1500) : document.body.innerText.slice(0, 1500)`))
	shot := ""
	if png, e := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100)); e == nil {
		shot = filepath.Join(screenshotDir(tb.t), "FAILED-"+safeName(tb.t.Name()+"-"+tb.name)+".png")
		os.WriteFile(shot, png, 0o644)
	}
	tb.t.Fatalf("%s: %s: %v\npage %s shows:\n%s\nscreenshot: %s", tb.name, what, err, url, text, shot)
}

// open goes to a path of the site and waits until the app has drawn it.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("open "+path, chromedp.Navigate(tb.site.URL+path))
	tb.waitDrawn()
}

// waitDrawn waits until the app has drawn its page: the view is no longer
// busy and holds a heading.
func (tb *tab) waitDrawn() {
	tb.t.Helper()
	tb.waitFor("the page to be drawn", `(() => { const v = document.getElementById('view'); return v && !v.hasAttribute('aria-busy') && v.querySelector('h1') !== null; })()`)
}

// waitFor waits until the JavaScript condition holds. A wait that a
// navigation interrupts (a form posted, a redirect) starts again in the
// new page.
func (tb *tab) waitFor(what, condition string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	for {
		err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](condition,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0)))
		if err == nil {
			return
		}
		if ctx.Err() == nil && navigated(err) {
			continue
		}
		tb.fail("wait for "+what, err)
	}
}

// navigated reports whether err is a page going away under a script.
func navigated(err error) bool {
	msg := err.Error()
	for _, s := range []string{"navigated or closed", "Execution context was destroyed", "Cannot find context", "context with specified id"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// waitText waits until an element matching the selector contains text.
func (tb *tab) waitText(selector, text string) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf("%q in %s", text, selector), fmt.Sprintf(
		`[...document.querySelectorAll(%s)].some((el) => el.textContent.includes(%s))`, jsString(selector), jsString(text)))
}

// eval runs JavaScript in the page and decodes its value.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.fail("evaluate "+expr, err)
	}
	return v
}

// text returns the text of the first element matching the selector, or
// "" when there is none.
func (tb *tab) text(selector string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(document.querySelector(%s) || {}).textContent || ''`, jsString(selector)))
}

var markSeq struct {
	sync.Mutex
	n int
}

// mark finds an element by a JavaScript expression, tags it, and returns a
// CSS selector for the tag, so that chromedp can act on it as a person
// would (scrolling to it, clicking its middle).
func (tb *tab) mark(what, expr string) chromedp.CSS {
	tb.t.Helper()
	markSeq.Lock()
	markSeq.n++
	id := fmt.Sprintf("m%d", markSeq.n)
	markSeq.Unlock()
	tb.waitFor(what, fmt.Sprintf(`(() => { const el = (%s); if (!el) return false; el.setAttribute('data-webtest', %s); return true; })()`, expr, jsString(id)))
	return chromedp.CSS(fmt.Sprintf(`[data-webtest=%q]`, id))
}

// control returns the form control labelled label inside scope: by its
// <label> (or a fieldset's legend for radio groups), as people find it.
func (tb *tab) control(scope, label string) chromedp.CSS {
	tb.t.Helper()
	return tb.mark(fmt.Sprintf("the field labelled %q in %s", label, scope), fmt.Sprintf(`(() => {
  const scope = document.querySelector(%s);
  if (!scope) return null;
  const want = %s;
  const l = [...scope.querySelectorAll('label')].find((l) => l.textContent.trim().replace(/\s*\(optional\)$/, '') === want);
  return l ? l.control : null;
})()`, jsString(scope), jsString(label)))
}

// fill types text into the field labelled label.
func (tb *tab) fill(scope, label, text string) {
	tb.t.Helper()
	tb.clearField(scope, label)
	tb.do("fill "+label, chromedp.SendKeys(tb.control(scope, label), text, chromedp.NodeVisible))
}

// clearField empties the field labelled label (chromedp's SetValue takes
// an empty value for a failure).
func (tb *tab) clearField(scope, label string) {
	tb.t.Helper()
	sel := tb.control(scope, label)
	tb.do("clear "+label, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).value = ''`, jsString(string(sel)))))
}

// setField sets a field's value at once, for long texts.
func (tb *tab) setField(scope, label, text string) {
	tb.t.Helper()
	sel := tb.control(scope, label)
	tb.do("set "+label, chromedp.SetValue(sel, text, chromedp.NodeVisible))
}

// check clicks the radio button or checkbox labelled label.
func (tb *tab) check(scope, label string) {
	tb.t.Helper()
	sel := tb.mark(fmt.Sprintf("the choice %q in %s", label, scope), fmt.Sprintf(`(() => {
  const l = [...document.querySelectorAll(%s + ' label')].find((l) => l.textContent.trim().startsWith(%s));
  return l || null;
})()`, jsString(scope), jsString(label)))
	tb.do("choose "+label, chromedp.Click(sel, chromedp.NodeVisible))
}

// click clicks the button or link in scope whose text is label.
func (tb *tab) click(scope, label string) {
	tb.t.Helper()
	sel := tb.mark(fmt.Sprintf("a button or link %q in %s", label, scope), fmt.Sprintf(`(() => {
  for (const s of document.querySelectorAll(%s)) {
    const el = [...s.querySelectorAll('button, a, summary, input[type=submit]')].find((b) => (b.textContent || b.value).trim() === %s && !b.disabled);
    if (el) return el;
  }
  return null;
})()`, jsString(scope), jsString(label)))
	tb.do("click "+label, chromedp.Click(sel, chromedp.NodeVisible))
}

// count returns how many elements match the selector.
func (tb *tab) count(selector string) int {
	tb.t.Helper()
	return eval[int](tb, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(selector)))
}

// screenshot checks the page, as it is, at a phone's and a laptop's width
// (nothing marked hidden shows, nothing sticks out sideways on the phone)
// and, when MATCHMAKER_SCREENSHOTS names a folder, saves it there at both
// widths for a person to look at. (Capturing every page twice takes a
// third of the browser tests' time, so it is asked for.)
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	dir := os.Getenv("MATCHMAKER_SCREENSHOTS")
	own := tb.screen
	for _, size := range []screen{phone, laptop} {
		tb.use(size)
		if shown := eval[string](tb, `[...document.querySelectorAll('[hidden]')].filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.tagName.toLowerCase() + ' ' + el.textContent.slice(0, 40)).join(', ')`); shown != "" {
			tb.t.Errorf("%s: on %s, elements marked hidden show: %s", tb.name, name, shown)
		}
		if size.mobile {
			overflow := eval[string](tb, `(() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > w + 1 && !el.closest('.table-wrap');
  });
  return wide.slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' ' + Math.round(el.getBoundingClientRect().right) + 'px').join(', ');
})()`)
			if overflow != "" {
				tb.t.Errorf("%s: on a phone's width, %s sticks out past the screen (%d px): %s", tb.name, name, size.width, overflow)
			}
			// No word in a table's cell is broken across lines (a name
			// squeezed letter by letter).
			broken := eval[string](tb, `(() => {
  const out = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    const head = cell.closest('thead');
    if (!cell.getClientRects().length || (head && head.getBoundingClientRect().width <= 1)) continue; // a head read out, not shown
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      for (const m of n.data.matchAll(/\S+/g)) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
        if (tops.size > 1) out.push(m[0] + ' (' + cell.tagName.toLowerCase() + ' of table.' + String(cell.closest('table').className).split(' ').join('.') + ', ' + Math.round(cell.getBoundingClientRect().width) + ' px)');
      }
    }
  }
  return out.slice(0, 3).join(', ');
})()`)
			if broken != "" {
				tb.t.Errorf("%s: on a phone's width, %s breaks words in a table across lines: %s", tb.name, name, broken)
			}
		}
		if dir == "" {
			continue
		}
		png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
		if err != nil && strings.Contains(err.Error(), "too large") {
			png, err = chromedp.Run(tb.ctx, chromedp.CaptureScreenshot()) // what the screen shows
		}
		if err != nil {
			tb.fail("screenshot "+name, err)
		}
		file := filepath.Join(screenshotDir(tb.t), fmt.Sprintf("%s-%s.png", safeName(name), size.name))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
	tb.use(own)
}

// screen is a device's screen, as a browser test emulates it.
type screen struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	phone  = screen{"phone", 390, 844, true}
	laptop = screen{"laptop", 1280, 900, false}
)

// use makes the tab's page the size of a screen, and waits for its layout
// at that size (and for charts to follow it): the width media queries see,
// the layout viewport's (on a phone, a page that sticks out is zoomed out,
// and innerWidth is wider).
func (tb *tab) use(size screen) {
	tb.t.Helper()
	tb.emulate(size)
	tb.waitFor("the layout at "+size.name+" width", fmt.Sprintf(`matchMedia('(width: %dpx)').matches`, size.width))
}

// emulate makes the tab's page the size of a screen.
func (tb *tab) emulate(size screen) {
	tb.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if size.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	tb.do("resize for "+size.name, chromedp.EmulateViewport(size.width, size.height, opts...))
	tb.screen = size
}

var screenshotOnce sync.Once

// screenshotDir is where screenshots go: $MATCHMAKER_SCREENSHOTS, or (for
// a failing test's last look) matchmaker-screenshots in the temporary
// folder, kept after the tests so that a person can look at them.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("MATCHMAKER_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "matchmaker-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	screenshotOnce.Do(func() { fmt.Fprintf(os.Stderr, "webtest: screenshots in %s\n", dir) })
	t.Logf("screenshots in %s", dir)
	return dir
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, s)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// runRound starts a quarter's round through the API, as the host, and
// waits for its job to end.
func (s *site) runRound(t *testing.T, body string) {
	t.Helper()
	s.call(t, true, http.MethodPost, "/api/v1/rounds", "application/json", body, http.StatusAccepted, nil)
	s.App.WaitRound()
}
