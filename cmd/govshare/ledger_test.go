package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/org"
)

// An auditor's use of the command line: `ledger key` and `ledger
// checkpoint` give what to keep; `ledger verify --key … --checkpoint …`
// passes with them, and fails with another key or a checkpoint the log no
// longer holds.
func TestLedgerCommandsForAuditors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "govshare.db")
	a, err := openApp(ctx, db, newLogger(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	o := &ledgerOptions{keyType: "sm2", hash: "sm3", origin: "govshare/test"}
	if err := useLedger(ctx, a, db, o, newLogger(io.Discard)); err != nil {
		t.Fatal(err)
	}
	for i := range 5 { // five acts: five people opened by the operator
		if _, err := a.Org.CreatePerson(ctx, access.Operator("test"), org.NewPerson{Username: "admin" + string(rune('a'+i)), DisplayName: "管理员",
			Roles: []access.Role{access.PlatformAdmin}, Password: "a-long-password-1"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Tree.Integrate(ctx); err != nil {
		t.Fatal(err)
	}
	a.Store.Close()

	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, nil, &out, io.Discard)
		return out.String(), err
	}
	keyOut, err := cmd("ledger", "key", "--db", db, "--ledger-origin", "govshare/test")
	if err != nil {
		t.Fatal(err)
	}
	_, vkey, ok := strings.Cut(keyOut, "verifier key: ")
	vkey = strings.TrimSpace(vkey)
	pemFile := filepath.Join(dir, "pub.pem")
	pemText, _, _ := strings.Cut(keyOut, "\nverifier key:")
	if !ok || os.WriteFile(pemFile, []byte(pemText+"\n"), 0o644) != nil {
		t.Fatalf("ledger key printed %q", keyOut)
	}
	cp, err := cmd("ledger", "checkpoint", "--db", db)
	if err != nil || !strings.HasPrefix(cp, "govshare/test\n5\n") {
		t.Fatalf("checkpoint %q %v", cp, err)
	}
	saved := filepath.Join(dir, "cp.txt")
	if err := os.WriteFile(saved, []byte(cp), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{vkey, pemFile} {
		if out, err := cmd("ledger", "verify", "--db", db, "--key", k, "--checkpoint", saved); err != nil || !strings.Contains(out, "OK:") {
			t.Fatalf("verify with %s: %v\n%s", k, err, out)
		}
	}
	// Another key: no signature of the node verifies.
	other, err := tlog.GenerateKey(tlog.KeyAlgorithmSM2)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := cmd("ledger", "verify", "--db", db, "--key", tlog.VerifierKey("govshare/test", other.Public())); err == nil {
		t.Fatalf("verify with another key passed:\n%s", out)
	}
	// The log cut back below the auditor's checkpoint.
	if err := os.WriteFile(saved, []byte(strings.Replace(cp, "\n5\n", "\n6\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := cmd("ledger", "verify", "--db", db, "--key", vkey, "--checkpoint", saved); err == nil || !strings.Contains(out, "checkpoint") {
		t.Fatalf("a forged checkpoint passed: %v\n%s", err, out)
	}
	if _, err := cmd("ledger", "verify", "--db", db, "--key", "not-a-key"); err == nil || !strings.Contains(err.Error(), "--key") {
		t.Fatalf("a bad --key: %v", err)
	}
}
