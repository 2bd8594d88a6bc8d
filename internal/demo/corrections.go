package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/dataset"
)

// CorrectionStates are the labels of the demo's correction requests
// (Art. 26), one per state a person meets in the console.
var CorrectionStates = []string{"open", "corrected", "not_corrected", "overdue"}

// demoCorrectionRules are the correction rules and channels the providers
// of the demo's grants state.
var demoCorrectionRules = []struct{ head, rules, contact, phone, url string }{
	{"scjg.head", "一、需求部门对企业登记基本信息有疑问的，通过平台提出校核申请，写明统一社会信用代码和有疑问的数据项。\n二、信息中心收到后会同登记注册处核对登记档案，10个工作日内反馈；确需更正的，在平台托管数据中更正，各需求部门通过变更数据同步获得。",
		"省市场监管局信息中心数据管理科", "0571-8527 0000", ""},
	{"jyt.head", "学历学位信息以学信网及学位授予单位报送数据为准。校核申请请注明证书编号；涉及学位授予单位原始记录的，由本厅转学位授予单位核实后反馈。",
		"省教育厅信息化处", "0571-8800 0000", "https://jyt.zj.example.gov.cn/jiucuo"},
	{"mzt.head", "低保对象信息以各县（市、区）民政部门认定结果为准。校核申请请注明居民身份证号码；本厅收到后转认定地民政部门核实，10个工作日内反馈。",
		"省民政厅信息中心", "0571-8700 0000", ""},
}

