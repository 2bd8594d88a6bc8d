package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// wantHeaders checks the allowance headers of an answer ("" : absent).
func wantHeaders(t *testing.T, r response, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s: %q, want %q (status %d %s)", k, got, v, r.status, r.body)
		}
	}
}

func (f *gwFixture) query(key *gateway.Issued, items ...string) response {
	f.e.t.Helper()
	return f.call(key, "/gateway/v1/query", map[string]any{"grant_id": f.grant.ID, "purpose": "企业登记核验", "items": items, "where": where(gwID, gwName)})
}

// TestGatewayLimitHeaders: every answer under the grant carries the bucket
// and the day's quota; the third call in a second of a 2/s grant is 429
// gateway.rate_limited with Retry-After; the fourth served call of a 3/day
// grant is 429 gateway.quota_exhausted with Retry-After until Beijing
// midnight; both refusals are recorded. Sensitive items are masked on the
// wire and still verifiable.
func TestGatewayLimitHeaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetupReply(t, s, application.ReplyRequest{Limits: &grant.Limits{PerSecond: 2, PerDay: 3}})

		r := f.query(&f.key, "居民身份证号码", "姓名")
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"330***********1234"`) || strings.Contains(string(r.body), gwID) {
			t.Fatalf("query: %d %s, want the ID masked", r.status, r.body)
		}
		wantHeaders(t, r, map[string]string{"RateLimit-Limit": "2", "RateLimit-Remaining": "1", "RateLimit-Reset": "1",
			"X-Quota-Limit": "3", "X-Quota-Remaining": "2", "Retry-After": ""})
		f.wantLast("gateway.query", gwRecord{Items: []string{"居民身份证号码", "姓名"}, Rows: 1, Outcome: "ok", Masked: []string{"居民身份证号码"}})

		r = f.call(&f.key, "/gateway/v1/verify", map[string]any{"grant_id": f.grant.ID, "purpose": "企业登记核验",
			"where": where(gwID, gwName), "values": map[string]string{"居民身份证号码": gwID}})
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"居民身份证号码":"match"`) {
			t.Fatalf("verify a masked item: %d %s", r.status, r.body)
		}
		wantHeaders(t, r, map[string]string{"RateLimit-Remaining": "0", "X-Quota-Remaining": "1"})

		r = f.query(&f.key, "姓名")
		if r.status != http.StatusTooManyRequests || r.problem(t).Code != "gateway.rate_limited" {
			t.Fatalf("third call in a second: %d %s", r.status, r.body)
		}
		wantHeaders(t, r, map[string]string{"Retry-After": "1", "RateLimit-Limit": "2", "RateLimit-Remaining": "0", "X-Quota-Remaining": "1"})
		f.wantLast("gateway.query", gwRecord{Items: []string{"姓名"}, Outcome: "gateway.rate_limited"})

		f.e.clock.Add(time.Second)
		if r = f.query(&f.key, "姓名"); r.status != http.StatusOK {
			t.Fatalf("a second later: %d %s", r.status, r.body)
		}
		wantHeaders(t, r, map[string]string{"X-Quota-Remaining": "0"})
		r = f.query(&f.key, "姓名")
		if r.status != http.StatusTooManyRequests || r.problem(t).Code != "gateway.quota_exhausted" {
			t.Fatalf("fourth call of a 3/day grant: %d %s", r.status, r.body)
		}
		// The clock reads 18:00:01 in Beijing: the quota renews at midnight.
		wantHeaders(t, r, map[string]string{"Retry-After": strconv.Itoa(6*3600 - 1), "X-Quota-Limit": "3", "X-Quota-Remaining": "0"})
		f.wantLast("gateway.query", gwRecord{Items: []string{"姓名"}, Outcome: "gateway.quota_exhausted"})

		// Another department learns nothing of the grant's allowance.
		_, otherKey := f.e.gwSystem("gat.staff")
		r = f.query(&otherKey, "姓名")
		wantHeaders(t, r, map[string]string{"RateLimit-Limit": "", "X-Quota-Limit": "", "Retry-After": ""})
		f.noValuesRecorded()
	})
}

// TestGatewayClearItems: a grant that names a sensitive item in clear gets
// its value whole.
func TestGatewayClearItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetupReply(t, s, application.ReplyRequest{ClearItems: []string{"居民身份证号码"}})
		if r := f.query(&f.key, "居民身份证号码"); r.status != http.StatusOK || !strings.Contains(string(r.body), `"`+gwID+`"`) {
			t.Fatalf("clear item: %d %s", r.status, r.body)
		}
		f.wantLast("gateway.query", gwRecord{Items: []string{"居民身份证号码"}, Rows: 1, Outcome: "ok"})
	})
}

