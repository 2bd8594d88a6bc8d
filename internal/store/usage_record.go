package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/usagerecord"
)

const usageRecordCols = `id, version, grant_id, consumer_id, provider_id, scenario, process, effect, storage, destruction,
period_from, period_to, created_at, created_by, retained_until`

func scanUsageRecord(row interface{ Scan(...any) error }) (usagerecord.Record, error) {
	var r usagerecord.Record
	err := row.Scan(&r.ID, &r.Version, &r.GrantID, &r.ConsumerID, &r.ProviderID, &r.Scenario, &r.Process, &r.Effect, &r.Storage,
		&r.Destruction, &r.PeriodFrom, &r.PeriodTo, timeValue{&r.CreatedAt}, &r.CreatedBy, &r.RetainedUntil)
	return r, err
}

// InsertUsageRecord implements usagerecord.Tx: one revision, appended.
// The primary key (id, version) refuses a second revision of one version.
func (t *Tx) InsertUsageRecord(ctx context.Context, r usagerecord.Record) error {
	_, err := t.exec(ctx, `INSERT INTO usage_records (`+usageRecordCols+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		r.ID, r.Version, r.GrantID, r.ConsumerID, r.ProviderID, r.Scenario, r.Process, r.Effect, r.Storage, r.Destruction,
		r.PeriodFrom, r.PeriodTo, r.CreatedAt.UTC(), r.CreatedBy, r.RetainedUntil)
	if err != nil {
		if _, dup := uniqueViolation(err); dup {
			return problem.ErrVersionConflict
		}
		return fmt.Errorf("store: insert usage record: %w", err)
	}
	return nil
}

// LatestUsageRecord implements usagerecord.Tx.
func (t *Tx) LatestUsageRecord(ctx context.Context, id string) (*usagerecord.Record, error) {
	r, err := scanUsageRecord(t.tx.QueryRowContext(ctx, "SELECT "+usageRecordCols+" FROM usage_records WHERE id = $1 ORDER BY version DESC LIMIT 1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: usage record %s: %w", id, err)
	}
	return &r, nil
}

// ListUsageRecords implements usagerecord.Tx.
func (t *Tx) ListUsageRecords(ctx context.Context, f usagerecord.Filter) ([]usagerecord.Record, error) {
	q := newQuery("SELECT " + usageRecordCols + " FROM usage_records WHERE 1=1")
	if f.GrantID != "" {
		q.where("grant_id = ?", f.GrantID)
	}
	if f.ConsumerID != "" {
		q.where("consumer_id = ?", f.ConsumerID)
	}
	if !f.From.IsZero() {
		q.where("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q.where("created_at < ?", f.To.UTC())
	}
	if f.After.ID != "" {
		q.where("(id > ? OR (id = ? AND version > ?))", f.After.ID, f.After.ID, f.After.Version)
	}
	q.tail(" ORDER BY id, version LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list usage records: %w", err)
	}
	defer rows.Close()
	out := []usagerecord.Record{}
	for rows.Next() {
		r, err := scanUsageRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MissingUsageRecords implements usagerecord.Tx. A grant counts while its
// ends_at (its termination, its disposal while active, or its expiry:
// grant.EndsAt) lies after Since, whatever its state, disposed included;
// updated_at would not do, since acts after the end bump it.
func (t *Tx) MissingUsageRecords(ctx context.Context, f usagerecord.MissingFilter) ([]usagerecord.Missing, error) {
	const cols = `g.state, g.version, g.body, a.delivered_at, (SELECT MAX(u.created_at) FROM usage_records u WHERE u.grant_id = g.id)`
	q, ok := scoped(cols, "grants g JOIN applications a ON a.id = g.application_id", f.Scope, []string{"g.consumer_division"}, []string{"g.consumer_id"})
	if !ok {
		return []usagerecord.Missing{}, nil
	}
	since := f.Since.UTC()
	q.where("a.delivered_at IS NOT NULL")
	q.where("g.ends_at > ?", since)
	q.where("NOT EXISTS (SELECT 1 FROM usage_records u WHERE u.grant_id = g.id AND u.created_at >= ?)", since)
	if f.After != "" {
		q.where("g.id > ?", f.After)
	}
	q.tail(" ORDER BY g.id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: grants missing usage records: %w", err)
	}
	defer rows.Close()
	out := []usagerecord.Missing{}
	for rows.Next() {
		var delivered, last *time.Time
		g, err := scanGrant(withExtra{rows, []any{nullTime{&delivered}, nullTime{&last}}})
		if err != nil {
			return nil, err
		}
		m := usagerecord.Missing{GrantID: g.ID, ApplicationID: g.ApplicationID, EntryName: g.EntryName, ConsumerID: g.ConsumerID,
			ProviderID: g.ProviderID, State: g.State, ValidUntil: g.ValidUntil, ExpiresAt: g.ExpiresAt, LastRecordedAt: last}
		if delivered != nil {
			m.DeliveredAt = *delivered
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// withExtra scans a row that has a grant's columns first (scanGrant) and
// more columns after them, into extra.
type withExtra struct {
	rows  *sql.Rows
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.extra...)...) }

// PurgeUsageRecords implements usagerecord.Tx: every revision of a record
// whose newest revision's retained_until is before today. Dates are
// YYYY-MM-DD, so they compare as text on both engines.
func (t *Tx) PurgeUsageRecords(ctx context.Context, today string) (int, int, error) {
	rows, err := t.tx.QueryContext(ctx, `DELETE FROM usage_records WHERE id IN (
SELECT id FROM usage_records GROUP BY id HAVING MAX(retained_until) < $1) RETURNING id`, today)
	if err != nil {
		return 0, 0, fmt.Errorf("store: purge usage records: %w", err)
	}
	defer rows.Close()
	records, revisions := map[string]bool{}, 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return 0, 0, err
		}
		records[id] = true
		revisions++
	}
	return len(records), revisions, rows.Err()
}

// The store's transaction is what the usage-record service runs on.
var _ usagerecord.Tx = (*Tx)(nil)
