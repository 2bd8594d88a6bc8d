package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/workcal"
)

const calendarUsage = `usage:
  govshare calendar import FILE [--replace] [--db DSN]   load a year's official notice (format: docs/calendar-import.md)
  govshare calendar due --from YYYY-MM-DD --days N [--db DSN]
  govshare calendar explain --from YYYY-MM-DD --days N [--db DSN]
  govshare calendar status [--db DSN]
due and explain use the calendar shipped in the binary unless --db names a database.`

func cmdCalendar(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", calendarUsage)
	}
	switch args[0] {
	case "import":
		return calendarImport(ctx, args[1:], stdout, stderr)
	case "due", "explain":
		return calendarDue(ctx, args[0], args[1:], stdout, stderr)
	case "status":
		return calendarStatus(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown calendar command %q\n%s", args[0], calendarUsage)
}

func calendarImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calendar import", stderr)
	db := dbFlag(fs)
	replace := fs.Bool("replace", false, "replace a year the calendar already has (a corrected notice)")
	// Accept the file before or after the flags.
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" {
		return fmt.Errorf("calendar import: name the notice file\n%s", calendarUsage)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("calendar import: %w", err)
	}
	a, err := openApp(ctx, *db, newLogger(io.Discard))
	if err != nil {
		return err
	}
	defer a.Store.Close()
	y, err := a.Calendar.Import(ctx, access.Operator(operatorName()), body, *replace)
	if err != nil {
		return fmt.Errorf("calendar import %s: %w", file, err)
	}
	cal, err := a.Calendar.Current(ctx)
	if err != nil {
		return err
	}
	n, _ := cal.WorkingDaysBetween(calendar.Date{Year: y.Year - 1, Month: 12, Day: 31}, calendar.Date{Year: y.Year, Month: 12, Day: 31})
	fmt.Fprintf(stdout, "imported %d (%s): %d holidays, %d make-up working days, %d working days in the year\n",
		y.Year, y.Notice, len(y.Holidays), len(y.MakeUpDays), n)
	return nil
}

func calendarDue(ctx context.Context, which string, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calendar "+which, stderr)
	from := fs.String("from", "", "receipt date YYYY-MM-DD (not counted)")
	days := fs.Int("days", 0, "number of working days")
	db := fs.String("db", "", "read imported years from this database too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("--from is required (YYYY-MM-DD)")
	}
	receipt, err := calendar.ParseDate(*from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	cal := calendar.Builtin()
	if *db != "" {
		a, err := openApp(ctx, *db, newLogger(io.Discard))
		if err != nil {
			return err
		}
		defer a.Store.Close()
		if cal, err = a.Calendar.Current(ctx); err != nil {
			return err
		}
	}
	d, err := cal.DeadlineFrom(receipt, *days)
	if err != nil {
		return fmt.Errorf("--days/--from: %w", workcal.Problem(err))
	}
	if which == "due" {
		fmt.Fprintln(stdout, d.Due)
		return nil
	}
	steps, err := cal.Explain(receipt, *days)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n\n", d.Rule)
	fmt.Fprintf(stdout, "%-10s  %-3s  %-16s  %s\n", "date", "day", "kind", "count")
	fmt.Fprintf(stdout, "%-10s  %-3s  %-16s  %s\n", receipt, receipt.Weekday().String()[:3], "receipt", "not counted")
	for _, s := range steps {
		count := "-"
		if s.Working {
			count = fmt.Sprint(s.Count)
		}
		kind := string(s.Kind)
		if s.Holiday != "" {
			kind += " " + s.Holiday
		}
		fmt.Fprintf(stdout, "%-10s  %-3s  %-16s  %s\n", s.Date, s.Date.Weekday().String()[:3], kind, count)
	}
	fmt.Fprintf(stdout, "\ndue: %s (end of day, Asia/Shanghai)\n", d.Due)
	return nil
}

func calendarStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calendar status", stderr)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := openApp(ctx, *db, newLogger(io.Discard))
	if err != nil {
		return err
	}
	defer a.Store.Close()
	st, err := a.Calendar.Status(ctx)
	if err != nil {
		return err
	}
	for _, y := range st.Years {
		fmt.Fprintf(stdout, "%d  %-8s  %3d working days  %s\n", y.Year, y.Source, y.WorkingDays, y.Notice)
	}
	for _, w := range st.Warnings {
		fmt.Fprintln(stdout, "WARNING:", w)
	}
	return nil
}
