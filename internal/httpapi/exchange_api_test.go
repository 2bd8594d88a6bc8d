package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// signedPost sends body to a gateway path signed with key (nil: unsigned).
func (e *env) signedPost(key *gateway.Issued, path string, body any) response {
	e.t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(b))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != nil {
		gateway.Sign(req, key.KeyID, key.Secret, b, e.clock.Now(), gateway.NewNonce())
	}
	return e.send(req)
}

// TestExchangeGatewayPull: a consumer's system pulls a batch-exchange grant
// through the signed gateway to the end; each answer's X-Gs-Checksum is the
// body's checksum of the rows as sent; bad pages sizes and cursors get 422
// naming the field; an unsigned pull gets 401.
func TestExchangeGatewayPull(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		g := e.batchGrant()
		var rows []dataset.Row
		for n := range 25 {
			rows = append(rows, dataset.Row{"统一社会信用代码": raw(fmt.Sprintf("91330000MA%08d", n)), "企业名称": raw(fmt.Sprintf("测试<%d>&公司", n)),
				"法定代表人": raw("张三"), "注册资本": json.RawMessage("100"), "住所": raw("杭州")})
		}
		if _, err := e.app.Datasets.Load(ctx, e.as("scjg.staff"), e.p.Entries["企业登记基本信息"], dataset.Load{Mode: dataset.Replace, Rows: rows}); err != nil {
			t.Fatal(err)
		}
		_, key := e.gwSystem("gat.staff")
		pull := map[string]any{"grant_id": g.ID, "purpose": "企业信用联合监管", "limit": 10}
		total, pages := 0, 0
		for more := true; more; pages++ {
			r := e.signedPost(&key, "/gateway/v1/exchange/pull", pull)
			if r.status != http.StatusOK {
				t.Fatalf("pull: %d %s", r.status, r.body)
			}
			var b struct {
				Rows       []json.RawMessage `json:"rows"`
				Checksum   string            `json:"checksum"`
				NextCursor string            `json:"next_cursor"`
				More       bool              `json:"more"`
			}
			r.json(t, &b)
			if r.header.Get(exchange.HeaderChecksum) != b.Checksum || !exchange.Verify(b.Rows, b.Checksum) {
				t.Fatalf("checksum header %q, body %q: rows do not verify", r.header.Get(exchange.HeaderChecksum), b.Checksum)
			}
			for _, x := range b.Rows {
				var rec struct {
					Row map[string]string `json:"row"`
				}
				_ = json.Unmarshal(x, &rec)
				if len(rec.Row) != 3 || rec.Row["住所"] != "" {
					t.Fatalf("record %s carries more than the granted items", x)
				}
				if !bytes.Contains(x, []byte("<")) {
					t.Fatalf("record %s is HTML-escaped; records are sent as canonical UTF-8", x)
				}
			}
			total += len(b.Rows)
			pull["cursor"], more = b.NextCursor, b.More
		}
		if total != 25 || pages != 3 {
			t.Errorf("%d rows in %d pages, want 25 in 3", total, pages)
		}

		for _, c := range []struct {
			body  map[string]any
			field string
			code  string
		}{
			{map[string]any{"grant_id": g.ID, "purpose": "企业信用联合监管", "limit": 1000000}, "limit", "exchange.limit_invalid"},
			{map[string]any{"grant_id": g.ID, "purpose": "企业信用联合监管", "cursor": "bm90LWEtY3Vyc29y"}, "cursor", "exchange.cursor_invalid"},
		} {
			r := e.signedPost(&key, "/gateway/v1/exchange/pull", c.body)
			if p := r.problem(t); r.status != http.StatusUnprocessableEntity || p.Code != c.code || p.Field != c.field {
				t.Errorf("%v: %d %s", c.body, r.status, r.body)
			}
		}
		before := e.eventCount()
		r := e.signedPost(&key, "/gateway/v1/exchange/pull", map[string]any{"grant_id": g.ID, "purpose": "x", "pages": 2})
		if p := r.problem(t); r.status != http.StatusBadRequest || p.Code != "request.unknown_field" {
			t.Errorf("unknown field: %d %s", r.status, r.body)
		}
		if e.eventCount() != before+1 {
			t.Error("a malformed pull was not recorded")
		}
		if r := e.signedPost(nil, "/gateway/v1/exchange/pull", pull); r.status != http.StatusUnauthorized {
			t.Errorf("unsigned pull: %d %s", r.status, r.body)
		}
	})
}

