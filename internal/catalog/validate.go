package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// Limits on what one entry may hold. They bound the work a single request
// can cause and match what the guide's forms allow.
const (
	MaxItems          = 500
	maxName           = 200
	maxItemName       = 100
	maxAbstract       = 2000
	maxDescription    = 500
	maxCondition      = 1000
	maxBasisName      = 200
	maxArticle        = 100
	maxFormatType     = 50
	maxItemLength     = 100000
	maxAssessorLength = 100
)

func tooLong(field string, n int) error {
	return problem.Fieldf(field, "catalog.too_long", "内容过长", "%s may have at most %d characters", field, n)
}

func required(field, code, title string) error {
	return problem.Field(field, code, title, field+" is required")
}

// text checks a required or optional free-text field.
func text(field, value string, max int, need bool, code, title string) error {
	if need && strings.TrimSpace(value) == "" {
		return required(field, code, title)
	}
	if utf8.RuneCountInString(value) > max {
		return tooLong(field, max)
	}
	return nil
}

var (
	digits         = regexp.MustCompile(`^[0-9]+$`)
	resourceCodeRE = regexp.MustCompile(`^([0-9]{6,12})/([0-9]{1,9})$`)
)

// normalize trims the free text a person typed, so that " 姓名" and "姓名"
// are one item, and fills defaults.
func normalize(d Draft) Draft {
	d.Name = strings.TrimSpace(d.Name)
	d.Abstract = strings.TrimSpace(d.Abstract)
	d.ResourceCode = strings.TrimSpace(d.ResourceCode)
	d.DataFormat.Type = strings.TrimSpace(d.DataFormat.Type)
	d.OpenCondition = strings.TrimSpace(d.OpenCondition)
	if d.Secrecy == "" {
		d.Secrecy = NotSecret
	}
	d.Items = slices.Clone(d.Items)
	for i := range d.Items {
		d.Items[i].Name = strings.TrimSpace(d.Items[i].Name)
		d.Items[i].Description = strings.TrimSpace(d.Items[i].Description)
	}
	d.DeliveryMethods = slices.Clone(d.DeliveryMethods)
	if d.DeliveryMethods == nil {
		d.DeliveryMethods = []Method{}
	}
	if d.UsageConditions != nil {
		u := *d.UsageConditions
		u.Scope, u.PermittedUses = strings.TrimSpace(u.Scope), strings.TrimSpace(u.PermittedUses)
		d.UsageConditions = &u
	}
	if d.NotShareable != nil {
		n := *d.NotShareable
		n.Reason = strings.TrimSpace(n.Reason)
		n.LegalBasis.Name = strings.TrimSpace(n.LegalBasis.Name)
		n.LegalBasis.Article = strings.TrimSpace(n.LegalBasis.Article)
		d.NotShareable = &n
	}
	return d
}

// ValidateDraft checks every field of a draft and returns the first refusal,
// naming the field by its JSON path. Secret data is refused before anything
// else is looked at: it has no place in the catalog at all (Art. 3).
func ValidateDraft(d Draft) error {
	switch d.Secrecy {
	case "", NotSecret:
	case StateSecret, WorkSecret:
		return problem.Field("secrecy", "catalog.secret_data", "国家秘密、工作秘密不属于政务数据，不得编入目录",
			"data that is a state secret or a work secret is not government data (Art. 3) and cannot be catalogued")
	default:
		return problem.Fieldf("secrecy", "catalog.secrecy_invalid", "涉密标识无效", "secrecy must be none, state_secret or work_secret; got %q", d.Secrecy)
	}
	if err := text("name", d.Name, maxName, true, "catalog.name_required", "目录名称不能为空"); err != nil {
		return err
	}
	if err := text("abstract", d.Abstract, maxAbstract, true, "catalog.abstract_required", "摘要不能为空"); err != nil {
		return err
	}
	if err := validateClassification(d.Classification, d.ResourceCode); err != nil {
		return err
	}
	if err := validateItems(d.Items); err != nil {
		return err
	}
	if !slices.Contains(formatClasses, d.DataFormat.Class) {
		return problem.Fieldf("data_format.class", "catalog.format_class_invalid", "数据格式分类无效",
			"data_format.class must be one of %v; got %q", formatClasses, d.DataFormat.Class)
	}
	if err := text("data_format.type", d.DataFormat.Type, maxFormatType, true, "catalog.format_type_required", "请填写具体数据格式"); err != nil {
		return err
	}
	if !slices.Contains(frequencies, d.UpdateFrequency) {
		return problem.Fieldf("update_frequency", "catalog.frequency_invalid", "更新频率无效",
			"update_frequency must be one of %v; got %q", frequencies, d.UpdateFrequency)
	}
	if err := validateSharing(d); err != nil {
		return err
	}
	if !slices.Contains(openAttributes, d.OpenAttribute) {
		return problem.Fieldf("open_attribute", "catalog.open_attribute_invalid", "开放属性无效",
			"open_attribute must be open, conditional_open or not_open; got %q", d.OpenAttribute)
	}
	if d.OpenAttribute == "conditional_open" {
		return text("open_condition", d.OpenCondition, maxCondition, true, "catalog.open_condition_required", "有条件开放须列明开放条件")
	}
	return text("open_condition", d.OpenCondition, maxCondition, false, "", "")
}

