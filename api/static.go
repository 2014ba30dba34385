package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"

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
// a plain 404 and wrong methods on API routes a 405.
func registerStatic(e *echo.Echo) {
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

func (f staticFile) serve(c echo.Context) error {
	h := c.Response().Header()
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	if c.Request().Header.Get("If-None-Match") == f.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, f.contentType, f.body)
}
