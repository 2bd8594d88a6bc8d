package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
)

// The demo's grants after delivery (Art. 27), one in each state, all of
// 浙江省自然资源厅's 不动产登记信息 (zrzyt.head provides):
//
//   - active: to 杭州市民政局;
//   - suspended: to 宁波市公安局, suspended by the provider for provision to
//     a third party, with 10 working days to rectify;
//   - terminated: to 海曙区民政局, suspended by 浙江省数据局 for use beyond
//     the scope, rectification reported but found wanting, terminated; its
//     data is due for disposal;
//   - expired: to 西湖区民政局, valid until the day after the history
//     starts, so expired (and due for disposal) whenever the demo is run
//     later; the provider requires the data archived;
//   - disposed: to 浙江省教育厅, whose purpose was met early.
var demoLifecycleGrants = map[string]demoApplication{
	"active": {label: "gl_active", by: "hzmz.head", entry: "不动产登记信息", items: "不动产单元号、权利人、坐落、面积",
		method: application.ServiceInterface, months: 12, basis: "《社会救助暂行办法》第四十条",
		scenario: "低保家庭住房状况核查", scope: "杭州市民政局社会救助处",
		acts: []demoAct{{act: "send", by: "hzmz.head"}, {act: "approve", by: "zrzyt.head"}}},
	"suspended": {label: "gl_suspended", by: "nbga.head", entry: "不动产登记信息", items: "不动产权证号、权利人、坐落",
		method: application.ServiceInterface, months: 12, basis: "《中华人民共和国刑事诉讼法》第一百四十四条",
		scenario: "涉案财产司法协查", scope: "宁波市公安局经济犯罪侦查支队",
		acts: []demoAct{{act: "send", by: "nbga.head"}, {act: "approve", by: "zrzyt.head"}}},
	"terminated": {label: "gl_terminated", by: "hsmz.head", entry: "不动产登记信息", items: "不动产单元号、权利人、面积",
		method: application.ServiceInterface, months: 12, basis: "《社会救助暂行办法》第十一条",
		scenario: "低保申请家庭财产核对", scope: "海曙区民政局社会救助科",
		acts: []demoAct{{act: "send", by: "hsmz.head"}, {act: "approve", by: "zrzyt.head"}}},
	"expired": {label: "gl_expired", by: "xhmz.head", entry: "不动产登记信息", items: "权利人、坐落",
		method: application.ServiceInterface, basis: "《社会救助暂行办法》第四十七条",
		scenario: "临时救助对象住房核查", scope: "西湖区民政局",
		acts: []demoAct{{act: "send", by: "xhmz.head"}, {act: "approve", by: "zrzyt.head"}}},
	"disposed": {label: "gl_disposed", by: "jyt.head", entry: "不动产登记信息", items: "权利人、面积",
		method: application.ServiceInterface, months: 12, basis: "《学生资助资金管理办法》第三十五条",
		scenario: "家庭经济困难学生认定房产核查", scope: "浙江省教育厅学生资助管理中心",
		acts: []demoAct{{act: "send", by: "jyt.head"}, {act: "approve", by: "zrzyt.head"}}},
}

// GrantLifecycleStates are the labels of the demo's grants after delivery,
// each naming its state (as of the day after the history starts for
// "expired").
var GrantLifecycleStates = []string{"active", "suspended", "terminated", "expired", "disposed"}

