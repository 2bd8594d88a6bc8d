package auth_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func TestPasswordHash(t *testing.T) {
	const pw = "correct horse battery"
	h1, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not a PHC Argon2id string", h1)
	}
	if strings.Contains(h1, pw) {
		t.Fatal("the hash contains the password")
	}
	if ok, err := auth.VerifyPassword(h1, pw); err != nil || !ok {
		t.Fatalf("round trip: ok=%v err=%v", ok, err)
	}
	for _, wrong := range []string{"correct horse battery ", "Correct horse battery", "", "correct horse batter"} {
		if ok, err := auth.VerifyPassword(h1, wrong); err != nil || ok {
			t.Fatalf("VerifyPassword(%q) = %v, %v; want false", wrong, ok, err)
		}
	}
	h2, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: no fresh salt")
	}
	if ok, _ := auth.VerifyPassword(h2, pw); !ok {
		t.Fatal("second hash does not verify")
	}
	parts := strings.Split(h1, "$")
	for name, bad := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuu5Jv3oNUa7lRm1Yq7mEUb8yCj2uXlqW",
		"argon2i":        strings.Replace(h1, "argon2id", "argon2i", 1),
		"wrong version":  strings.Replace(h1, "v=19", "v=16", 1),
		"zero memory":    strings.Join([]string{"", parts[1], parts[2], "m=0,t=2,p=1", parts[4], parts[5]}, "$"),
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"empty key":      strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], ""}, "$"),
		"too many parts": h1 + "$x",
	} {
		if ok, err := auth.VerifyPassword(bad, pw); err == nil || ok {
			t.Errorf("%s: VerifyPassword = %v, %v; want an error", name, ok, err)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	cases := []struct {
		pw, code string
	}{
		{"123456789", "auth.password_too_short"},
		{"密码密码密码密码密码", ""}, // ten runes, thirty bytes
		{"1234567890", ""},
		{strings.Repeat("x", 257), "auth.password_too_long"},
	}
	for _, c := range cases {
		err := auth.ValidatePassword("new_password", c.pw)
		if problem.CodeOf(err) != c.code {
			t.Errorf("ValidatePassword(%q) = %v, want %q", c.pw, err, c.code)
		}
		var p *problem.Error
		if c.code != "" && (!errors.As(err, &p) || p.Field != "new_password") {
			t.Errorf("ValidatePassword(%q) does not name the field: %v", c.pw, err)
		}
	}
}

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// eachWithRaw runs fn on both engines with the store and a plain connection to
// the same database, to look at what is actually stored.
func eachWithRaw(t *testing.T, fn func(t *testing.T, s *store.Store, raw *sql.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "govshare.db")
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		fn(t, s, raw)
	})
	t.Run("postgres", func(t *testing.T) {
		ctx := context.Background()
		dsn := storetest.PostgresDSN(t)
		raw0, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw0.Close() })
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		schema := "gs_authtest_" + hex.EncodeToString(b)
		if _, err := raw0.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = raw0.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
		s, err := store.Open(ctx, storetest.WithSearchPath(dsn, schema))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("pgx", storetest.WithSearchPath(dsn, schema))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		fn(t, s, raw)
	})
}

const pw = "the-right-password"

type fixture struct {
	s     *store.Store
	raw   *sql.DB
	app   *app.App
	clock *testClock
	ids   map[string]string // username -> person id
}

