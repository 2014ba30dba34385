package store

import (
	"context"
	"database/sql"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// Areas returns the host's areas, by name.
func (db *DB) Areas(ctx context.Context) ([]domain.Area, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT name, centre, lat, lon, radius_km, created_at, updated_at FROM areas ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Area{}
	for rows.Next() {
		var a domain.Area
		var created, updated string
		if err := rows.Scan(&a.Name, &a.Centre, &a.Lat, &a.Lon, &a.RadiusKm, &created, &updated); err != nil {
			return nil, err
		}
		a.CreatedAt, _ = parseTime(created)
		a.UpdatedAt, _ = parseTime(updated)
		out = append(out, a)
	}
	return out, rows.Err()
}

// PutArea creates or replaces the area with the name (names compare
// without regard to case) and returns it as stored.
func (db *DB) PutArea(ctx context.Context, a domain.Area) (domain.Area, error) {
	now := formatTime(db.Now())
	var out domain.Area
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO areas (name, centre, lat, lon, radius_km, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET name = excluded.name, centre = excluded.centre, lat = excluded.lat, lon = excluded.lon,
				radius_km = excluded.radius_km, updated_at = excluded.updated_at`,
			a.Name, a.Centre, a.Lat, a.Lon, a.RadiusKm, now, now); err != nil {
			return err
		}
		var created, updated string
		err := tx.QueryRowContext(ctx, "SELECT name, centre, lat, lon, radius_km, created_at, updated_at FROM areas WHERE name = ?", a.Name).
			Scan(&out.Name, &out.Centre, &out.Lat, &out.Lon, &out.RadiusKm, &created, &updated)
		out.CreatedAt, _ = parseTime(created)
		out.UpdatedAt, _ = parseTime(updated)
		return err
	})
	return out, err
}

// DeleteArea removes the area with the name. It returns ENOTFOUND if there
// is none.
func (db *DB) DeleteArea(ctx context.Context, name string) error {
	res, err := db.exec(ctx, "DELETE FROM areas WHERE name = ?", name)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return match.Errorf(match.ENOTFOUND, "no area called %q", name)
	}
	return nil
}
