package dataset_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func (e *env) upload(who, format string, body []byte) (dataset.Result, error) {
	return e.app.Datasets.Upload(e.ctx, e.actor(who), e.entry, dataset.Upload{Format: format, Body: bytes.NewReader(body), Mode: dataset.Upsert})
}

func workbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A CSV file loads like JSON rows: each cell converted by its item's type,
// in UTF-8 with a byte-order mark or in GB18030 as Excel saves it.
func TestUploadCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		csv := "\ufeff居民身份证号码,姓名,出生日期,户籍地址\n330102199001011234,张三,1990/1/2,\"杭州市上城区,某路1号\"\n\n330102199202022345,李四,,\n"
		res, err := e.upload("gat.staff", dataset.CSV, []byte(csv))
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 2 || res.RowCount != 2 {
			t.Fatalf("csv load %+v", res)
		}
		var first map[string]any
		if err := json.Unmarshal(e.feed(0)[0].Data, &first); err != nil || first["出生日期"] != "1990-01-02" || first["户籍地址"] != "杭州市上城区,某路1号" {
			t.Fatalf("row %v (%v)", first, err)
		}
		gbk, err := simplifiedchinese.GB18030.NewEncoder().String("居民身份证号码,姓名,民族\n330102199303033456,王五,汉族\n")
		if err != nil {
			t.Fatal(err)
		}
		if res, err := e.upload("gat.staff", dataset.CSV, []byte(gbk)); err != nil || res.Inserted != 1 {
			t.Fatalf("GB18030 csv: %+v %v", res, err)
		}
		if cs := e.feed(2); len(cs) != 1 || !strings.Contains(string(cs[0].Data), "汉族") {
			t.Fatalf("GB18030 row %+v", cs)
		}
	})
}

// Bad cells are reported row by row with the file's row numbers, a bad
// header names its columns, a malformed or truncated file is refused, and
// none of them writes anything.
func TestUploadRefusalsChangeNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		before := e.events("dataset.load")
		bad := func(format string, body []byte, code string) *dataset.InvalidRows {
			t.Helper()
			_, err := e.upload("gat.staff", format, body)
			var rows *dataset.InvalidRows
			var p *problem.Error
			switch {
			case errors.As(err, &rows):
				if code != "dataset.rows_invalid" {
					t.Fatalf("rows refused, want %s: %+v", code, rows.Errors)
				}
			case errors.As(err, &p):
				if p.Code != code {
					t.Fatalf("error %v, want %s", err, code)
				}
			default:
				t.Fatalf("error %v, want %s", err, code)
			}
			if d := e.state(); d.Version != 0 || d.RowCount != 0 {
				t.Fatalf("a refused upload changed the dataset: %+v", d)
			}
			return rows
		}
		rows := bad(dataset.CSV, []byte("居民身份证号码,姓名,出生日期\n330102199001011234,张三,1990-01-01\n330102199202022345,,19900101\n"), "dataset.rows_invalid")
		if len(rows.Errors) != 2 || rows.Errors[0].Row != 3 || rows.Errors[1].Row != 3 {
			t.Fatalf("row errors %+v", rows.Errors)
		}
		codes := rows.Errors[0].Code + " " + rows.Errors[1].Code
		if !strings.Contains(codes, "dataset.type_mismatch") || !strings.Contains(codes, "dataset.item_required") {
			t.Fatalf("codes %s", codes)
		}
		rows = bad(dataset.CSV, []byte("居民身份证号码,姓名,身高\n330102199001011234,张三,180\n"), "dataset.rows_invalid")
		if len(rows.Errors) != 1 || rows.Errors[0].Code != "dataset.column_unknown" || rows.Errors[0].Item != "身高" || rows.Errors[0].Row != 1 {
			t.Fatalf("header errors %+v", rows.Errors)
		}
		rows = bad(dataset.CSV, []byte("姓名\n张三\n"), "dataset.rows_invalid")
		if rows.Errors[0].Code != "dataset.column_missing" || rows.Errors[0].Item != "居民身份证号码" {
			t.Fatalf("missing key column %+v", rows.Errors)
		}
		bad(dataset.CSV, []byte("居民身份证号码,姓名\n330102199001011234,\"张三\n"), "dataset.file_malformed")
		bad(dataset.CSV, []byte("居民身份证号码,姓名\n330102199001011234,张三,多余\n"), "dataset.file_malformed")
		bad(dataset.CSV, []byte("居民身份证号码,姓名\n"), "dataset.rows_required")
		// A year alone in a CSV date column is a mistake, not a spreadsheet
		// serial (2024 would be 17 July 1905).
		rows = bad(dataset.CSV, []byte("居民身份证号码,姓名,出生日期\n330102199001011234,张三,2024\n"), "dataset.rows_invalid")
		if rows.Errors[0].Code != "dataset.type_mismatch" || rows.Errors[0].Item != "出生日期" {
			t.Fatalf("year as a CSV date: %+v", rows.Errors)
		}
		bad(dataset.CSV, []byte{0xff, 0xfe, 0x00}, "dataset.file_encoding")
		x := workbook(t, [][]any{{"居民身份证号码", "姓名"}, {"330102199001011234", "张三"}})
		bad(dataset.XLSX, x[:len(x)/2], "dataset.file_malformed")
		bad("pdf", x, "dataset.format_invalid")
		if n := e.events("dataset.load"); n != before {
			t.Fatalf("%d load events after refusals, want %d", n, before)
		}
		if _, err := e.upload("scjg.staff", dataset.CSV, []byte("居民身份证号码,姓名\n330102199001011234,张三\n")); !errors.Is(err, problem.ErrForbidden) {
			t.Fatalf("another department's upload: %v", err)
		}
	})
}

// An XLSX file: the first sheet, dates as spreadsheet serials or text, and a
// bad cell reported by its sheet row.
func TestUploadXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		x := workbook(t, [][]any{{"居民身份证号码", "姓名", "出生日期"}, {"330102199001011234", "张三", 32874}, {}, {"330102199202022345", "李四", "1992-02-02"}})
		res, err := e.upload("gat.staff", dataset.XLSX, x)
		if err != nil || res.Inserted != 2 {
			t.Fatalf("xlsx load %+v %v", res, err)
		}
		if cs := e.feed(0); !strings.Contains(string(cs[0].Data), `"出生日期":"1990-01-01"`) {
			t.Fatalf("serial date: %s", cs[0].Data)
		}
		x = workbook(t, [][]any{{"居民身份证号码", "姓名", "出生日期"}, {"330102199303033456", "王五", "下周"}})
		_, err = e.upload("gat.staff", dataset.XLSX, x)
		var rows *dataset.InvalidRows
		if !errors.As(err, &rows) || len(rows.Errors) != 1 || rows.Errors[0].Row != 2 || rows.Errors[0].Item != "出生日期" {
			t.Fatalf("bad xlsx cell: %v", err)
		}
	})
}
