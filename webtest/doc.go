// Package webtest tests Matchmaker's web UI end to end, as people use it: a
// real server (a data folder under t.TempDir, the real API and the embedded
// UI, listening on 127.0.0.1) driven by a real browser, Debian's chromium in
// headless mode, through the DevTools protocol (github.com/chromedp/chromedp).
// Emailed links are taken from the server's outbox, as a member would click
// them.
//
// The tests skip, saying why, when chromium is not installed (apt-get install
// chromium); under CI (CI=true) a missing browser fails them instead.
// Set MATCHMAKER_CHROMIUM to use another browser binary.
//
// The main pages are checked at a phone's and a laptop's width; with
// MATCHMAKER_SCREENSHOTS naming a folder, screenshots of them at both
// widths are written there. A failing test's last look goes there, or
// else to matchmaker-screenshots in the system's temporary folder.
//
// Every wait is on a condition of the page (an element shown, a text
// present), bounded so that a broken page fails rather than hangs; no test
// passes or fails on how fast something happens.
package webtest
