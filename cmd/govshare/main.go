// Command govshare is the whole platform in one binary: the server, the demo,
// migrations, the first administrator, the working-day calendar and the
// benchmarks. Flags, configuration and wiring live here; rules do not.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `govshare — government data sharing platform (《政务数据共享条例》)

Usage:
  govshare demo      [--addr HOST:PORT] [--data DIR]     run the platform with a demo province on SQLite
  govshare serve     [--addr HOST:PORT] [--db DSN]       run the platform (SQLite file or postgres:// URL)
  govshare migrate   [--db DSN]                          apply database migrations and exit
  govshare user add  --username U --name N --role R [--department ID] [--password-stdin] [--db DSN]
  govshare calendar  import FILE [--replace] | due --from YYYY-MM-DD --days N | explain --from … --days … | status
  govshare call      --key KEY [--secret-file F] [--body JSON|@FILE] METHOD PATH   send one signed gateway request
  govshare purge     [--db DSN]                          remove usage records and ledger entries past their 3-year retention
  govshare ledger    verify [--key KEY] [--checkpoint FILE]… | key | checkpoint   check the tamper-evident ledger
  govshare bench     [--postgres DSN] [--duration D]     measure deadlines, sign-in, reads, workflows, search, gateway, ledger [--ledger-entries N]
                     [--load-process]                    (run the gateway's load generator in a process of its own)

The database comes from --db, else the GOVSHARE_DB environment variable (keep
passwords out of command lines: use the variable), else ./govshare-data/govshare.db.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "govshare:", err)
		}
		os.Exit(2)
	}
}

// run dispatches a command line; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "user":
		if len(rest) == 0 || rest[0] != "add" {
			return fmt.Errorf("usage: govshare user add --username U --name N --role R [--department ID]")
		}
		return cmdUserAdd(ctx, rest[1:], stdin, stdout, stderr)
	case "calendar":
		return cmdCalendar(ctx, rest, stdout, stderr)
	case "bench":
		return cmdBench(ctx, rest, stdout, stderr)
	case "bench-load": // the load generator `bench --load-process` starts
		return cmdBenchLoad(ctx, stdin, stdout)
	case "call":
		return cmdCall(ctx, rest, stdin, stdout, stderr)
	case "purge":
		return runPurge(rest)
	case "ledger":
		return cmdLedger(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("govshare "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// dbFlag registers --db with the environment default.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("GOVSHARE_DB")
	if def == "" {
		def = "govshare-data/govshare.db"
	}
	return fs.String("db", def, "database: an SQLite file path or a postgres:// URL (default from GOVSHARE_DB)")
}
