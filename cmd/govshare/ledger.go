package main

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/store"
)

// EnvLedgerKey names the checkpoint signing key file for nodes on
// PostgreSQL (all nodes of one platform share one key).
const EnvLedgerKey = "GOVSHARE_LEDGER_KEY"

// integrateInterval is how often serve seals new events under a signed
// checkpoint: an act is committed at once and sealed within this interval.
const integrateInterval = time.Second

// ledgerOptions are the ledger's start-up settings.
type ledgerOptions struct {
	keyPath, keyType, hash, origin string
}

func ledgerFlags(fs *flag.FlagSet) *ledgerOptions {
	o := &ledgerOptions{}
	fs.StringVar(&o.keyPath, "ledger-key", os.Getenv(EnvLedgerKey), "checkpoint signing key (PKCS#8 PEM, SM2 or Ed25519, mode 0600); created at first start beside an SQLite database when absent (default from "+EnvLedgerKey+")")
	fs.StringVar(&o.keyType, "ledger-key-type", string(tlog.DefaultKeyAlgorithm), "algorithm of a key created at first start: sm2 or ed25519")
	fs.StringVar(&o.hash, "ledger-hash", string(tlog.DefaultAlgorithm), "tree hash of a new ledger, fixed at set-up: sm3 or sha256")
	fs.StringVar(&o.origin, "ledger-origin", "", "the log's name in its checkpoints (default govshare/<host name>)")
	return o
}

// keyPathFor is where the key lives: the flag, or beside the SQLite file.
func (o *ledgerOptions) keyPathFor(s *store.Store, dsn string) (string, error) {
	if o.keyPath != "" {
		return o.keyPath, nil
	}
	if s.Engine() == store.SQLite {
		return filepath.Join(filepath.Dir(strings.TrimPrefix(dsn, "sqlite:")), "ledger", "checkpoint.key"), nil
	}
	return "", nil
}

