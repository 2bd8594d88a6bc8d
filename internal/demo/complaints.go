package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/complaint"
)

// ComplaintStates are the labels of Province.Complaints: one complaint in
// each state of Art. 37's handling, and one overdue: filed 30 days before
// the others and still unanswered, past its 15 working days. (In `govshare
// demo` the history lies months back, so every open one is overdue by now.)
var ComplaintStates = []string{"received", "handling", "answered", "transferred", "overdue"}

// demoComplaints: obviously fictitious complainants (测试 names, the
// reserved example.org domain and 138 0000 0000-style numbers).
var demoComplaints = []struct {
	label, department string
	in                complaint.Input
}{
	{"received", "浙江省公安厅", complaint.Input{ComplainantKind: complaint.Citizen, Name: "演示投诉人甲", Contact: "13800000001",
		Facts:  "我在办理居住证时，发现我的户籍信息被共享给了与该业务无关的单位使用。",
		Rights: "个人信息权益：个人信息被超出使用范围共享"}},
	{"handling", "杭州市民政局", complaint.Input{ComplainantKind: complaint.LegalPerson, Name: "演示科技有限公司", Contact: "demo-company@example.org",
		Facts:  "我公司的社会组织登记信息在共享后被其他部门用于与登记无关的检查，且信息已过时。",
		Rights: "法人的合法权益：共享数据不准确影响正常经营"}},
	{"answered", "浙江省市场监督管理局", complaint.Input{ComplainantKind: complaint.Citizen, Name: "演示投诉人乙", Contact: "13800000002",
		Facts: "企业登记信息中我的联系电话在共享后被公开展示。", Rights: "个人信息权益", Reference: "演示-申请-001"}},
	{"overdue", "浙江省教育厅", complaint.Input{ComplainantKind: complaint.Citizen, Name: "演示投诉人丙", Contact: "13800000003",
		Facts:  "学籍信息共享给培训机构用于招生宣传，我多次接到推销电话。",
		Rights: "个人信息权益：个人信息被用于共享目的以外的用途"}},
	{"transferred", "杭州市公安局", complaint.Input{ComplainantKind: complaint.OtherOrganisation, Name: "演示社区志愿者协会", Contact: "0571-00000000",
		Facts:  "街道共享的居民信息被用于与社区服务无关的用途。",
		Rights: "其他组织及其成员的合法权益"}},
}

// loadComplaints files the demo's complaints as the public would and has
// the departments act on them: 杭州市民政局 accepts its complaint,
// 浙江省市场监督管理局 answers its own, and 杭州市公安局 transfers its
// complaint to 西湖区民政局, the department whose data it concerns;
// 浙江省教育厅's complaint was filed 30 days earlier and is left unanswered.
func loadComplaints(ctx context.Context, a *app.App, p *Province, as func(string) (access.Actor, error)) (map[string]string, error) {
	ids := map[string]string{}
	for _, c := range demoComplaints {
		in := c.in
		in.DepartmentID = p.Departments[c.department].ID
		svc := a.Complaints
		if c.label == "overdue" {
			svc = svc.WithClock(func() time.Time { return a.Now().AddDate(0, 0, -30) })
		}
		if _, err := svc.File(ctx, in); err != nil {
			return nil, fmt.Errorf("complaint %s: %w", c.label, err)
		}
		// The receipt code is not kept: the department finds the
		// complaint in its listing, the newest one it has.
		who := map[string]string{"received": "gat.staff", "handling": "hzmz.head", "answered": "scjg.staff", "transferred": "hzga.staff", "overdue": "jyt.head"}[c.label]
		actor, err := as(who)
		if err != nil {
			return nil, err
		}
		cs, err := a.Complaints.List(ctx, actor, "", false, "", 500)
		if err != nil || len(cs) == 0 {
			return nil, fmt.Errorf("complaint %s not listed for %s: %v", c.label, who, err)
		}
		x, err := a.Complaints.Get(ctx, actor, cs[len(cs)-1].ID)
		if err != nil {
			return nil, fmt.Errorf("complaint %s: %w", c.label, err)
		}
		switch c.label {
		case "handling":
			_, err = a.Complaints.Accept(ctx, actor, x.ID, complaint.Command{Version: x.Version})
		case "answered":
			if x, err = a.Complaints.Accept(ctx, actor, x.ID, complaint.Command{Version: x.Version}); err == nil {
				_, err = a.Complaints.Answer(ctx, actor, x.ID, complaint.AnswerInput{Version: x.Version,
					Findings: "经核实，共享给下游部门的企业登记信息中包含经办人联系电话，该数据项超出了申请的使用范围。",
					Measures: "已通知需求部门删除该数据项并停止展示，调整共享数据项清单，今后不再共享经办人联系电话。"})
			}
		case "transferred":
			_, err = a.Complaints.Transfer(ctx, actor, x.ID, complaint.TransferInput{Version: x.Version, ToID: p.Departments["西湖区民政局"].ID,
				Reason: "所涉居民信息由西湖区民政局提供并共享，应由该局核查处理。"})
		}
		if err != nil {
			return nil, fmt.Errorf("complaint %s: %w", c.label, err)
		}
		ids[c.label] = x.ID
	}
	return ids, nil
}
