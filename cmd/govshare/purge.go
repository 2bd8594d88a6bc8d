package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/usagerecord"
)

// runPurge is `govshare purge`: it removes what the platform no longer has
// to keep: the usage records of Art. 29 whose retention (at least
// usagerecord.RetentionYears from their newest revision) has run out, and
// ledger entries older than three years (ledger.Retention); no API deletes
// either. It runs as the command-line operator, is recorded in
// the ledger, and prints what it removed. Run it from cron, say monthly.
func runPurge(args []string) error {
	return purgeAt(context.Background(), args, os.Stdout, os.Stderr, time.Now)
}

// purgeAt is runPurge on clock now, for tests.
func purgeAt(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) error {
	fs := newFlags("purge", stderr)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("usage: govshare purge [--db DSN]; unexpected %q", fs.Arg(0))
	}
	a, err := openAppAt(ctx, *db, newLogger(io.Discard), now)
	if err != nil {
		return err
	}
	defer a.Store.Close()
	op := access.Operator(operatorName())
	at := now()
	n, err := a.UsageRecords.Purge(ctx, op, at)
	if err != nil {
		return err
	}
	today := calendar.DateOf(at)
	fmt.Fprintf(stdout, "usage records: removed %d whose retention ended before %s (kept at least %d years, Art. 29)\n",
		n, today, usagerecord.RetentionYears)
	// Then the ledger's own entries past retention, sealed ones only: their
	// leaf hashes stay, so the tree and its proofs still verify.
	r, err := ledger.Purge(ctx, store.Adapt[ledger.PurgeTx](a.Store.Write), op, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ledger: removed %d entries older than %s (entries 1–%d are now known by their sealed hashes)\n",
		r.Removed, calendar.DateOf(r.Cutoff), r.Through)
	return nil
}
