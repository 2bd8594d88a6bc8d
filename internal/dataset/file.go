package dataset

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
)

// Formats of an uploaded rows file.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// Bounds of one uploaded file: more than a JSON load, since a sharing office
// exports whole tables from its own systems; still one transaction.
const (
	MaxUploadBytes = 64 << 20
	MaxUploadRows  = 100000
	// MaxUnzippedBytes bounds what an XLSX file may unpack to.
	MaxUnzippedBytes = 1 << 30
)

// Upload is a provider's rows file: a header row naming the data items, then
// one row per data row. Mode and Version are as for Load. An empty Format is
// a media type the API did not recognise: refused as unsupported, after the
// rights check.
type Upload struct {
	Format  string
	Body    io.Reader
	Mode    Mode
	Version *int64
}

// Upload loads a CSV or XLSX file into an entry's dataset. Rights are checked
// before the file is read; every bad cell is reported with its row number in
// the file, and a file with any bad cell, a truncated or malformed file
// changes nothing (the load is one transaction).
func (s *Service) Upload(ctx context.Context, a access.Actor, entryID string, in Upload) (Result, error) {
	var sc *Schema
	if err := s.read(ctx, func(tx Tx) (err error) { _, sc, err = entry(ctx, tx, a, entryID, CanLoad); return err }); err != nil {
		return Result{}, err
	}
	raw, err := io.ReadAll(io.LimitReader(in.Body, MaxUploadBytes+1))
	if err != nil {
		return Result{}, problem.Field("file", "dataset.file_unreadable", "文件读取失败，未写入任何数据", "the upload could not be read to its end")
	}
	if len(raw) > MaxUploadBytes {
		return Result{}, &problem.Error{Kind: problem.TooLarge, Code: "dataset.file_too_large", Title: "文件过大", Field: "file",
			Detail: fmt.Sprintf("an upload may have at most %d MiB; split it or use the rows API", MaxUploadBytes>>20)}
	}
	var table [][]string
	var lines []int
	switch in.Format {
	case CSV:
		table, lines, err = readCSV(raw)
	case XLSX:
		table, lines, err = readXLSX(raw)
	case "":
		return Result{}, &problem.Error{Kind: problem.Unsupported, Code: "request.media_type", Title: "请上传 CSV 或 XLSX 文件",
			Detail: "send the file as the body with Content-Type: text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	default:
		return Result{}, problem.Fieldf("format", "dataset.format_invalid", "文件格式无效", "format must be csv or xlsx; got %q", in.Format)
	}
	if err != nil {
		return Result{}, err
	}
	rows, numbers, err := sc.rowsOf(table, lines, in.Format == XLSX)
	if err != nil {
		return Result{}, err
	}
	return s.load(ctx, a, entryID, Load{Rows: rows, Mode: in.Mode, Version: in.Version}, MaxUploadRows, numbers)
}

// numberRows puts the file row numbers on the errors of a checked file.
func numberRows(err error, fileRows []int) error {
	var bad *InvalidRows
	if fileRows == nil || !errors.As(err, &bad) {
		return err
	}
	for i := range bad.Errors {
		if e := &bad.Errors[i]; e.Index >= 0 && e.Index < len(fileRows) {
			e.Row = fileRows[e.Index]
		}
	}
	return err
}

func fileErr(code, title, detail string) error {
	return &problem.Error{Kind: problem.Invalid, Code: code, Title: title, Detail: detail, Field: "file"}
}

// readCSV reads a CSV file in UTF-8 (with or without a byte-order mark) or,
// as Excel on a Chinese Windows saves it, GB18030. It returns the records and
// the line each begins on.
func readCSV(raw []byte) ([][]string, []int, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		// The decoder replaces bytes it cannot read with U+FFFD rather than
		// failing: such a file is neither encoding.
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
			return nil, nil, fileErr("dataset.file_encoding", "文件编码无法识别", "a CSV file must be UTF-8 or GB18030 text")
		}
		raw = dec
	}
	r := csv.NewReader(bytes.NewReader(raw))
	var table [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return nil, nil, fileErr("dataset.file_malformed", "CSV 文件格式错误，未写入任何数据",
				fmt.Sprintf("line %d: %v (every row must have as many fields as the header; quotes must be closed)", perr.Line, perr.Err))
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := r.FieldPos(0)
		table, lines = append(table, rec), append(lines, line)
	}
	return table, lines, nil
}

