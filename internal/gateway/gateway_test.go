package gateway_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	p     *demo.Province
	clock *testClock
	keys  *gateway.Keyring
	gw    *gateway.Service
	ctx   context.Context
}

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, calendar.Shanghai)}
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	ctx := context.Background()
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := gateway.NewKeyring(testKey(7))
	if err != nil {
		t.Fatal(err)
	}
	gw := gateway.NewService(store.Adapt[gateway.Tx](s.Write), store.Adapt[gateway.Tx](s.Read), clock.Now, keys)
	gw.UseGeneration(s.Generation) // every test runs with the cache (cache.go)
	return &env{t: t, s: s, app: a, p: p, clock: clock, keys: keys, gw: gw, ctx: ctx}
}

func (e *env) actor(username string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	id := e.p.Account(username).ID
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { a, err = tx.Actor(e.ctx, id); return err })
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

func (e *env) events(id, action string) int {
	e.t.Helper()
	evs, err := e.app.Ledger.Events(e.ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}},
		ledger.Filter{ObjectType: "system", ObjectID: id, Action: action, Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(evs)
}

// system is a system of 杭州市公安局 registered by hzga.staff, with a credential.
func (e *env) system(ips ...string) (gateway.System, gateway.Issued) {
	e.t.Helper()
	sys, err := e.gw.Register(e.ctx, e.actor("hzga.staff"), gateway.NewSystem{Name: "警务核验系统", Description: "窗口核验", AllowedIPs: ips})
	if err != nil {
		e.t.Fatal(err)
	}
	iss, err := e.gw.IssueCredential(e.ctx, e.actor("hzga.staff"), sys.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return sys, iss
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := problem.CodeOf(err); got != code {
		t.Fatalf("got %v (code %q), want %s", err, got, code)
	}
}

// signed is a request signed at the env's clock with a fresh nonce.
func (e *env) signed(keyID, secret, body string) *http.Request {
	r := httptest.NewRequest("POST", "/gateway/v1/query?b=2&a=1&a=0", strings.NewReader(body))
	r.RemoteAddr = "10.1.2.3:40000"
	gateway.Sign(r, keyID, secret, []byte(body), e.clock.Now(), gateway.NewNonce())
	return r
}

func TestRegistrationRights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		in := gateway.NewSystem{Name: "系统A", AllowedIPs: []string{"10.0.0.0/8", "192.168.1.7"}}
		for _, who := range []string{"ops", "admin", "zj.reviewer", "audit"} {
			if _, err := e.gw.Register(e.ctx, e.actor(who), in); !errors.Is(err, problem.ErrForbidden) {
				t.Errorf("%s registered a system: %v", who, err)
			}
		}
		sys, err := e.gw.Register(e.ctx, e.actor("hzga.head"), in)
		if err != nil {
			t.Fatal(err)
		}
		hzga := e.p.Departments["杭州市公安局"]
		if sys.DepartmentID != hzga.ID || sys.DivisionCode != hzga.DivisionCode || sys.State != gateway.Active {
			t.Fatalf("registered %+v", sys)
		}
		if _, err := e.gw.Register(e.ctx, e.actor("hzga.staff"), in); problem.CodeOf(err) != "system.exists" {
			t.Errorf("same name twice: %v", err)
		}
		if _, err := e.gw.Register(e.ctx, e.actor("hzga.staff"), gateway.NewSystem{Name: "B", AllowedIPs: []string{"10.0.0.300"}}); problem.CodeOf(err) != "system.ip_invalid" {
			t.Errorf("bad IP: %v", err)
		}
		if e.events(sys.ID, "system.register") != 1 {
			t.Error("registration not recorded")
		}
		// Visibility: own office, admin, reviewers and auditors of the region.
		for who, ok := range map[string]bool{"hzga.staff": true, "admin": true, "hz.reviewer": true, "zj.reviewer": true, "audit": true,
			"scjg.head": false, "ops": false, "nb.reviewer": false} {
			_, err := e.gw.Get(e.ctx, e.actor(who), sys.ID)
			if ok != (err == nil) {
				t.Errorf("%s get: %v", who, err)
			}
		}
		list, err := e.gw.List(e.ctx, e.actor("scjg.head"), gateway.Filter{})
		if err != nil || len(list) != 0 {
			t.Errorf("scjg lists %v %v", list, err)
		}
		if _, err := e.gw.List(e.ctx, e.actor("ops"), gateway.Filter{}); !errors.Is(err, problem.ErrForbidden) {
			t.Errorf("contractor lists: %v", err)
		}
		// hz.reviewer sees the systems of 杭州市 (this one, and the demo's
		// 杭州市市场监管局 system), none of another region.
		list, err = e.gw.List(e.ctx, e.actor("hz.reviewer"), gateway.Filter{})
		found := false
		for _, x := range list {
			found = found || x.ID == sys.ID
			if !strings.HasPrefix(x.DivisionCode, "3301") {
				t.Errorf("hz.reviewer lists a system of %s", x.DivisionCode)
			}
		}
		if err != nil || !found {
			t.Errorf("hz.reviewer lists %v %v", list, err)
		}
		// Foreign department and contractor may not issue credentials.
		for _, who := range []string{"scjg.head", "admin"} {
			if _, err := e.gw.IssueCredential(e.ctx, e.actor(who), sys.ID); err == nil {
				t.Errorf("%s issued a credential", who)
			}
		}
	})
}

