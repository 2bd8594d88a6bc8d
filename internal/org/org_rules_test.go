package org

import (
	"errors"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// wantProblem fails unless err is a *problem.Error with the given code and
// field ("" code means err must be nil).
func wantProblem(t *testing.T, err error, code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var p *problem.Error
	if !errors.As(err, &p) {
		t.Fatalf("error = %v, want problem %s", err, code)
	}
	if p.Code != code || p.Field != field {
		t.Fatalf("problem = %s (field %q), want %s (field %q)", p.Code, p.Field, code, field)
	}
}

func div(code string, level Level, parent string) Division {
	return Division{Code: code, Name: "区划" + code, Level: level, ParentCode: parent}
}

var (
	national   = &Division{Code: NationalCode, Name: "全国", Level: National}
	zhejiang   = &Division{Code: "330000", Name: "浙江省", Level: Provincial, ParentCode: NationalCode}
	hangzhou   = &Division{Code: "330100", Name: "杭州市", Level: Municipal, ParentCode: "330000"}
	xihu       = &Division{Code: "330106", Name: "西湖区", Level: County, ParentCode: "330100"}
	beishan    = &Division{Code: "330106001", Name: "北山街道", Level: Township, ParentCode: "330106"}
	beijing    = &Division{Code: "110000", Name: "北京市", Level: Provincial, ParentCode: NationalCode}
	villageDiv = &Division{Code: "330106001001", Name: "某社区", Level: Village, ParentCode: "330106001"}
)

func TestLevelOfCode(t *testing.T) {
	cases := map[string]Level{
		"100000":       National,
		"330000":       Provincial,
		"110000":       Provincial,
		"330100":       Municipal,
		"330106":       County,
		"110101":       County,
		"330106001":    Township,
		"330106001001": Village,
		"000000":       "",
		"33010":        "",
		"3301060":      "",
		"33010a":       "",
		"330106000":    "", // a township number of 000 is the county itself
		"330106001000": "",
		"":             "",
		"３３００００":       "", // full-width digits
	}
	for code, want := range cases {
		if got := LevelOfCode(code); got != want {
			t.Errorf("LevelOfCode(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestLevelHasAuthority(t *testing.T) {
	want := map[Level]bool{National: true, Provincial: true, Municipal: true, County: true, Township: false, Village: false, "planet": false}
	for l, w := range want {
		if l.HasAuthority() != w {
			t.Errorf("%s.HasAuthority() = %v, want %v", l, !w, w)
		}
	}
}

func TestValidateDivision(t *testing.T) {
	long := strings.Repeat("区", 101)
	cases := []struct {
		name   string
		d      Division
		parent *Division
		code   string // "" means valid
		field  string
	}{
		{"national", div(NationalCode, National, ""), nil, "", ""},
		{"province", div("330000", Provincial, NationalCode), national, "", ""},
		{"municipality directly under the centre", div("110000", Provincial, NationalCode), national, "", ""},
		{"city", div("330100", Municipal, "330000"), zhejiang, "", ""},
		{"county under city", div("330106", County, "330100"), hangzhou, "", ""},
		{"county directly under province", div("110101", County, "110000"), beijing, "", ""},
		{"county directly under its own province", div("330106", County, "330000"), zhejiang, "", ""},
		{"township", div("330106001", Township, "330106"), xihu, "", ""},
		{"village", div("330106001001", Village, "330106001"), beishan, "", ""},

		{"empty name", Division{Code: "330000", Name: "  ", Level: Provincial, ParentCode: NationalCode}, national, "org.name_required", "name"},
		{"long name", Division{Code: "330000", Name: long, Level: Provincial, ParentCode: NationalCode}, national, "org.name_too_long", "name"},
		{"unknown level", div("330000", "state", NationalCode), national, "org.level_invalid", "level"},
		{"five-digit code", div("33000", Provincial, NationalCode), national, "org.division_code_invalid", "code"},
		{"letters in code", div("33AB00", Municipal, "330000"), zhejiang, "org.division_code_invalid", "code"},
		{"seven-digit code", div("3301061", Township, "330106"), xihu, "org.division_code_invalid", "code"},
		{"township code 000", div("330106000", Township, "330106"), xihu, "org.division_code_invalid", "code"},
		{"level says city, code says province", div("330000", Municipal, NationalCode), national, "org.level_mismatch", "level"},
		{"level says county, code says city", div("330100", County, "330000"), zhejiang, "org.level_mismatch", "level"},
		{"level says province, code is national", div(NationalCode, Provincial, ""), nil, "org.level_mismatch", "level"},
		{"level says township, code has six digits", div("330106", Township, "330100"), hangzhou, "org.level_mismatch", "level"},
		{"national with a parent", div(NationalCode, National, "330000"), zhejiang, "org.parent_invalid", "parent_code"},
		{"province without parent", div("330000", Provincial, ""), nil, "org.parent_required", "parent_code"},
		{"city under another province", div("330100", Municipal, "320000"), &Division{Code: "320000", Level: Provincial}, "org.parent_invalid", "parent_code"},
		{"county under another city", div("330106", County, "330200"), &Division{Code: "330200", Level: Municipal}, "org.parent_invalid", "parent_code"},
		{"county under national", div("330106", County, NationalCode), national, "org.parent_invalid", "parent_code"},
		{"city under national", div("330100", Municipal, NationalCode), national, "org.parent_invalid", "parent_code"},
		{"township under city", div("330106001", Township, "330100"), hangzhou, "org.parent_invalid", "parent_code"},
		{"township under foreign county", div("330106001", Township, "330203"), &Division{Code: "330203", Level: County}, "org.parent_invalid", "parent_code"},
		{"village under county", div("330106001001", Village, "330106"), xihu, "org.parent_invalid", "parent_code"},
		{"parent missing from the tree", div("330100", Municipal, "330000"), nil, "org.parent_unknown", "parent_code"},
		{"parent with a wrong level", div("330106", County, "330100"), &Division{Code: "330100", Level: Village}, "org.parent_invalid", "parent_code"},
		{"parent at the same level", div("330106001001", Village, "330106001"), villageDiv, "org.parent_invalid", "parent_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, ValidateDivision(c.d, c.parent), c.code, c.field)
		})
	}
}

func TestContains(t *testing.T) {
	parents := map[string]string{"330000": NationalCode, "330100": "330000", "330106": "330100", "330106001": "330106", "330200": "330000"}
	parentOf := func(c string) (string, bool) { p, ok := parents[c]; return p, ok }
	cases := []struct {
		outer, inner string
		want         bool
	}{
		{"330100", "330106001", true},
		{"330106", "330106", true},
		{NationalCode, "330106", true},
		{"330200", "330106", false},
		{"330106", "330100", false},
		{"330100", "999999", false},
	}
	for _, c := range cases {
		if got := Contains(c.outer, c.inner, parentOf); got != c.want {
			t.Errorf("Contains(%s, %s) = %v, want %v", c.outer, c.inner, got, c.want)
		}
	}
}

// creditCheckChar computes the GB 32100-2015 check character independently of
// the package: weights are 3^i mod 31, the check is 31 - (sum mod 31), 31 -> 0.
func creditCheckChar(t *testing.T, prefix string) byte {
	t.Helper()
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	if len(prefix) != 17 {
		t.Fatalf("prefix %q is not 17 characters", prefix)
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(alphabet, prefix[i])
		if v < 0 {
			t.Fatalf("prefix %q has %q outside the alphabet", prefix, prefix[i])
		}
		sum += v * w
		w = w * 3 % 31
	}
	return alphabet[(31-sum%31)%31]
}

func TestValidCreditCode(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for _, prefix := range []string{"91330106MA27XYQ12", "11330000002482061", "12100000400012345", "91110000MA00000000"[:17]} {
		code := prefix + string(creditCheckChar(t, prefix))
		if !ValidCreditCode(code) {
			t.Fatalf("ValidCreditCode(%s) = false for a code built with the GB 32100 algorithm", code)
		}
		// Any one-character change is caught: weights are non-zero mod the prime 31.
		for i := 0; i < 18; i++ {
			for _, r := range []byte(alphabet) {
				if r == code[i] {
					continue
				}
				changed := code[:i] + string(r) + code[i+1:]
				if ValidCreditCode(changed) {
					t.Fatalf("ValidCreditCode(%s) = true after changing position %d of %s", changed, i, code)
				}
			}
		}
	}
	good := "91330106MA27XYQ12" + string(creditCheckChar(t, "91330106MA27XYQ12"))
	for _, bad := range []string{
		"",
		good[:17],
		good + "0",
		strings.ToLower(good),
		"I" + good[1:], // I, O, S, V, Z are not in the alphabet
		"91330106MA27XYQ1O" + good[17:],
	} {
		if ValidCreditCode(bad) {
			t.Errorf("ValidCreditCode(%q) = true", bad)
		}
	}
}

func TestValidateDepartment(t *testing.T) {
	credit := "91330106MA27XYQ12" + string(creditCheckChar(t, "91330106MA27XYQ12"))
	wrongCredit := credit[:17] + string(map[bool]byte{true: '1', false: '0'}[credit[17] == '0'])
	dept := func(kind Kind, mod func(*Department)) Department {
		d := Department{Name: "西湖区民政局", DivisionCode: "330106", Kind: kind, OfficeName: "办公室"}
		if mod != nil {
			mod(&d)
		}
		return d
	}
	cases := []struct {
		name  string
		d     Department
		div   *Division
		code  string
		field string
	}{
		{"department", dept(KindDepartment, nil), xihu, "", ""},
		{"other state organ", dept(KindOtherStateOrgan, nil), xihu, "", ""},
		{"authority at county", dept(KindAuthority, nil), xihu, "", ""},
		{"authority at city", dept(KindAuthority, func(d *Department) { d.DivisionCode = "330100" }), hangzhou, "", ""},
		{"authority at province", dept(KindAuthority, func(d *Department) { d.DivisionCode = "330000" }), zhejiang, "", ""},
		{"authority at national", dept(KindAuthority, func(d *Department) { d.DivisionCode = NationalCode }), national, "", ""},
		{"department at township", dept(KindDepartment, func(d *Department) { d.DivisionCode = "330106001" }), beishan, "", ""},
		{"valid credit code", dept(KindDepartment, func(d *Department) { d.CreditCode = credit }), xihu, "", ""},

		{"authority at township", dept(KindAuthority, func(d *Department) { d.DivisionCode = "330106001" }), beishan, "org.authority_level", "kind"},
		{"authority at village", dept(KindAuthority, func(d *Department) { d.DivisionCode = "330106001001" }), villageDiv, "org.authority_level", "kind"},
		{"wrong credit check character", dept(KindDepartment, func(d *Department) { d.CreditCode = wrongCredit }), xihu, "org.credit_code_invalid", "credit_code"},
		{"short credit code", dept(KindDepartment, func(d *Department) { d.CreditCode = credit[:17] }), xihu, "org.credit_code_invalid", "credit_code"},
		{"empty name", dept(KindDepartment, func(d *Department) { d.Name = " " }), xihu, "org.name_required", "name"},
		{"long name", dept(KindDepartment, func(d *Department) { d.Name = strings.Repeat("局", 101) }), xihu, "org.name_too_long", "name"},
		{"long office name", dept(KindDepartment, func(d *Department) { d.OfficeName = strings.Repeat("室", 101) }), xihu, "org.name_too_long", "office_name"},
		{"unknown kind", dept("company", nil), xihu, "org.kind_invalid", "kind"},
		{"unknown division", dept(KindDepartment, nil), nil, "org.division_unknown", "division_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, ValidateDepartment(c.d, c.div), c.code, c.field)
		})
	}
}

func TestValidateRoles(t *testing.T) {
	authority := &Department{ID: "a", Kind: KindAuthority}
	department := &Department{ID: "d", Kind: KindDepartment}
	organ := &Department{ID: "o", Kind: KindOtherStateOrgan}
	R := func(rs ...access.Role) []access.Role { return rs }
	cases := []struct {
		name  string
		roles []access.Role
		dept  *Department
		code  string
		field string
	}{
		{"admin without department", R(access.PlatformAdmin), nil, "", ""},
		{"contractor alone", R(access.Contractor), nil, "", ""},
		{"reviewer of an authority", R(access.AuthorityReviewer), authority, "", ""},
		{"head and staff of a department", R(access.OfficeHead, access.OfficeStaff), department, "", ""},
		{"auditor of a department", R(access.Auditor), department, "", ""},
		{"staff of another state organ", R(access.OfficeStaff), organ, "", ""},

		{"no roles", nil, department, "org.roles_required", "roles"},
		{"unknown role", R(access.OfficeStaff, "superuser"), department, "org.role_invalid", "roles[1]"},
		{"duplicate role", R(access.OfficeStaff, access.OfficeStaff), department, "org.role_duplicate", "roles[1]"},
		{"reviewer of an ordinary department", R(access.AuthorityReviewer), department, "org.role_needs_authority", "roles[0]"},
		{"reviewer of another state organ", R(access.AuthorityReviewer), organ, "org.role_needs_authority", "roles[0]"},
		{"reviewer without department", R(access.AuthorityReviewer), nil, "org.role_needs_authority", "roles[0]"},
		{"office head without department", R(access.OfficeHead), nil, "org.role_needs_department", "roles[0]"},
		{"office staff without department", R(access.PlatformAdmin, access.OfficeStaff), nil, "org.role_needs_department", "roles[1]"},
		{"auditor without department", R(access.Auditor), nil, "org.role_needs_department", "roles[0]"},
		{"contractor and admin", R(access.Contractor, access.PlatformAdmin), nil, "org.contractor_exclusive", "roles"},
		{"admin and contractor", R(access.PlatformAdmin, access.Contractor), nil, "org.contractor_exclusive", "roles"},
		{"contractor and staff", R(access.OfficeStaff, access.Contractor), department, "org.contractor_exclusive", "roles"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, ValidateRoles(c.roles, c.dept), c.code, c.field)
		})
	}
}