// newFixture creates a division, a department and accounts admin, alice, bob,
// carol, dave, erin (office staff), all with password pw.
func newFixture(t *testing.T, s *store.Store, raw *sql.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)}
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	op := access.Operator("test")
	if _, err := a.Org.CreateDivision(ctx, op, org.Division{Code: org.NationalCode, Name: "全国", Level: org.National}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Org.CreateDepartment(ctx, op, org.Department{Name: "某部", DivisionCode: org.NationalCode, Kind: org.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{s: s, raw: raw, app: a, clock: clock, ids: map[string]string{}}
	for _, u := range []string{"admin", "alice", "bob", "carol", "dave", "erin"} {
		n := org.NewPerson{Username: u, DisplayName: u, DepartmentID: d.ID, Roles: []access.Role{access.OfficeStaff}, Password: pw}
		if u == "admin" {
			n.DepartmentID, n.Roles = "", []access.Role{access.PlatformAdmin}
		}
		p, err := a.Org.CreatePerson(ctx, op, n)
		if err != nil {
			t.Fatal(err)
		}
		f.ids[u] = p.ID
	}
	return f
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if problem.CodeOf(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func (f *fixture) signIn(t *testing.T, user string) (string, access.Actor) {
	t.Helper()
	secret, a, err := f.app.Auth.SignIn(context.Background(), user, pw)
	if err != nil {
		t.Fatalf("sign in %s: %v", user, err)
	}
	return secret, a
}

func (f *fixture) events(t *testing.T, action, personID string) int {
	t.Helper()
	admin := access.Actor{PersonID: "t", Roles: []access.Role{access.PlatformAdmin}}
	evs, err := f.app.Ledger.Events(context.Background(), admin, ledger.Filter{Action: action, ObjectID: personID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

func (f *fixture) rawStrings(t *testing.T, q string) []string {
	t.Helper()
	rows, err := f.raw.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sm3Hex(s string) string { sum := sm3.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }

func TestAuth(t *testing.T) {
	eachWithRaw(t, func(t *testing.T, s *store.Store, raw *sql.DB) {
		f := newFixture(t, s, raw)
		ctx := context.Background()
		p := auth.DefaultPolicy

		t.Run("sign in", func(t *testing.T) {
			secret, a := f.signIn(t, "alice")
			if !strings.HasPrefix(secret, "gss_") || a.PersonID != f.ids["alice"] || !a.Has(access.OfficeStaff) || a.DepartmentID == "" {
				t.Fatalf("secret %q actor %+v", secret, a)
			}
			got, err := f.app.Auth.SessionActor(ctx, secret)
			if err != nil || got.PersonID != a.PersonID {
				t.Fatalf("SessionActor = %+v, %v", got, err)
			}
			if f.events(t, "auth.sign_in", a.PersonID) != 1 {
				t.Fatal("no auth.sign_in event")
			}
			// Only the SM3 digest of the secret is stored.
			digests := f.rawStrings(t, "SELECT token_digest FROM sessions")
			found := false
			for _, d := range digests {
				if strings.Contains(d, secret) || strings.Contains(d, strings.TrimPrefix(secret, "gss_")) {
					t.Fatal("the sessions table holds the plain secret")
				}
				found = found || d == sm3Hex(secret)
			}
			if !found {
				t.Fatalf("no session row with the SM3 digest of the secret in %v", digests)
			}
		})

		t.Run("wrong password and unknown user look alike", func(t *testing.T) {
			_, _, err := f.app.Auth.SignIn(ctx, "bob", "not-the-password")
			wantCode(t, err, "auth.bad_credentials")
			_, _, err2 := f.app.Auth.SignIn(ctx, "nobody", pw)
			wantCode(t, err2, "auth.bad_credentials")
			if err.Error() != err2.Error() || !problem.Is(err2, problem.Unauthorized) {
				t.Fatalf("answers differ: %v / %v", err, err2)
			}
			_, _, err = f.app.Auth.SignIn(ctx, "", pw)
			wantCode(t, err, "auth.username_required")
			_, _, err = f.app.Auth.SignIn(ctx, "bob", "")
			wantCode(t, err, "auth.password_required")
			f.signIn(t, "bob") // resets bob's count
		})

		t.Run("a success resets the failure count", func(t *testing.T) {
			for range p.MaxFailures - 1 {
				_, _, err := f.app.Auth.SignIn(ctx, "bob", "wrong-password")
				wantCode(t, err, "auth.bad_credentials")
			}
			f.signIn(t, "bob")
			for range p.MaxFailures - 1 {
				_, _, err := f.app.Auth.SignIn(ctx, "bob", "wrong-password")
				wantCode(t, err, "auth.bad_credentials")
			}
			f.signIn(t, "bob")
		})

		t.Run("lock-out", func(t *testing.T) {
			for i := 1; i <= p.MaxFailures; i++ {
				_, _, err := f.app.Auth.SignIn(ctx, "carol", "wrong-password")
				want := "auth.bad_credentials"
				if i == p.MaxFailures {
					want = "auth.locked"
				}
				wantCode(t, err, want)
			}
			_, _, err := f.app.Auth.SignIn(ctx, "carol", pw)
			wantCode(t, err, "auth.locked")
			if !problem.Is(err, problem.Locked) {
				t.Fatalf("kind of %v is not Locked", err)
			}
			if n := f.events(t, "auth.sign_in_locked", f.ids["carol"]); n != 1 {
				t.Fatalf("%d lock events, want 1", n)
			}
			f.clock.Advance(p.LockDuration - time.Second)
			_, _, err = f.app.Auth.SignIn(ctx, "carol", pw)
			wantCode(t, err, "auth.locked")
			f.clock.Advance(time.Second)
			// The lock has run out; one more wrong guess does not lock again at once.
			_, _, err = f.app.Auth.SignIn(ctx, "carol", "wrong-password")
			wantCode(t, err, "auth.bad_credentials")
			f.signIn(t, "carol")
		})

		t.Run("admin unlocks", func(t *testing.T) {
			for range p.MaxFailures {
				_, _, _ = f.app.Auth.SignIn(ctx, "carol", "wrong-password")
			}
			_, _, err := f.app.Auth.SignIn(ctx, "carol", pw)
			wantCode(t, err, "auth.locked")
			_, alice := f.signIn(t, "alice")
			wantCode(t, f.app.Auth.Unlock(ctx, alice, f.ids["carol"]), "auth.forbidden")
			_, admin := f.signIn(t, "admin")
			if err := f.app.Auth.Unlock(ctx, admin, f.ids["carol"]); err != nil {
				t.Fatal(err)
			}
			f.signIn(t, "carol")
			wantCode(t, f.app.Auth.Unlock(ctx, admin, "nobody"), "org.person_not_found")
		})

		t.Run("concurrent wrong passwords are all counted", func(t *testing.T) {
			const n = 10
			// A second node over the same database, locking at exactly n:
			// the account ends locked only if no failure was lost.
			strict := auth.DefaultPolicy
			strict.MaxFailures = n
			node := app.New(s, f.clock.Now, strict)
			var wg sync.WaitGroup
			codes := make(chan string, n)
			for range n {
				wg.Go(func() {
					_, _, err := node.Auth.SignIn(ctx, "dave", "wrong-password")
					codes <- problem.CodeOf(err)
				})
			}
			wg.Wait()
			close(codes)
			got := map[string]int{}
			for c := range codes {
				got[c]++
			}
			if got["auth.bad_credentials"] != n-1 || got["auth.locked"] != 1 {
				t.Fatalf("answers %v, want %d bad_credentials and 1 locked", got, n-1)
			}
			_, _, err := node.Auth.SignIn(ctx, "dave", pw)
			wantCode(t, err, "auth.locked")
			if a, b := f.events(t, "auth.sign_in_failed", f.ids["dave"]), f.events(t, "auth.sign_in_locked", f.ids["dave"]); a != n-1 || b != 1 {
				t.Fatalf("events: %d failed, %d locked", a, b)
			}
		})

		t.Run("session expires", func(t *testing.T) {
			secret, _ := f.signIn(t, "alice")
			f.clock.Advance(p.SessionTTL - time.Second)
			if _, err := f.app.Auth.SessionActor(ctx, secret); err != nil {
				t.Fatalf("session before its end: %v", err)
			}
			f.clock.Advance(time.Second)
			_, err := f.app.Auth.SessionActor(ctx, secret)
			wantCode(t, err, "auth.session_expired")
		})

		t.Run("unknown and malformed sessions", func(t *testing.T) {
			_, err := f.app.Auth.SessionActor(ctx, "gss_doesnotexist")
			wantCode(t, err, "auth.unauthenticated")
			_, err = f.app.Auth.SessionActor(ctx, "gst_looks_like_a_token")
			wantCode(t, err, "auth.unauthenticated")
		})

		t.Run("sign out", func(t *testing.T) {
			s1, a := f.signIn(t, "alice")
			s2, _ := f.signIn(t, "alice")
			if err := f.app.Auth.SignOut(ctx, a, s1); err != nil {
				t.Fatal(err)
			}
			_, err := f.app.Auth.SessionActor(ctx, s1)
			wantCode(t, err, "auth.unauthenticated")
			if _, err := f.app.Auth.SessionActor(ctx, s2); err != nil {
				t.Fatalf("the other session ended too: %v", err)
			}
		})

		t.Run("change password", func(t *testing.T) {
			s1, a := f.signIn(t, "erin")
			s2, _ := f.signIn(t, "erin")
			err := f.app.Auth.ChangePassword(ctx, a, "wrong-current", "a-new-password")
			wantCode(t, err, "auth.current_password_wrong")
			err = f.app.Auth.ChangePassword(ctx, a, pw, "short")
			wantCode(t, err, "auth.password_too_short")
			if _, err := f.app.Auth.SessionActor(ctx, s1); err != nil {
				t.Fatalf("a refused change ended the session: %v", err)
			}
			if err := f.app.Auth.ChangePassword(ctx, a, pw, "a-new-password"); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{s1, s2} {
				_, err := f.app.Auth.SessionActor(ctx, s)
				wantCode(t, err, "auth.unauthenticated")
			}
			_, _, err = f.app.Auth.SignIn(ctx, "erin", pw)
			wantCode(t, err, "auth.bad_credentials")
			if _, _, err := f.app.Auth.SignIn(ctx, "erin", "a-new-password"); err != nil {
				t.Fatalf("new password: %v", err)
			}
			for _, h := range f.rawStrings(t, "SELECT password_hash FROM people") {
				if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, pw) || strings.Contains(h, "a-new-password") {
					t.Fatalf("stored password hash %q", h)
				}
			}
		})

		t.Run("tokens", func(t *testing.T) {
			_, alice := f.signIn(t, "alice")
			_, bob := f.signIn(t, "bob")
			_, admin := f.signIn(t, "admin")
			tok, err := f.app.Auth.CreateToken(ctx, alice, auth.NewToken{Name: " 同步脚本 "})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(tok.Secret, "gst_") || tok.Name != "同步脚本" || tok.PersonID != alice.PersonID ||
				tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(f.clock.Now().Add(90*24*time.Hour)) {
				t.Fatalf("issued %+v", tok)
			}
			got, err := f.app.Auth.TokenActor(ctx, tok.Secret)
			if err != nil || got.PersonID != alice.PersonID || !got.Has(access.OfficeStaff) {
				t.Fatalf("TokenActor = %+v, %v", got, err)
			}
			list, err := f.app.Auth.Tokens(ctx, alice)
			if err != nil || len(list) != 1 || list[0].ID != tok.ID || list[0].LastUsedAt == nil {
				t.Fatalf("Tokens = %+v, %v (want one, with last use recorded)", list, err)
			}
			js, _ := json.Marshal(list)
			if strings.Contains(string(js), tok.Secret) || strings.Contains(string(js), strings.TrimPrefix(tok.Secret, "gst_")) ||
				strings.Contains(string(js), sm3Hex(tok.Secret)) {
				t.Fatalf("token listing leaks the secret or its digest: %s", js)
			}
			if bobs, _ := f.app.Auth.Tokens(ctx, bob); len(bobs) != 0 {
				t.Fatalf("bob sees %d tokens", len(bobs))
			}
			for _, table := range []string{"api_tokens", "sessions"} {
				for _, d := range f.rawStrings(t, "SELECT token_digest FROM "+table) {
					if strings.Contains(d, strings.TrimPrefix(tok.Secret, "gst_")) {
						t.Fatalf("%s holds the plain token secret", table)
					}
				}
			}
			if ds := f.rawStrings(t, "SELECT token_digest FROM api_tokens"); len(ds) != 1 || ds[0] != sm3Hex(tok.Secret) {
				t.Fatalf("api_tokens digests %v, want the SM3 of the secret", ds)
			}
			for _, col := range []string{"digest", "object_id", "actor_id"} {
				for _, v := range f.rawStrings(t, "SELECT "+col+" FROM events") {
					if strings.Contains(v, strings.TrimPrefix(tok.Secret, "gst_")) {
						t.Fatal("the events hold the token secret")
					}
				}
			}

			// Another person's token: invisible to a non-admin, revocable by an admin.
			_, err = f.app.Auth.RevokeToken(ctx, bob, tok.ID)
			wantCode(t, err, "auth.token_not_found")
			if _, err := f.app.Auth.TokenActor(ctx, tok.Secret); err != nil {
				t.Fatalf("bob's refused revoke revoked it: %v", err)
			}
			f.clock.Advance(time.Minute)
			rv, err := f.app.Auth.RevokeToken(ctx, admin, tok.ID)
			if err != nil || rv.RevokedAt == nil || !rv.RevokedAt.Equal(f.clock.Now()) {
				t.Fatalf("admin revoke = %+v, %v", rv, err)
			}
			_, err = f.app.Auth.TokenActor(ctx, tok.Secret)
			wantCode(t, err, "auth.token_invalid")
			if _, err := f.app.Auth.RevokeToken(ctx, alice, tok.ID); err != nil {
				t.Fatalf("revoking twice: %v", err)
			}
			if n := f.events(t, "auth.token_revoke", tok.ID); n != 1 {
				t.Fatalf("%d revoke events, want 1", n)
			}

			// Own revoke.
			own, err := f.app.Auth.CreateToken(ctx, bob, auth.NewToken{Name: "bob"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.app.Auth.RevokeToken(ctx, bob, own.ID); err != nil {
				t.Fatal(err)
			}
			_, err = f.app.Auth.TokenActor(ctx, own.Secret)
			wantCode(t, err, "auth.token_invalid")

			// Expiry.
			exp := f.clock.Now().Add(time.Hour)
			short, err := f.app.Auth.CreateToken(ctx, alice, auth.NewToken{Name: "short", ExpiresAt: &exp})
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(time.Hour - time.Second)
			if _, err := f.app.Auth.TokenActor(ctx, short.Secret); err != nil {
				t.Fatalf("token before expiry: %v", err)
			}
			f.clock.Advance(time.Second)
			_, err = f.app.Auth.TokenActor(ctx, short.Secret)
			wantCode(t, err, "auth.token_invalid")

			// Bad requests.
			past := f.clock.Now().Add(-time.Second)
			far := f.clock.Now().Add(auth.MaxTokenLifetime + time.Hour)
			_, err = f.app.Auth.CreateToken(ctx, alice, auth.NewToken{Name: "x", ExpiresAt: &past})
			wantCode(t, err, "auth.token_expiry_invalid")
			_, err = f.app.Auth.CreateToken(ctx, alice, auth.NewToken{Name: "x", ExpiresAt: &far})
			wantCode(t, err, "auth.token_expiry_invalid")
			_, err = f.app.Auth.CreateToken(ctx, alice, auth.NewToken{Name: "  "})
			wantCode(t, err, "auth.token_name_invalid")
			_, err = f.app.Auth.TokenActor(ctx, "gst_unknown")
			wantCode(t, err, "auth.token_invalid")
			_, err = f.app.Auth.TokenActor(ctx, "gss_a_session_secret")
			wantCode(t, err, "auth.token_invalid")
		})

		t.Run("disabled person", func(t *testing.T) {
			secret, bob := f.signIn(t, "bob")
			tok, err := f.app.Auth.CreateToken(ctx, bob, auth.NewToken{Name: "before"})
			if err != nil {
				t.Fatal(err)
			}
			_, admin := f.signIn(t, "admin")
			cur, err := f.app.Org.Person(ctx, admin, bob.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			yes := true
			if _, err := f.app.Org.UpdatePerson(ctx, admin, bob.PersonID, org.PersonUpdate{Disabled: &yes, Version: cur.Version}); err != nil {
				t.Fatal(err)
			}
			_, err = f.app.Auth.SessionActor(ctx, secret)
			wantCode(t, err, "auth.unauthenticated")
			var left int
			if err := f.raw.QueryRow("SELECT COUNT(*) FROM sessions WHERE person_id = $1", bob.PersonID).Scan(&left); err != nil || left != 0 {
				t.Fatalf("%d sessions left for a disabled person (%v)", left, err)
			}
			_, err = f.app.Auth.TokenActor(ctx, tok.Secret)
			wantCode(t, err, "auth.token_invalid")
			_, _, err = f.app.Auth.SignIn(ctx, "bob", pw)
			wantCode(t, err, "auth.bad_credentials")
		})
	})
}
