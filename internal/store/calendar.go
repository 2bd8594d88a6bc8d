package store

import (
	"context"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/workcal"
)

// CalendarYears implements workcal.Tx.
func (t *Tx) CalendarYears(ctx context.Context) ([]workcal.StoredYear, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT year, notice, body, imported_by, imported_at FROM calendar_years ORDER BY year")
	if err != nil {
		return nil, fmt.Errorf("store: calendar years: %w", err)
	}
	defer rows.Close()
	var out []workcal.StoredYear
	for rows.Next() {
		var y workcal.StoredYear
		var body string
		if err := rows.Scan(&y.Year, &y.Notice, &body, &y.ImportedBy, timeValue{&y.ImportedAt}); err != nil {
			return nil, err
		}
		y.Body = []byte(body)
		out = append(out, y)
	}
	return out, rows.Err()
}

// CalendarStamp implements workcal.Tx. The count and latest import time alone
// do not change when a year is replaced within the same instant, or by a node
// whose clock is behind the last importer's, so the stamp also carries the
// sequence number of the latest calendar event, which every import appends in
// its own transaction.
func (t *Tx) CalendarStamp(ctx context.Context) (string, error) {
	var n int
	var latest time.Time
	var hasLatest *time.Time
	err := t.tx.QueryRowContext(ctx, "SELECT COUNT(*), MAX(imported_at) FROM calendar_years").Scan(&n, nullTime{&hasLatest})
	if err != nil {
		return "", fmt.Errorf("store: calendar stamp: %w", err)
	}
	if hasLatest != nil {
		latest = *hasLatest
	}
	var seq int64
	err = t.tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM events WHERE object_type = 'calendar_year'").Scan(&seq)
	if err != nil {
		return "", fmt.Errorf("store: calendar stamp: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", n, latest.UnixNano(), seq), nil
}

// PutCalendarYear implements workcal.Tx: it adds a year or replaces it.
func (t *Tx) PutCalendarYear(ctx context.Context, y workcal.StoredYear) error {
	if _, err := t.exec(ctx, "DELETE FROM calendar_years WHERE year = $1", y.Year); err != nil {
		return fmt.Errorf("store: replace calendar year: %w", err)
	}
	_, err := t.exec(ctx, "INSERT INTO calendar_years (year, notice, body, imported_by, imported_at) VALUES ($1, $2, $3, $4, $5)",
		y.Year, y.Notice, string(y.Body), y.ImportedBy, y.ImportedAt.UTC())
	if err != nil {
		return fmt.Errorf("store: put calendar year: %w", err)
	}
	return nil
}