func actor(person, dept, division string, roles ...access.Role) access.Actor {
	return access.Actor{PersonID: person, DepartmentID: dept, DivisionCode: division, Roles: roles}
}

func TestCanCreateOrganisations(t *testing.T) {
	cases := []struct {
		a    access.Actor
		want bool
	}{
		{access.Operator("root"), true},
		{actor("p", "", "", access.PlatformAdmin), true},
		{actor("p", "d", "330000", access.AuthorityReviewer), false},
		{actor("p", "d", "330000", access.OfficeHead), false},
		{actor("p", "", "", access.Contractor), false},
		{access.System, false},
	}
	for _, c := range cases {
		if got := CanCreateOrganisations(c.a); got != c.want {
			t.Errorf("CanCreateOrganisations(%+v) = %v, want %v", c.a, got, c.want)
		}
	}
}

func TestCanUpdateOffice(t *testing.T) {
	own := Department{ID: "d1"}
	cases := []struct {
		name string
		a    access.Actor
		want bool
	}{
		{"operator", access.Operator("root"), true},
		{"admin", actor("p", "", "", access.PlatformAdmin), true},
		{"own head", actor("p", "d1", "330100", access.OfficeHead), true},
		{"other head", actor("p", "d2", "330100", access.OfficeHead), false},
		{"own staff", actor("p", "d1", "330100", access.OfficeStaff), false},
		{"reviewer of region", actor("p", "a", "330100", access.AuthorityReviewer), false},
		{"contractor", actor("p", "", "", access.Contractor), false},
		{"system", access.System, false},
	}
	for _, c := range cases {
		if got := CanUpdateOffice(c.a, own); got != c.want {
			t.Errorf("%s: CanUpdateOffice = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCanReadPerson(t *testing.T) {
	in := func(outer, inner string) (bool, error) {
		return strings.HasPrefix(inner, strings.TrimRight(outer, "0")), nil
	}
	person := Person{ID: "x", DepartmentID: "d1"}
	noDept := Person{ID: "y"}
	cases := []struct {
		name    string
		a       access.Actor
		p       Person
		div     string
		want    bool
		wantErr bool
	}{
		{"self", actor("x", "", "", access.Contractor), person, "330106", true, false},
		{"admin", actor("a", "", "", access.PlatformAdmin), person, "330106", true, false},
		{"head of same department", actor("h", "d1", "330106", access.OfficeHead), person, "330106", true, false},
		{"staff of same department", actor("s", "d1", "330106", access.OfficeStaff), person, "330106", true, false},
		{"staff of another department", actor("s", "d2", "330106", access.OfficeStaff), person, "330106", false, false},
		{"reviewer of enclosing city", actor("r", "a", "330100", access.AuthorityReviewer), person, "330106", true, false},
		{"reviewer of another city", actor("r", "a", "330200", access.AuthorityReviewer), person, "330106", false, false},
		{"auditor of province", actor("r", "a", "330000", access.Auditor), person, "330106", true, false},
		{"reviewer, person without department", actor("r", "a", "330000", access.AuthorityReviewer), noDept, "", false, false},
		{"staff, person without department", actor("s", "", "", access.OfficeStaff), noDept, "", false, false},
		{"contractor reads another", actor("c", "", "", access.Contractor), person, "330106", false, false},
		{"region lookup fails", actor("r", "a", "330000", access.Auditor), person, "330106", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			region := Region(in)
			if c.wantErr {
				region = func(string, string) (bool, error) { return false, errors.New("database down") }
			}
			got, err := CanReadPerson(c.a, c.p, c.div, region)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, c.wantErr)
			}
			if got != c.want {
				t.Fatalf("CanReadPerson = %v, want %v", got, c.want)
			}
		})
	}
}

