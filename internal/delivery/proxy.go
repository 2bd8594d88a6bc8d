package delivery

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/upstream"
)

// UpstreamTx finds an entry's proxied service: when a provider has
// registered an upstream endpoint for the entry, queries are forwarded to it
// instead of reading the hosted dataset.
type UpstreamTx interface {
	// ActiveUpstream returns the entry's active endpoint and its sealed
	// secret, or nils when it has none.
	ActiveUpstream(ctx context.Context, entryID string) (*upstream.Endpoint, *gateway.SealedSecret, error)
}

// proxy is how the service reaches upstream endpoints: one shared client and
// the keyring that opens their secrets.
type proxy struct {
	client *upstream.Client
	keys   func() (*gateway.Keyring, error)
}

// UseUpstream lets the service forward queries of entries served by an
// upstream endpoint; keys returns the platform keyring (gateway.Service.Keys).
// Call it once, before serving.
func (s *Service) UseUpstream(c *upstream.Client, keys func() (*gateway.Keyring, error)) {
	s.proxy = proxy{client: c, keys: keys}
}

// upstreamCall is a forward prepared inside lookup's read transaction and
// made after it: a slow upstream must not hold a database connection.
type upstreamCall struct {
	endpoint upstream.Endpoint
	sealed   gateway.SealedSecret
	schema   *dataset.Schema
	query    upstream.Query
}

// proxied returns the forward to make when the entry has an active upstream
// endpoint, or nil when the hosted dataset serves it. key is the canonical
// key of the asked row (the JSON object of the key items' values).
func (s *Service) proxied(e *entryState, key string, items []string) *upstreamCall {
	if e.upstream == nil {
		return nil
	}
	return &upstreamCall{endpoint: *e.upstream, sealed: e.sealed, schema: e.schema,
		query: upstream.Query{Where: json.RawMessage(key), Items: append([]string{}, items...)}}
}

// fetch forwards the call and returns the row found (nil when none), with
// only the asked items.
func (s *Service) fetch(ctx context.Context, c *upstreamCall) (map[string]json.RawMessage, error) {
	if s.proxy.client == nil || s.proxy.keys == nil {
		return nil, errors.New("delivery: the entry is served by an upstream endpoint, but the service has no upstream client (UseUpstream)")
	}
	keys, err := s.proxy.keys()
	if err != nil {
		return nil, err
	}
	secret, err := upstream.OpenSecret(keys, c.endpoint, c.sealed)
	if err != nil {
		return nil, err
	}
	return s.proxy.client.Fetch(ctx, c.endpoint, secret, c.schema, c.query)
}