// TestExchangeSubscriptionsAPI: a push subscription and a return flow
// through the API, each answer matching the OpenAPI document; the push
// secret is shown once and refused with an Idempotency-Key; a return flow's
// subscriber pulls it through the gateway.
func TestExchangeSubscriptionsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		schema := oaSchemas(t)
		g := e.batchGrant()
		const base = "/api/v1/exchange/subscriptions"
		push := map[string]any{"kind": "push", "grant_id": g.ID, "endpoint_url": "https://gat.example.gov.cn/hook"}

		req, _ := json.Marshal(push)
		hr, _ := http.NewRequest("POST", e.srv.URL+base, bytes.NewReader(req))
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("Authorization", "Bearer "+e.token("gat.staff"))
		hr.Header.Set("Idempotency-Key", "k-1")
		if r := e.send(hr); r.status != http.StatusBadRequest || r.problem(t).Code != "exchange.idempotency_unsupported" {
			t.Fatalf("push with an Idempotency-Key: %d %s", r.status, r.body)
		}

		r := e.do("gat.staff", "POST", base, push)
		if r.status != http.StatusCreated {
			t.Fatalf("create push: %d %s", r.status, r.body)
		}
		validate(t, schema("ExchangeSubscriptionCreated"), r.body)
		var created struct {
			ID      string `json:"id"`
			Secret  string `json:"secret"`
			Version int64  `json:"version"`
		}
		r.json(t, &created)
		if len(created.Secret) < 40 || r.header.Get("Location") != base+"/"+created.ID {
			t.Fatalf("created %s, Location %q", r.body, r.header.Get("Location"))
		}

		r = e.do("gat.head", "GET", base+"/"+created.ID, nil)
		validate(t, schema("ExchangeSubscription"), r.body)
		if bytes.Contains(r.body, []byte(created.Secret)) {
			t.Fatal("the secret was shown again")
		}
		r = e.do("scjg.head", "GET", base+"?kind=push", nil)
		validate(t, schema("ExchangeSubscriptionPage"), r.body)
		var page struct{ Items []struct{ ID string } }
		r.json(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID != created.ID {
			t.Errorf("the provider lists %s", r.body)
		}
		if r = e.do("hzga.head", "GET", base, nil); bytes.Contains(r.body, []byte(created.ID)) {
			t.Error("a foreign office lists the subscription")
		}
		r = e.do("gat.head", "GET", base+"/"+created.ID+"/deliveries", nil)
		validate(t, schema("ExchangeDeliveryPage"), r.body)
		r = e.do("gat.head", "POST", base+"/"+created.ID+"/cancel", map[string]any{"version": created.Version, "reason": "改为拉取"})
		if r.status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.status, r.body)
		}
		validate(t, schema("ExchangeSubscription"), r.body)
		if r = e.do("gat.head", "POST", base+"/"+created.ID+"/cancel", map[string]any{"version": created.Version + 1}); r.status != http.StatusConflict {
			t.Errorf("cancel twice: %d %s", r.status, r.body)
		}

		// A return flow of gat's 常住人口基本信息 to 杭州市公安局, filtered by
		// 户籍地址 (which holds no division code, so nothing flows): the
		// subscriber's system pulls it through the gateway.
		r = e.do("gat.head", "POST", base, map[string]any{"kind": "return_flow", "entry_id": e.p.Entries["常住人口基本信息"],
			"subscriber_id": e.p.Departments["杭州市公安局"].ID, "division_item": "户籍地址", "endpoint_url": "https://x"})
		if p := r.problem(t); r.status != http.StatusUnprocessableEntity || p.Field != "endpoint_url" {
			t.Fatalf("return flow with an endpoint: %d %s", r.status, r.body)
		}
		r = e.do("gat.head", "POST", base, map[string]any{"kind": "return_flow", "entry_id": e.p.Entries["常住人口基本信息"],
			"subscriber_id": e.p.Departments["杭州市公安局"].ID, "division_item": "户籍地址"})
		if r.status != http.StatusCreated {
			t.Fatalf("create return flow: %d %s", r.status, r.body)
		}
		validate(t, schema("ExchangeSubscriptionCreated"), r.body)
		r.json(t, &created)
		_, key := e.gwSystem("hzga.staff")
		pr := e.signedPost(&key, "/gateway/v1/exchange/return-flow/pull", map[string]any{"subscription_id": created.ID})
		if pr.status != http.StatusOK || pr.header.Get(exchange.HeaderChecksum) == "" {
			t.Fatalf("return-flow pull: %d %s", pr.status, pr.body)
		}
		r = e.do("hzga.head", "GET", base+"/"+created.ID+"/deliveries", nil)
		validate(t, schema("ExchangeDeliveryPage"), r.body)
		var log struct{ Items []exchange.Delivery }
		r.json(t, &log)
		if len(log.Items) != 1 || log.Items[0].Outcome != "ok" || log.Items[0].Mode != "pull" {
			t.Errorf("return-flow delivery log %s", r.body)
		}
	})
}

func raw(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
