package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/storetest"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestCalendarDueAndExplain(t *testing.T) {
	out, err := runCmd(t, "", "calendar", "due", "--from", "2026-09-30", "--days", "10")
	if err != nil || out != "2026-10-20\n" {
		t.Fatalf("due: %q %v; want 2026-10-20 (National Day 10-01..07 off, 10-10 Saturday worked)", out, err)
	}
	out, err = runCmd(t, "", "calendar", "due", "--from", "2025-09-26", "--days", "1")
	if err != nil || out != "2025-09-28\n" {
		t.Fatalf("due: %q %v; want the make-up Sunday 2025-09-28", out, err)
	}
	out, err = runCmd(t, "", "calendar", "explain", "--from", "2026-09-30", "--days", "10")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`2026-09-30  Wed  receipt\s+not counted`, `2026-10-01  Thu  holiday 国庆节\s+-`, `2026-10-10  Sat  make_up_workday 国庆节\s+3`,
		`2026-10-11  Sun  weekend\s+-`, `2026-10-20  Tue  workday\s+10\n`, "due: 2026-10-20"} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if _, err := runCmd(t, "", "calendar", "due", "--from", "2026-12-28", "--days", "10"); err == nil || !strings.Contains(err.Error(), "2027") {
		t.Errorf("a count into an unknown year must fail naming it: %v", err)
	}
	if _, err := runCmd(t, "", "calendar", "due", "--from", "2026-13-01", "--days", "1"); err == nil || !strings.Contains(err.Error(), "--from") {
		t.Errorf("a bad date must fail naming --from: %v", err)
	}
}

func TestMigrateUserAddAndCalendarImport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "g.db")
	out, err := runCmd(t, "", "migrate", "--db", db)
	files, _ := filepath.Glob("../../internal/store/migrations/sqlite/*.sql")
	if err != nil || !strings.Contains(out, fmt.Sprintf("applied %d migration(s)", len(files))) || len(files) == 0 {
		t.Fatalf("migrate: %q %v", out, err)
	}
	if out, err = runCmd(t, "", "migrate", "--db", db); err != nil || !strings.Contains(out, "applied 0 migration(s)") {
		t.Fatalf("second migrate: %q %v", out, err)
	}
	out, err = runCmd(t, "a-strong-password\n", "user", "add", "--db", db, "--username", "root.admin", "--name", "管理员", "--password-stdin")
	if err != nil || !strings.Contains(out, "created root.admin") {
		t.Fatalf("user add: %q %v", out, err)
	}
	if _, err = runCmd(t, "another-password\n", "user", "add", "--db", db, "--username", "root.admin", "--name", "x", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "org.username_taken") {
		t.Fatalf("duplicate user add: %v", err)
	}
	if _, err = runCmd(t, "", "user", "add", "--db", db, "--username", "staff.x", "--name", "x", "--role", "office_staff"); err == nil || !strings.Contains(err.Error(), "roles[0]") {
		t.Fatalf("office staff without department must name the field: %v", err)
	}
	fixture, _ := filepath.Abs("../../internal/calendar/testdata/2027-fixture.json")
	if out, err = runCmd(t, "", "calendar", "import", fixture, "--db", db); err != nil || !strings.Contains(out, "imported 2027") {
		t.Fatalf("import: %q %v", out, err)
	}
	if _, err = runCmd(t, "", "calendar", "import", fixture, "--db", db); err == nil || !strings.Contains(err.Error(), "calendar.year_exists") {
		t.Fatalf("second import without --replace: %v", err)
	}
	if out, err = runCmd(t, "", "calendar", "import", fixture, "--replace", "--db", db); err != nil {
		t.Fatalf("import --replace: %q %v", out, err)
	}
	if out, err = runCmd(t, "", "calendar", "due", "--from", "2026-12-28", "--days", "10", "--db", db); err != nil || !regexp.MustCompile(`^2027-01-\d\d\n$`).MatchString(out) {
		t.Fatalf("due into the imported year: %q %v", out, err)
	}
	if out, err = runCmd(t, "", "calendar", "status", "--db", db); err != nil || !strings.Contains(out, "2027  imported") {
		t.Fatalf("status: %q %v", out, err)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// The README's first command: the demo starts on SQLite, loads the province,
// prints the address and accounts, serves, and stops cleanly.
func TestDemoStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	done := make(chan error, 1)
	data := t.TempDir()
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--data", data}, strings.NewReader(""), &out, &errOut)
	}()
	re := regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+)/`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && base == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("no address printed: %s %s", out.String(), errOut.String())
	}
	for _, want := range []string{"admin", "gat.head", "audit", "ops", "govshare-demo"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q", want)
		}
	}
	resp, err := http.Post(base+"/api/v1/session", "application/json", strings.NewReader(`{"username":"zj.reviewer","password":"govshare-demo"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo sign-in: %v %v", resp, err)
	}
	resp.Body.Close()
	demoCall(t, base, out.String())
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("demo returned %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "govshare.db")); err != nil {
		t.Fatalf("the demo database is not in --data: %v", err)
	}
}

