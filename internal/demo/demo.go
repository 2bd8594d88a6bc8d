// Package demo loads a demo province: a realistic tree of divisions, the
// competent authorities and departments in it, their sharing offices and
// heads, and one account for every role. It goes through the same services as
// everything else, so the demo's history is in the record like any other.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/calendar"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/org"
)

// ReferenceTime is a fixed working day well inside the calendar years the
// binary ships. Tests and benchmarks run the demo on this clock, so that
// their deadlines never depend on the day they run; `govshare demo` itself
// runs on the real clock.
var ReferenceTime = time.Date(2026, 6, 15, 10, 0, 0, 0, calendar.Shanghai)

// ReferenceClock returns ReferenceTime.
func ReferenceClock() time.Time { return ReferenceTime }

// Password is the password of every demo account. It is printed by the demo
// and must never be used outside it.
const Password = "govshare-demo"

// Account is one demo login.
type Account struct {
	Username   string
	Name       string
	Role       access.Role
	Department string // department name, "" for none
	ID         string
}

// Province is what Load created, by name, for tests and the demo banner.
type Province struct {
	Divisions   map[string]org.Division   // by code
	Departments map[string]org.Department // by name
	Accounts    []Account
	// Entries are the demo catalog entries' IDs by name; Applications the
	// demo applications' IDs by a label saying which state each is in.
	Entries      map[string]string
	Applications map[string]string
	// Deliveries are the demo's grants in use, systems and return flows.
	Deliveries *Deliveries
	// Complaints are the demo's complaints (Art. 37) by the state each is
	// in (ComplaintStates).
	Complaints map[string]string
	// Disputes are the demo's disputes (Art. 28) by the stage or outcome
	// each is in (DisputeStates).
	Disputes map[string]string
	// Corrections are the demo's correction requests (Art. 26) by the state
	// each is in (CorrectionStates).
	Corrections map[string]string
	// ServiceChanges are the demo's service changes (Art. 27 ¶3) by the
	// state each is in (ServiceChangeStates).
	ServiceChanges map[string]string
	// GrantLifecycle are the demo's grants after delivery (Art. 27 ¶1, ¶2)
	// by the state each is in (GrantLifecycleStates).
	GrantLifecycle map[string]string
}

// Account returns the demo account with the given username.
func (p *Province) Account(username string) Account {
	for _, a := range p.Accounts {
		if a.Username == username {
			return a
		}
	}
	panic("demo: no account " + username)
}

var divisions = []org.Division{
	{Code: org.NationalCode, Name: "全国", Level: org.National},
	{Code: "330000", Name: "浙江省", Level: org.Provincial, ParentCode: org.NationalCode},
	{Code: "330100", Name: "杭州市", Level: org.Municipal, ParentCode: "330000"},
	{Code: "330106", Name: "西湖区", Level: org.County, ParentCode: "330100"},
	{Code: "330106001", Name: "北山街道", Level: org.Township, ParentCode: "330106"},
	{Code: "330200", Name: "宁波市", Level: org.Municipal, ParentCode: "330000"},
	{Code: "330203", Name: "海曙区", Level: org.County, ParentCode: "330200"},
}