// rawEach is storetest.Each with a second, raw connection to the same
// database, to look at the tables as an intruder with a dump would.
func rawEach(t *testing.T, fn func(t *testing.T, s *store.Store, db *sql.DB)) {
	open := func(t *testing.T, dsn, driver, rawDSN string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open(driver, rawDSN)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, s, db)
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "govshare.db")
		open(t, path, "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresSchemaDSN(t)
		open(t, dsn, "pgx", dsn)
	})
}

func TestSecretShownOnceAndSealed(t *testing.T) {
	rawEach(t, func(t *testing.T, s *store.Store, db *sql.DB) {
		e := newEnv(t, s)
		sys, iss := e.system()
		if !strings.HasPrefix(iss.KeyID, "gsk_") || !strings.HasPrefix(iss.Secret, "gsc_") {
			t.Fatalf("issued %q %q", iss.KeyID, iss.Secret)
		}
		got, err := e.gw.Get(e.ctx, e.actor("hzga.staff"), sys.ID)
		if err != nil || len(got.Credentials) != 1 || got.Credentials[0].KeyID != iss.KeyID {
			t.Fatalf("get: %+v %v", got, err)
		}
		var c *gateway.Credential
		var sealed *gateway.SealedSecret
		err = s.Read(e.ctx, func(tx *store.Tx) (err error) { c, sealed, err = tx.Credential(e.ctx, iss.KeyID); return err })
		if err != nil || c == nil {
			t.Fatal(err)
		}
		if bytes.Contains(sealed.Ciphertext, []byte(iss.Secret)) || bytes.Contains(sealed.Ciphertext, []byte(strings.TrimPrefix(iss.Secret, "gsc_"))) {
			t.Fatal("the secret is stored in clear")
		}
		// No column of any row of the table holds the secret, whole or in part.
		rows, err := db.QueryContext(e.ctx, "SELECT * FROM system_credentials")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		seen := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if strings.Contains(fmt.Sprint(v), strings.TrimPrefix(iss.Secret, "gsc_")[:16]) {
					t.Errorf("column %s holds the secret", cols[i])
				}
			}
			seen++
		}
		rows.Close()
		if seen != 1 {
			t.Fatalf("%d credential rows", seen)
		}
		plain, err := e.keys.Open(sealed.MasterKeyID, sealed.Ciphertext, []byte(iss.KeyID))
		if err != nil || string(plain) != iss.Secret {
			t.Fatalf("decrypt: %q %v", plain, err)
		}
		other, _ := gateway.NewKeyring(testKey(8))
		if _, err := other.Open(sealed.MasterKeyID, sealed.Ciphertext, []byte(iss.KeyID)); !errors.Is(err, gateway.ErrWrongKey) {
			t.Errorf("wrong master key: %v", err)
		}
		// The same key under another ID (a forged key ID) fails too, and so
		// does the ciphertext moved to another credential.
		if _, err := other.Open(other.ID(), sealed.Ciphertext, []byte(iss.KeyID)); !errors.Is(err, gateway.ErrWrongKey) {
			t.Errorf("wrong master key, its own ID: %v", err)
		}
		if _, err := e.keys.Open(sealed.MasterKeyID, sealed.Ciphertext, []byte("gsk_other")); !errors.Is(err, gateway.ErrWrongKey) {
			t.Errorf("moved ciphertext: %v", err)
		}
		// The events never carry the secret (they carry a digest of the system).
		if e.events(sys.ID, "system.credential_issue") != 1 {
			t.Error("issue not recorded")
		}
	})
}

func TestSignVerifyAndRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		sys, iss := e.system("10.0.0.0/8")
		now := e.clock.Now()

		r := e.signed(iss.KeyID, iss.Secret, `{"q":1}`)
		c, err := e.gw.Verify(r, []byte(`{"q":1}`), now)
		if err != nil {
			t.Fatal(err)
		}
		if c.SystemID != sys.ID || c.DepartmentID != sys.DepartmentID || c.KeyID != iss.KeyID {
			t.Fatalf("caller %+v", c)
		}
		// Replay of the very same request.
		_, err = e.gw.Verify(r, []byte(`{"q":1}`), now)
		wantCode(t, err, "gateway.nonce_replayed")

		// Unix-seconds timestamps are accepted too.
		body := []byte("x")
		r = httptest.NewRequest("GET", "/gateway/v1/x", nil)
		r.RemoteAddr = "10.9.9.9:1"
		ts := "1796004000" // 2026-11-30T02:00:00Z
		unixNow := time.Unix(1796004000, 0).Add(time.Minute)
		nonce := gateway.NewNonce()
		r.Header.Set(gateway.HeaderKey, iss.KeyID)
		r.Header.Set(gateway.HeaderTimestamp, ts)
		r.Header.Set(gateway.HeaderNonce, nonce)
		r.Header.Set(gateway.HeaderSignature, gateway.Signature(iss.Secret, gateway.Canonical("GET", "/gateway/v1/x", nil, ts, nonce, body)))
		if _, err := e.gw.Verify(r, body, unixNow); err != nil {
			t.Errorf("unix timestamp: %v", err)
		}

		r = e.signed(iss.KeyID, iss.Secret, `{"q":1}`)
		_, err = e.gw.Verify(r, []byte(`{"q":2}`), now)
		wantCode(t, err, "gateway.signature_invalid") // tampered body

		r = e.signed(iss.KeyID, iss.Secret, `{"q":1}`)
		r.URL.RawQuery = "a=1&b=3"
		_, err = e.gw.Verify(r, []byte(`{"q":1}`), now)
		wantCode(t, err, "gateway.signature_invalid") // tampered query

		r = e.signed(iss.KeyID, "gsc_wrong", `{}`)
		_, err = e.gw.Verify(r, []byte(`{}`), now)
		wantCode(t, err, "gateway.signature_invalid") // wrong secret

		r = e.signed(iss.KeyID, iss.Secret, `{}`)
		_, err = e.gw.Verify(r, []byte(`{}`), now.Add(6*time.Minute))
		wantCode(t, err, "gateway.timestamp_skew") // old timestamp
		_, err = e.gw.Verify(r, []byte(`{}`), now.Add(-6*time.Minute))
		wantCode(t, err, "gateway.timestamp_skew") // from the future

		r = e.signed("gsk_nobody", iss.Secret, `{}`)
		_, err = e.gw.Verify(r, []byte(`{}`), now)
		wantCode(t, err, "gateway.key_unknown")

		r = e.signed(iss.KeyID, iss.Secret, `{}`)
		r.Header.Del(gateway.HeaderSignature)
		_, err = e.gw.Verify(r, []byte(`{}`), now)
		wantCode(t, err, "gateway.signature_missing")

		r = e.signed(iss.KeyID, iss.Secret, `{}`)
		r.Header.Set(gateway.HeaderNonce, "short")
		_, err = e.gw.Verify(r, []byte(`{}`), now)
		wantCode(t, err, "gateway.header_invalid")

		r = e.signed(iss.KeyID, iss.Secret, `{}`)
		r.RemoteAddr = "192.168.1.1:5000"
		_, err = e.gw.Verify(r, []byte(`{}`), now)
		wantCode(t, err, "gateway.ip_not_allowed")

		// Revoked key.
		if _, err := e.gw.RevokeCredential(e.ctx, e.actor("scjg.head"), sys.ID, iss.KeyID); err == nil {
			t.Fatal("a foreign department revoked the credential")
		}
		got, err := e.gw.RevokeCredential(e.ctx, e.actor("hzga.head"), sys.ID, iss.KeyID)
		if err != nil || got.Credentials[0].State != gateway.Revoked {
			t.Fatalf("revoke: %+v %v", got, err)
		}
		r = e.signed(iss.KeyID, iss.Secret, `{}`)
		_, err = e.gw.Verify(r, []byte(`{}`), now)
		wantCode(t, err, "gateway.key_revoked")
		if e.events(sys.ID, "system.credential_revoke") != 1 {
			t.Error("revocation not recorded")
		}

		// Disabled system.
		iss2, err := e.gw.IssueCredential(e.ctx, e.actor("hzga.head"), sys.ID)
		if err != nil {
			t.Fatal(err)
		}
		cur, _ := e.gw.Get(e.ctx, e.actor("hzga.head"), sys.ID)
		if _, err := e.gw.Disable(e.ctx, e.actor("hzga.head"), sys.ID, gateway.Version{Version: cur.Version - 1}); !errors.Is(err, problem.ErrVersionConflict) {
			t.Errorf("stale version: %v", err)
		}
		if _, err := e.gw.Disable(e.ctx, e.actor("hzga.head"), sys.ID, gateway.Version{Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
		r = e.signed(iss2.KeyID, iss2.Secret, `{}`)
		_, err = e.gw.Verify(r, []byte(`{}`), now)
		wantCode(t, err, "gateway.system_disabled")
		if _, err := e.gw.IssueCredential(e.ctx, e.actor("hzga.head"), sys.ID); problem.CodeOf(err) != "system.wrong_state" {
			t.Errorf("credential for a disabled system: %v", err)
		}
	})
}

