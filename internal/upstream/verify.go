package upstream

import (
	"crypto/hmac"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/gateway"
)

// Verify is the provider's side, for an endpoint written in Go: it checks
// the platform's signature on a forwarded query (see gateway.Canonical) with
// the endpoint's id and secret, and that the timestamp is within
// gateway.Window of now. body is the request body as received. Remembering
// nonces to refuse a replay within the window is the endpoint's part.
func Verify(r *http.Request, body []byte, id, secret string, now time.Time) error {
	ts, nonce, sig := r.Header.Get(gateway.HeaderTimestamp), r.Header.Get(gateway.HeaderNonce), r.Header.Get(gateway.HeaderSignature)
	if r.Header.Get(gateway.HeaderKey) != id || ts == "" || nonce == "" || sig == "" {
		return errors.New("upstream: request not signed for this endpoint")
	}
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		if n, nerr := strconv.ParseInt(ts, 10, 64); nerr == nil {
			at, err = time.Unix(n, 0), nil
		}
	}
	if err != nil {
		return errors.New("upstream: bad timestamp")
	}
	if d := now.Sub(at); d > gateway.Window || d < -gateway.Window {
		return errors.New("upstream: timestamp outside the window")
	}
	want := gateway.Signature(secret, gateway.Canonical(r.Method, r.URL.EscapedPath(), r.URL.Query(), ts, nonce, body))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig))) {
		return errors.New("upstream: signature does not match")
	}
	return nil
}