func validateClassification(c Classification, resourceCode string) error {
	part := func(field, v string, min, max int) error {
		if len(v) < min || len(v) > max || !digits.MatchString(v) {
			want := fmt.Sprintf("%d digits", min)
			if min != max {
				want = fmt.Sprintf("%d to %d digits", min, max)
			}
			return problem.Fieldf("classification."+field, "catalog.classification_invalid", "资源分类代码无效",
				"classification.%s must be %s; got %q", field, want, v)
		}
		return nil
	}
	if err := part("class", c.Class, 1, 1); err != nil {
		return err
	}
	if err := part("item", c.Item, 2, 2); err != nil {
		return err
	}
	if err := part("category", c.Category, 3, 3); err != nil {
		return err
	}
	if c.SubCategory != "" {
		if err := part("sub_category", c.SubCategory, 1, 6); err != nil {
			return err
		}
	}
	m := resourceCodeRE.FindStringSubmatch(resourceCode)
	if m == nil {
		return problem.Fieldf("resource_code", "catalog.resource_code_invalid", "信息资源代码格式错误",
			"resource_code must be {classification code}/{sequence}, e.g. %s/000001; got %q", c.Code(), resourceCode)
	}
	if m[1] != c.Code() {
		return problem.Fieldf("resource_code", "catalog.resource_code_mismatch", "信息资源代码与资源分类不一致",
			"resource_code must begin with the classification code %s", c.Code())
	}
	return nil
}

func validateItems(items []Item) error {
	if len(items) == 0 {
		return problem.Field("items", "catalog.items_required", "至少需要一个数据项", "an entry needs at least one data item")
	}
	if len(items) > MaxItems {
		return problem.Fieldf("items", "catalog.too_many_items", "数据项过多", "an entry may have at most %d data items", MaxItems)
	}
	seen := make(map[string]int, len(items))
	for i, it := range items {
		at := fmt.Sprintf("items[%d].", i)
		if err := text(at+"name", it.Name, maxItemName, true, "catalog.item_name_required", "数据项名称不能为空"); err != nil {
			return err
		}
		if j, dup := seen[it.Name]; dup {
			return problem.Fieldf(at+"name", "catalog.item_duplicate", "数据项名称重复", "%q is also items[%d]", it.Name, j)
		}
		seen[it.Name] = i
		if !it.DataType.valid() {
			return problem.Fieldf(at+"data_type", "catalog.data_type_invalid", "数据类型无效",
				"data_type must be one of the guide's codes C N Y D T L M G B I F; got %q", it.DataType)
		}
		if it.Length < 0 || it.Length > maxItemLength || (it.Length == 0 && it.DataType.needsLength()) {
			return problem.Fieldf(at+"length", "catalog.length_invalid", "数据长度无效",
				"length must be 1 to %d for type %s (0 is allowed only for types without a width)", maxItemLength, it.DataType)
		}
		if err := text(at+"description", it.Description, maxDescription, false, "", ""); err != nil {
			return err
		}
		if it.Grade.Rank() < 0 {
			return problem.Fieldf(at+"grade", "catalog.grade_invalid", "数据分级无效",
				"grade must be one of %v; got %q", Grades, it.Grade)
		}
	}
	return nil
}

