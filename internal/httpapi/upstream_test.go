package httpapi_test

import (
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// fakeUpstream is a provider's system: it answers what the test sets and
// remembers each request it got.
type fakeUpstream struct {
	srv    *httptest.Server
	mu     sync.Mutex
	answer func(w http.ResponseWriter, r *http.Request)
	got    []*http.Request
	bodies [][]byte
}

func newFakeUpstream(t *testing.T) *fakeUpstream {
	u := &fakeUpstream{}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.got, u.bodies = append(u.got, r), append(u.bodies, b)
		answer := u.answer
		u.mu.Unlock()
		answer(w, r)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *fakeUpstream) reply(body string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.answer = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}
}

func (u *fakeUpstream) last() (*http.Request, []byte) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.got[len(u.got)-1], u.bodies[len(u.bodies)-1]
}

// TestProxiedQuery: gat serves 常住人口基本信息 from its own system. A
// consumer's query is forwarded with the key and the asked items, signed
// with the secret shown at registration; only the asked, granted items come
// back, whatever else the system answers; a hanging, broken or absent
// system gets its problem and the call is recorded; disabling the endpoint
// returns the entry to its hosted dataset.
func TestProxiedQuery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetup(t, s)
		up := newFakeUpstream(t)
		// The system holds 性别 女 where the hosted dataset says 男: the
		// answer shows where the row came from.
		up.reply(`{"rows": [{"居民身份证号码": "` + gwID + `", "姓名": "` + gwName + `", "性别": "女", "户籍地址": "` + gwAddr + `", "民族": "汉族"}]}`)
		res := f.e.do("gat.staff", "POST", "/api/v1/upstreams", map[string]any{"entry_id": f.grant.EntryID, "url": up.srv.URL + "/share/population?v=2", "timeout_ms": 300})
		if res.status != http.StatusCreated {
			t.Fatalf("register: %d %s", res.status, res.body)
		}
		validate(t, oaSchemas(t)("RegisteredUpstreamEndpoint"), res.body)
		var reg struct {
			ID, Secret string
			Version    int64
		}
		res.json(t, &reg)

		q := func(items ...string) map[string]any {
			return map[string]any{"grant_id": f.grant.ID, "purpose": "企业登记核验", "items": items, "where": where(gwID, gwName)}
		}
		r := f.call(&f.key, "/gateway/v1/query", q("姓名", "性别"))
		if r.status != http.StatusOK {
			t.Fatalf("query: %d %s", r.status, r.body)
		}
		var got struct {
			Rows []map[string]string `json:"rows"`
		}
		r.json(t, &got)
		if len(got.Rows) != 1 || len(got.Rows[0]) != 2 || got.Rows[0]["性别"] != "女" || got.Rows[0]["姓名"] != gwName {
			t.Fatalf("rows %v, want 姓名 and 性别 from the upstream", got.Rows)
		}
		if strings.Contains(string(r.body), gwAddr) || strings.Contains(string(r.body), "汉族") {
			t.Fatalf("an ungranted or unasked item reached the consumer: %s", r.body)
		}
		f.wantLast("gateway.query", gwRecord{Items: []string{"姓名", "性别"}, Rows: 1, Outcome: "ok"})

		// What the system got: the key and the asked items, signed by the
		// platform with the shown secret (checked here by hand, not with the
		// platform's own code).
		req, body := up.last()
		var sent struct {
			Where map[string]string `json:"where"`
			Items []string          `json:"items"`
		}
		if err := json.Unmarshal(body, &sent); err != nil {
			t.Fatal(err)
		}
		if len(sent.Where) != 2 || sent.Where["居民身份证号码"] != gwID || sent.Where["姓名"] != gwName || strings.Join(sent.Items, ",") != "姓名,性别" {
			t.Fatalf("the system got %s", body)
		}
		sum := sm3.Sum(body)
		canonical := "POST\n/share/population\nv=2\n" + req.Header.Get("X-Gs-Timestamp") + "\n" + req.Header.Get("X-Gs-Nonce") + "\n" + hex.EncodeToString(sum[:])
		m := hmac.New(sm3.New, []byte(reg.Secret))
		m.Write([]byte(canonical))
		if req.Header.Get("X-Gs-Key") != reg.ID || req.Header.Get("X-Gs-Signature") != hex.EncodeToString(m.Sum(nil)) {
			t.Fatalf("the platform's signature does not verify with the shown secret: key %q", req.Header.Get("X-Gs-Key"))
		}

		// Verification goes to the system too.
		r = f.call(&f.key, "/gateway/v1/verify", map[string]any{"grant_id": f.grant.ID, "purpose": "企业登记核验", "where": where(gwID, gwName),
			"values": map[string]string{"性别": "女"}})
		var v struct {
			Result map[string]string `json:"result"`
		}
		if r.json(t, &v); r.status != http.StatusOK || v.Result["性别"] != "match" {
			t.Fatalf("verify: %d %s", r.status, r.body)
		}

		refused := func(wantStatus int, wantCode string) {
			t.Helper()
			r := f.call(&f.key, "/gateway/v1/query", q("姓名", "性别"))
			if p := r.problem(t); r.status != wantStatus || p.Code != wantCode {
				t.Fatalf("got %d %s, want %d %s", r.status, r.body, wantStatus, wantCode)
			}
			if strings.Contains(string(r.body), gwName) || strings.Contains(string(r.body), "127.0.0.1") {
				t.Fatalf("the refusal leaks a value or the system's address: %s", r.body)
			}
			f.wantLast("gateway.query", gwRecord{Items: []string{"姓名", "性别"}, Outcome: wantCode})
		}
		// Garbage of every kind.
		up.reply(`<html>internal error</html>`)
		refused(http.StatusBadGateway, "upstream.bad_response")
		up.reply(`{"rows": [{"姓名": "` + gwName + `", "性别": 1}]}`)
		refused(http.StatusBadGateway, "upstream.bad_response")
		up.mu.Lock()
		up.answer = func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		}
		up.mu.Unlock()
		refused(http.StatusBadGateway, "upstream.bad_response")

		// A system that hangs: 504 after the endpoint's 300 ms.
		release := make(chan struct{})
		up.mu.Lock()
		up.answer = func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
		up.mu.Unlock()
		refused(http.StatusGatewayTimeout, "upstream.timeout")
		close(release)

		// A system that is down.
		up.srv.Close()
		refused(http.StatusBadGateway, "upstream.unavailable")
		f.noValuesRecorded()

		// Disabled, the entry is served from its hosted dataset again.
		if res := f.e.do("gat.head", "POST", "/api/v1/upstreams/"+reg.ID+"/disable", map[string]any{"version": reg.Version}); res.status != http.StatusOK {
			t.Fatalf("disable: %d %s", res.status, res.body)
		}
		r = f.call(&f.key, "/gateway/v1/query", q("性别"))
		if r.json(t, &got); r.status != http.StatusOK || len(got.Rows) != 1 || got.Rows[0]["性别"] != "男" {
			t.Fatalf("after disabling: %d %s, want the hosted row", r.status, r.body)
		}
	})
}
