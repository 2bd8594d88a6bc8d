// Package catalogxlsx imports and exports catalog entries as XLSX
// spreadsheets (issue #3, point 4), in the layout "one row per data item":
// every row repeats its entry's fields, and the resource code (资源代码) in
// column A groups rows into entries. docs/catalog-xlsx.md documents the
// layout for people; Columns below is the same table for the code.
//
// The package holds no catalog rule: a row becomes a catalog.Draft and the
// catalog's own validation judges it; what this package adds is the mapping
// between cells and draft fields, so that every refusal is reported at its
// sheet, row and column.
package catalogxlsx

import (
	"strings"

	"github.com/govshare/govshare/internal/catalog"
)

// ContentType is the media type of an XLSX workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Limits on an imported file. They bound the work one upload can cause.
const (
	MaxFileBytes = 10 << 20  // the upload itself
	MaxRows      = 20000     // data rows, header excluded
	maxUnzipped  = 200 << 20 // all parts once unzipped: refuses zip bombs
	maxCellRunes = 4000      // longer than any catalog field allows
)

// SheetName is the sheet an export writes and an import reads (the first
// sheet when no sheet has this name).
const SheetName = "信息资源目录"

// GuideSheet is the second sheet of an export: the allowed values. Imports ignore it.
const GuideSheet = "填写说明"

// col identifies a column of the layout, whatever its position in a file.
type col int

const (
	colCode col = iota
	colName
	colAbstract
	colClass
	colFormatClass
	colFormatType
	colFrequency
	colAttribute
	colMethods
	colScope
	colUses
	colReason
	colBasisKind
	colBasisName
	colBasisArticle
	colOpen
	colOpenCondition
	colSecrecy
	colItemName
	colItemType
	colItemLength
	colItemKey
	colItemRequired
	colItemDescription
	colItemGrade
	colProvider
	numCols
)

// Column is one column of the layout.
type Column struct {
	Header   string   // the Chinese header of row 1
	Field    string   // the catalog.Draft JSON path it fills; also accepted as a header
	Item     bool     // a data item column: one value per row; else an entry column, repeated
	Optional bool     // a file may leave the column out
	Values   []string // the allowed labels, for the guide sheet and error details; nil for free text
	Width    float64
}

// Columns is the layout, in the order an export writes it. An import finds
// columns by header, in any order.
var Columns = [numCols]Column{
	colCode:            {Header: "资源代码", Field: "resource_code", Width: 18},
	colName:            {Header: "信息资源名称", Field: "name", Width: 24},
	colAbstract:        {Header: "摘要", Field: "abstract", Width: 30},
	colClass:           {Header: "资源分类代码", Field: "classification", Width: 14},
	colFormatClass:     {Header: "数据格式分类", Field: "data_format.class", Values: labelsOf(formatClassLabels), Width: 12},
	colFormatType:      {Header: "具体格式", Field: "data_format.type", Width: 12},
	colFrequency:       {Header: "更新周期", Field: "update_frequency", Values: labelsOf(frequencyLabels), Width: 10},
	colAttribute:       {Header: "共享属性", Field: "sharing_attribute", Values: labelsOf(attributeLabels), Width: 12},
	colMethods:         {Header: "共享方式", Field: "delivery_methods", Values: labelsOf(methodLabels), Width: 18},
	colScope:           {Header: "共享范围", Field: "usage_conditions.scope", Width: 20},
	colUses:            {Header: "使用用途", Field: "usage_conditions.permitted_uses", Width: 20},
	colReason:          {Header: "不予共享理由", Field: "not_shareable.reason", Width: 20},
	colBasisKind:       {Header: "不予共享依据类别", Field: "not_shareable.legal_basis.kind", Values: labelsOf(basisKindLabels), Width: 12},
	colBasisName:       {Header: "不予共享依据名称", Field: "not_shareable.legal_basis.name", Width: 20},
	colBasisArticle:    {Header: "不予共享依据条款", Field: "not_shareable.legal_basis.article", Width: 12},
	colOpen:            {Header: "开放属性", Field: "open_attribute", Values: labelsOf(openLabels), Width: 12},
	colOpenCondition:   {Header: "开放条件", Field: "open_condition", Width: 16},
	colSecrecy:         {Header: "涉密情况", Field: "secrecy", Optional: true, Values: labelsOf(secrecyLabels), Width: 10},
	colItemName:        {Header: "数据项名称", Field: "items[].name", Item: true, Width: 18},
	colItemType:        {Header: "数据类型", Field: "items[].data_type", Item: true, Values: labelsOf(dataTypeLabels), Width: 8},
	colItemLength:      {Header: "长度", Field: "items[].length", Item: true, Width: 6},
	colItemKey:         {Header: "是否主键", Field: "items[].is_key", Item: true, Values: []string{"是", "否"}, Width: 8},
	colItemRequired:    {Header: "是否必填", Field: "items[].required", Item: true, Values: []string{"是", "否"}, Width: 8},
	colItemDescription: {Header: "描述", Field: "items[].description", Item: true, Width: 24},
	colItemGrade:       {Header: "分级", Field: "items[].grade", Item: true, Values: labelsOf(gradeLabels), Width: 14},
	colProvider:        {Header: "提供方", Field: "provider_name", Optional: true, Width: 18},
}

