// Command matchmaker runs the Matchmaker service and its maintenance tasks.
// The tools that generate trial communities and measure the service live
// apart, in cmd/matchmaker-bench, so that this binary carries only what
// serves.
package main

import (
	"syscall"

	"github.com/matchmaker/matchmaker/internal/cli"
)

const program = "matchmaker"

var commands = []cli.Command{
	{Name: "serve", Summary: "run the web service", Run: runServe},
	{Name: "import", Summary: "import posts from a JSON Lines or CSV file", Run: runImport},
	{Name: "reindex", Summary: "rebuild the search index from the database", Run: runReindex},
	{Name: "matches", Summary: "show a post's best partners, explained", Run: runMatches},
	{Name: "digest", Summary: "send a quarter's email digests of new partner matches (--dry-run to see what would go out)", Run: runDigest},
	{Name: "rotate-host-token", Summary: "replace the generated host token with a new one", Run: runRotateHostToken},
	{Name: "backup", Summary: "write a consistent copy of the database to a file, also while serving", Run: runBackup},
	{Name: "restore", Summary: "replace the database with a backup and rebuild the search index (server stopped)", Run: runRestore},
	{Name: "check", Summary: "verify the database and that the search index agrees with it; say how to repair", Run: runCheck},
}

func main() {
	// Everything the service writes holds members' data: the database and
	// its -wal and -shm files, the search index, backups, the outbox, the
	// host token. With this mask every file it creates is 0600 and every
	// folder 0700, whatever creates it (SQLite, Bleve, the service itself);
	// app.Open tightens what an older version left more open.
	syscall.Umask(0o077)
	cli.Main(program, commands)
}