// loadGrantLifecycle gives the grants above and takes each to its state; it
// returns their IDs by state. Late in the year, when the calendar cannot
// count the deadlines, the demo has none, as in loadApplications.
func loadGrantLifecycle(ctx context.Context, a *app.App, p *Province) (map[string]string, error) {
	as := actorsOf(ctx, a, p)
	today := calendar.DateOf(a.Now())
	out := map[string]string{}
	grants := map[string]grant.Grant{}
	zrzyt, err := as("zrzyt.head")
	if err != nil {
		return nil, err
	}
	for _, st := range GrantLifecycleStates {
		d := demoLifecycleGrants[st]
		id, err := d.loadUntil(ctx, a, p, as, today, st == "expired")
		if beyondCalendar(err) || problem.CodeOf(err) == "application.entry_not_found" {
			return map[string]string{}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.label, err)
		}
		gs, err := a.Grants.List(ctx, zrzyt, grant.Filter{ApplicationID: id})
		if err != nil || len(gs) != 1 {
			return nil, fmt.Errorf("%s: the grant of the approval: %v", d.label, err)
		}
		grants[st], out[st] = gs[0], gs[0].ID
	}
	svc := a.Grants
	zj, err := as("zj.reviewer")
	if err != nil {
		return nil, err
	}
	hsmz, err := as("hsmz.head")
	if err != nil {
		return nil, err
	}
	jyt, err := as("jyt.head")
	if err != nil {
		return nil, err
	}

	g := grants["suspended"]
	if _, err = svc.Suspend(ctx, zrzyt, g.ID, grant.SuspendInput{Grounds: grant.ThirdParty,
		Reasons:  []string{"经核查，宁波市公安局将协查获取的不动产权利人信息提供给合作银行，未经本厅同意（第二十五条）"},
		Evidence: "合作银行出具的情况说明；接口调用日志（2026年6月，共 37 次）", RectifyDays: 10, Version: g.Version}); beyondCalendar(err) {
		return map[string]string{}, nil // late in the year: the demo has none, as above
	} else if err != nil {
		return nil, fmt.Errorf("suspend: %w", err)
	}

	g = grants["terminated"]
	if g, err = svc.Suspend(ctx, zj, g.ID, grant.SuspendInput{Grounds: grant.BeyondScope,
		Reasons:  []string{"海曙区民政局将不动产信息用于社区网格排查，超出低保财产核对的使用范围"},
		Evidence: "浙江省数据局监督检查记录", RectifyDays: 5, Version: g.Version}); err != nil {
		return nil, fmt.Errorf("suspend: %w", err)
	}
	if g, err = svc.ReportRectification(ctx, hsmz, g.ID, grant.RectificationInput{
		Actions: "已停止网格排查中的调用", Evidence: "海曙区民政局整改报告", Version: g.Version}); err != nil {
		return nil, fmt.Errorf("rectification: %w", err)
	}
	if _, err = svc.Terminate(ctx, zj, g.ID, grant.ChangeInput{
		Reasons:  []string{"复查发现网格系统仍留存不动产信息，整改不到位"},
		Evidence: "浙江省数据局复查记录", Version: g.Version}); err != nil {
		return nil, fmt.Errorf("terminate: %w", err)
	}

	g = grants["expired"]
	if _, err = svc.SetDisposalRequirement(ctx, zrzyt, g.ID, grant.DisposalRequirementInput{
		Method: grant.DisposeArchive, Text: "封存核查台账，保存期满后销毁", Version: g.Version}); err != nil {
		return nil, fmt.Errorf("requirement: %w", err)
	}

	g = grants["disposed"]
	if g, err = svc.SetDisposalRequirement(ctx, zrzyt, g.ID, grant.DisposalRequirementInput{
		Method: grant.DisposeDelete, Text: "删除业务系统及备份中的全部副本", Version: g.Version}); err != nil {
		return nil, fmt.Errorf("requirement: %w", err)
	}
	if _, err = svc.Dispose(ctx, jyt, g.ID, grant.DisposeInput{Method: grant.DisposeDelete,
		Actions: "删除资助管理系统中的房产核查结果及备份", DoneOn: today.String(), Evidence: "浙江省教育厅数据销毁记录第2026-07号",
		Reason: grant.PurposeMet, ReasonText: "本年度家庭经济困难学生认定已完成", Version: g.Version}); err != nil {
		return nil, fmt.Errorf("dispose: %w", err)
	}
	return out, nil
}

// loadUntil is load, with the time limit until the day after today when
// tomorrow is set: the shortest an application may ask for. Such a case is
// sent by its drafter (an office head) and approved by the provider's head.
func (d demoApplication) loadUntil(ctx context.Context, a *app.App, p *Province, as func(string) (access.Actor, error), today calendar.Date, tomorrow bool) (string, error) {
	if !tomorrow {
		return d.load(ctx, a, p, as, today)
	}
	entryID, ok := p.Entries[d.entry]
	if !ok {
		return "", fmt.Errorf("no demo entry %s", d.entry)
	}
	f := application.Form{Items: strings.Split(d.items, "、"), LegalBasis: d.basis, Scenario: d.scenario, Scope: d.scope,
		DeliveryMethod: d.method, TimeLimit: application.TimeLimit{Until: today.AddDays(1).String()}}
	drafter, err := as(d.by)
	if err != nil {
		return "", err
	}
	provider, err := as(d.acts[len(d.acts)-1].by)
	if err != nil {
		return "", err
	}
	svc := a.Applications
	cur, err := svc.Create(ctx, drafter, application.Apply(entryID, f))
	if err != nil {
		return "", fmt.Errorf("create: %w", err)
	}
	if cur, err = svc.Approve(ctx, drafter, cur.ID, application.Command{Version: cur.Version}); err != nil {
		return "", fmt.Errorf("send: %w", err)
	}
	if cur, err = svc.Reply(ctx, provider, cur.ID, application.ReplyRequest{Decision: application.Approve, Version: cur.Version}); err != nil {
		return "", fmt.Errorf("approve: %w", err)
	}
	return cur.ID, nil
}
