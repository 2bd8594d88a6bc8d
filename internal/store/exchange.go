package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/problem"
)

var _ exchange.Tx = (*Tx)(nil)

// SnapshotRows implements exchange.Tx: the live rows whose latest change is
// in (after, upto], by change number (index dataset_rows_seq). The caller
// bounds the range, so that a planner without statistics that sorts the
// range rather than walking the index still sorts only a window.
func (t *Tx) SnapshotRows(ctx context.Context, entryID string, after, upto int64, limit int) ([]dataset.StoredRow, error) {
	// The key is not read: a snapshot record names the row by its items.
	rows, err := t.tx.QueryContext(ctx, `SELECT data, seq FROM dataset_rows
WHERE entry_id = $1 AND seq > $2 AND seq <= $3 AND deleted = FALSE ORDER BY seq LIMIT $4`, entryID, after, upto, limit)
	if err != nil {
		return nil, fmt.Errorf("store: snapshot rows: %w", err)
	}
	defer rows.Close()
	out := make([]dataset.StoredRow, 0, min(limit, 8192))
	for rows.Next() {
		var r dataset.StoredRow
		if err := rows.Scan(&r.Data, &r.Seq); err != nil {
			return nil, fmt.Errorf("store: snapshot rows: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FeedChanges implements exchange.Tx. Change numbers are gapless, so the
// range bounds the rows read and sorted.
func (t *Tx) FeedChanges(ctx context.Context, entryID string, after, upto int64) ([]dataset.Change, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT seq, op, row_key, COALESCE(data, '') FROM dataset_changes
WHERE entry_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`, entryID, after, upto)
	if err != nil {
		return nil, fmt.Errorf("store: feed changes: %w", err)
	}
	defer rows.Close()
	out := make([]dataset.Change, 0, min(upto-after, 8192))
	for rows.Next() {
		var c dataset.Change
		var op, key, data string
		if err := rows.Scan(&c.Seq, &op, &key, &data); err != nil {
			return nil, fmt.Errorf("store: feed changes: %w", err)
		}
		c.Op, c.Key = dataset.Op(op), []byte(key)
		if data != "" {
			c.Data = []byte(data)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PriorChange implements exchange.Tx (index dataset_changes_key).
func (t *Tx) PriorChange(ctx context.Context, entryID, key string, before int64) (*dataset.Change, error) {
	var c dataset.Change
	var op, data string
	err := t.tx.QueryRowContext(ctx, `SELECT seq, op, COALESCE(data, '') FROM dataset_changes
WHERE entry_id = $1 AND row_key = $2 AND seq < $3 ORDER BY seq DESC LIMIT 1`, entryID, key, before).Scan(&c.Seq, &op, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: prior change: %w", err)
	}
	c.Op, c.Key = dataset.Op(op), []byte(key)
	if data != "" {
		c.Data = []byte(data)
	}
	return &c, nil
}

// DivisionsWithin implements exchange.Tx.
func (t *Tx) DivisionsWithin(ctx context.Context, code string) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, regionCTE+"SELECT code FROM region", code)
	if err != nil {
		return nil, fmt.Errorf("store: divisions within %s: %w", code, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const subscriptionCols = `id, kind, COALESCE(grant_id, ''), entry_id, provider_id, provider_division, subscriber_id, subscriber_division,
COALESCE(division_item, ''), items, COALESCE(endpoint_url, ''), state, cursor, attempts, next_attempt_at, COALESCE(last_status, 0),
COALESCE(last_error, ''), delivered_rows, last_delivery_at, created_by, created_at, updated_at, COALESCE(cancelled_by, ''), cancelled_at,
COALESCE(cancel_reason, ''), version, interval_seconds`

func scanSubscription(row interface{ Scan(...any) error }) (exchange.Subscription, error) {
	var s exchange.Subscription
	var kind, state, items string
	err := row.Scan(&s.ID, &kind, &s.GrantID, &s.EntryID, &s.ProviderID, &s.ProviderDivision, &s.SubscriberID, &s.SubscriberDivision,
		&s.DivisionItem, &items, &s.EndpointURL, &state, &s.Progress.Cursor, &s.Progress.Attempts, nullTime{&s.Progress.NextAttemptAt},
		&s.Progress.LastStatus, &s.Progress.LastError, &s.Progress.DeliveredRows, nullTime{&s.Progress.LastDeliveryAt}, &s.CreatedBy,
		timeValue{&s.CreatedAt}, timeValue{&s.UpdatedAt}, &s.CancelledBy, nullTime{&s.CancelledAt}, &s.CancelReason, &s.Version,
		&s.IntervalSeconds)
	if err != nil {
		return s, err
	}
	s.Kind, s.State = exchange.Kind(kind), exchange.State(state)
	if err := json.Unmarshal([]byte(items), &s.Items); err != nil {
		return s, fmt.Errorf("store: subscription %s items: %w", s.ID, err)
	}
	return s, nil
}

// InsertSubscription implements exchange.Tx.
func (t *Tx) InsertSubscription(ctx context.Context, s exchange.Subscription, secret *exchange.Sealed) error {
	items, err := json.Marshal(s.Items)
	if err != nil {
		return err
	}
	var keyID, sealed any
	if secret != nil {
		keyID, sealed = secret.KeyID, base64.StdEncoding.EncodeToString(secret.Ciphertext)
	}
	_, err = t.exec(ctx, `INSERT INTO exchange_subscriptions (id, kind, grant_id, entry_id, provider_id, provider_division, subscriber_id,
subscriber_division, division_item, items, endpoint_url, secret_key_id, secret_sealed, state, cursor, attempts, delivered_rows, created_by,
created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, '', 0, 0, $15, $16, $17, $18)`,
		s.ID, string(s.Kind), nullable(s.GrantID), s.EntryID, s.ProviderID, s.ProviderDivision, s.SubscriberID, s.SubscriberDivision,
		nullable(s.DivisionItem), string(items), nullable(s.EndpointURL), keyID, sealed, string(s.State), s.CreatedBy,
		s.CreatedAt.UTC(), s.UpdatedAt.UTC(), s.Version)
	if _, dup := uniqueViolation(err); dup {
		return problem.New(problem.Conflict, "exchange.subscription_exists", "已有生效的同类订阅",
			"an active subscription of this kind exists already (one push endpoint per grant, one return flow per entry and department); cancel it first")
	}
	if err != nil {
		return fmt.Errorf("store: insert subscription: %w", err)
	}
	return nil
}

// Subscription implements exchange.Tx.
func (t *Tx) Subscription(ctx context.Context, id string) (*exchange.Subscription, error) {
	s, err := scanSubscription(t.tx.QueryRowContext(ctx, "SELECT "+subscriptionCols+" FROM exchange_subscriptions WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: subscription %s: %w", id, err)
	}
	return &s, nil
}

// UpdateSubscription implements exchange.Tx.
func (t *Tx) UpdateSubscription(ctx context.Context, s exchange.Subscription) error {
	ok, err := t.execOne(ctx, `UPDATE exchange_subscriptions SET state = $1, cancelled_by = $2, cancelled_at = $3, cancel_reason = $4,
updated_at = $5, version = $6, interval_seconds = $7 WHERE id = $8 AND version = $9`, string(s.State), nullable(s.CancelledBy), timeOrNil(s.CancelledAt),
		nullable(s.CancelReason), s.UpdatedAt.UTC(), s.Version, s.IntervalSeconds, s.ID, s.Version-1)
	if err != nil {
		return fmt.Errorf("store: update subscription: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}

// ListSubscriptions implements exchange.Tx.
func (t *Tx) ListSubscriptions(ctx context.Context, f exchange.Filter) ([]exchange.Subscription, error) {
	q, ok := scoped(subscriptionCols, "exchange_subscriptions", f.Scope,
		[]string{"subscriber_division", "provider_division"}, []string{"subscriber_id", "provider_id"})
	if !ok {
		return []exchange.Subscription{}, nil
	}
	if f.Kind != "" {
		q.where("kind = ?", string(f.Kind))
	}
	if f.State != "" {
		q.where("state = ?", string(f.State))
	}
	if f.GrantID != "" {
		q.where("grant_id = ?", f.GrantID)
	}
	if f.EntryID != "" {
		q.where("entry_id = ?", f.EntryID)
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list subscriptions: %w", err)
	}
	defer rows.Close()
	out := []exchange.Subscription{}
	for rows.Next() {
		s, err := scanSubscription(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DuePushes implements exchange.Tx.
func (t *Tx) DuePushes(ctx context.Context, now time.Time, limit int) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT id FROM exchange_subscriptions WHERE kind = 'push' AND state = 'active'
AND (next_attempt_at IS NULL OR next_attempt_at <= $1) AND (lease_until IS NULL OR lease_until <= $1) ORDER BY id LIMIT $2`, now.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due pushes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ClaimPush implements exchange.Tx: one conditional UPDATE, so that of
// pushers on several nodes exactly one holds a subscription.
func (t *Tx) ClaimPush(ctx context.Context, id string, now, until time.Time) (bool, error) {
	ok, err := t.execOne(ctx, `UPDATE exchange_subscriptions SET lease_until = $1 WHERE id = $2 AND state = 'active'
AND (lease_until IS NULL OR lease_until <= $3)`, until.UTC(), id, now.UTC())
	if err != nil {
		return false, fmt.Errorf("store: claim push: %w", err)
	}
	return ok, nil
}

// ReleasePush implements exchange.Tx.
func (t *Tx) ReleasePush(ctx context.Context, id string, until time.Time) error {
	if _, err := t.exec(ctx, `UPDATE exchange_subscriptions SET lease_until = NULL WHERE id = $1 AND lease_until = $2`, id, until.UTC()); err != nil {
		return fmt.Errorf("store: release push: %w", err)
	}
	return nil
}

// PushSecret implements exchange.Tx.
func (t *Tx) PushSecret(ctx context.Context, id string) (*exchange.Sealed, error) {
	var keyID, sealed sql.NullString
	err := t.tx.QueryRowContext(ctx, `SELECT secret_key_id, secret_sealed FROM exchange_subscriptions WHERE id = $1`, id).Scan(&keyID, &sealed)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sealed.Valid) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: push secret: %w", err)
	}
	b, err := base64.StdEncoding.DecodeString(sealed.String)
	if err != nil {
		return nil, fmt.Errorf("store: push secret of %s: %w", id, err)
	}
	return &exchange.Sealed{KeyID: keyID.String, Ciphertext: b}, nil
}

// AdvancePush implements exchange.Tx.
func (t *Tx) AdvancePush(ctx context.Context, id, from, to string, rows int, now time.Time) (bool, error) {
	q := `UPDATE exchange_subscriptions SET cursor = $1, attempts = 0, next_attempt_at = NULL, last_status = NULL, last_error = NULL,
delivered_rows = delivered_rows + $2, last_delivery_at = $3 WHERE id = $4 AND cursor = $5`
	args := []any{to, rows, now.UTC(), id, from}
	if rows == 0 {
		// Only the phase moved: nothing was delivered.
		q = `UPDATE exchange_subscriptions SET cursor = $1 WHERE id = $2 AND cursor = $3`
		args = []any{to, id, from}
	}
	ok, err := t.execOne(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("store: advance push: %w", err)
	}
	return ok, nil
}

// RestPush implements exchange.Tx: the next push of a scheduled
// subscription waits until next.
func (t *Tx) RestPush(ctx context.Context, id string, next time.Time) error {
	if _, err := t.exec(ctx, `UPDATE exchange_subscriptions SET next_attempt_at = $1 WHERE id = $2`, next.UTC(), id); err != nil {
		return fmt.Errorf("store: rest push: %w", err)
	}
	return nil
}

// FailPush implements exchange.Tx.
func (t *Tx) FailPush(ctx context.Context, id string, attempts int, next time.Time, status int, reason string, now time.Time) error {
	var st any
	if status != 0 {
		st = status
	}
	_, err := t.exec(ctx, `UPDATE exchange_subscriptions SET attempts = $1, next_attempt_at = $2, last_status = $3, last_error = $4
WHERE id = $5`, attempts, next.UTC(), st, nullable(reason), id)
	if err != nil {
		return fmt.Errorf("store: fail push: %w", err)
	}
	return nil
}

// NotePull implements exchange.Tx.
func (t *Tx) NotePull(ctx context.Context, id string, rows int, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE exchange_subscriptions SET delivered_rows = delivered_rows + $1, last_delivery_at = $2 WHERE id = $3`,
		rows, now.UTC(), id)
	if err != nil {
		return fmt.Errorf("store: note pull: %w", err)
	}
	return nil
}

// InsertDelivery implements exchange.Tx.
func (t *Tx) InsertDelivery(ctx context.Context, d exchange.Delivery) error {
	items, err := json.Marshal(d.Items)
	if err != nil {
		return err
	}
	var status any
	if d.HTTPStatus != 0 {
		status = d.HTTPStatus
	}
	_, err = t.exec(ctx, `INSERT INTO exchange_deliveries (id, subscription_id, grant_id, entry_id, department_id, system_id, mode, phase,
from_seq, to_seq, pin, rows_delivered, checksum, items, purpose, outcome, http_status, attempt, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		d.ID, nullable(d.SubscriptionID), nullable(d.GrantID), d.EntryID, d.DepartmentID, nullable(d.SystemID), d.Mode, string(d.Phase),
		d.FromSeq, d.ToSeq, d.Pin, d.Rows, d.Checksum, string(items), d.Purpose, d.Outcome, status, d.Attempt, d.At.UTC())
	if err != nil {
		return fmt.Errorf("store: insert delivery: %w", err)
	}
	return nil
}

// ListDeliveries implements exchange.Tx.
func (t *Tx) ListDeliveries(ctx context.Context, subscriptionID, after string, limit int) ([]exchange.Delivery, error) {
	return t.deliveries(ctx, "subscription_id = $1 AND id > $2 ORDER BY id LIMIT $3", subscriptionID, after, limitOf(limit))
}

// GrantDeliveries returns the delivery log of a grant's pulls and pushes,
// oldest first (the API lists a subscription's; tests and operators read a
// grant's here).
func (t *Tx) GrantDeliveries(ctx context.Context, grantID string) ([]exchange.Delivery, error) {
	return t.deliveries(ctx, "grant_id = $1 ORDER BY id", grantID)
}

func (t *Tx) deliveries(ctx context.Context, where string, args ...any) ([]exchange.Delivery, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT id, COALESCE(subscription_id, ''), COALESCE(grant_id, ''), entry_id, department_id,
COALESCE(system_id, ''), mode, phase, from_seq, to_seq, pin, rows_delivered, checksum, items, purpose, outcome, COALESCE(http_status, 0), attempt, at
FROM exchange_deliveries WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	defer rows.Close()
	out := []exchange.Delivery{}
	for rows.Next() {
		var d exchange.Delivery
		var phase, items string
		if err := rows.Scan(&d.ID, &d.SubscriptionID, &d.GrantID, &d.EntryID, &d.DepartmentID, &d.SystemID, &d.Mode, &phase, &d.FromSeq,
			&d.ToSeq, &d.Pin, &d.Rows, &d.Checksum, &items, &d.Purpose, &d.Outcome, &d.HTTPStatus, &d.Attempt, timeValue{&d.At}); err != nil {
			return nil, err
		}
		d.Phase = exchange.Phase(phase)
		if err := json.Unmarshal([]byte(items), &d.Items); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
