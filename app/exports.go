package app

import (
	"context"
	"encoding/csv"
	"io"

	"github.com/matchmaker/matchmaker/internal/sheet"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// ExportKinds are the host's exports, in the order a page lists them.
var ExportKinds = store.ExportKinds

// Export writes one of the host's exports (store.ExportKinds: posts,
// members, suggestions, introductions, partnerships, referrals, payouts)
// to w as CSV, a row as it is read. Text a spreadsheet would take for a
// formula is defused (sheet.Cell).
func (a *App) Export(ctx context.Context, who Who, kind string, w io.Writer) error {
	if !who.Host {
		return match.Errorf(match.EFORBIDDEN, "only the host exports the community's records")
	}
	cw := csv.NewWriter(w)
	err := a.Store.EachExportRow(ctx, kind, cw.Write, func(row []string) error {
		for i, v := range row {
			row[i] = sheet.Cell(v)
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
