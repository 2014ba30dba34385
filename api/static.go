package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/static"
)

type staticFile struct {
	body        []byte
	etag        string
	contentType string
}

// registerStatic adds a route for each embedded UI file ("/" serves
// index.html). Files are read and hashed once; the ETag lets browsers
// revalidate cheaply, and no-cache makes them do so, so a new release shows
// at once. One route per file, rather than a catch-all, keeps unknown paths
// a plain 404 and wrong methods on API routes a 405. The app's own pages,
// /app and every path under it, are index.html too (see appPages).
func registerStatic(e *echo.Echo) {
	e.Pre(appPages)
	err := fs.WalkDir(static.Files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(static.Files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(name))
		if path.Ext(name) == ".ico" {
			ct = "image/x-icon" // not in every system's MIME table
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		f := staticFile{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, contentType: ct}
		e.GET("/"+name, f.serve)
		if name == "index.html" {
			e.GET("/", f.serve)
		}
		return nil
	})
	if err != nil {
		panic(err) // the embedded files are part of the binary
	}
}

// appPages answers a GET of /app or any path under it with the UI's page,
// as if "/" had been asked for: the UI's router draws the page the path
// names, so that its pages can be linked to and reloaded. It rewrites the
// path before routing, so the API's routes are left as they are.
func appPages(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && (r.URL.Path == "/app" || strings.HasPrefix(r.URL.Path, "/app/")) {
			r.URL.Path, r.URL.RawPath = "/", ""
		}
		return next(c)
	}
}

func (f staticFile) serve(c echo.Context) error {
	h := c.Response().Header()
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	if c.Request().Header.Get("If-None-Match") == f.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, f.contentType, f.body)
}
