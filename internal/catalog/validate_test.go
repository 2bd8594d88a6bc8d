package catalog_test

import (
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
)

func TestValidateDraftFieldByField(t *testing.T) {
	cond := &catalog.UsageConditions{Scope: "省内各级公安机关", PermittedUses: "案件办理"}
	basis := &catalog.NotShareableBasis{Reason: "涉及未成年人犯罪记录封存", LegalBasis: catalog.LegalBasis{Kind: "law", Name: "中华人民共和国刑事诉讼法", Article: "第二百八十六条"}}
	cases := []struct {
		name        string
		edit        func(d *catalog.Draft)
		code, field string
	}{
		{"valid", func(d *catalog.Draft) {}, "", ""},
		{"state secret", func(d *catalog.Draft) { d.Secrecy = catalog.StateSecret }, "catalog.secret_data", "secrecy"},
		{"work secret", func(d *catalog.Draft) { d.Secrecy = catalog.WorkSecret }, "catalog.secret_data", "secrecy"},
		{"unknown secrecy", func(d *catalog.Draft) { d.Secrecy = "top" }, "catalog.secrecy_invalid", "secrecy"},
		{"no name", func(d *catalog.Draft) { d.Name = "  " }, "catalog.name_required", "name"},
		{"long name", func(d *catalog.Draft) { d.Name = strings.Repeat("名", 201) }, "catalog.too_long", "name"},
		{"no abstract", func(d *catalog.Draft) { d.Abstract = "" }, "catalog.abstract_required", "abstract"},
		{"bad class", func(d *catalog.Draft) { d.Classification.Class = "12" }, "catalog.classification_invalid", "classification.class"},
		{"bad item", func(d *catalog.Draft) { d.Classification.Item = "A1" }, "catalog.classification_invalid", "classification.item"},
		{"bad category", func(d *catalog.Draft) { d.Classification.Category = "01" }, "catalog.classification_invalid", "classification.category"},
		{"bad sub-category", func(d *catalog.Draft) { d.Classification.SubCategory = "x" }, "catalog.classification_invalid", "classification.sub_category"},
		{"resource code shape", func(d *catalog.Draft) { d.ResourceCode = "101001-000001" }, "catalog.resource_code_invalid", "resource_code"},
		{"resource code prefix", func(d *catalog.Draft) { d.ResourceCode = "102001/000001" }, "catalog.resource_code_mismatch", "resource_code"},
		{"no items", func(d *catalog.Draft) { d.Items = nil }, "catalog.items_required", "items"},
		{"too many items", func(d *catalog.Draft) {
			d.Items = make([]catalog.Item, catalog.MaxItems+1)
		}, "catalog.too_many_items", "items"},
		{"item without name", func(d *catalog.Draft) { d.Items[2].Name = "" }, "catalog.item_name_required", "items[2].name"},
		{"duplicate item", func(d *catalog.Draft) { d.Items[2].Name = "姓名" }, "catalog.item_duplicate", "items[2].name"},
		{"bad data type", func(d *catalog.Draft) { d.Items[1].DataType = "X" }, "catalog.data_type_invalid", "items[1].data_type"},
		{"lower-case data type", func(d *catalog.Draft) { d.Items[1].DataType = "c" }, "catalog.data_type_invalid", "items[1].data_type"},
		{"character without length", func(d *catalog.Draft) { d.Items[1].Length = 0 }, "catalog.length_invalid", "items[1].length"},
		{"negative length", func(d *catalog.Draft) { d.Items[2].Length = -1 }, "catalog.length_invalid", "items[2].length"},
		{"long description", func(d *catalog.Draft) { d.Items[0].Description = strings.Repeat("述", 501) }, "catalog.too_long", "items[0].description"},
		{"bad grade", func(d *catalog.Draft) { d.Items[0].Grade = "secret" }, "catalog.grade_invalid", "items[0].grade"},
		{"plain general", func(d *catalog.Draft) { d.Items[0].Grade = "general" }, "catalog.grade_invalid", "items[0].grade"},
		{"bad format class", func(d *catalog.Draft) { d.DataFormat.Class = "paper" }, "catalog.format_class_invalid", "data_format.class"},
		{"no format type", func(d *catalog.Draft) { d.DataFormat.Type = "" }, "catalog.format_type_required", "data_format.type"},
		{"bad frequency", func(d *catalog.Draft) { d.UpdateFrequency = "hourly" }, "catalog.frequency_invalid", "update_frequency"},
		{"bad attribute", func(d *catalog.Draft) { d.SharingAttribute = "open" }, "catalog.attribute_invalid", "sharing_attribute"},
		{"no method", func(d *catalog.Draft) { d.DeliveryMethods = nil }, "catalog.methods_required", "delivery_methods"},
		{"bad method", func(d *catalog.Draft) { d.DeliveryMethods = []catalog.Method{"fax"} }, "catalog.method_invalid", "delivery_methods[0]"},
		{"method twice", func(d *catalog.Draft) {
			d.DeliveryMethods = []catalog.Method{catalog.BatchExchange, catalog.BatchExchange}
		}, "catalog.method_duplicate", "delivery_methods[1]"},
		{"unconditional with conditions (Art. 15)", func(d *catalog.Draft) { d.UsageConditions = cond }, "catalog.conditions_not_allowed", "usage_conditions"},
		{"conditional without conditions", func(d *catalog.Draft) { d.SharingAttribute = catalog.Conditional }, "catalog.scope_required", "usage_conditions.scope"},
		{"conditional without scope", func(d *catalog.Draft) {
			d.SharingAttribute, d.UsageConditions = catalog.Conditional, &catalog.UsageConditions{PermittedUses: "办案"}
		}, "catalog.scope_required", "usage_conditions.scope"},
		{"conditional without uses", func(d *catalog.Draft) {
			d.SharingAttribute, d.UsageConditions = catalog.Conditional, &catalog.UsageConditions{Scope: "全省"}
		}, "catalog.uses_required", "usage_conditions.permitted_uses"},
		{"conditional complete", func(d *catalog.Draft) { d.SharingAttribute, d.UsageConditions = catalog.Conditional, cond }, "", ""},
		{"shareable with refusal basis", func(d *catalog.Draft) { d.NotShareable = basis }, "catalog.not_shareable_not_allowed", "not_shareable"},
		{"not shareable complete", func(d *catalog.Draft) {
			d.SharingAttribute, d.DeliveryMethods, d.NotShareable = catalog.NotShareable, nil, basis
		}, "", ""},
		{"not shareable without reason", func(d *catalog.Draft) {
			d.SharingAttribute, d.DeliveryMethods = catalog.NotShareable, nil
		}, "catalog.reason_required", "not_shareable.reason"},
		{"not shareable with methods", func(d *catalog.Draft) {
			d.SharingAttribute, d.NotShareable = catalog.NotShareable, basis
		}, "catalog.methods_not_applicable", "delivery_methods"},
		{"not shareable on a local rule", func(d *catalog.Draft) {
			b := *basis
			b.LegalBasis.Kind = "local_regulation"
			d.SharingAttribute, d.DeliveryMethods, d.NotShareable = catalog.NotShareable, nil, &b
		}, "catalog.legal_basis_kind_invalid", "not_shareable.legal_basis.kind"},
		{"not shareable without the law's name", func(d *catalog.Draft) {
			b := *basis
			b.LegalBasis.Name = ""
			d.SharingAttribute, d.DeliveryMethods, d.NotShareable = catalog.NotShareable, nil, &b
		}, "catalog.legal_basis_required", "not_shareable.legal_basis.name"},
		{"not shareable without the article", func(d *catalog.Draft) {
			b := *basis
			b.LegalBasis.Article = ""
			d.SharingAttribute, d.DeliveryMethods, d.NotShareable = catalog.NotShareable, nil, &b
		}, "catalog.legal_basis_article_required", "not_shareable.legal_basis.article"},
		{"bad open attribute", func(d *catalog.Draft) { d.OpenAttribute = "" }, "catalog.open_attribute_invalid", "open_attribute"},
		{"conditional open without condition", func(d *catalog.Draft) { d.OpenAttribute = "conditional_open" }, "catalog.open_condition_required", "open_condition"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := validDraft()
			d.Items = append([]catalog.Item(nil), d.Items...)
			c.edit(&d)
			err := catalog.ValidateDraft(d)
			if c.code == "" {
				if err != nil {
					t.Fatalf("valid draft refused: %v", err)
				}
				return
			}
			var p *problem.Error
			if !errorsAs(err, &p) || p.Code != c.code || p.Field != c.field || p.Kind != problem.Invalid || p.Title == "" {
				t.Fatalf("got %v, want %s at %s", err, c.code, c.field)
			}
		})
	}
}

