package org

import (
	"strings"
	"time"

	"github.com/govshare/govshare/internal/problem"
)

// Kind is what sort of organ a department is.
type Kind string

const (
	KindDepartment      Kind = "department"        // 政府部门, incl. organisations authorised to manage public affairs
	KindAuthority       Kind = "authority"         // 政务数据共享主管部门 (Art. 8)
	KindOtherStateOrgan Kind = "other_state_organ" // 其他国家机关 sharing by reference (Art. 43)
)

func (k Kind) valid() bool {
	return k == KindDepartment || k == KindAuthority || k == KindOtherStateOrgan
}

// Department is a government department, authority or other state organ, in one
// division. Its sharing office (Art. 11) and office head are part of it.
type Department struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	DivisionCode string    `json:"division_code"`
	Kind         Kind      `json:"kind"`
	CreditCode   string    `json:"credit_code,omitempty"` // unified social credit code, GB 32100
	OfficeName   string    `json:"office_name"`           // 政务数据共享工作机构
	OfficeHeadID string    `json:"office_head_id,omitempty"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// ValidateDepartment checks a new department's own fields against its division.
func ValidateDepartment(d Department, div *Division) error {
	if strings.TrimSpace(d.Name) == "" {
		return problem.Field("name", "org.name_required", "名称不能为空", "name is required")
	}
	if len([]rune(d.Name)) > 100 {
		return problem.Field("name", "org.name_too_long", "名称过长", "name is longer than 100 characters")
	}
	if !d.Kind.valid() {
		return problem.Fieldf("kind", "org.kind_invalid", "部门类型无效",
			"kind must be department, authority or other_state_organ; got %q", d.Kind)
	}
	if d.CreditCode != "" && !ValidCreditCode(d.CreditCode) {
		return problem.Field("credit_code", "org.credit_code_invalid", "统一社会信用代码无效",
			"credit_code must be 18 characters with a valid GB 32100 check character")
	}
	if len([]rune(d.OfficeName)) > 100 {
		return problem.Field("office_name", "org.name_too_long", "名称过长", "office_name is longer than 100 characters")
	}
	if div == nil {
		return problem.Fieldf("division_code", "org.division_unknown", "行政区划不存在", "division %q does not exist", d.DivisionCode)
	}
	if d.Kind == KindAuthority && !div.Level.HasAuthority() {
		return problem.Fieldf("kind", "org.authority_level", "该层级不设政务数据共享主管部门",
			"a %s division has no competent authority; authorities exist at county level and above (Art. 8)", div.Level)
	}
	return nil
}

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidCreditCode checks an 18-character unified social credit code and its
// check character (GB 32100-2015).
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, s[i])
		if v < 0 {
			return false
		}
		sum += v * creditWeights[i]
	}
	check := (31 - sum%31) % 31
	return s[17] == creditAlphabet[check]
}