var departments = []org.Department{
	{Name: "国家数据局", DivisionCode: org.NationalCode, Kind: org.KindAuthority, OfficeName: "数据资源司"},
	{Name: "浙江省数据局", DivisionCode: "330000", Kind: org.KindAuthority, OfficeName: "数据资源处"},
	{Name: "浙江省公安厅", DivisionCode: "330000", Kind: org.KindDepartment, OfficeName: "科技信息化处"},
	{Name: "浙江省市场监督管理局", DivisionCode: "330000", Kind: org.KindDepartment, OfficeName: "信息中心"},
	{Name: "浙江省人力资源和社会保障厅", DivisionCode: "330000", Kind: org.KindDepartment, OfficeName: "信息中心"},
	{Name: "浙江省审计厅", DivisionCode: "330000", Kind: org.KindDepartment, OfficeName: "电子数据审计处"},
	{Name: "浙江省人民检察院", DivisionCode: "330000", Kind: org.KindOtherStateOrgan, OfficeName: "检察技术信息处"},
	{Name: "浙江省教育厅", DivisionCode: "330000", Kind: org.KindDepartment, OfficeName: "信息化处"},
	{Name: "浙江省自然资源厅", DivisionCode: "330000", Kind: org.KindDepartment, OfficeName: "信息中心"},
	{Name: "浙江省卫生健康委员会", DivisionCode: "330000", Kind: org.KindDepartment, OfficeName: "信息中心"},
	{Name: "浙江省民政厅", DivisionCode: "330000", Kind: org.KindDepartment, OfficeName: "信息中心"},
	{Name: "杭州市数据资源管理局", DivisionCode: "330100", Kind: org.KindAuthority, OfficeName: "数据资源处"},
	{Name: "杭州市公安局", DivisionCode: "330100", Kind: org.KindDepartment, OfficeName: "科技信息化处"},
	{Name: "杭州市民政局", DivisionCode: "330100", Kind: org.KindDepartment, OfficeName: "信息中心"},
	{Name: "杭州市市场监督管理局", DivisionCode: "330100", Kind: org.KindDepartment, OfficeName: "信息中心"},
	{Name: "西湖区数据资源管理局", DivisionCode: "330106", Kind: org.KindAuthority, OfficeName: "数据资源科"},
	{Name: "西湖区民政局", DivisionCode: "330106", Kind: org.KindDepartment, OfficeName: "办公室"},
	{Name: "北山街道办事处", DivisionCode: "330106001", Kind: org.KindDepartment, OfficeName: "综合信息指挥室"},
	{Name: "宁波市大数据发展管理局", DivisionCode: "330200", Kind: org.KindAuthority, OfficeName: "数据资源处"},
	{Name: "宁波市卫生健康委员会", DivisionCode: "330200", Kind: org.KindDepartment, OfficeName: "信息中心"},
	{Name: "宁波市公安局", DivisionCode: "330200", Kind: org.KindDepartment, OfficeName: "科技信息化处"},
	{Name: "海曙区民政局", DivisionCode: "330203", Kind: org.KindDepartment, OfficeName: "办公室"},
}

// Accounts: one or more for every role. Names are invented.
var accounts = []Account{
	{Username: "admin", Name: "平台管理员", Role: access.PlatformAdmin},
	{Username: "ops", Name: "运维工程师（受托方）", Role: access.Contractor},
	{Username: "zj.reviewer", Name: "周审核", Role: access.AuthorityReviewer, Department: "浙江省数据局"},
	{Username: "hz.reviewer", Name: "吴审核", Role: access.AuthorityReviewer, Department: "杭州市数据资源管理局"},
	{Username: "nb.reviewer", Name: "郑审核", Role: access.AuthorityReviewer, Department: "宁波市大数据发展管理局"},
	{Username: "gat.head", Name: "王处长", Role: access.OfficeHead, Department: "浙江省公安厅"},
	{Username: "gat.staff", Name: "李经办", Role: access.OfficeStaff, Department: "浙江省公安厅"},
	{Username: "scjg.head", Name: "赵主任", Role: access.OfficeHead, Department: "浙江省市场监督管理局"},
	{Username: "scjg.staff", Name: "钱经办", Role: access.OfficeStaff, Department: "浙江省市场监督管理局"},
	{Username: "rst.head", Name: "孙主任", Role: access.OfficeHead, Department: "浙江省人力资源和社会保障厅"},
	{Username: "rst.staff", Name: "朱经办", Role: access.OfficeStaff, Department: "浙江省人力资源和社会保障厅"},
	{Username: "hzga.head", Name: "陈处长", Role: access.OfficeHead, Department: "杭州市公安局"},
	{Username: "hzga.staff", Name: "林经办", Role: access.OfficeStaff, Department: "杭州市公安局"},
	{Username: "hzmz.head", Name: "黄主任", Role: access.OfficeHead, Department: "杭州市民政局"},
	{Username: "xhmz.staff", Name: "何经办", Role: access.OfficeStaff, Department: "西湖区民政局"},
	{Username: "nbwj.head", Name: "罗主任", Role: access.OfficeHead, Department: "宁波市卫生健康委员会"},
	{Username: "audit", Name: "高审计", Role: access.Auditor, Department: "浙江省审计厅"},
	{Username: "jyt.head", Name: "冯处长", Role: access.OfficeHead, Department: "浙江省教育厅"},
	{Username: "zrzyt.head", Name: "曹主任", Role: access.OfficeHead, Department: "浙江省自然资源厅"},
	{Username: "wjw.head", Name: "彭主任", Role: access.OfficeHead, Department: "浙江省卫生健康委员会"},
	{Username: "mzt.head", Name: "魏主任", Role: access.OfficeHead, Department: "浙江省民政厅"},
	{Username: "hzscjg.head", Name: "蒋主任", Role: access.OfficeHead, Department: "杭州市市场监督管理局"},
	{Username: "xhmz.head", Name: "沈主任", Role: access.OfficeHead, Department: "西湖区民政局"},
	{Username: "nbga.head", Name: "韩处长", Role: access.OfficeHead, Department: "宁波市公安局"},
	{Username: "hsmz.head", Name: "杨主任", Role: access.OfficeHead, Department: "海曙区民政局"},
}

