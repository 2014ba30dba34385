package store

import "context"

// NotAboutMembers and TableNames let the tests check MemberData's list.
var NotAboutMembers = notAboutMembers

func (db *DB) TableNames(ctx context.Context) ([]string, error) {
	return queryAll(ctx, db.write, func(r rowScanner) (string, error) {
		var name string
		return name, r.Scan(&name)
	}, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
}