func TestStrictestGradeWins(t *testing.T) {
	items := func(gs ...catalog.Grade) []catalog.Item {
		var out []catalog.Item
		for _, g := range gs {
			out = append(out, catalog.Item{Grade: g})
		}
		return out
	}
	for _, c := range []struct {
		in   []catalog.Grade
		want catalog.Grade
	}{
		{[]catalog.Grade{catalog.GeneralL1}, catalog.GeneralL1},
		{[]catalog.Grade{catalog.GeneralL1, catalog.GeneralL3, catalog.GeneralL2}, catalog.GeneralL3},
		{[]catalog.Grade{catalog.GeneralL4, catalog.Important, catalog.GeneralL1}, catalog.Important},
		{[]catalog.Grade{catalog.Important, catalog.Core, catalog.GeneralL4}, catalog.Core},
		{[]catalog.Grade{catalog.GeneralL2, catalog.GeneralL4}, catalog.GeneralL4},
	} {
		if got := catalog.Strictest(items(c.in...)); got != c.want {
			t.Errorf("Strictest(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestAssessmentRules(t *testing.T) {
	today := calendar.Date{Year: 2026, Month: 9, Day: 29}
	ok := catalog.Assessment{Conclusion: "passed", AssessedOn: today, Assessor: "保密办", Summary: "无涉密内容"}
	if err := catalog.ValidateAssessment("secrecy", ok, today); err != nil {
		t.Fatal(err)
	}
	future := ok
	future.AssessedOn = today.AddDays(1)
	refused(t, catalog.ValidateAssessment("secrecy", future, today), "catalog.assessed_on_future", "secrecy.assessed_on")
	bad := ok
	bad.Conclusion = "fine"
	refused(t, catalog.ValidateAssessment("personal_information", bad, today), "catalog.conclusion_invalid", "personal_information.conclusion")
	refused(t, catalog.ReadyToSubmit(catalog.Assessments{Secrecy: &ok}), "catalog.assessment_missing", "assessments.personal_information")
	failed := ok
	failed.Conclusion = "failed"
	refused(t, catalog.ReadyToSubmit(catalog.Assessments{Secrecy: &failed, PersonalInformation: &ok}), "catalog.assessment_failed", "assessments.secrecy.conclusion")
}
