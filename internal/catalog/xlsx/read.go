package catalogxlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
)

// CellError is one refusal, where Excel shows it: sheet, row (1-based) and
// column (letter and header), with the stable code, a Chinese title and a
// detail. Field is the draft's JSON path the cell fills, when there is one.
type CellError struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Header string `json:"header,omitempty"`
	Field  string `json:"field,omitempty"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
}

func (e CellError) String() string {
	return fmt.Sprintf("%s!%s%d %s: %s", e.Sheet, e.Column, e.Row, e.Code, e.Detail)
}

// Group is one entry of a file: the rows its resource code gathers, and the
// draft they make.
type Group struct {
	Key          string // the resource code
	Rows         []int  // sheet row numbers, in order
	ItemRows     []int  // the row of each of Draft.Items
	Draft        catalog.Draft
	ProviderName string // the 提供方 cell, if the file has the column
}

// File is a parsed workbook.
type File struct {
	Sheet   string
	Groups  []*Group
	Errors  []CellError
	DataRow int // rows read, header excluded
	letters [numCols]string
}

// file-level refusals: the upload is not something this package reads.
var (
	errNotXLSX = &problem.Error{Kind: problem.Unsupported, Code: "catalog.import_not_xlsx", Title: "文件不是 XLSX 格式",
		Detail: "the file is not an Excel 2007+ workbook (.xlsx); save it as .xlsx and upload again"}
	errLegacy = &problem.Error{Kind: problem.Unsupported, Code: "catalog.import_legacy_format", Title: "不支持 XLS 旧格式或加密的工作簿",
		Detail: "the file is an Excel 97-2003 (.xls) or a password-protected workbook; save it unprotected as .xlsx"}
	errMacro = &problem.Error{Kind: problem.Unsupported, Code: "catalog.import_macro", Title: "不接受含宏的工作簿",
		Detail: "the workbook contains macros (.xlsm); save it as a plain .xlsx workbook"}
	errTooLarge = &problem.Error{Kind: problem.TooLarge, Code: "catalog.import_too_large", Title: "文件过大",
		Detail: fmt.Sprintf("an import file may have at most %d bytes (%d MiB)", MaxFileBytes, MaxFileBytes>>20)}
	errUnzipped = &problem.Error{Kind: problem.TooLarge, Code: "catalog.import_too_large", Title: "文件过大",
		Detail: fmt.Sprintf("the workbook unpacks to more than %d MiB", maxUnzipped>>20)}
	errTooManyRows = &problem.Error{Kind: problem.Invalid, Code: "catalog.import_too_many_rows", Title: "行数过多",
		Detail: fmt.Sprintf("an import file may have at most %d data rows; split it into several files", MaxRows)}
	errEmpty = &problem.Error{Kind: problem.Invalid, Code: "catalog.import_empty", Title: "文件中没有目录数据",
		Detail: "the sheet has a header row but no data rows"}
)

// sniff refuses, before any parsing, what is not a plain XLSX workbook.
func sniff(data []byte) error {
	if len(data) > MaxFileBytes {
		return errTooLarge
	}
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return errLegacy // OLE compound file: .xls, or an encrypted .xlsx
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return errNotXLSX
	}
	var total uint64
	var types, workbook bool
	for _, f := range zr.File {
		total += f.UncompressedSize64
		name := strings.ToLower(f.Name)
		switch {
		case name == "[content_types].xml":
			types = true
			rc, err := f.Open()
			if err != nil {
				return errNotXLSX
			}
			var b bytes.Buffer
			_, err = b.ReadFrom(&limitedReader{r: rc, n: 1 << 20})
			rc.Close()
			if err != nil {
				return errNotXLSX
			}
			if bytes.Contains(b.Bytes(), []byte("macroEnabled")) {
				return errMacro
			}
		case name == "xl/workbook.xml":
			workbook = true
		case strings.HasSuffix(name, "vbaproject.bin"):
			return errMacro
		}
	}
	if total > maxUnzipped {
		return errUnzipped
	}
	if !types || !workbook {
		return errNotXLSX
	}
	return nil
}

type limitedReader struct {
	r interface{ Read([]byte) (int, error) }
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("part too large")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// Parse reads a workbook. A file that cannot be read at all is refused with
// a problem error (wrong format, macros, too large, too many rows); every
// bad cell of a readable file is listed in File.Errors, which the catalog's
// validation extends in Check.
func Parse(data []byte) (*File, error) {
	if err := sniff(data); err != nil {
		return nil, err
	}
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, errNotXLSX
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, errNotXLSX
	}
	f := &File{Sheet: sheets[0]}
	for _, s := range sheets {
		if s == SheetName {
			f.Sheet = s
		}
	}
	rows, err := x.Rows(f.Sheet)
	if err != nil {
		return nil, errNotXLSX
	}
	defer rows.Close()
	var pos [numCols]int // column index in the file, -1 when absent
	n := 0
	groups := map[string]*Group{}
	first := map[string][]string{} // the first row's entry cells, per group
	firstRow := map[string]int{}
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return nil, errNotXLSX
		}
		if n == 1 {
			pos = f.header(cells)
			continue
		}
		if blank(cells) {
			continue
		}
		if f.DataRow++; f.DataRow > MaxRows {
			return nil, errTooManyRows
		}
		if len(f.Errors) > 0 && f.letters[colCode] == "" {
			continue // the header is unusable; its errors say why
		}
		v := f.values(n, cells, pos)
		key := v[colCode]
		if key == "" {
			f.add(n, colCode, "", "catalog.import_key_required", "资源代码不能为空",
				"column A, the resource code, says which entry a row belongs to; every row needs it")
			continue
		}
		g, ok := groups[key]
		if !ok {
			g = &Group{Key: key}
			groups[key] = g
			f.Groups = append(f.Groups, g)
			first[key], firstRow[key] = v, n
			f.entryFields(g, n, v)
		} else {
			for c := range numCols {
				if Columns[c].Item || col(c) == colCode {
					continue
				}
				if v[c] != "" && v[c] != first[key][c] {
					f.add(n, col(c), Columns[c].Field, "catalog.import_entry_mismatch", "同一目录各行的目录信息不一致",
						fmt.Sprintf("%s differs from row %d of the same resource code; leave it empty or repeat the same value", Columns[c].Header, firstRow[key]))
				}
			}
		}
		g.Rows = append(g.Rows, n)
		f.item(g, n, v)
	}
	if err := rows.Error(); err != nil {
		return nil, errNotXLSX
	}
	if n == 0 {
		return nil, errEmpty
	}
	if f.DataRow == 0 && len(f.Errors) == 0 {
		return nil, errEmpty
	}
	return f, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// header finds each column by its header (Chinese, or the English field).
func (f *File) header(cells []string) [numCols]int {
	var pos [numCols]int
	for i := range pos {
		pos[i] = -1
	}
	for i, h := range cells {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		found := false
		for c, column := range Columns {
			if h != column.Header && !strings.EqualFold(h, column.Field) {
				continue
			}
			found = true
			if pos[c] >= 0 {
				f.Errors = append(f.Errors, CellError{Sheet: f.Sheet, Row: 1, Column: Letter(i), Header: h, Code: "catalog.import_header_duplicate",
					Title: "表头重复", Detail: fmt.Sprintf("%s is also column %s", h, Letter(pos[c]))})
				continue
			}
			pos[c] = i
			f.letters[c] = Letter(i)
		}
		if !found {
			f.Errors = append(f.Errors, CellError{Sheet: f.Sheet, Row: 1, Column: Letter(i), Header: h, Code: "catalog.import_header_unknown",
				Title: "无法识别的表头", Detail: fmt.Sprintf("%q is not a column of the catalog layout (see docs/catalog-xlsx.md or the 填写说明 sheet)", h)})
		}
	}
	for c, column := range Columns {
		if pos[c] < 0 && !column.Optional {
			f.Errors = append(f.Errors, CellError{Sheet: f.Sheet, Row: 1, Header: column.Header, Field: column.Field, Code: "catalog.import_header_missing",
				Title: "缺少必需的列", Detail: fmt.Sprintf("the header row has no column %s (%s)", column.Header, column.Field)})
		}
	}
	return pos
}

// values are a row's trimmed cells by column; absent columns read as empty.
func (f *File) values(row int, cells []string, pos [numCols]int) []string {
	v := make([]string, numCols)
	for c, p := range pos {
		if p >= 0 && p < len(cells) {
			v[c] = strings.TrimSpace(cells[p])
			if utf8.RuneCountInString(v[c]) > maxCellRunes {
				f.add(row, col(c), Columns[c].Field, "catalog.import_cell_too_long", "单元格内容过长",
					fmt.Sprintf("a cell may hold at most %d characters", maxCellRunes))
				v[c] = string([]rune(v[c])[:maxCellRunes])
			}
		}
	}
	return v
}

func (f *File) add(row int, c col, field, code, title, detail string) {
	f.Errors = append(f.Errors, CellError{Sheet: f.Sheet, Row: row, Column: f.letters[c], Header: Columns[c].Header, Field: field,
		Code: code, Title: title, Detail: detail})
}

// entryFields fills the draft from the first row of an entry. Labels become
// codes; a value that is no label is passed on for the catalog to refuse.
func (f *File) entryFields(g *Group, row int, v []string) {
	d := &g.Draft
	d.ResourceCode, d.Name, d.Abstract = v[colCode], v[colName], v[colAbstract]
	d.Classification = splitClassification(v[colClass])
	d.DataFormat = catalog.DataFormat{Class: catalog.FormatClass(fromLabel(formatClassLabels, v[colFormatClass])), Type: v[colFormatType]}
	d.UpdateFrequency = catalog.Frequency(fromLabel(frequencyLabels, v[colFrequency]))
	d.SharingAttribute = catalog.Attribute(fromLabel(attributeLabels, v[colAttribute]))
	d.DeliveryMethods = []catalog.Method{}
	for _, m := range strings.FieldsFunc(v[colMethods], func(r rune) bool { return strings.ContainsRune(",，、;；/ \n", r) }) {
		d.DeliveryMethods = append(d.DeliveryMethods, catalog.Method(fromLabel(methodLabels, m)))
	}
	if v[colScope] != "" || v[colUses] != "" {
		d.UsageConditions = &catalog.UsageConditions{Scope: v[colScope], PermittedUses: v[colUses]}
	}
	if v[colReason] != "" || v[colBasisKind] != "" || v[colBasisName] != "" || v[colBasisArticle] != "" {
		d.NotShareable = &catalog.NotShareableBasis{Reason: v[colReason], LegalBasis: catalog.LegalBasis{
			Kind: catalog.LegalBasisKind(fromLabel(basisKindLabels, v[colBasisKind])), Name: v[colBasisName], Article: v[colBasisArticle]}}
	}
	d.OpenAttribute = catalog.OpenAttribute(fromLabel(openLabels, v[colOpen]))
	d.OpenCondition = v[colOpenCondition]
	d.Secrecy = catalog.Secrecy(fromLabel(secrecyLabels, v[colSecrecy]))
	g.ProviderName = v[colProvider]
	d.Items = []catalog.Item{}
}

// splitClassification cuts a code such as 101001 into class (1 digit), item
// (2), category (3) and sub-category (the rest); the catalog judges the parts.
func splitClassification(s string) catalog.Classification {
	s = strings.NewReplacer("-", "", ".", "", " ", "").Replace(s)
	cut := func(from, to int) string {
		if from >= len(s) {
			return ""
		}
		return s[from:min(to, len(s))]
	}
	return catalog.Classification{Class: cut(0, 1), Item: cut(1, 3), Category: cut(3, 6), SubCategory: cut(6, len(s))}
}

// item adds the row's data item, if it has one.
func (f *File) item(g *Group, row int, v []string) {
	empty := true
	for c := range numCols {
		if Columns[c].Item && v[c] != "" {
			empty = false
		}
	}
	if empty {
		return
	}
	it := catalog.Item{Name: v[colItemName], Description: v[colItemDescription]}
	t := strings.ToUpper(v[colItemType])
	it.DataType = catalog.DataType(fromLabel(dataTypeNames, t))
	if v[colItemLength] != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(v[colItemLength], ".0"))
		if err != nil {
			f.add(row, colItemLength, fmt.Sprintf("items[%d].length", len(g.Draft.Items)), "catalog.import_not_a_number", "长度须为整数",
				"the length must be a whole number")
		}
		it.Length = n
	}
	it.IsKey = f.yesNo(row, colItemKey, v[colItemKey], len(g.Draft.Items))
	it.Required = f.yesNo(row, colItemRequired, v[colItemRequired], len(g.Draft.Items))
	it.Grade = catalog.Grade(fromLabel(gradeLabels, v[colItemGrade]))
	g.Draft.Items = append(g.Draft.Items, it)
	g.ItemRows = append(g.ItemRows, row)
}

func (f *File) yesNo(row int, c col, s string, i int) bool {
	switch strings.ToLower(s) {
	case "是", "y", "yes", "true", "1", "√":
		return true
	case "", "否", "n", "no", "false", "0":
		return false
	}
	f.add(row, c, fmt.Sprintf("items[%d].%s", i, strings.TrimPrefix(Columns[c].Field, "items[].")), "catalog.import_not_yes_no", "须填写“是”或“否”",
		Columns[c].Header+" takes 是 or 否")
	return false
}