// loadCorrections states the providers' correction rules, records usage
// statuses and leaves one correction request in each state:
//
//   - open: 浙江省人力资源和社会保障厅 doubts a graduate's major in 学历学位信息;
//   - not_corrected: the same consumer's earlier request, which 浙江省教育厅
//     verified against the degree-granting university's record;
//   - corrected: 杭州市市场监督管理局 finds a company's registration status
//     out of date; 浙江省市场监督管理局 fixes the row in its hosted dataset and
//     answers with the change number;
//   - overdue: 海曙区民政局's request on 最低生活保障对象信息, filed three
//     weeks before the demo's history begins (the demo's clock turned back for
//     this one act), which 浙江省民政厅 has not answered.
//
// Grants the demo did not give (late in a year, see loadCatalog) are left
// out. The labels map to request IDs.
func loadCorrections(ctx context.Context, a *app.App, d *Deliveries, as func(string) (access.Actor, error)) (map[string]string, error) {
	out := map[string]string{}
	for _, r := range demoCorrectionRules {
		head, err := as(r.head)
		if err != nil {
			return nil, err
		}
		if _, err := a.Corrections.SetRules(ctx, head, head.DepartmentID, correction.RulesInput{Rules: r.rules, Contact: r.contact, Phone: r.phone, URL: r.url}); err != nil {
			return nil, fmt.Errorf("correction rules of %s: %w", r.head, err)
		}
	}
	file := func(svc *correction.Service, label, by, grantLabel string, kind correction.Kind, rows, items []string, desc string) (correction.Request, bool, error) {
		id, ok := d.Grants[grantLabel]
		if !ok {
			return correction.Request{}, false, nil
		}
		who, err := as(by)
		if err != nil {
			return correction.Request{}, false, err
		}
		r, err := svc.File(ctx, who, correction.NewRequest{GrantID: id, Kind: kind, Rows: rows, Items: items, Description: desc})
		if beyondCalendar(err) {
			return correction.Request{}, false, nil
		}
		if err != nil {
			return correction.Request{}, false, fmt.Errorf("correction %s: %w", label, err)
		}
		out[label] = r.ID
		return r, true, nil
	}

	// rst: in use, one request answered not corrected, one open.
	if id, ok := d.Grants["approved"]; ok {
		rst, err := as("rst.head")
		if err != nil {
			return nil, err
		}
		if _, err := a.Corrections.SetStatus(ctx, rst, id, correction.StatusInput{Status: correction.InUse, Note: "招聘资格复审在线核验正常"}); err != nil {
			return nil, fmt.Errorf("usage status: %w", err)
		}
	}
	r, ok, err := file(a.Corrections, "not_corrected", "rst.head", "approved", correction.Inaccurate, []string{"证书编号 103451202406002468"},
		[]string{"毕业日期"}, "应聘人员自述毕业日期为2024年7月1日，与共享数据不一致")
	if err != nil {
		return nil, err
	}
	if ok {
		jyt, err := as("jyt.head")
		if err != nil {
			return nil, err
		}
		if _, err := a.Corrections.Answer(ctx, jyt, r.ID, correction.AnswerInput{Outcome: correction.OutcomeNotCorrected,
			Rows: r.Rows, Items: r.Items, Reasons: []string{"经浙江师范大学核实学籍档案，毕业日期为2024年6月30日，共享数据无误"}, Version: r.Version}); err != nil {
			return nil, fmt.Errorf("answer not_corrected: %w", err)
		}
	}
	if _, _, err := file(a.Corrections, "open", "rst.head", "approved", correction.Inaccurate, []string{"证书编号 103371202506004321"},
		[]string{"专业"}, "应聘人员提供的学位证书专业为“软件工程”，共享数据为“计算机科学与技术”"); err != nil {
		return nil, err
	}

	// hzscjg: doubtful, and a request the provider corrected through its
	// hosted dataset.
	if id, ok := d.Grants["approved_file_download"]; ok {
		head, err := as("hzscjg.head")
		if err != nil {
			return nil, err
		}
		if _, err := a.Corrections.SetStatus(ctx, head, id, correction.StatusInput{Status: correction.Doubtful,
			Note: "个别处罚决定书文号与本局存档不一致，正在核对"}); err != nil {
			return nil, fmt.Errorf("usage status: %w", err)
		}
	}
	r, ok, err = file(a.Corrections, "corrected", "hzscjg.head", "approved_unconditional", correction.Inaccurate,
		[]string{"统一社会信用代码 91330102MA2B000022"}, []string{"登记状态"}, "该企业已于2026年5月办理注销登记，共享数据仍为“存续”")
	if err != nil {
		return nil, err
	}
	if ok {
		scjg, err := as("scjg.head")
		if err != nil {
			return nil, err
		}
		row := dataset.Row{}
		if err := json.Unmarshal([]byte(`{"统一社会信用代码":"91330102MA2B000022","企业名称":"杭州上城老字号餐饮有限公司","法定代表人":"郑家和","注册资本":100,"成立日期":"2008-07-01","住所":"杭州市上城区河坊街2号","登记状态":"注销"}`), &row); err != nil {
			return nil, err
		}
		res, err := a.Datasets.Load(ctx, scjg, r.EntryID, dataset.Load{Mode: dataset.Upsert, Rows: []dataset.Row{row}})
		if err != nil {
			return nil, fmt.Errorf("correcting the dataset: %w", err)
		}
		if _, err := a.Corrections.Answer(ctx, scjg, r.ID, correction.AnswerInput{Outcome: correction.OutcomeCorrected, Rows: r.Rows, Items: r.Items,
			Changes: []int64{res.LastChange}, Note: "经核对注销登记档案，已将登记状态更正为“注销”", Version: r.Version}); err != nil {
			return nil, fmt.Errorf("answer corrected: %w", err)
		}
	}

	// hsmz: a request filed three weeks earlier, unanswered.
	earlier := a.Corrections.WithClock(func() time.Time { return a.Now().AddDate(0, 0, -21) })
	if _, _, err := file(earlier, "overdue", "hsmz.head", "approved_after_supplement", correction.Incomplete,
		[]string{"居民身份证号码 330203197802022222"}, []string{"家庭人口数"}, "核查发现该户新增一名共同生活的未成年子女，共享数据家庭人口数未更新"); err != nil {
		return nil, err
	}
	return out, nil
}
