package catalogxlsx

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
)

// Check runs the catalog's validation on every entry of the file and adds
// each refusal to f.Errors at the cell it concerns.
func (f *File) Check() {
	for _, g := range f.Groups {
		for _, p := range validateAll(g.Draft) {
			f.Errors = append(f.Errors, f.Locate(g, p))
		}
	}
}

// validateAll lists every refusal catalog.ValidateDraft has for d, not only
// the first: after each refusal the offending field is replaced by a neutral
// value and the draft judged again. The rules stay the catalog's; this only
// knows how to make a field harmless. It stops when a field is refused twice
// (the replacement did not help) or when a refusal is not about one field.
// A catalog function returning every error at once would make this simpler
// (docs/catalog-xlsx.md, "Open points").
func validateAll(d catalog.Draft) []*problem.Error {
	var out []*problem.Error
	seen := map[string]bool{}
	d.Items = append([]catalog.Item(nil), d.Items...)
	for range 4 * (len(d.Items) + 20) {
		err := catalog.ValidateDraft(d)
		if err == nil {
			break
		}
		var p *problem.Error
		if !errors.As(err, &p) {
			out = append(out, &problem.Error{Kind: problem.Invalid, Code: "catalog.invalid", Title: "目录信息无效", Detail: err.Error()})
			break
		}
		if seen[p.Field] {
			break
		}
		seen[p.Field] = true
		out = append(out, p)
		if !neutralise(&d, p.Field) {
			break
		}
	}
	return out
}

var itemField = regexp.MustCompile(`^items\[(\d+)\]\.(.+)$`)

// neutralise puts a harmless value in the refused field so that validation
// goes on to the next one; false when it cannot.
func neutralise(d *catalog.Draft, field string) bool {
	if m := itemField.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i >= len(d.Items) {
			return false
		}
		it := &d.Items[i]
		switch m[2] {
		case "name":
			it.Name = fmt.Sprintf("\u2063%d", i) // invisible and unique
		case "data_type":
			it.DataType = "M" // memo: takes any length
		case "length":
			it.Length = 1
		case "description":
			it.Description = ""
		case "grade":
			it.Grade = catalog.GeneralL1
		default:
			return false
		}
		return true
	}
	switch {
	case field == "secrecy":
		d.Secrecy = catalog.NotSecret
	case field == "name":
		d.Name = "-"
	case field == "abstract":
		d.Abstract = "-"
	case strings.HasPrefix(field, "classification."), field == "resource_code":
		d.Classification = catalog.Classification{Class: "1", Item: "01", Category: "001"}
		d.ResourceCode = "101001/1"
	case field == "data_format.class":
		d.DataFormat.Class = "database"
	case field == "data_format.type":
		d.DataFormat.Type = "-"
	case field == "update_frequency":
		d.UpdateFrequency = "irregular"
	case field == "sharing_attribute":
		// Judge the conditions by what the row filled in.
		switch {
		case d.NotShareable != nil:
			d.SharingAttribute = catalog.NotShareable
		case d.UsageConditions != nil:
			d.SharingAttribute = catalog.Conditional
		default:
			d.SharingAttribute = catalog.Unconditional
		}
	case strings.HasPrefix(field, "delivery_methods"):
		d.DeliveryMethods = nil
		if d.SharingAttribute.Shareable() {
			d.DeliveryMethods = []catalog.Method{catalog.ServiceInterface}
		}
	case field == "usage_conditions":
		d.UsageConditions = nil
	case strings.HasPrefix(field, "usage_conditions."):
		u := catalog.UsageConditions{Scope: "-", PermittedUses: "-"}
		if d.UsageConditions != nil && field == "usage_conditions.permitted_uses" {
			u.Scope = d.UsageConditions.Scope
		}
		if d.UsageConditions != nil && field == "usage_conditions.scope" {
			u.PermittedUses = d.UsageConditions.PermittedUses
		}
		d.UsageConditions = &u
	case field == "not_shareable":
		d.NotShareable = nil
	case strings.HasPrefix(field, "not_shareable."):
		n := catalog.NotShareableBasis{}
		if d.NotShareable != nil {
			n = *d.NotShareable
		}
		switch field {
		case "not_shareable.reason":
			n.Reason = "-"
		case "not_shareable.legal_basis.kind":
			n.LegalBasis.Kind = "law"
		case "not_shareable.legal_basis.name":
			n.LegalBasis.Name = "-"
		case "not_shareable.legal_basis.article":
			n.LegalBasis.Article = "-"
		default:
			return false
		}
		d.NotShareable = &n
	case field == "open_attribute":
		d.OpenAttribute = "not_open"
		d.OpenCondition = ""
	case field == "open_condition":
		d.OpenCondition = ""
		if d.OpenAttribute == "conditional_open" {
			d.OpenCondition = "-"
		}
	default:
		return false
	}
	return true
}

// columnOf is the column a draft field is written in, and the index of its
// data item (-1 for an entry field).
func columnOf(field string) (col, int) {
	if m := itemField.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[1])
		for c, column := range Columns {
			if column.Item && column.Field == "items[]."+m[2] {
				return col(c), i
			}
		}
		return colItemName, i
	}
	switch {
	case field == "items":
		return colItemName, -1
	case strings.HasPrefix(field, "classification"):
		return colClass, -1
	case strings.HasPrefix(field, "delivery_methods"):
		return colMethods, -1
	case field == "usage_conditions":
		return colScope, -1
	case field == "not_shareable":
		return colReason, -1
	}
	for c, column := range Columns {
		if !column.Item && column.Field == field {
			return col(c), -1
		}
	}
	return colCode, -1
}

// Locate turns a refusal of g's draft into the cell it concerns: an item's
// field at the item's row, an entry's field at the entry's first row.
func (f *File) Locate(g *Group, p *problem.Error) CellError {
	c, i := columnOf(p.Field)
	row := g.Rows[0]
	if i >= 0 && i < len(g.ItemRows) {
		row = g.ItemRows[i]
	}
	return CellError{Sheet: f.Sheet, Row: row, Column: f.letters[c], Header: Columns[c].Header, Field: p.Field,
		Code: p.Code, Title: p.Title, Detail: detail(c, p.Detail)}
}

// detail adds the sheet's labels to a refusal of a coded value, since the
// catalog names the codes and people type the labels.
func detail(c col, d string) string {
	if vs := Columns[c].Values; vs != nil && c != colItemKey && c != colItemRequired {
		return d + "; 可填写：" + strings.Join(vs, "、")
	}
	return d
}