// label is one value's code in the catalog and its label in a sheet.
type label struct{ code, label string }

func labelsOf(ls []label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.label
	}
	return out
}

// The labels people see. A code missing here is written as the code itself
// and read back as such, so a value the catalog adds later still round-trips.
var (
	attributeLabels = []label{{string(catalog.Unconditional), "无条件共享"}, {string(catalog.Conditional), "有条件共享"}, {string(catalog.NotShareable), "不予共享"}}
	methodLabels    = []label{{string(catalog.ServiceInterface), "服务接口"}, {string(catalog.BatchExchange), "批量交换"}, {string(catalog.FileDownload), "文件下载"}}
	frequencyLabels = []label{{"real_time", "实时"}, {"daily", "每日"}, {"weekly", "每周"}, {"monthly", "每月"}, {"quarterly", "每季度"},
		{"yearly", "每年"}, {"irregular", "不定期"}}
	formatClassLabels = []label{{"electronic_file", "电子文件"}, {"spreadsheet", "电子表格"}, {"database", "数据库"}, {"image", "图形图像"},
		{"streaming_media", "流媒体"}, {"self_describing", "自描述格式"}, {"service_interface", "服务接口"}}
	openLabels      = []label{{"open", "无条件开放"}, {"conditional_open", "有条件开放"}, {"not_open", "不予开放"}}
	basisKindLabels = []label{{"law", "法律"}, {"administrative_regulation", "行政法规"}, {"state_council_decision", "国务院决定"}}
	secrecyLabels   = []label{{string(catalog.NotSecret), "不涉密"}, {string(catalog.StateSecret), "国家秘密"}, {string(catalog.WorkSecret), "工作秘密"}}
	gradeLabels     = []label{{string(catalog.Core), "核心数据"}, {string(catalog.Important), "重要数据"}, {string(catalog.GeneralL4), "一般数据L4"},
		{string(catalog.GeneralL3), "一般数据L3"}, {string(catalog.GeneralL2), "一般数据L2"}, {string(catalog.GeneralL1), "一般数据L1"}}
	// The national guide's data type codes are written as they are; the
	// Chinese names are accepted on import.
	dataTypeLabels = []label{{"C", "C"}, {"N", "N"}, {"Y", "Y"}, {"D", "D"}, {"T", "T"}, {"L", "L"}, {"M", "M"}, {"G", "G"}, {"B", "B"}, {"I", "I"}, {"F", "F"}}
	dataTypeNames  = []label{{"C", "字符型"}, {"N", "数值型"}, {"Y", "货币型"}, {"D", "日期型"}, {"T", "日期时间型"}, {"L", "逻辑型"}, {"M", "备注型"},
		{"G", "通用型"}, {"B", "双精度型"}, {"I", "整型"}, {"F", "浮点型"}}
)

// toLabel is the sheet's label of a code.
func toLabel(ls []label, code string) string {
	for _, l := range ls {
		if l.code == code {
			return l.label
		}
	}
	return code
}

// fromLabel reads a cell as a code: a label or the code itself, without
// regard to case. Anything else is passed on unchanged, for the catalog's
// validation to refuse with its own message.
func fromLabel(ls []label, cell string) string {
	for _, l := range ls {
		if cell == l.label || strings.EqualFold(cell, l.code) {
			return l.code
		}
	}
	return cell
}

// Letter is the spreadsheet name of the n-th column (0 → A, 26 → AA).
func Letter(n int) string {
	s := ""
	for n++; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}