// The real binary on PostgreSQL: serve migrates at start, answers, and on
// SIGTERM drains and exits 0.
func TestServeOnPostgresStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	schemaDSN := storetest.PostgresSchemaDSN(t) // empty: serve must migrate it
	bin := filepath.Join(t.TempDir(), "govshare")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "GOVSHARE_DB="+schemaDSN) // the DSN stays out of the command line
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stderr)
	var addr string
	var logs []string
	for lines.Scan() {
		logs = append(logs, lines.Text())
		var rec map[string]any
		if json.Unmarshal(lines.Bytes(), &rec) == nil && rec["msg"] == "listening" {
			addr = rec["addr"].(string)
			break
		}
	}
	if addr == "" {
		t.Fatalf("server did not report its address: %v", logs)
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz on postgres: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(stderr)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, rest)
	}
	if !strings.Contains(string(rest), "shutdown complete") {
		t.Errorf("no clean shutdown logged: %s", rest)
	}
	if strings.Contains(strings.Join(logs, "\n")+string(rest), "postgres://") {
		t.Error("the database DSN was logged")
	}
}

// demoCall follows the README: the banner names a system's key, its
// owner-only secret file and its grant; `govshare call` signs a query with
// them and gets the row; without the secret it gets nothing.
func demoCall(t *testing.T, base, banner string) {
	t.Helper()
	m := regexp.MustCompile(`key (gsk_\w+)  secret file (\S+)\n    grant (\S+) \(application approved\)`).FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("the banner names no system for the approved application:\n%s", banner)
	}
	key, secretFile, grantID := m[1], m[2], m[3]
	if st, err := os.Stat(secretFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file %s: %v %v", secretFile, st.Mode(), err)
	}
	body := `{"grant_id":"` + grantID + `","purpose":"全省事业单位公开招聘资格复审：在线核验应聘人员的学历学位，免交证书复印件",` +
		`"items":["姓名","院校名称"],"where":{"证书编号":"103371202506004321"}}`
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"call", "--url", base, "--key", key, "--secret-file", secretFile, "--body", body,
		"POST", "/gateway/v1/query"}, strings.NewReader(""), &out, &errOut)
	if err != nil || !strings.Contains(out.String(), `"院校名称":"浙江工业大学"`) || !strings.Contains(errOut.String(), "RateLimit-Remaining") {
		t.Fatalf("govshare call: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	wrong := filepath.Join(t.TempDir(), "wrong.secret")
	if err := os.WriteFile(wrong, []byte("gsc_not-the-secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(context.Background(), []string{"call", "--url", base, "--key", key, "--secret-file", wrong, "--body", body,
		"POST", "/gateway/v1/query"}, strings.NewReader(""), &out, &errOut)
	if err == nil || strings.Contains(out.String(), "浙江工业大学") {
		t.Fatalf("a wrong secret was answered: %v %s", err, out.String())
	}
}
