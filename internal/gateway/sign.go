package gateway

import (
	"crypto/hmac"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// The headers of a signed request.
const (
	HeaderKey       = "X-Gs-Key"
	HeaderTimestamp = "X-Gs-Timestamp"
	HeaderNonce     = "X-Gs-Nonce"
	HeaderSignature = "X-Gs-Signature"
)

// Canonical is the string a request's signature covers:
//
//	METHOD \n path \n sorted query \n timestamp \n nonce \n hex(SM3(body))
//
// METHOD is upper case; path is the escaped path as sent (r.URL.EscapedPath());
// the query is its parameters as key=value pairs, both percent-encoded as by
// url.QueryEscape, sorted by key then value and joined with "&"; timestamp
// and nonce are the header values exactly as sent.
func Canonical(method, escapedPath string, query url.Values, timestamp, nonce string, body []byte) string {
	var pairs []string
	for k, vs := range query {
		for _, v := range vs {
			pairs = append(pairs, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	sort.Strings(pairs)
	sum := sm3.Sum(body)
	return strings.ToUpper(method) + "\n" + escapedPath + "\n" + strings.Join(pairs, "&") + "\n" +
		timestamp + "\n" + nonce + "\n" + hex.EncodeToString(sum[:])
}

// Signature is hex(HMAC-SM3(secret, canonical)); the HMAC key is the secret
// string's bytes as issued ("gsc_…").
func Signature(secret, canonical string) string {
	m := hmac.New(sm3.New, []byte(secret))
	m.Write([]byte(canonical))
	return hex.EncodeToString(m.Sum(nil))
}

// Sign is the client side: it sets the four X-Gs-* headers on req for body,
// with the timestamp now (RFC 3339, UTC) and the given nonce (16–64 characters,
// random, never reused; see NewNonce).
func Sign(req *http.Request, keyID, secret string, body []byte, now time.Time, nonce string) {
	ts := now.UTC().Format(time.RFC3339)
	c := Canonical(req.Method, req.URL.EscapedPath(), req.URL.Query(), ts, nonce, body)
	req.Header.Set(HeaderKey, keyID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, Signature(secret, c))
}

// NewNonce returns a fresh random nonce of 32 hex digits.
func NewNonce() string { return hex.EncodeToString(randomBytes(16)) }
