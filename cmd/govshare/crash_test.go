package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Issue #5 point 5: an act acknowledged to its caller is in the ledger after
// the node is killed (SIGKILL, no chance to flush or shut down) in the middle
// of a load and started again, and the ledger still verifies. The real binary
// runs on a real SQLite file; nothing is simulated.
func TestCrashKeepsAcknowledgedEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it under load")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "govshare")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "data", "govshare.db")
	const username, password = "crash.admin", "a-strong-password"
	if out, err := runBinary(bin, password+"\n", "user", "add", "--db", db, "--username", username, "--name", "管理员", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}

	// First life: load, then SIGKILL while requests are in flight.
	srv := startNode(t, bin, db, "first")
	cookie := srv.signIn(t, username, password)
	acked, cutOff := crashUnderLoad(t, srv, cookie)
	t.Logf("killed with %d tokens acknowledged and %d requests cut off", len(acked), cutOff)

	// Second life: recovery happens on open. The node must go on numbering
	// where the durable log ends.
	srv = startNode(t, bin, db, "second")
	cookie = srv.signIn(t, username, password)
	for i := range 5 {
		id, status, body, err := srv.createToken(http.DefaultClient, cookie, fmt.Sprintf("after-restart-%d", i))
		if err != nil || status != http.StatusCreated {
			t.Fatalf("token after restart: %d %v %s", status, err, body)
		}
		acked = append(acked, id)
	}

	// Every acknowledged token has its event, once, and the events are
	// numbered 1..n without a gap.
	entries := srv.entriesFrom(t, cookie, 1)
	for i, e := range entries {
		if e.Seq != int64(i)+1 {
			t.Fatalf("the events are not numbered without gaps: position %d holds seq %d", i+1, e.Seq)
		}
	}
	created := map[string]int{}
	for _, e := range entries {
		if e.Action == "auth.token_create" {
			created[e.ObjectID]++
		}
	}
	var missing []string
	for _, id := range acked {
		if created[id] != 1 {
			missing = append(missing, fmt.Sprintf("%s (events: %d)", id, created[id]))
		}
	}
	t.Logf("%d events after the restart; %d token creations committed without an acknowledgement (in flight at the kill)",
		len(entries), len(created)-len(acked))
	if len(missing) > 0 {
		t.Fatalf("%d of %d acknowledged tokens lack exactly one auth.token_create event after the crash: %v",
			len(missing), len(acked), missing[:min(len(missing), 10)])
	}
	// The event filter the API offers finds one of them too.
	if evs := srv.eventsOf(t, cookie, acked[len(acked)/2]); len(evs) != 1 || evs[0].Action != "auth.token_create" {
		t.Fatalf("GET /api/v1/events?object_id= for an acknowledged token: %+v", evs)
	}

	// Wait until the restarted node has sealed every event, then stop it.
	n := srv.waitSealed(t, cookie, int64(len(entries)))
	srv.stop(t)
	out, err := runBinary(bin, "", "ledger", "verify", "--db", db)
	if err != nil || !strings.Contains(out, "OK:") {
		t.Fatalf("ledger verify after the crash and restart: %v\n%s", err, out)
	}
	if !strings.Contains(out, fmt.Sprintf("sealed by the latest checkpoint: %d\n", n)) {
		t.Errorf("verify does not report the %d sealed entries:\n%s", n, out)
	}

	// Negative control: the same verification must catch one edited row,
	// naming its seq. An acknowledged token's event from the first life.
	var target int64
	for _, e := range entries {
		if e.Action == "auth.token_create" && e.ObjectID == acked[len(acked)/3] {
			target = e.Seq
		}
	}
	sdb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sdb.Exec("UPDATE events SET action = 'auth.token_revoke' WHERE seq = ?", target)
	if err == nil {
		if k, _ := res.RowsAffected(); k != 1 {
			err = fmt.Errorf("%d rows edited", k)
		}
	}
	if cerr := sdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("editing event %d: %v", target, err)
	}
	out, err = runBinary(bin, "", "ledger", "verify", "--db", db)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("ledger verify after editing event %d must exit non-zero: %v\n%s", target, err, out)
	}
	if want := fmt.Sprintf("entry %d altered", target); !strings.Contains(out, want) {
		t.Fatalf("ledger verify after editing event %d does not say %q:\n%s", target, want, out)
	}
}

