package demo

import (
	"context"
	"fmt"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/dispute"
)

// DisputeStates are the labels of the demo's disputes (Art. 28), one in
// each stage or outcome: Province.Disputes maps them to IDs.
var DisputeStates = []string{"negotiating", "resolved_by_negotiation", "coordinating_same_level",
	"coordinating_common_superior", "referred", "decided"}

// demoDispute is one demo dispute: who opens it against whom, and how far
// it goes.
type demoDispute struct {
	label, opener, respondent, as, matter, claim string
	// proposal is the agreement the respondent proposes (step "propose").
	proposal string
	// steps: "position" (the respondent's), "propose" (the respondent
	// proposes an agreement), "confirm" (the opener confirms it), "fail"
	// (the opener applies for coordination), "coordinate_failed", "decide".
	steps []string
	// other is an office account of the respondent, coordinator a
	// reviewer of the coordinating authority.
	other, coordinator string
}

var demoDisputes = []demoDispute{
	{label: "negotiating", opener: "scjg.staff", respondent: "浙江省公安厅", as: "consumer", other: "gat.head", coordinator: "zj.reviewer",
		matter: "企业法定代表人身份核验接口的每日调用上限", claim: "现行每日5000次上限不能满足全省企业开办窗口的核验量，请求提高至每日2万次",
		proposal: "安全评估完成前先按每日1万次提供，评估通过后再议上限",
		steps:    []string{"position", "propose"}},
	{label: "resolved_by_negotiation", opener: "hzmz.head", respondent: "杭州市公安局", as: "consumer", other: "hzga.staff", coordinator: "hz.reviewer",
		matter: "低保对象户籍变动数据的更新频率", claim: "按月更新导致低保资格复核滞后，请求改为按日更新",
		proposal: "双方同意自下月起改为每日更新，需求部门负责做好数据使用记录",
		steps:    []string{"position", "propose", "confirm"}},
	{label: "coordinating_same_level", opener: "jyt.head", respondent: "浙江省人力资源和社会保障厅", as: "consumer", other: "rst.head", coordinator: "zj.reviewer",
		matter: "毕业生就业登记数据的共享范围", claim: "就业登记数据应包含用人单位统一社会信用代码，以便核对就业真实性",
		steps: []string{"position", "fail"}},
	{label: "coordinating_common_superior", opener: "hsmz.head", respondent: "杭州市民政局", as: "consumer", other: "hzmz.head", coordinator: "zj.reviewer",
		matter: "跨市婚姻登记信息的共享条件", claim: "办理跨市低保申请需核验婚姻状况，请求将婚姻登记信息按无条件共享提供",
		steps: []string{"position", "fail"}},
	{label: "referred", opener: "nbwj.head", respondent: "宁波市公安局", as: "consumer", other: "nbga.head", coordinator: "nb.reviewer",
		matter: "出生医学证明签发所需的户籍信息字段", claim: "签发出生医学证明需核验父母户籍地址，请求共享户籍地址字段",
		steps: []string{"position", "fail", "coordinate_failed"}},
	{label: "decided", opener: "wjw.head", respondent: "浙江省民政厅", as: "consumer", other: "mzt.head", coordinator: "zj.reviewer",
		matter: "死亡殡葬信息的共享时限", claim: "殡葬信息在火化后30日才共享，导致医保待遇停发滞后，请求火化后3日内共享",
		steps: []string{"position", "fail", "coordinate_failed", "decide"}},
}

// loadDisputes opens the demo disputes and moves each to its stage.
func loadDisputes(ctx context.Context, a *app.App, p *Province, as func(string) (access.Actor, error)) (map[string]string, error) {
	out := map[string]string{}
	for _, x := range demoDisputes {
		opener, err := as(x.opener)
		if err != nil {
			return nil, err
		}
		other, err := as(x.other)
		if err != nil {
			return nil, err
		}
		coordinator, err := as(x.coordinator)
		if err != nil {
			return nil, err
		}
		d, err := a.Disputes.Open(ctx, opener, dispute.OpenInput{RespondentID: p.Departments[x.respondent].ID, As: x.as, Matter: x.matter, Claim: x.claim})
		if err != nil {
			return nil, fmt.Errorf("dispute %s: %w", x.label, err)
		}
		for _, step := range x.steps {
			switch step {
			case "position":
				d, err = a.Disputes.AddPosition(ctx, other, d.ID, dispute.TextInput{Version: d.Version,
					Text: "本部门已按现行共享条件提供数据；调整需经本部门数据安全评估，评估完成前暂不同意"})
			case "propose":
				d, err = a.Disputes.ProposeAgreement(ctx, other, d.ID, dispute.TextInput{Version: d.Version,
					Text: x.proposal})
			case "confirm":
				d, err = a.Disputes.ConfirmAgreement(ctx, opener, d.ID, dispute.VersionInput{Version: d.Version})
			case "fail":
				d, err = a.Disputes.RequestCoordination(ctx, opener, d.ID, dispute.TextInput{Version: d.Version,
					Text: "经两轮协商，双方对共享条件仍有分歧，申请主管部门协调处理"})
			case "coordinate_failed":
				d, err = a.Disputes.Coordinate(ctx, coordinator, d.ID, dispute.CoordinateInput{Version: d.Version, Outcome: dispute.OutcomeFailed,
					Opinion:  "需求具有明确的履职依据，提供部门的安全顾虑亦属合理；建议以最小必要字段先行共享",
					Referral: "经协调双方仍未达成一致，依照《政务数据共享条例》第二十八条报本级人民政府决定"})
			case "decide":
				d, err = a.Disputes.Decide(ctx, coordinator, d.ID, dispute.DecisionInput{Version: d.Version,
					Text:           "提供部门自决定之日起在火化后3个工作日内共享死亡殡葬信息；需求部门仅用于医保待遇停发核验",
					DocumentNumber: "浙政办函〔2026〕15号", DecidedOn: calendar.DateOf(a.Now()).String()})
			}
			if err != nil {
				return nil, fmt.Errorf("dispute %s, %s: %w", x.label, step, err)
			}
		}
		out[x.label] = d.ID
	}
	return out, nil
}
