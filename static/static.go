// Package static holds the web UI's files, embedded in the binary so that
// running the service needs nothing beside it: the page shell, the styles,
// the app's ES modules (js/) and the vendored libraries (vendor/).
package static

import "embed"

// Files are the UI's files, served from the site root.
//
//go:embed *.html *.css *.ico js vendor
var Files embed.FS
