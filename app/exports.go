package app

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/internal/sheet"
	"github.com/matchmaker/matchmaker/match"
)

// PostColumns are the columns of the posts export, in order. They are
// the API's field names, and stay: spreadsheets and scripts read them by
// name. Tags are joined by "; ".
var PostColumns = []string{"id", "business", "email", "website", "offer", "seek", "customers", "industry", "region",
	"tags", "lane", "quarter", "status", "external_id", "created_at", "updated_at"}

// ExportPosts writes every post, of every status, to w as CSV under
// PostColumns, oldest first, for the host only. It streams: a row is
// written as it is read. Text a spreadsheet would take for a formula is
// defused (sheet.Cell).
func (a *App) ExportPosts(ctx context.Context, who Who, w io.Writer) error {
	if !who.Host {
		return match.Errorf(match.EFORBIDDEN, "only the host exports the community's posts")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(PostColumns); err != nil {
		return err
	}
	_, err := a.Store.EachPost(ctx, func(p match.Post) error {
		tags := make([]string, len(p.Tags))
		for i, t := range p.Tags {
			tags[i] = sheet.Cell(t)
		}
		return cw.Write([]string{strconv.FormatInt(p.ID, 10), sheet.Cell(p.Business), sheet.Cell(p.Email), sheet.Cell(p.Website),
			sheet.Cell(p.Offer), sheet.Cell(p.Seek), sheet.Cell(p.Customers), sheet.Cell(p.Industry), sheet.Cell(p.Region),
			strings.Join(tags, "; "), string(p.Lane), string(p.Quarter), string(p.Status), sheet.Cell(p.ExternalID),
			p.CreatedAt.UTC().Format(time.RFC3339), p.UpdatedAt.UTC().Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
