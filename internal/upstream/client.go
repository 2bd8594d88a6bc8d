package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/problem"
)

// Client forwards consumer queries to the providers' endpoints. One Client
// (and so one connection pool) serves every call of a node: a pool per call
// would pay a TCP (and TLS) handshake each time, which costs more than the
// lookup the upstream does.
type Client struct {
	http *http.Client
	now  func() time.Time
}

// NewClient returns a client whose transport keeps connections alive and
// holds enough idle ones per upstream host for the gateway's concurrency.
// Redirects are not followed: a signed query goes only where the provider
// registered it.
func NewClient(now func() time.Time) *Client {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Client{now: now, http: &http.Client{Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Query is the body the platform POSTs to an endpoint.
type Query struct {
	// Where holds every key item of the entry with the consumer's value.
	Where json.RawMessage `json:"where"`
	// Items are the data items the consumer asked for, all granted.
	Items []string `json:"items"`
}

// answer is the body an endpoint returns.
type answer struct {
	Rows json.RawMessage `json:"rows"`
}

func errTimeout(e Endpoint) error {
	return &problem.Error{Kind: problem.GatewayTimeout, Code: "upstream.timeout", Title: "提供部门系统响应超时",
		Detail: fmt.Sprintf("the provider's system did not answer within %d ms", e.TimeoutMS)}
}

var errUnavailable = &problem.Error{Kind: problem.BadGateway, Code: "upstream.unavailable", Title: "无法连接提供部门系统",
	Detail: "the provider's system could not be reached"}

// badResponse refuses an answer; detail names what was wrong, never a value.
func badResponse(format string, args ...any) error {
	return &problem.Error{Kind: problem.BadGateway, Code: "upstream.bad_response", Title: "提供部门系统返回的数据无效",
		Detail: fmt.Sprintf(format, args...)}
}

// Fetch forwards q to e, signed with e's secret, and returns the row found
// (nil when none), holding only the asked items (q.Items) with non-null
// values, each valid for its data item in schema; anything else the endpoint
// returns is dropped. An endpoint that does not answer in e's timeout gets
// upstream.timeout (504); one that cannot be reached upstream.unavailable
// (502); an answer that is not 2xx, not JSON of the contract, larger than
// e's limit, has more than one row, a value of the wrong type or a key item
// other than asked gets upstream.bad_response (502).
func (c *Client) Fetch(ctx context.Context, e Endpoint, secret string, schema *dataset.Schema, q Query) (map[string]json.RawMessage, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.Timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("upstream %s: %w", e.ID, err)
	}
	if req.URL.Path == "" {
		req.URL.Path = "/" // what the request line will carry, so what the signature must cover
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	gateway.Sign(req, e.ID, secret, body, c.now(), gateway.NewNonce())
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.failure(ctx, e, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Read a little so that the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, badResponse("the provider's system answered HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > e.MaxResponseBytes {
		return nil, badResponse("the answer has %d bytes, more than the endpoint's limit of %d", resp.ContentLength, e.MaxResponseBytes)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, e.MaxResponseBytes+1))
	if err != nil {
		return nil, c.failure(ctx, e, err)
	}
	if int64(len(data)) > e.MaxResponseBytes {
		return nil, badResponse("the answer is longer than the endpoint's limit of %d bytes", e.MaxResponseBytes)
	}
	return filter(data, schema, q)
}

// errCanceled is recorded when the consumer hung up while its query was
// forwarded: the call is neither the provider's fault nor an internal error.
var errCanceled = &problem.Error{Kind: problem.BadGateway, Code: "upstream.canceled", Title: "调用方在提供部门系统响应前取消了请求",
	Detail: "the caller closed the request before the provider's system answered"}

// failure classifies a transport error: our deadline or a network timeout
// is upstream.timeout; a consumer who hung up upstream.canceled; anything
// else (refused, reset, unknown host, TLS) is upstream.unavailable.
func (c *Client) failure(ctx context.Context, e Endpoint, err error) error {
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return errTimeout(e)
	case errors.Is(ctx.Err(), context.Canceled):
		return errCanceled
	}
	return errUnavailable
}

// filter reads an answer and keeps the asked items of its row.
func filter(data []byte, schema *dataset.Schema, q Query) (map[string]json.RawMessage, error) {
	var a answer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, badResponse("the answer is not a JSON object {\"rows\": [...]}")
	}
	var rows []json.RawMessage
	if len(a.Rows) == 0 || json.Unmarshal(a.Rows, &rows) != nil || rows == nil {
		return nil, badResponse("the answer has no rows array")
	}
	switch len(rows) {
	case 0:
		return nil, nil
	case 1:
	default:
		return nil, badResponse("the answer has %d rows; the key items name at most one", len(rows))
	}
	var row map[string]json.RawMessage
	if err := json.Unmarshal(rows[0], &row); err != nil || row == nil {
		return nil, badResponse("rows[0] is not a JSON object of data item name to value")
	}
	var where map[string]json.RawMessage
	if err := json.Unmarshal(q.Where, &where); err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(q.Items))
	for _, it := range q.Items {
		v, ok := row[it]
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		if string(v) == "null" {
			continue
		}
		if err := schema.CheckValue("rows[0]."+it, it, v); err != nil {
			var p *problem.Error
			if errors.As(err, &p) {
				return nil, badResponse("rows[0].%s: %s (%s)", it, p.Detail, p.Code)
			}
			return nil, badResponse("rows[0].%s is invalid", it)
		}
		if k, isKey := where[it]; isKey && !sameJSON(k, v) {
			return nil, badResponse("rows[0].%s differs from the key item asked for", it)
		}
		out[it] = v
	}
	return out, nil
}

// sameJSON compares two JSON values after compaction.
func sameJSON(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	if json.Compact(&x, a) != nil || json.Compact(&y, b) != nil {
		return false
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}

// OpenSecret opens an endpoint's sealed secret with the platform keyring.
func OpenSecret(keys *gateway.Keyring, e Endpoint, sealed gateway.SealedSecret) (string, error) {
	b, err := keys.Open(sealed.MasterKeyID, sealed.Ciphertext, sealAAD(e.ID))
	if err != nil {
		return "", fmt.Errorf("upstream %s: %w", e.ID, err)
	}
	return string(b), nil
}