// TestConcurrentReplay: two requests with one nonce at once; exactly one passes.
func TestConcurrentReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		_, iss := e.system()
		now := e.clock.Now()
		for round := 0; round < 5; round++ {
			r := e.signed(iss.KeyID, iss.Secret, "body")
			const n = 8
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = e.gw.Verify(r.Clone(context.Background()), []byte("body"), now)
				}()
			}
			wg.Wait()
			passed := 0
			for _, err := range errs {
				switch problem.CodeOf(err) {
				case "":
					if err != nil {
						t.Fatal(err)
					}
					passed++
				case "gateway.nonce_replayed":
				default:
					t.Fatalf("unexpected %v", err)
				}
			}
			if passed != 1 {
				t.Fatalf("round %d: %d of %d requests with one nonce passed", round, passed, n)
			}
		}
		// An expired nonce row neither blocks nor lingers after a purge.
		e.clock.Add(11 * time.Minute)
		if n, err := e.gw.PurgeNonces(e.ctx); err != nil || n != 5 {
			t.Errorf("purged %d, %v", n, err)
		}
	})
}

func TestRotationGracePeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		sys, old := e.system()
		rot, err := e.gw.IssueCredential(e.ctx, e.actor("hzga.staff"), sys.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rot.Secret == old.Secret || rot.KeyID == old.KeyID {
			t.Fatal("rotation reused the key or secret")
		}
		if e.events(sys.ID, "system.credential_rotate") != 1 {
			t.Error("rotation not recorded")
		}
		verify := func(iss gateway.Issued, after time.Duration) error {
			e.clock.Add(after)
			r := e.signed(iss.KeyID, iss.Secret, "")
			_, err := e.gw.Verify(r, nil, e.clock.Now())
			return err
		}
		if err := verify(old, 0); err != nil {
			t.Errorf("old key right after rotation: %v", err)
		}
		if err := verify(rot, 0); err != nil {
			t.Errorf("new key: %v", err)
		}
		if err := verify(old, gateway.RotationGrace-time.Minute); err != nil {
			t.Errorf("old key near the end of grace: %v", err)
		}
		wantCode(t, verify(old, 2*time.Minute), "gateway.key_revoked")
		if err := verify(rot, 0); err != nil {
			t.Errorf("new key after grace: %v", err)
		}
		// A second rotation ends the first one's grace at once: at most two
		// credentials are valid.
		third, err := e.gw.IssueCredential(e.ctx, e.actor("hzga.staff"), sys.ID)
		if err != nil {
			t.Fatal(err)
		}
		fourth, err := e.gw.IssueCredential(e.ctx, e.actor("hzga.staff"), sys.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, verify(rot, time.Second), "gateway.key_revoked")
		for _, iss := range []gateway.Issued{third, fourth} {
			if err := verify(iss, 0); err != nil {
				t.Errorf("%s: %v", iss.KeyID, err)
			}
		}
	})
}

func TestLoadKeyring(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(gateway.EnvMasterKey, "")
	k1, err := gateway.LoadKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := gateway.LoadKeyring(dir)
	if err != nil || k1.ID() != k2.ID() {
		t.Fatalf("second load: %v %v", k2, err)
	}
	fi, err := os.Stat(filepath.Join(dir, gateway.KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	t.Setenv(gateway.EnvMasterKey, strings.Repeat("07", 32))
	k3, err := gateway.LoadKeyring(dir)
	want, _ := gateway.NewKeyring(testKey(7))
	if err != nil || k3.ID() != want.ID() {
		t.Fatalf("env key: %v", err)
	}
	t.Setenv(gateway.EnvMasterKey, "abcd")
	if _, err := gateway.LoadKeyring(dir); err == nil {
		t.Error("short env key accepted")
	}
}