// TestGrantUsageAPI: the day's statistics as the grant's readers see them.
func TestGrantUsageAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetupReply(t, s, application.ReplyRequest{Limits: &grant.Limits{PerSecond: 1}})
		f.query(&f.key, "姓名")
		f.query(&f.key, "姓名") // over 1/s
		f.query(&f.key, "户籍地址")
		path := "/api/v1/grants/" + f.grant.ID + "/usage"
		for _, who := range []string{"gat.head", "scjg.staff"} {
			r := f.e.do(who, "GET", path, nil)
			var rep grant.UsageReport
			r.json(t, &rep)
			if r.status != http.StatusOK || len(rep.Days) != 1 || rep.Limits != (grant.Limits{PerSecond: 1, PerDay: grant.DefaultPerDay}) ||
				rep.Days[0] != (grant.Usage{Day: "2026-11-27", Calls: 1, Refused: 2, Rows: 1}) || rep.From != "2026-10-29" || rep.To != "2026-11-27" {
				t.Fatalf("%s: %d %s", who, r.status, r.body)
			}
		}
		if r := f.e.do("gat.head", "GET", path+"?from=2026-11-28&to=2026-12-01", nil); r.status != http.StatusOK || !strings.Contains(string(r.body), `"days":[]`) {
			t.Fatalf("days without calls: %d %s", r.status, r.body)
		}
		if r := f.e.do("gat.head", "GET", path+"?from=27.11.2026", nil); r.status != http.StatusUnprocessableEntity || r.problem(t).Field != "from" {
			t.Fatalf("bad from: %d %s", r.status, r.body)
		}
		if r := f.e.do("gat.head", "GET", path+"?from=2025-01-01", nil); r.status != http.StatusUnprocessableEntity || r.problem(t).Code != "grant.range_too_long" {
			t.Fatalf("over a year: %d %s", r.status, r.body)
		}
		if r := f.e.do("hzga.head", "GET", path, nil); r.status != http.StatusNotFound {
			t.Fatalf("a foreign office: %d %s", r.status, r.body)
		}
	})
}

// refusalRecord mirrors what the ledger digests for a signature refusal.
type refusalRecord struct {
	KeyID      string `json:"key_id"`
	Path       string `json:"path"`
	RemoteAddr string `json:"remote_addr"`
	Outcome    string `json:"outcome"`
}

// TestGatewayRefusalsRecorded: a request refused at its signature is
// recorded by the platform with the key presented, the route and the code,
// never its body, nonce or signature; a flood from one address is recorded
// five times a minute and counted beyond, while a real key's refusals are
// sampled apart.
func TestGatewayRefusalsRecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetup(t, s)
		body := map[string]any{"grant_id": f.grant.ID, "purpose": "企业登记核验", "items": []string{"姓名"}, "where": where(gwID, gwName)}
		last := func(want refusalRecord, objectType, objectID string) {
			t.Helper()
			evs := f.events("gateway.refuse")
			if len(evs) == 0 {
				t.Fatal("no gateway.refuse event")
			}
			ev := evs[len(evs)-1]
			d, _ := ledger.Digest(want)
			if ev.ActorID != "platform" || ev.ObjectType != objectType || ev.ObjectID != objectID || ev.Digest != d {
				t.Fatalf("event %+v, want %s %s digesting %+v", ev, objectType, objectID, want)
			}
		}
		if r := f.call(nil, "/gateway/v1/query", body); r.status != http.StatusUnauthorized {
			t.Fatalf("unsigned: %d", r.status)
		}
		last(refusalRecord{Path: "/gateway/v1/query", RemoteAddr: "127.0.0.1", Outcome: "gateway.signature_missing"}, "gateway_route", "/gateway/v1/query")

		// An unknown key is the sender's text: it names no credential.
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", f.e.srv.URL+"/gateway/v1/verify", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		gateway.Sign(req, "gsk_nosuchkey", "gsc_whatever", b, f.e.clock.Now(), gateway.NewNonce())
		if r := f.e.send(req); r.status != http.StatusUnauthorized {
			t.Fatalf("unknown key: %d", r.status)
		}
		last(refusalRecord{KeyID: "gsk_nosuchkey", Path: "/gateway/v1/verify", RemoteAddr: "127.0.0.1", Outcome: "gateway.key_unknown"}, "gateway_route", "/gateway/v1/verify")

		// A flood from one address: 5 records a minute, the rest counted.
		recorded := len(f.events("gateway.refuse"))
		for i := 0; i < 10; i++ {
			f.call(nil, "/gateway/v1/query", body)
		}
		if n := len(f.events("gateway.refuse")); n != recorded+3 {
			t.Fatalf("a flood of 10 recorded %d refusals, want the 3 left of the address's 5", n-recorded)
		}
		if m := f.e.do("", "GET", "/metrics", nil); !strings.Contains(string(m.body), "govshare_gateway_refusals_unrecorded_total 7") {
			t.Fatalf("metrics lack 7 unrecorded refusals:\n%s", m.body)
		}

		// A real key with a wrong signature is sampled under the key.
		req, _ = http.NewRequest("POST", f.e.srv.URL+"/gateway/v1/query", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		gateway.Sign(req, f.key.KeyID, "gsc_notthesecret", b, f.e.clock.Now(), gateway.NewNonce())
		if r := f.e.send(req); r.status != http.StatusUnauthorized || r.problem(t).Code != "gateway.signature_invalid" {
			t.Fatalf("wrong secret: %d %s", r.status, r.body)
		}
		last(refusalRecord{KeyID: f.key.KeyID, Path: "/gateway/v1/query", RemoteAddr: "127.0.0.1", Outcome: "gateway.signature_invalid"}, "credential", f.key.KeyID)

		f.e.clock.Add(time.Minute)
		f.call(nil, "/gateway/v1/query", body)
		last(refusalRecord{Path: "/gateway/v1/query", RemoteAddr: "127.0.0.1", Outcome: "gateway.signature_missing"}, "gateway_route", "/gateway/v1/query")
	})
}