// Accounts lists the demo accounts (without IDs), for the banner of a demo
// that was loaded by an earlier run.
func Accounts() []Account { return append([]Account(nil), accounts...) }

// Loaded reports whether the database already holds organisations, in which
// case the demo does not load again.
func Loaded(ctx context.Context, a *app.App) (bool, error) {
	divs, err := a.Org.Divisions(ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}}, org.DivisionFilter{Page: org.Page{Limit: 1}})
	return len(divs) > 0, err
}

// Load creates the demo province as the command-line operator "demo".
func Load(ctx context.Context, a *app.App) (*Province, error) {
	op := access.Operator("demo")
	p := &Province{Divisions: map[string]org.Division{}, Departments: map[string]org.Department{},
		Entries: map[string]string{}, Applications: map[string]string{}}
	for _, d := range divisions {
		d, err := a.Org.CreateDivision(ctx, op, d)
		if err != nil {
			return nil, fmt.Errorf("demo: division %s: %w", d.Code, err)
		}
		p.Divisions[d.Code] = d
	}
	for _, d := range departments {
		office := d.OfficeName
		d.OfficeName = ""
		d, err := a.Org.CreateDepartment(ctx, op, d)
		if err != nil {
			return nil, fmt.Errorf("demo: department %s: %w", d.Name, err)
		}
		d.OfficeName = office
		p.Departments[d.Name] = d
	}
	for _, acc := range accounts {
		deptID := ""
		if acc.Department != "" {
			deptID = p.Departments[acc.Department].ID
		}
		person, err := a.Org.CreatePerson(ctx, op, org.NewPerson{Username: acc.Username, DisplayName: acc.Name,
			DepartmentID: deptID, Roles: []access.Role{acc.Role}, Password: Password})
		if err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", acc.Username, err)
		}
		acc.ID = person.ID
		p.Accounts = append(p.Accounts, acc)
	}
	// Every department names its sharing office (Art. 11); where the demo has
	// an office head account, it is the office's head.
	for name, d := range p.Departments {
		u := org.OfficeUpdate{OfficeName: d.OfficeName, Version: d.Version}
		for _, acc := range p.Accounts {
			if acc.Department == name && acc.Role == access.OfficeHead {
				u.OfficeHeadID = acc.ID
			}
		}
		d, err := a.Org.UpdateOffice(ctx, op, d.ID, u)
		if err != nil {
			return nil, fmt.Errorf("demo: office of %s: %w", name, err)
		}
		p.Departments[name] = d
	}
	if err := loadCatalog(ctx, a, p); err != nil {
		return nil, fmt.Errorf("demo: catalog: %w", err)
	}
	if err := loadApplications(ctx, a, p); err != nil {
		return nil, fmt.Errorf("demo: applications: %w", err)
	}
	d, err := loadDeliveries(ctx, a, p, actorsOf(ctx, a, p))
	if err != nil {
		return nil, fmt.Errorf("demo: deliveries: %w", err)
	}
	p.Deliveries = d
	if err := loadUsageRecords(ctx, a, d, actorsOf(ctx, a, p)); err != nil {
		return nil, fmt.Errorf("demo: usage records: %w", err)
	}
	if p.Disputes, err = loadDisputes(ctx, a, p, actorsOf(ctx, a, p)); err != nil {
		return nil, fmt.Errorf("demo: disputes: %w", err)
	}
	if p.Corrections, err = loadCorrections(ctx, a, d, actorsOf(ctx, a, p)); err != nil {
		return nil, fmt.Errorf("demo: corrections: %w", err)
	}
	if p.ServiceChanges, err = loadServiceChanges(ctx, a, p); err != nil {
		return nil, fmt.Errorf("demo: service changes: %w", err)
	}
	if p.GrantLifecycle, err = loadGrantLifecycle(ctx, a, p); err != nil {
		return nil, fmt.Errorf("demo: grant lifecycle: %w", err)
	}
	if p.Complaints, err = loadComplaints(ctx, a, p, actorsOf(ctx, a, p)); err != nil {
		return nil, fmt.Errorf("demo: complaints: %w", err)
	}
	return p, nil
}
