package catalogxlsx

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare/internal/catalog"
)

// Row is what one exported entry carries besides its draft.
type Row struct {
	Draft        catalog.Draft
	ProviderName string
}

// Writer streams entries into a workbook: rows go through excelize's
// StreamWriter, which keeps at most a chunk in memory and the rest in a
// temporary file, so a catalog of any size is exported in bounded memory.
type Writer struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	row  int
	head int // style of the header row
}

// NewWriter starts a workbook with the header row and the guide sheet.
func NewWriter() (*Writer, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		f.Close()
		return nil, err
	}
	if err := writeGuide(f); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		f.Close()
		return nil, err
	}
	w := &Writer{f: f, sw: sw, row: 1}
	if w.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		f.Close()
		return nil, err
	}
	for i, c := range Columns {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		f.Close()
		return nil, err
	}
	header := make([]any, numCols)
	for i, c := range Columns {
		header[i] = excelize.Cell{StyleID: w.head, Value: c.Header}
	}
	if err := sw.SetRow("A1", header); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// Add writes one entry: one row per data item.
func (w *Writer) Add(r Row) error {
	d := r.Draft
	entry := make([]any, numCols)
	entry[colCode] = d.ResourceCode
	entry[colName] = d.Name
	entry[colAbstract] = d.Abstract
	entry[colClass] = d.Classification.Code()
	entry[colFormatClass] = toLabel(formatClassLabels, string(d.DataFormat.Class))
	entry[colFormatType] = d.DataFormat.Type
	entry[colFrequency] = toLabel(frequencyLabels, string(d.UpdateFrequency))
	entry[colAttribute] = toLabel(attributeLabels, string(d.SharingAttribute))
	methods := make([]string, len(d.DeliveryMethods))
	for i, m := range d.DeliveryMethods {
		methods[i] = toLabel(methodLabels, string(m))
	}
	entry[colMethods] = strings.Join(methods, ",")
	if u := d.UsageConditions; u != nil {
		entry[colScope], entry[colUses] = u.Scope, u.PermittedUses
	}
	if n := d.NotShareable; n != nil {
		entry[colReason] = n.Reason
		entry[colBasisKind] = toLabel(basisKindLabels, string(n.LegalBasis.Kind))
		entry[colBasisName], entry[colBasisArticle] = n.LegalBasis.Name, n.LegalBasis.Article
	}
	entry[colOpen] = toLabel(openLabels, string(d.OpenAttribute))
	entry[colOpenCondition] = d.OpenCondition
	secrecy := d.Secrecy
	if secrecy == "" {
		secrecy = catalog.NotSecret
	}
	entry[colSecrecy] = toLabel(secrecyLabels, string(secrecy))
	entry[colProvider] = r.ProviderName
	items := d.Items
	if len(items) == 0 {
		items = []catalog.Item{{}} // an entry without items still gets its row
	}
	for _, it := range items {
		row := make([]any, numCols)
		for i, v := range entry {
			if v == nil {
				v = ""
			}
			row[i] = v
		}
		row[colItemName] = it.Name
		row[colItemType] = string(it.DataType)
		row[colItemLength] = ""
		if it.Length != 0 || it.Name != "" {
			row[colItemLength] = it.Length
		}
		row[colItemKey], row[colItemRequired] = yesNo(it.IsKey), yesNo(it.Required)
		row[colItemDescription] = it.Description
		row[colItemGrade] = toLabel(gradeLabels, string(it.Grade))
		if it.Name == "" {
			row[colItemKey], row[colItemRequired] = "", ""
		}
		w.row++
		if err := w.sw.SetRow("A"+strconv.Itoa(w.row), row); err != nil {
			return fmt.Errorf("catalogxlsx: write row %d: %w", w.row, err)
		}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// Finish completes the workbook and writes it to out.
func (w *Writer) Finish(out io.Writer) error {
	defer w.f.Close()
	if err := w.sw.Flush(); err != nil {
		return err
	}
	_, err := w.f.WriteTo(out)
	return err
}

// Close discards an unfinished workbook and its temporary files.
func (w *Writer) Close() error { return w.f.Close() }

// writeGuide adds the sheet that lists, per column, the field it fills and
// the values it takes.
func writeGuide(f *excelize.File) error {
	if _, err := f.NewSheet(GuideSheet); err != nil {
		return err
	}
	rows := [][]any{{"列", "表头", "对应字段", "可填写的值", "说明"}}
	for i, c := range Columns {
		note := "每行重复填写所属目录的该项内容"
		if c.Item {
			note = "每行一个数据项"
		}
		switch col(i) {
		case colCode:
			note = "目录的唯一标识：资源代码相同的行属于同一条目录"
		case colClass:
			note = "类(1位)+项(2位)+目(3位)+细目(可选)，如 101001"
		case colMethods:
			note = "可填多个，以逗号或顿号分隔"
		case colItemLength:
			note = "整数；C、N、Y 类型必填"
		case colProvider:
			note = "仅供查看，导入时须为空或为本部门名称"
		}
		rows = append(rows, []any{Letter(i), c.Header, c.Field, strings.Join(c.Values, "、"), note})
	}
	for i, r := range rows {
		if err := f.SetSheetRow(GuideSheet, "A"+strconv.Itoa(i+1), &r); err != nil {
			return err
		}
	}
	return f.SetColWidth(GuideSheet, "A", "E", 22)
}