// crashUnderLoad runs concurrent clients issuing tokens and kills the node
// with SIGKILL while they do. It kills only after the node has sealed part
// of the load under a checkpoint and gone on acknowledging more, so that
// the integrator and the WAL checkpointer (both every second) have run
// under the load, and the crash leaves sealed and unsealed events and a WAL
// to recover. It returns the acknowledged token IDs and how many requests
// the kill cut off.
func crashUnderLoad(t *testing.T, srv *node, cookie string) (acked []string, cutOff int) {
	const clients, moreAfterSeal = 16, 300
	sealedBefore := srv.checkpointSize(t, cookie)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	var (
		mu      sync.Mutex
		killed  atomic.Bool
		failure error
		cut     atomic.Int64
		wg      sync.WaitGroup
	)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				id, status, body, err := srv.createToken(client, cookie, fmt.Sprintf("load-%d-%d", c, i))
				mu.Lock()
				switch {
				case err != nil && killed.Load():
					// In flight at the kill (or sent after it): not
					// acknowledged, so the ledger owes it nothing.
					cut.Add(1)
				case err != nil:
					failure = fmt.Errorf("request before the kill: %w", err)
				case status != http.StatusCreated:
					failure = fmt.Errorf("token creation answered %d: %s", status, body)
				default:
					acked = append(acked, id)
				}
				stop := err != nil || failure != nil
				mu.Unlock()
				if stop {
					return
				}
			}
		}()
	}
	progress := func() (int, error) { mu.Lock(); defer mu.Unlock(); return len(acked), failure }
	killAt := -1 // acknowledgements to wait for, once part of the load is sealed
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		n, err := progress()
		if err != nil || time.Now().After(deadline) {
			break // the clients have stopped, or the load does not advance: fail below
		}
		if killAt < 0 && srv.checkpointSize(t, cookie) > sealedBefore {
			killAt = n + moreAfterSeal
		}
		if killAt >= 0 && n >= killAt {
			break
		}
	}
	killed.Store(true)
	srv.kill(t)
	wg.Wait()
	if failure != nil {
		t.Fatal(failure)
	}
	if killAt < 0 || len(acked) < killAt {
		t.Fatalf("the load did not get under way: %d acknowledged, kill planned at %d\n%s", len(acked), killAt, srv.log())
	}
	return acked, int(cut.Load())
}

// node is one life of `govshare serve` on the test's database.
type node struct {
	cmd  *exec.Cmd
	base string
	logs string // the file its stderr goes to
	// exited is closed when the process has been waited for; err is then
	// how it ended.
	exited chan struct{}
	err    error
	csrf   string // the signed-in session's CSRF token, repeated on commands
}

func startNode(t *testing.T, bin, db, life string) *node {
	t.Helper()
	logs := filepath.Join(filepath.Dir(filepath.Dir(db)), "serve-"+life+".log")
	f, err := os.Create(logs)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Env = testEnv()
	// A file, not a pipe: a pipe nobody drains would stall the server's
	// request logging and with it the load.
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &node{cmd: cmd, logs: logs, exited: make(chan struct{})}
	go func() { n.err = cmd.Wait(); close(n.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // a no-op once it has been waited for
		<-n.exited
	})
	var addr string
	for deadline := time.Now().Add(20 * time.Second); addr == "" && time.Now().Before(deadline); {
		select {
		case <-n.exited:
			t.Fatalf("serve (%s) exited at start: %v\n%s", life, n.err, n.log())
		case <-time.After(20 * time.Millisecond):
		}
		for line := range strings.SplitSeq(n.log(), "\n") {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "listening" {
				addr, _ = rec["addr"].(string)
			}
		}
	}
	if addr == "" {
		t.Fatalf("serve (%s) did not report its address:\n%s", life, n.log())
	}
	n.base = "http://" + addr
	resp, err := http.Get(n.base + "/readyz")
	if err != nil {
		t.Fatalf("readyz (%s): %v", life, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz (%s): %d %s", life, resp.StatusCode, body)
	}
	return n
}

func (n *node) log() string {
	b, _ := os.ReadFile(n.logs)
	return string(b)
}

// kill sends SIGKILL: no handler runs, nothing is flushed or closed.
func (n *node) kill(t *testing.T) {
	t.Helper()
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-n.exited
	err := n.err
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the node was not killed by SIGKILL: %v\n%s", err, n.log())
	}
}