func TestScopeForPeople(t *testing.T) {
	cases := []struct {
		name string
		a    access.Actor
		want PeopleScope
	}{
		{"admin", actor("a", "", "", access.PlatformAdmin), PeopleScope{All: true}},
		{"reviewer", actor("r", "d", "330100", access.AuthorityReviewer), PeopleScope{Region: "330100"}},
		{"auditor", actor("r", "d", "330000", access.Auditor), PeopleScope{Region: "330000"}},
		{"head", actor("h", "d1", "330106", access.OfficeHead), PeopleScope{DepartmentID: "d1"}},
		{"staff", actor("s", "d1", "330106", access.OfficeStaff), PeopleScope{DepartmentID: "d1"}},
		{"contractor", actor("c", "", "", access.Contractor), PeopleScope{Self: "c"}},
		{"no role", actor("n", "", ""), PeopleScope{Self: "n"}},
	}
	for _, c := range cases {
		if got := ScopeForPeople(c.a); got != c.want {
			t.Errorf("%s: ScopeForPeople = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestCanManagePerson(t *testing.T) {
	R := func(rs ...access.Role) []access.Role { return rs }
	head := actor("h", "d1", "330106", access.OfficeHead)
	cases := []struct {
		name  string
		a     access.Actor
		dept  string
		roles []access.Role
		want  bool
	}{
		{"operator anything", access.Operator("root"), "", R(access.PlatformAdmin), true},
		{"admin anything", actor("a", "", "", access.PlatformAdmin), "d2", R(access.OfficeHead), true},
		{"head creates own staff", head, "d1", R(access.OfficeStaff), true},
		{"head creates staff elsewhere", head, "d2", R(access.OfficeStaff), false},
		{"head creates a head", head, "d1", R(access.OfficeHead), false},
		{"head creates staff+auditor", head, "d1", R(access.OfficeStaff, access.Auditor), false},
		{"head creates without department", head, "", R(access.OfficeStaff), false},
		{"head without department", actor("h", "", "", access.OfficeHead), "", R(access.OfficeStaff), false},
		{"staff creates staff", actor("s", "d1", "330106", access.OfficeStaff), "d1", R(access.OfficeStaff), false},
		{"reviewer creates staff", actor("r", "d1", "330106", access.AuthorityReviewer), "d1", R(access.OfficeStaff), false},
		{"contractor", actor("c", "", "", access.Contractor), "", R(access.Contractor), false},
	}
	for _, c := range cases {
		if got := CanManagePerson(c.a, c.dept, c.roles); got != c.want {
			t.Errorf("%s: CanManagePerson = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCanLookUpAuthorities(t *testing.T) {
	cases := []struct {
		a    access.Actor
		want bool
	}{
		{actor("a", "", "", access.PlatformAdmin), true},
		{actor("s", "d", "330106", access.OfficeStaff), true},
		{actor("r", "d", "330106", access.AuthorityReviewer), true},
		{actor("c", "", "", access.Contractor), false},
		{access.System, false},
		{access.Operator("root"), false},
	}
	for _, c := range cases {
		if got := CanLookUpAuthorities(c.a); got != c.want {
			t.Errorf("CanLookUpAuthorities(%+v) = %v, want %v", c.a, got, c.want)
		}
	}
}
