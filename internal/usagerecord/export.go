package usagerecord

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

// What an inspection export holds, and in which format.
const (
	WhatRecords = "records" // the department's usage records (as consumer)
	WhatEvents  = "events"  // the record of acts that concern the department

	FormatCSV  = "csv"
	FormatXLSX = "xlsx"

	ContentTypeCSV  = "text/csv; charset=utf-8"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// exportPage is how many rows each read transaction of an export fetches,
// so that a slow client never holds a transaction open for long.
const exportPage = 500

// maxXLSXRows is a worksheet's last data row (Excel's limit, header
// excluded); a larger export must be CSV or cover a shorter period.
const maxXLSXRows = 1048575

// ExportRequest asks for one department's records or events of a period:
// From included, To excluded, both dates (YYYY-MM-DD, Beijing).
type ExportRequest struct {
	DepartmentID string
	From, To     string
	What         string
	Format       string // "" is csv
}

// Export is a prepared export: rights checked, parameters validated and the
// export recorded, so that a refusal is answered before the first byte.
type Export struct {
	s        *Service
	dept     org.Department
	what     string
	format   string
	from, to calendar.Date
	names    map[string]string // department names by ID, read as needed
}

// exportNote is what the ledger digests for an export: its parameters.
type exportNote struct {
	DepartmentID string `json:"department_id"`
	What         string `json:"what"`
	Format       string `json:"format"`
	From         string `json:"from"`
	To           string `json:"to"`
}

func exportDate(field, v string) (calendar.Date, error) {
	if v == "" {
		return calendar.Date{}, problem.Field(field, "inspection.parameter_required", "缺少参数", field+" is required (YYYY-MM-DD)")
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return calendar.Date{}, problem.Field(field, "inspection.date_invalid", "日期格式应为 YYYY-MM-DD", field+" must be a date YYYY-MM-DD that exists")
	}
	return d, nil
}

// PrepareExport checks that a may export what it asks for (CanExport),
// validates the parameters, each refusal naming its parameter, and records
// the export in the ledger.
func (s *Service) PrepareExport(ctx context.Context, a access.Actor, req ExportRequest) (*Export, error) {
	if !mayExportAny(a) {
		return nil, problem.ErrForbidden
	}
	x := &Export{s: s, what: req.What, format: req.Format, names: map[string]string{}}
	if x.format == "" {
		x.format = FormatCSV
	}
	if strings.TrimSpace(req.DepartmentID) == "" {
		return nil, problem.Field("department_id", "inspection.parameter_required", "缺少参数", "department_id is required")
	}
	switch x.what {
	case WhatRecords, WhatEvents:
	case "":
		return nil, problem.Field("what", "inspection.parameter_required", "缺少参数", "what is required: records or events")
	default:
		return nil, problem.Fieldf("what", "inspection.what_invalid", "导出内容无效", "what must be records or events; got %q", x.what)
	}
	if x.format != FormatCSV && x.format != FormatXLSX {
		return nil, problem.Fieldf("format", "inspection.format_invalid", "导出格式无效", "format must be csv or xlsx; got %q", x.format)
	}
	var err error
	if x.from, err = exportDate("from", req.From); err != nil {
		return nil, err
	}
	if x.to, err = exportDate("to", req.To); err != nil {
		return nil, err
	}
	if !x.to.After(x.from) {
		return nil, problem.Field("to", "inspection.period_invalid", "截止日期应晚于起始日期", "to is excluded and must be after from")
	}
	now := s.clock()
	err = s.write(ctx, func(tx Tx) error {
		d, err := tx.Department(ctx, req.DepartmentID)
		if err != nil {
			return err
		}
		if d == nil {
			return problem.Field("department_id", "inspection.department_unknown", "部门不存在", "department_id names no department")
		}
		ok, err := CanExport(a, d.ID, d.DivisionCode, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
		if err != nil {
			return err
		}
		if !ok {
			return problem.ErrForbidden
		}
		x.dept = *d
		x.names[d.ID] = d.Name
		return ledger.Record(ctx, tx, now, a, ActionExport, ledger.Object{Type: "department", ID: d.ID, DepartmentID: d.ID},
			exportNote{DepartmentID: d.ID, What: x.what, Format: x.format, From: x.from.String(), To: x.to.String()})
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// ContentType is the export's media type.
func (x *Export) ContentType() string {
	if x.format == FormatXLSX {
		return ContentTypeXLSX
	}
	return ContentTypeCSV
}

// FileName is the name the export is saved under.
func (x *Export) FileName() string {
	kind := "usage-records"
	if x.what == WhatEvents {
		kind = "events"
	}
	return fmt.Sprintf("govshare-%s-%s-%s.%s", kind, x.from.String(), x.to.String(), x.format)
}

// Column headers, in Chinese for the officers who read the file.
var (
	recordHeader = []string{"记录编号", "版本", "共享授权编号", "提供部门", "使用场景", "使用过程", "应用成效", "存储情况", "销毁情况",
		"使用起始日期", "使用截止日期", "填写人编号", "填写时间", "保存期限至"}
	eventHeader = []string{"序号", "时间", "操作人编号", "代表部门", "操作", "对象类型", "对象编号", "对象所属部门", "摘要（SM3）"}
)

// sheet is one output format.
type sheet interface {
	row(cells []any) error
	finish() error
	close()
}

// WriteTo writes the export to w and returns how many rows (records'
// revisions or events) it holds. CSV is streamed as it is read; XLSX is
// assembled in a temporary file and written at the end, so a failure while
// reading is reported before its first byte.
func (x *Export) WriteTo(ctx context.Context, w io.Writer) (int, error) {
	header := recordHeader
	if x.what == WhatEvents {
		header = eventHeader
	}
	var out sheet
	var err error
	if x.format == FormatXLSX {
		out, err = newXLSXSheet(w, x, header)
	} else {
		out, err = newCSVSheet(w, header)
	}
	if err != nil {
		return 0, err
	}
	n := 0
	add := func(cells []any) error {
		n++
		if x.format == FormatXLSX && n > maxXLSXRows {
			return problem.New(problem.Invalid, "inspection.too_many_rows", "导出内容超过 Excel 行数上限",
				"the export has more rows than one worksheet holds; choose csv or a shorter period")
		}
		return out.row(cells)
	}
	if x.what == WhatEvents {
		err = x.events(ctx, add)
	} else {
		err = x.records(ctx, add)
	}
	if err != nil {
		out.close()
		return n, err
	}
	return n, out.finish()
}

// start and end are the period's bounds as instants in Beijing time.
func (x *Export) bounds() (time.Time, time.Time) {
	at := func(d calendar.Date) time.Time {
		return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, calendar.Shanghai)
	}
	return at(x.from), at(x.to)
}

func beijing(t time.Time) string { return t.In(calendar.Shanghai).Format("2006-01-02 15:04:05") }

// name is a department's name, or its ID when it has none.
func (x *Export) name(ctx context.Context, tx Tx, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	if n, ok := x.names[id]; ok {
		return n, nil
	}
	d, err := tx.Department(ctx, id)
	if err != nil {
		return "", err
	}
	n := id
	if d != nil {
		n = d.Name
	}
	x.names[id] = n
	return n, nil
}

func (x *Export) records(ctx context.Context, add func([]any) error) error {
	from, to := x.bounds()
	f := Filter{ConsumerID: x.dept.ID, From: from, To: to, Limit: exportPage}
	for {
		var rows [][]any
		err := x.s.read(ctx, func(tx Tx) error {
			rs, err := tx.ListUsageRecords(ctx, f)
			if err != nil {
				return err
			}
			for _, r := range rs {
				provider, err := x.name(ctx, tx, r.ProviderID)
				if err != nil {
					return err
				}
				rows = append(rows, []any{r.ID, r.Version, r.GrantID, provider, r.Scenario, r.Process, r.Effect, r.Storage, r.Destruction,
					r.PeriodFrom, r.PeriodTo, r.CreatedBy, beijing(r.CreatedAt), r.RetainedUntil})
				f.After = CursorOf(r)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := add(r); err != nil {
				return err
			}
		}
		if len(rows) < exportPage {
			return nil
		}
	}
}

func (x *Export) events(ctx context.Context, add func([]any) error) error {
	from, to := x.bounds()
	f := ledger.Filter{DepartmentID: x.dept.ID, From: from, To: to, Limit: exportPage}
	for {
		var rows [][]any
		err := x.s.read(ctx, func(tx Tx) error {
			evs, err := tx.ListEvents(ctx, f)
			if err != nil {
				return err
			}
			for _, e := range evs {
				actorDept, err := x.name(ctx, tx, e.DepartmentID)
				if err != nil {
					return err
				}
				objectDept, err := x.name(ctx, tx, e.ObjectDepartmentID)
				if err != nil {
					return err
				}
				rows = append(rows, []any{e.Seq, beijing(e.At), e.ActorID, actorDept, e.Action, e.ObjectType, e.ObjectID, objectDept, e.Digest})
				f.After = e.Seq
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := add(r); err != nil {
				return err
			}
		}
		if len(rows) < exportPage {
			return nil
		}
	}
}

// csvSheet streams CSV in UTF-8 with a byte-order mark, which is what makes
// Excel on a Chinese Windows open it as UTF-8 rather than GBK. Nothing is
// written before the first row (or the end), so a failure of the first read
// can still be answered as a problem.
type csvSheet struct {
	out    io.Writer
	w      *csv.Writer
	header []string
}

func newCSVSheet(w io.Writer, header []string) (*csvSheet, error) {
	return &csvSheet{out: w, header: header}, nil
}

func (c *csvSheet) begin() error {
	if c.w != nil {
		return nil
	}
	if _, err := io.WriteString(c.out, "\uFEFF"); err != nil {
		return err
	}
	c.w = csv.NewWriter(c.out)
	c.w.UseCRLF = true // what Excel writes and expects
	return c.w.Write(c.header)
}

func (c *csvSheet) row(cells []any) error {
	if err := c.begin(); err != nil {
		return err
	}
	rec := make([]string, len(cells))
	for i, v := range cells {
		switch v := v.(type) {
		case string:
			rec[i] = defuse(v)
		case int64:
			rec[i] = strconv.FormatInt(v, 10)
		default:
			rec[i] = fmt.Sprint(v)
		}
	}
	if err := c.w.Write(rec); err != nil {
		return err
	}
	c.w.Flush() // stream: each row leaves as soon as it is written
	return c.w.Error()
}

func (c *csvSheet) finish() error {
	if err := c.begin(); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}

func (c *csvSheet) close() {}

// defuse keeps a spreadsheet from taking a typed text for a formula (CSV
// injection): a cell that starts like one is prefixed with an apostrophe,
// which Excel shows as text. The records are typed by other departments'
// staff, so an inspector's spreadsheet must not run them.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// xlsxSheet writes rows through excelize's StreamWriter, which keeps at most
// a chunk in memory and the rest in a temporary file, so an export of any
// size takes bounded memory. Cells are written as strings and numbers,
// never formulas.
type xlsxSheet struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	out io.Writer
	n   int
}

// Sheet names of the workbook.
const (
	SheetRecords = "使用记录"
	SheetEvents  = "操作记录"
	SheetAbout   = "导出说明"
)

func newXLSXSheet(w io.Writer, x *Export, header []string) (*xlsxSheet, error) {
	name := SheetRecords
	if x.what == WhatEvents {
		name = SheetEvents
	}
	f := excelize.NewFile()
	fail := func(err error) (*xlsxSheet, error) { f.Close(); return nil, err }
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return fail(err)
	}
	if _, err := f.NewSheet(SheetAbout); err != nil {
		return fail(err)
	}
	about := [][]any{{"部门", x.dept.Name}, {"部门编号", x.dept.ID}, {"内容", map[string]string{WhatRecords: "数据使用记录（《政务数据共享条例》第二十九条）", WhatEvents: "操作与数据访问记录"}[x.what]},
		{"起始日期（含）", x.from.String()}, {"截止日期（不含）", x.to.String()}, {"导出时间", beijing(x.s.clock())}}
	for i, r := range about {
		if err := f.SetSheetRow(SheetAbout, "A"+strconv.Itoa(i+1), &r); err != nil {
			return fail(err)
		}
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fail(err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fail(err)
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return fail(err)
	}
	return &xlsxSheet{f: f, sw: sw, out: w, n: 1}, nil
}

func (s *xlsxSheet) row(cells []any) error {
	s.n++
	return s.sw.SetRow("A"+strconv.Itoa(s.n), cells)
}

func (s *xlsxSheet) finish() error {
	defer s.f.Close()
	if err := s.sw.Flush(); err != nil {
		return err
	}
	_, err := s.f.WriteTo(s.out)
	return err
}

func (s *xlsxSheet) close() { s.f.Close() }