// stop sends SIGTERM and expects a clean exit.
func (n *node) stop(t *testing.T) {
	t.Helper()
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-n.exited
	if n.err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", n.err, n.log())
	}
}

func (n *node) signIn(t *testing.T, username, password string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	resp, err := http.Post(n.base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("sign-in: %d %s", resp.StatusCode, b)
	}
	// The cookie is Secure; sent by hand, since a cookie jar would not send
	// it over plain HTTP.
	session := ""
	for _, c := range resp.Cookies() {
		switch c.Name {
		case "govshare_session":
			session = c.Name + "=" + c.Value
		case "govshare_csrf":
			n.csrf = c.Value
		}
	}
	if session == "" || n.csrf == "" {
		t.Fatal("sign-in set no session or CSRF cookie")
	}
	return session
}

// createToken issues a personal token: one act, one event whose object is
// the token. It returns the token's ID when the node acknowledged it.
func (n *node) createToken(client *http.Client, cookie, name string) (id string, status int, body []byte, err error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, n.base+"/api/v1/me/tokens",
		strings.NewReader(`{"name":"`+name+`"}`))
	if err != nil {
		return "", 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", cookie)
	req.Header.Set("X-CSRF-Token", n.csrf)
	resp, err := client.Do(req)
	if err != nil {
		return "", 0, nil, err
	}
	defer resp.Body.Close()
	if body, err = io.ReadAll(resp.Body); err != nil {
		return "", resp.StatusCode, body, err
	}
	if resp.StatusCode != http.StatusCreated {
		return "", resp.StatusCode, body, nil
	}
	var tok struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.ID == "" {
		return "", resp.StatusCode, body, fmt.Errorf("acknowledged without a token id: %v", err)
	}
	return tok.ID, resp.StatusCode, body, nil
}

type crashEvent struct {
	Seq      int64  `json:"seq"`
	Action   string `json:"action"`
	ObjectID string `json:"object_id"`
}

func (n *node) getJSON(t *testing.T, cookie, path string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, n.base+path, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// entriesFrom reads the stored ledger entries from seq start on, sealed or
// not, in order.
func (n *node) entriesFrom(t *testing.T, cookie string, start int64) []crashEvent {
	t.Helper()
	var all []crashEvent
	for {
		var page struct {
			Items []crashEvent `json:"items"`
		}
		n.getJSON(t, cookie, fmt.Sprintf("/api/v1/ledger/entries?start=%d&limit=1000", start), &page)
		if len(page.Items) == 0 {
			return all
		}
		all = append(all, page.Items...)
		start = page.Items[len(page.Items)-1].Seq + 1
	}
}

func (n *node) eventsOf(t *testing.T, cookie, objectID string) []crashEvent {
	t.Helper()
	var page struct {
		Items []crashEvent `json:"items"`
	}
	n.getJSON(t, cookie, "/api/v1/events?object_id="+objectID, &page)
	return page.Items
}

// checkpointSize reads the tree size of the node's latest signed
// checkpoint (a signed note: origin, size, root, then signatures).
func (n *node) checkpointSize(t *testing.T, cookie string) int64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, n.base+"/api/v1/ledger/checkpoint", nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(string(b), "\n")
	if resp.StatusCode != http.StatusOK || len(lines) < 3 {
		t.Fatalf("checkpoint: %d %s", resp.StatusCode, b)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		t.Fatalf("checkpoint size line %q: %v", lines[1], err)
	}
	return size
}

// waitSealed polls the signed checkpoint until its tree covers at least
// the given number of events and no stored event lies beyond it; it returns
// the tree size.
func (n *node) waitSealed(t *testing.T, cookie string, atLeast int64) int64 {
	t.Helper()
	var size int64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		size = n.checkpointSize(t, cookie)
		if size >= atLeast && len(n.entriesFrom(t, cookie, size+1)) == 0 {
			return size
		}
	}
	t.Fatalf("the restarted node did not seal the %d events; its checkpoint is at %d", atLeast, size)
	return 0
}

// runBinary runs the built binary to completion.
func runBinary(bin, stdin string, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = testEnv()
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// testEnv is the environment without GOVSHARE_* settings, so that a
// developer's database, keys or master key cannot leak into the test.
func testEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOVSHARE_") {
			env = append(env, kv)
		}
	}
	return env
}
