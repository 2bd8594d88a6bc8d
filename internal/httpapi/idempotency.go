package httpapi

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/access"
	catalogxlsx "github.com/govshare/govshare/internal/catalog/xlsx"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
)

// bodyLimits are the routes whose bodies may exceed MaxBodyBytes; a retried
// request is read whole before it is served, under the route's own limit.
var bodyLimits = map[string]int64{"POST /api/v1/catalog/import": catalogxlsx.MaxFileBytes}

// streamedRoutes stream their bodies to disk and are never read whole, so
// they take no Idempotency-Key (a retry uploads again; the declared digest
// and the listing tell whether an upload arrived).
var streamedRoutes = map[string]bool{"POST /api/v1/catalog/entries/{id}/files": true}

var errIdemStreamed = &problem.Error{Kind: problem.Malformed, Code: "request.idempotency_unsupported", Title: "该接口不支持 Idempotency-Key",
	Field: IdempotencyHeader, Detail: "this route streams its body and takes no Idempotency-Key; list the entry's files to see whether an upload arrived"}

// IdempotencyHeader lets a client retry a POST safely: the same key with the
// same request gets the first answer again instead of a second act.
const IdempotencyHeader = "Idempotency-Key"

var (
	errIdemInvalid  = malformed(IdempotencyHeader, "request.idempotency_key_invalid", "Idempotency-Key 格式错误", "the key must be 1 to 255 visible ASCII characters")
	errIdemReused   = &problem.Error{Kind: problem.Invalid, Code: "request.idempotency_key_reused", Title: "该 Idempotency-Key 已用于另一个请求", Field: IdempotencyHeader, Detail: "this key was used for a different request; use a new key"}
	errIdemInFlight = &problem.Error{Kind: problem.Conflict, Code: "request.idempotency_in_progress", Title: "相同请求正在处理中，请稍后重试", Detail: "a request with this key is still being served; retry later"}
)

func validIdemKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// recorder copies what a handler writes, so that it can be stored.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// idempotent serves a POST that carries an Idempotency-Key: the key is
// claimed for (actor, key) before the command runs; a repeat replays the
// stored answer. A request that fails with a server error frees its key.
func (api *API) idempotent(w http.ResponseWriter, r *http.Request, a access.Actor, key string, serve func(http.ResponseWriter, *http.Request)) error {
	if !validIdemKey(key) {
		return errIdemInvalid
	}
	if streamedRoutes[r.Pattern] {
		return errIdemStreamed
	}
	limit := int64(MaxBodyBytes)
	if n, ok := bodyLimits[r.Pattern]; ok {
		limit = n
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &problem.Error{Kind: problem.TooLarge, Code: "request.too_large", Title: "请求体过大", Detail: fmt.Sprintf("the body may have at most %d bytes", limit)}
	}
	if err != nil {
		return malformed("", "request.unreadable", "请求体读取失败", "the body could not be read")
	}
	h := sm3.New()
	io.WriteString(h, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery+"\n")
	h.Write(body)
	digest := hex.EncodeToString(h.Sum(nil))
	var prior *store.IdempotentResponse
	err = api.app.Store.Write(r.Context(), func(tx *store.Tx) (err error) {
		prior, err = tx.ClaimIdempotencyKey(r.Context(), a.PersonID, key, digest, api.app.Now())
		return err
	})
	switch {
	case errors.Is(err, store.ErrIdempotencyKeyBusy):
		return errIdemInFlight
	case err != nil:
		return err
	case prior != nil && prior.RequestDigest != digest:
		return errIdemReused
	case prior != nil && prior.Status == 0:
		return errIdemInFlight
	case prior != nil:
		w.Header().Set("Content-Type", prior.ContentType)
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prior.Status)
		_, err := w.Write(prior.Body)
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &recorder{ResponseWriter: w}
	serve(rec, r)
	// The answer is stored even if the client has gone: that is the point.
	// It has been sent already, so a failure here is logged, not answered.
	ctx := contextWithoutCancel(r)
	if rec.status >= 500 || rec.status == 0 {
		err = api.app.Store.Write(ctx, func(tx *store.Tx) error { return tx.ReleaseIdempotencyKey(ctx, a.PersonID, key) })
	} else {
		err = api.app.Store.Write(ctx, func(tx *store.Tx) error {
			return tx.CompleteIdempotencyKey(ctx, a.PersonID, key, rec.status, rec.Header().Get("Content-Type"), rec.body.Bytes())
		})
	}
	if err != nil {
		api.log.ErrorContext(ctx, "idempotency key not stored", "route", r.Pattern, "err", err.Error())
	}
	return nil
}
