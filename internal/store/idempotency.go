package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// IdempotentResponse is a stored answer to a request with an Idempotency-Key.
// Status 0 means the first request is still being served.
type IdempotentResponse struct {
	RequestDigest string
	Status        int
	ContentType   string
	Body          []byte
}

// ErrIdempotencyKeyBusy: another request with the same key is being served.
var ErrIdempotencyKeyBusy = errors.New("store: idempotency key in use by a concurrent request")

// IdempotencyTTL is how long answers are kept for replay.
const IdempotencyTTL = 24 * time.Hour

// ClaimIdempotencyKey reserves (actor, key) for a request with the given
// digest. It returns nil if the key was free (the caller now serves the
// request), or the response already stored under the key.
func (t *Tx) ClaimIdempotencyKey(ctx context.Context, actorID, key, digest string, now time.Time) (*IdempotentResponse, error) {
	if _, err := t.exec(ctx, "DELETE FROM idempotency_keys WHERE created_at < $1", now.Add(-IdempotencyTTL).UTC()); err != nil {
		return nil, fmt.Errorf("store: sweep idempotency keys: %w", err)
	}
	var r IdempotentResponse
	var body string
	err := t.tx.QueryRowContext(ctx, "SELECT request_digest, status, content_type, body FROM idempotency_keys WHERE actor_id = $1 AND idem_key = $2",
		actorID, key).Scan(&r.RequestDigest, &r.Status, &r.ContentType, &body)
	if err == nil {
		r.Body = []byte(body)
		return &r, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: idempotency key: %w", err)
	}
	_, err = t.exec(ctx, "INSERT INTO idempotency_keys (actor_id, idem_key, request_digest, status, content_type, body, created_at) VALUES ($1, $2, $3, 0, '', '', $4)",
		actorID, key, digest, now.UTC())
	if _, dup := uniqueViolation(err); dup {
		return nil, ErrIdempotencyKeyBusy // a concurrent request claimed it first
	}
	if err != nil {
		return nil, fmt.Errorf("store: claim idempotency key: %w", err)
	}
	return nil, nil
}

// CompleteIdempotencyKey stores the answer served under a claimed key.
func (t *Tx) CompleteIdempotencyKey(ctx context.Context, actorID, key string, status int, contentType string, body []byte) error {
	_, err := t.exec(ctx, "UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 WHERE actor_id = $4 AND idem_key = $5",
		status, contentType, string(body), actorID, key)
	if err != nil {
		return fmt.Errorf("store: complete idempotency key: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey frees a claimed key whose request failed, so that a
// retry is served afresh.
func (t *Tx) ReleaseIdempotencyKey(ctx context.Context, actorID, key string) error {
	_, err := t.exec(ctx, "DELETE FROM idempotency_keys WHERE actor_id = $1 AND idem_key = $2 AND status = 0", actorID, key)
	if err != nil {
		return fmt.Errorf("store: release idempotency key: %w", err)
	}
	return nil
}
