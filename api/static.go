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

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/static"
)

type staticFile struct {
	body        []byte
	etag        string
	contentType string
}

// staticHandler serves the embedded UI. Files are read and hashed once; the
// ETag lets browsers revalidate cheaply, and no-cache makes them do so, so
// a new release shows at once.
func staticHandler() echo.HandlerFunc {
	files := map[string]staticFile{}
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
		files["/"+name] = staticFile{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, contentType: ct}
		return nil
	})
	if err != nil {
		panic(err) // the embedded files are part of the binary
	}
	return func(c echo.Context) error {
		name := path.Clean("/" + c.Param("*"))
		if name == "/" {
			name = "/index.html"
		}
		f, ok := files[name]
		if !ok || strings.HasPrefix(name, "/api/") {
			return match.Errorf(match.ENOTFOUND, "no such page")
		}
		h := c.Response().Header()
		h.Set("ETag", f.etag)
		h.Set("Cache-Control", "no-cache")
		if c.Request().Header.Get("If-None-Match") == f.etag {
			return c.NoContent(http.StatusNotModified)
		}
		return c.Blob(http.StatusOK, f.contentType, f.body)
	}
}