// validateSharing holds the attribute rules of Art. 14–15: conditions only
// where the attribute calls for them — an unconditional entry carrying
// conditions is exactly the "arbitrarily added condition" Art. 15 forbids.
func validateSharing(d Draft) error {
	if !d.SharingAttribute.valid() {
		return problem.Fieldf("sharing_attribute", "catalog.attribute_invalid", "共享属性无效",
			"sharing_attribute must be unconditional, conditional or not_shareable; got %q", d.SharingAttribute)
	}
	seen := map[Method]bool{}
	for i, m := range d.DeliveryMethods {
		field := fmt.Sprintf("delivery_methods[%d]", i)
		if !m.valid() {
			return problem.Fieldf(field, "catalog.method_invalid", "共享方式无效",
				"a delivery method is service_interface, batch_exchange or file_download; got %q", m)
		}
		if seen[m] {
			return problem.Fieldf(field, "catalog.method_duplicate", "共享方式重复", "%s is listed twice", m)
		}
		seen[m] = true
	}
	switch d.SharingAttribute {
	case Unconditional, Conditional:
		if len(d.DeliveryMethods) == 0 {
			return problem.Field("delivery_methods", "catalog.methods_required", "至少需要一种共享方式", "a shareable entry needs at least one delivery method")
		}
		if d.NotShareable != nil {
			return problem.Field("not_shareable", "catalog.not_shareable_not_allowed", "可共享的目录不应填写不予共享依据",
				"not_shareable is only for not_shareable entries")
		}
	case NotShareable:
		if len(d.DeliveryMethods) > 0 {
			return problem.Field("delivery_methods", "catalog.methods_not_applicable", "不予共享类目录不设共享方式",
				"a not_shareable entry is never delivered, so it lists no delivery method")
		}
		if d.UsageConditions != nil {
			return problem.Field("usage_conditions", "catalog.conditions_not_allowed", "不予共享类目录不填写使用条件",
				"usage_conditions are only for conditional entries")
		}
		n := d.NotShareable
		if n == nil {
			return problem.Field("not_shareable.reason", "catalog.reason_required", "不予共享须列明理由",
				"a not_shareable entry must state its reason and legal basis (Art. 15)")
		}
		if err := text("not_shareable.reason", n.Reason, maxCondition, true, "catalog.reason_required", "不予共享须列明理由"); err != nil {
			return err
		}
		if !slices.Contains(legalBasisKinds, n.LegalBasis.Kind) {
			return problem.Fieldf("not_shareable.legal_basis.kind", "catalog.legal_basis_kind_invalid", "不予共享依据须为法律、行政法规或国务院决定",
				"only a law, an administrative regulation or a State Council decision can make data not shareable (Art. 14); kind must be one of %v, got %q", legalBasisKinds, n.LegalBasis.Kind)
		}
		if err := text("not_shareable.legal_basis.name", n.LegalBasis.Name, maxBasisName, true, "catalog.legal_basis_required", "须写明依据的名称"); err != nil {
			return err
		}
		return text("not_shareable.legal_basis.article", n.LegalBasis.Article, maxArticle, true, "catalog.legal_basis_article_required", "须写明依据的具体条款")
	}
	if d.SharingAttribute == Unconditional {
		if d.UsageConditions != nil {
			return problem.Field("usage_conditions", "catalog.conditions_not_allowed", "无条件共享类目录不得附加使用条件",
				"an unconditional entry may carry no usage conditions: adding conditions is forbidden by Art. 15")
		}
		return nil
	}
	u := d.UsageConditions
	if u == nil {
		return problem.Field("usage_conditions.scope", "catalog.scope_required", "有条件共享须列明共享范围", "a conditional entry must state its sharing scope (Art. 15)")
	}
	if err := text("usage_conditions.scope", u.Scope, maxCondition, true, "catalog.scope_required", "有条件共享须列明共享范围"); err != nil {
		return err
	}
	return text("usage_conditions.permitted_uses", u.PermittedUses, maxCondition, true, "catalog.uses_required", "有条件共享须列明使用用途")
}

// ValidateAssessment checks one assessment; today bounds the date, since an
// assessment cannot have been made in the future.
func ValidateAssessment(field string, a Assessment, today calendar.Date) error {
	if !slices.Contains(conclusions, a.Conclusion) {
		return problem.Fieldf(field+".conclusion", "catalog.conclusion_invalid", "评估结论无效",
			"conclusion must be passed, passed_with_measures or failed; got %q", a.Conclusion)
	}
	if !a.AssessedOn.IsValid() {
		return required(field+".assessed_on", "catalog.assessed_on_required", "须填写评估日期")
	}
	if a.AssessedOn.After(today) {
		return problem.Field(field+".assessed_on", "catalog.assessed_on_future", "评估日期不能晚于今天", "assessed_on is in the future")
	}
	if err := text(field+".assessor", a.Assessor, maxAssessorLength, true, "catalog.assessor_required", "须填写评估人或评估机构"); err != nil {
		return err
	}
	return text(field+".summary", a.Summary, maxCondition, true, "catalog.summary_required", "须填写评估摘要")
}

// ReadyToSubmit reports why a version cannot yet go to the office head's
// approval: both assessments of Art. 13 recorded, neither failed.
func ReadyToSubmit(a Assessments) error {
	for _, x := range []struct {
		field string
		a     *Assessment
		title string
	}{{"assessments.secrecy", a.Secrecy, "尚未完成保密风险评估"}, {"assessments.personal_information", a.PersonalInformation, "尚未完成个人信息保护影响评估"}} {
		if x.a == nil {
			return problem.Field(x.field, "catalog.assessment_missing", x.title,
				"both the secrecy-risk and the personal-information impact assessment must be recorded before submission (Art. 13)")
		}
		if x.a.Conclusion == "failed" {
			return problem.Field(x.field+".conclusion", "catalog.assessment_failed", "评估未通过，不得报送",
				"an assessment concluded failed; fix the entry and assess it again")
		}
	}
	return nil
}
