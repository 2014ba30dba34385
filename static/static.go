// Package static holds the web UI's files, embedded in the binary so that
// running the service needs nothing beside it.
package static

import "embed"

// Files are the UI's files, served from the site root.
//
//go:embed *.html *.css
var Files embed.FS