// readXLSX reads the first sheet of a workbook, cell values as stored (a
// date is its serial number, converted by the item's type).
func readXLSX(raw []byte) ([][]string, []int, error) {
	// Bound what the workbook may expand to: a small compressed file can
	// otherwise unpack to gigabytes in memory or on the temporary disk.
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: MaxUnzippedBytes, UnzipXMLSizeLimit: MaxUnzippedBytes / 4})
	if err != nil && strings.Contains(err.Error(), "unzip size") {
		return nil, nil, &problem.Error{Kind: problem.TooLarge, Code: "dataset.file_too_large", Title: "文件解压后过大", Field: "file",
			Detail: fmt.Sprintf("the workbook unpacks to more than %d MiB; split it", MaxUnzippedBytes>>20)}
	}
	if err != nil {
		return nil, nil, fileErr("dataset.file_malformed", "XLSX 文件无法打开，未写入任何数据", "the file is not a readable XLSX workbook (truncated or another format?)")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fileErr("dataset.file_empty", "文件没有数据", "the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, nil, fileErr("dataset.file_malformed", "XLSX 文件无法读取，未写入任何数据", "the first sheet could not be read")
	}
	defer rows.Close()
	var table [][]string
	var lines []int
	for n := 1; rows.Next(); n++ {
		if n > MaxUploadRows+1 { // the header and MaxUploadRows rows
			return nil, nil, problem.Fieldf("file", "dataset.too_many_rows", "单次数据行过多", "one file may carry at most %d rows", MaxUploadRows)
		}
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, fileErr("dataset.file_malformed", "XLSX 文件无法读取，未写入任何数据", fmt.Sprintf("row %d could not be read", n))
		}
		table, lines = append(table, rec), append(lines, n)
	}
	return table, lines, nil
}

// rowsOf turns a table (header first) into rows, each cell converted to the
// JSON its item's data type wants, with each row's number in the file; blank
// rows are skipped. A header that names no item, names one twice or lacks a
// key item is refused.
func (s *Schema) rowsOf(table [][]string, lines []int, serials bool) ([]Row, []int, error) {
	for len(table) > 0 && blank(table[0]) {
		table, lines = table[1:], lines[1:]
	}
	if len(table) == 0 {
		return nil, nil, fileErr("dataset.file_empty", "文件没有数据", "the file has no header row")
	}
	header := table[0]
	cols := make([]catalog.Item, len(header))
	var errs []RowError
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.TrimSpace(h)
		it, ok := s.byName[name]
		switch {
		case name == "":
			continue
		case !ok:
			errs = append(errs, RowError{Index: -1, Row: lines[0], Item: name, Field: "header", Code: "dataset.column_unknown",
				Title: "表头列不是该目录的数据项", Detail: fmt.Sprintf("column %d names no data item of the published entry", i+1)})
		case seen[name]:
			errs = append(errs, RowError{Index: -1, Row: lines[0], Item: name, Field: "header", Code: "dataset.column_duplicate",
				Title: "表头列重复", Detail: fmt.Sprintf("column %d repeats a data item", i+1)})
		default:
			seen[name], cols[i] = true, it
		}
	}
	for _, k := range s.keys {
		if !seen[k] {
			errs = append(errs, RowError{Index: -1, Row: lines[0], Item: k, Field: "header", Code: "dataset.column_missing",
				Title: "表头缺少主键数据项", Detail: "every key item needs a column"})
		}
	}
	if len(errs) > 0 {
		return nil, nil, &InvalidRows{Errors: errs}
	}
	var out []Row
	var numbers []int
	for n, rec := range table[1:] {
		if blank(rec) {
			continue
		}
		r := Row{}
		for i, cell := range rec {
			if i >= len(cols) || cols[i].Name == "" || strings.TrimSpace(cell) == "" {
				continue
			}
			r[cols[i].Name] = cellJSON(cols[i], strings.TrimSpace(cell), serials)
		}
		out, numbers = append(out, r), append(numbers, lines[n+1])
	}
	if len(out) == 0 {
		return nil, nil, fileErr("dataset.rows_required", "文件没有数据行", "the file has a header but no data row")
	}
	return out, numbers, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cellJSON is the JSON of a cell for its item's data type. A cell that cannot
// be that type is passed on as a string, so that the row check reports it as
// the same type mismatch a JSON load gets. Spreadsheet date serials are read
// only from a workbook (serials): in a CSV file "2024" is a mistake, not
// 17 July 1905.
func cellJSON(it catalog.Item, cell string, serials bool) json.RawMessage {
	str := func(s string) json.RawMessage { b, _ := json.Marshal(s); return b }
	switch it.DataType {
	case "N", "Y", "B", "F", "I":
		if _, err := strconv.ParseFloat(cell, 64); err == nil && json.Valid([]byte(cell)) {
			return json.RawMessage(cell)
		}
	case "L":
		switch strings.ToLower(cell) {
		case "true", "是", "1":
			return json.RawMessage("true")
		case "false", "否", "0":
			return json.RawMessage("false")
		}
	case "D":
		if d, ok := dateCell(cell, serials); ok {
			return str(d.Format(time.DateOnly))
		}
	case "T":
		if f, err := strconv.ParseFloat(cell, 64); err == nil && serials {
			if t, err := excelize.ExcelDateToTime(f, false); err == nil {
				// A spreadsheet time has no zone: it is read as Beijing time.
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, calendar.Shanghai)
				return str(t.Format(time.RFC3339))
			}
		}
	}
	return str(cell)
}

// dateCell reads a date as YYYY-MM-DD, YYYY/M/D or, from a workbook, a
// spreadsheet serial.
func dateCell(cell string, serials bool) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "2006/1/2", "2006-1-2"} {
		if t, err := time.Parse(layout, cell); err == nil {
			return t, true
		}
	}
	if f, err := strconv.ParseFloat(cell, 64); err == nil && serials && f >= 1 && f < 2958466 {
		if t, err := excelize.ExcelDateToTime(f, false); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