func (o *ledgerOptions) originOr() string {
	if o.origin != "" {
		return o.origin
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	return "govshare/" + host
}

// useLedger loads (or creates) the checkpoint key and configures the tree.
// Without a key the node still records every act, but seals nothing: a
// node on PostgreSQL must be given the platform's key.
func useLedger(ctx context.Context, a *app.App, dsn string, o *ledgerOptions, log *slog.Logger) error {
	if _, err := tlog.HasherFor(tlog.Algorithm(o.hash)); err != nil {
		return fmt.Errorf("--ledger-hash: %w", err)
	}
	path, err := o.keyPathFor(a.Store, dsn)
	if err != nil {
		return err
	}
	if path == "" {
		log.Warn("no ledger key: events are recorded but not sealed by signed checkpoints", "set", EnvLedgerKey)
		a.Tree.Configure(ledger.TreeConfig{Algorithm: tlog.Algorithm(o.hash), Origin: o.originOr()})
		return nil
	}
	key, created, err := tlog.LoadOrCreateKey(path, tlog.KeyAlgorithm(o.keyType))
	if err != nil {
		return fmt.Errorf("ledger key: %w", err)
	}
	// The log keeps the name it was set up with, whatever the host is
	// called today: auditors' keys are bound to it.
	origin := o.originOr()
	if st, err := a.Tree.Latest(ctx); err == nil {
		if stored := originOf(st.Checkpoint); stored != origin && o.origin != "" {
			log.Warn("--ledger-origin differs from the ledger's; keeping the ledger's", "ledger", stored, "flag", o.origin)
		}
		origin = originOf(st.Checkpoint)
	}
	signer, err := tlog.NewSigner(origin, key)
	if err != nil {
		return fmt.Errorf("ledger key: %w", err)
	}
	a.Tree.Configure(ledger.TreeConfig{Algorithm: tlog.Algorithm(o.hash), Origin: origin, Signer: signer, PublicKey: key.Public()})
	log.Info("ledger key ready", "path", path, "created", created, "verifier_key", tlog.VerifierKey(origin, key.Public()))
	// Seal what is already there before serving, so the first checkpoint
	// exists when the API answers.
	if _, err := a.Tree.Integrate(ctx); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// startIntegrator indexes the departments of new events (for the record's
// listings) and, with a key, seals them under a signed checkpoint, every
// interval until stop is called.
func startIntegrator(ctx context.Context, a *app.App, every time.Duration, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		var lastErr string
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				_, err := a.Store.IndexEvents(ctx)
				if err == nil && a.Tree.CanSign() {
					_, err = a.Tree.Integrate(ctx)
				}
				switch {
				case err != nil && ctx.Err() == nil && err.Error() != lastErr:
					log.Error("ledger integration failed", "err", err.Error())
					lastErr = err.Error()
				case err == nil:
					lastErr = ""
				}
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

const ledgerUsage = `usage:
  govshare ledger verify [--db DSN] [--key KEY] [--checkpoint FILE]... [--json]
  govshare ledger key    [--db DSN] [--ledger-key FILE]     print the checkpoint public key
  govshare ledger checkpoint [--db DSN]                     print the latest signed checkpoint`

func cmdLedger(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, ledgerUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "verify":
		return cmdLedgerVerify(ctx, args[1:], stdout, stderr)
	case "key":
		return cmdLedgerKey(ctx, args[1:], stdout, stderr)
	case "checkpoint":
		return cmdLedgerCheckpoint(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, ledgerUsage)
	return fmt.Errorf("unknown ledger command %q", args[0])
}

// openCurrent opens a database for reading the ledger, without migrating
// it: a copy under inspection must not be changed.
func openCurrent(ctx context.Context, dsn string) (*store.Store, error) {
	if !strings.Contains(dsn, "://") {
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("database %s: %w", dsn, err)
		}
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	pending, err := s.Pending(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	if pending {
		s.Close()
		return nil, fmt.Errorf("database %s is not at this version's schema (run govshare migrate on the node, not on a copy under inspection)", dsn)
	}
	return s, nil
}

// verifierFrom reads a public key: a file (PEM, or a verifier key on one
// line), else the verifier key itself.
func verifierFrom(key, origin string) (note.Verifier, error) {
	b, err := os.ReadFile(key)
	if err != nil {
		if v, kerr := tlog.NewVerifierFromKey(key); kerr == nil {
			return v, nil
		}
		return nil, fmt.Errorf("--key is neither a readable file nor a verifier key: %w", err)
	}
	if s := strings.TrimSpace(string(b)); !strings.HasPrefix(s, "-----") {
		return tlog.NewVerifierFromKey(s)
	}
	pub, err := tlog.ParsePublicKeyPEM(b)
	if err != nil {
		return nil, fmt.Errorf("--key %s: %w", key, err)
	}
	return tlog.NewVerifier(origin, pub)
}

// originOf reads the origin line of a signed checkpoint.
func originOf(signed []byte) string {
	line, _, _ := strings.Cut(string(signed), "\n")
	return line
}

func cmdLedgerVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ledger verify", stderr)
	db := dbFlag(fs)
	key := fs.String("key", "", "the node's checkpoint public key: a PEM file or a verifier key (govshare ledger key prints both); default: the key beside an SQLite database")
	var checkpoints multiFlag
	fs.Var(&checkpoints, "checkpoint", "a signed checkpoint saved earlier (file); repeat for several; the log must have grown from each")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, st, err := openLedger(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	origin := ""
	if st != nil {
		origin = originOf(st.Checkpoint)
	}
	var v note.Verifier
	switch {
	case *key != "":
		if v, err = verifierFrom(*key, origin); err != nil {
			return err
		}
	case s.Engine() == store.SQLite:
		path := filepath.Join(filepath.Dir(*db), "ledger", "checkpoint.key")
		k, err := tlog.LoadKeyFile(path)
		if err != nil {
			return fmt.Errorf("no --key given and the node's key could not be read: %w", err)
		}
		if v, err = tlog.NewVerifier(origin, k.Public()); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "checking signatures with the node's own key %s (an auditor should pass the key saved earlier with --key)\n", path)
	default:
		return errors.New("--key is required on PostgreSQL: the node's checkpoint public key (PEM file or verifier key)")
	}
	var anchors []ledger.Anchor
	for _, f := range checkpoints {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("--checkpoint: %w", err)
		}
		anchors = append(anchors, ledger.Anchor{Note: b, Verifier: v, Source: filepath.Base(f)})
	}
	fmt.Fprintln(stderr, "recomputing the tree from the stored entries…")
	var r ledger.Report
	if err := s.Read(ctx, func(tx *store.Tx) (err error) { r, err = ledger.Verify(ctx, tx, v, anchors); return err }); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	} else {
		printReport(stdout, r)
	}
	if !r.OK() {
		return fmt.Errorf("ledger verification failed: %s", r.Findings[0])
	}
	return nil
}

func printReport(w io.Writer, r ledger.Report) {
	fmt.Fprintf(w, "hash: %s\nentries stored: %d (purged after retention: %d)\nsealed by the latest checkpoint: %d\nroot: %s\n",
		r.Algorithm, r.Entries, r.Purged, r.TreeSize, r.Root)
	fmt.Fprintf(w, "signed checkpoints matched: %d %v\n", len(r.Checkpoints), r.Checkpoints)
	if r.OK() {
		fmt.Fprintln(w, "OK: every entry matches the tree and every checkpoint; the log only grew")
		return
	}
	fmt.Fprintf(w, "FAILED: %d finding(s)\n", len(r.Findings))
	for _, f := range r.Findings {
		fmt.Fprintln(w, "  -", f)
	}
}

func cmdLedgerKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ledger key", stderr)
	db := dbFlag(fs)
	o := ledgerFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := o.keyPath
	if path == "" {
		if strings.Contains(*db, "://") {
			return errors.New("--ledger-key is required on PostgreSQL")
		}
		path = filepath.Join(filepath.Dir(*db), "ledger", "checkpoint.key")
	}
	k, err := tlog.LoadKeyFile(path)
	if err != nil {
		return err
	}
	return printPublicKey(stdout, o.originOr(), k.Public())
}

func printPublicKey(w io.Writer, origin string, pub crypto.PublicKey) error {
	pemb, err := tlog.PublicKeyPEM(pub)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s\nverifier key: %s\n", strings.TrimSpace(string(pemb)), tlog.VerifierKey(origin, pub))
	return nil
}

func cmdLedgerCheckpoint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ledger checkpoint", stderr)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, st, err := openLedger(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if st == nil {
		return errors.New("the ledger has no checkpoint yet: start the node once")
	}
	_, err = stdout.Write(st.Checkpoint)
	return err
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// openLedger opens a database as openCurrent does and reads the ledger's
// state (nil before the first checkpoint).
func openLedger(ctx context.Context, dsn string) (*store.Store, *ledger.State, error) {
	s, err := openCurrent(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	var st *ledger.State
	if err := s.Read(ctx, func(tx *store.Tx) (err error) { st, err = tx.LedgerState(ctx); return err }); err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, st, nil
}
