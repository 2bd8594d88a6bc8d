package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
)

// demoApplication is one demo application: the consumer account that drafts
// it, the published entry it asks for, its form, and the acts that bring it
// to the state its label names, each by the account whose act it is.
type demoApplication struct {
	label    string // the key in Province.Applications, naming the state
	by       string // consumer office account that drafts it
	entry    string // published entry, by name (catalog.go)
	items    string // "、"-separated data items, a subset of the entry's
	method   string
	basis    string
	scenario string
	scope    string
	months   int // time limit in months; 0: until 31 August next year
	acts     []demoAct
}

// demoAct is one workflow command after the draft. The meaning of text
// depends on the act: "item|what; …" for a supplement request, "answer; …"
// for a resubmission, "reason; …" for a refusal, the reason of an extension
// request or a withdrawal, the note of an extension decision.
type demoAct struct {
	act      string // submit, send, supplement, resubmit, extend, grant, deny, approve, refuse, withdraw
	by       string
	text     string
	days     int    // extend
	category string // refuse
	scope    string // resubmit: the corrected scope, if any
}

const (
	basisSocialAssistance = "《社会救助暂行办法》第六十条（县级以上人民政府民政部门可以通过户籍管理、社会保险、不动产登记等单位代为查询、核对社会救助家庭的收入状况、财产状况，有关单位应当予以配合）"
)

// demoApplications puts at least one application in every state of the
// workflow, between provincial, municipal and county departments, each for a
// published entry (never a not_shareable one).
//
// None is overdue. The demo runs on the real clock and every act below
// happens now, so every deadline lies ahead; making one overdue would mean
// back-dating the record, which the platform must never do. The application
// tests show overdue marking by moving their clock instead.
var demoApplications = []demoApplication{
	{label: "draft", by: "xhmz.staff", entry: "不动产登记信息",
		items: "不动产权证号、权利人、坐落、面积、用途", method: application.ServiceInterface, months: 36,
		basis:    basisSocialAssistance,
		scenario: "办理最低生活保障、特困人员供养审核确认时，核对申请家庭成员名下的房产情况",
		scope:    "西湖区民政局社会救助科经办人员，仅用于辖区内社会救助申请家庭的经济状况核对"},

	{label: "awaiting_approval", by: "gat.staff", entry: "出生医学证明信息",
		items: "出生医学证明编号、新生儿姓名、性别、出生日期、母亲姓名、母亲居民身份证号码、出生地点", method: application.ServiceInterface, months: 24,
		basis:    "《中华人民共和国户口登记条例》第七条（婴儿出生后一个月以内，向婴儿常住地户口登记机关申报出生登记）",
		scenario: "新生儿出生“一件事”联办：户籍窗口在线核验出生医学证明，群众免交纸质证明办理出生登记",
		scope:    "全省各公安派出所户籍窗口民警，仅限办理出生登记时逐条查询",
		acts:     []demoAct{{act: "submit", by: "gat.staff"}}},

	{label: "sent_unconditional", by: "scjg.staff", entry: "居民身份信息核验",
		items: "居民身份证号码、姓名、核验结果", method: application.ServiceInterface, months: 36,
		basis:    "《中华人民共和国市场主体登记管理条例》第十六条（申请办理市场主体登记，应当提交自然人身份证明等材料）",
		scenario: "企业开办“一网通办”中对法定代表人、股东等自然人进行实名身份核验",
		scope:    "全省各级市场监督管理部门登记窗口，接口只返回核验结果",
		acts:     []demoAct{{act: "send", by: "scjg.head"}}},

	{label: "sent_conditional", by: "rst.head", entry: "死亡医学证明信息",
		items: "居民身份证号码、姓名、死亡日期", method: application.BatchExchange, months: 36,
		basis:    "《中华人民共和国社会保险法》第七十四条（社会保险经办机构获取社会保险工作所需的数据，有关单位应当及时、如实提供）",
		scenario: "办理社会保险待遇资格认证：比对居民死亡信息，及时停发已故人员的基本养老金，防止冒领",
		scope:    "省社会保险经办机构待遇稽核人员，不用于其他用途",
		acts:     []demoAct{{act: "send", by: "rst.head"}}},

	{label: "supplement_requested", by: "xhmz.staff", entry: "社会保险参保信息",
		items: "居民身份证号码、姓名、参保险种、参保状态、缴费基数", method: application.ServiceInterface, months: 24,
		basis:    "《社会救助暂行办法》第十一条（对最低生活保障申请人的家庭收入状况、财产状况进行调查核实）",
		scenario: "最低生活保障申请家庭收入核对：以参保状态与缴费基数核实申请人的工资性收入",
		scope:    "西湖区民政局社会救助科经办人员",
		acts: []demoAct{
			{act: "send", by: "xhmz.head"},
			{act: "supplement", by: "rst.head", text: "使用依据|缴费基数属敏感个人信息，请提供开展家庭经济状况核对工作的批准文件文号; " +
				"使用范围|请列明可查询人员的岗位、人数及查询权限设置"},
		}},

	{label: "resubmitted", by: "gat.staff", entry: "婚姻登记信息",
		items: "结婚证字号、男方居民身份证号码、女方居民身份证号码、登记类型、登记日期", method: application.ServiceInterface, months: 36,
		basis:    "《中华人民共和国户口登记条例》第十七条（户口登记的内容需要变更或者更正的，由户口登记机关审查批准）",
		scenario: "常住人口登记表“婚姻状况”项目变更：群众办理变更时在线核验婚姻登记，免交结婚证、离婚证",
		scope:    "全省公安派出所户籍民警",
		acts: []demoAct{
			{act: "send", by: "gat.head"},
			{act: "supplement", by: "mzt.head", text: "使用范围|请说明是否向县级公安机关开放查询，以及查询日志的留存方式"},
			{act: "resubmit", by: "gat.head", text: "仅向全省各公安派出所户籍窗口开放，按身份证号码逐条查询；查询日志留存不少于三年，接受省民政厅抽查",
				scope: "全省公安派出所户籍民警，按身份证号码逐条查询，查询日志留存三年"},
		}},

	{label: "extension_requested", by: "jyt.head", entry: "宁波市预防接种信息",
		items: "接种证编号、儿童姓名、疫苗名称、接种日期", method: application.ServiceInterface,
		basis:    "《中华人民共和国疫苗管理法》第四十八条（儿童入托、入学时，托幼机构、学校应当查验预防接种证）",
		scenario: "新生入学报名时在线查验预防接种记录，家长免交预防接种证复印件",
		scope:    "省义务教育入学报名平台，仅供宁波市各区（县、市）中小学、幼儿园入学查验人员使用",
		acts: []demoAct{
			{act: "send", by: "jyt.head"},
			{act: "extend", by: "nbwj.head", days: 5, text: "接种记录涉及未成年人个人信息，需提请宁波市大数据发展管理局组织个人信息保护影响评估后答复"},
		}},

	{label: "extension_granted", by: "nbwj.head", entry: "宁波市流动人口信息",
		items: "居民身份证号码、姓名、居住地址、登记日期", method: application.BatchExchange, months: 24,
		basis:    "《中华人民共和国疫苗管理法》第四十七条（儿童离开原居住地期间，由现居住地承担预防接种工作的接种单位负责对其实施接种）",
		scenario: "流动儿童预防接种查漏补种：按居住登记确定新迁入儿童的责任接种单位",
		scope:    "宁波市各区（县、市）疾病预防控制中心及接种单位免疫规划人员",
		acts: []demoAct{
			{act: "send", by: "nbwj.head"},
			{act: "extend", by: "nbga.head", days: 5, text: "流动人口居住地址需与各区分局数据逐一核对后方能按批量交换方式提供"},
			{act: "grant", by: "nb.reviewer", text: "理由成立，同意延长5个工作日，请在延长后的期限内答复"},
		}},

	{label: "extension_refused", by: "mzt.head", entry: "不动产登记信息",
		items: "不动产权证号、权利人、坐落、面积、用途、登记日期", method: application.ServiceInterface, months: 36,
		basis:    basisSocialAssistance,
		scenario: "全省居民家庭经济状况核对平台：对低保、特困供养对象的房产状况开展年度复核",
		scope:    "省、市、县三级居民家庭经济状况核对机构核对人员",
		acts: []demoAct{
			{act: "send", by: "mzt.head"},
			{act: "extend", by: "zrzyt.head", days: 10, text: "需逐一核实各市、县不动产登记数据的汇交情况"},
			{act: "deny", by: "zj.reviewer", text: "该目录已通过省级共享接口提供，核实汇交情况不构成延长理由，请在法定期限内答复"},
		}},

	{label: "approved", by: "rst.head", entry: "学历学位信息",
		items: "证书编号、姓名、学历层次、专业、毕业日期、院校名称", method: application.ServiceInterface, months: 36,
		basis:    "《事业单位人事管理条例》第八条（事业单位新聘用工作人员，应当面向社会公开招聘）",
		scenario: "全省事业单位公开招聘资格复审：在线核验应聘人员的学历学位，免交证书复印件",
		scope:    "省人力资源和社会保障厅及各级事业单位招聘主管部门资格审查人员",
		acts: []demoAct{
			{act: "send", by: "rst.head"},
			{act: "approve", by: "jyt.head"},
		}},

	{label: "approved_unconditional", by: "hzscjg.head", entry: "企业登记基本信息",
		items: "统一社会信用代码、企业名称、法定代表人、成立日期、住所、登记状态", method: application.BatchExchange,
		basis:    "《企业信息公示暂行条例》第八条（企业应当于每年1月1日至6月30日报送上一年度年度报告）",
		scenario: "杭州市企业年度报告催报与“双随机、一公开”抽查：以企业登记基本信息为底册，找出未报送年报的企业",
		scope:    "杭州市市场监督管理局信用监管处及各区、县（市）市场监督管理局",
		acts: []demoAct{
			{act: "send", by: "hzscjg.head"},
			{act: "approve", by: "scjg.head"},
		}},

	{label: "approved_file_download", by: "hzscjg.head", entry: "市场监管行政处罚信息",
		items: "处罚决定书文号、统一社会信用代码、当事人名称、违法行为类型、处罚内容、处罚日期", method: application.FileDownload, months: 24,
		basis:    "《优化营商环境条例》第五十三条（政府及其有关部门应当按照国家规定推进信用监管）",
		scenario: "杭州市信用监管：将全省市场监管行政处罚信息纳入企业信用档案，实施分级分类监管",
		scope:    "杭州市市场监督管理局信用监管处",
		acts: []demoAct{
			{act: "send", by: "hzscjg.head"},
			{act: "approve", by: "scjg.head"},
		}},

	{label: "approved_after_supplement", by: "hsmz.head", entry: "最低生活保障对象信息",
		items: "居民身份证号码、姓名、家庭人口数、保障金额、认定日期", method: application.BatchExchange, months: 24,
		basis:    "《社会救助暂行办法》第十四条（对获得最低生活保障家庭的人口状况、收入状况、财产状况定期核查）",
		scenario: "海曙区低保对象定期核查：比对全省低保对象名单，防止跨县（市、区）重复享受最低生活保障",
		scope:    "海曙区民政局社会救助科及各街道（乡镇）社会救助经办人员",
		acts: []demoAct{
			{act: "send", by: "hsmz.head"},
			{act: "supplement", by: "mzt.head", text: "使用场景|请说明比对频次以及比对结果的处理流程"},
			{act: "resubmit", by: "hsmz.head", text: "每季度批量比对一次；发现重复享受的，由街道核实后按程序停发，比对结果不对外提供"},
			{act: "approve", by: "mzt.head"},
		}},

	{label: "refused", by: "hzmz.head", entry: "机动车驾驶证信息",
		items: "驾驶证号、姓名、准驾车型、驾驶证状态", method: application.BatchExchange, months: 24,
		basis:    basisSocialAssistance,
		scenario: "最低生活保障申请家庭的车辆财产核对",
		scope:    "杭州市民政局及各区、县（市）民政局居民家庭经济状况核对人员",
		acts: []demoAct{
			{act: "send", by: "hzmz.head"},
			{act: "refuse", by: "gat.head", category: application.ReasonScopeExcessive,
				text: "机动车驾驶证信息反映驾驶资格而非车辆所有权，不能用于核对家庭财产状况，车辆财产核对请申请机动车登记信息; " +
					"申请的准驾车型、驾驶证状态等数据项超出社会救助家庭经济状况核对的必要范围"},
		}},

	{label: "withdrawn", by: "jyt.head", entry: "杭州市居住证信息",
		items: "居住证号码、居民身份证号码、姓名、居住地址、签发日期", method: application.ServiceInterface, months: 12,
		basis:    "《中华人民共和国义务教育法》第十二条（父母或者其他法定监护人在非户籍所在地工作或者居住的适龄儿童、少年，在其父母或者其他法定监护人工作或者居住地接受义务教育的，当地人民政府应当为其提供平等接受义务教育的条件）",
		scenario: "随迁子女义务教育入学报名时，在线核验监护人的杭州市居住证信息",
		scope:    "省义务教育入学报名平台，仅供杭州市各区、县（市）教育局入学资格审核人员使用",
		acts: []demoAct{
			{act: "send", by: "jyt.head"},
			{act: "withdraw", by: "jyt.head", text: "随迁子女入学资格由杭州市各区、县（市）教育局审核，改由其按市级流程申请，本申请撤回"},
		}},
}

// entryAttribute is the sharing attribute of a demo catalog entry.
func entryAttribute(name string) application.Attribute {
	for _, e := range demoEntries {
		if e.name == name {
			return application.Attribute(e.attr)
		}
	}
	return ""
}

// horizon is how many working days ahead of today the service must count to
// bring the application to its state: the reply period of a sending or a
// resubmission, plus a granted extension, or the 20 WD delivery period of an
// approval (Art. 21, 22).
func (d demoApplication) horizon() int {
	n, reply := 0, application.ReplyDays(entryAttribute(d.entry))
	for _, a := range d.acts {
		switch a.act {
		case "send", "resubmit":
			n = max(n, reply)
		case "grant":
			n = max(n, reply+a.days)
		case "approve":
			n = max(n, reply, application.DeliveryDays)
		}
	}
	return n
}

// loadApplications creates the demo applications, in every state (issue #3),
// through the application service as the departments' offices, their heads
// and the authorities' reviewers would, so that every act is in the record.
//
// Deadlines are counted on the working-day calendar. Late in the year, until
// next year's official notice is imported, a deadline that falls next year
// cannot be counted and the service would refuse the act; an application
// whose acts need such a deadline is then left out (its label is absent)
// rather than the demo failing or inventing a calendar.
func loadApplications(ctx context.Context, a *app.App, p *Province) error {
	as := actorsOf(ctx, a, p)
	cal, err := a.Calendar.Current(ctx)
	if err != nil {
		return err
	}
	today := calendar.DateOf(a.Now())
	for _, d := range demoApplications {
		if n := d.horizon(); n > 0 {
			if _, err := cal.Due(today, n); errors.Is(err, calendar.ErrUnknownYear) {
				continue
			} else if err != nil {
				return fmt.Errorf("%s: %w", d.label, err)
			}
		}
		id, err := d.load(ctx, a, p, as, today)
		if beyondCalendar(err) || problem.CodeOf(err) == "application.entry_not_found" {
			// A deadline in a year the calendar lacks, or an entry whose
			// review could not be opened for that reason: left out, as
			// in loadCatalog.
			continue
		}
		if err != nil {
			return fmt.Errorf("%s (%s): %w", d.label, d.entry, err)
		}
		p.Applications[d.label] = id
	}
	return nil
}

// load drafts the application and performs its acts, returning its ID.
func (d demoApplication) load(ctx context.Context, a *app.App, p *Province, as func(string) (access.Actor, error), today calendar.Date) (string, error) {
	entryID, ok := p.Entries[d.entry]
	if !ok {
		return "", fmt.Errorf("no demo entry %s", d.entry)
	}
	limit := application.TimeLimit{Months: d.months}
	if d.months == 0 {
		// Until the end of next year's school enrolment season.
		limit = application.TimeLimit{Until: fmt.Sprintf("%04d-08-31", today.Year+1)}
	}
	f := application.Form{Items: strings.Split(d.items, "、"), LegalBasis: d.basis, Scenario: d.scenario, Scope: d.scope,
		DeliveryMethod: d.method, TimeLimit: limit}
	drafter, err := as(d.by)
	if err != nil {
		return "", err
	}
	svc := a.Applications
	cur, err := svc.Create(ctx, drafter, application.Apply(entryID, f))
	if err != nil {
		return "", fmt.Errorf("create: %w", err)
	}
	for _, act := range d.acts {
		by, err := as(act.by)
		if err != nil {
			return "", err
		}
		v := cur.Version
		switch act.act {
		case "submit":
			cur, err = svc.Submit(ctx, by, cur.ID, application.Command{Version: v})
		case "send":
			cur, err = svc.Approve(ctx, by, cur.ID, application.Command{Version: v})
		case "supplement":
			var ms []application.Missing
			for _, s := range strings.Split(act.text, "; ") {
				item, what, _ := strings.Cut(s, "|")
				ms = append(ms, application.Missing{Item: item, What: what})
			}
			cur, err = svc.RequestSupplement(ctx, by, cur.ID, application.SupplementInput{Missing: ms, Version: v})
		case "resubmit":
			in := application.ResubmitInput{Answers: strings.Split(act.text, "; "), Version: v}
			if act.scope != "" {
				in.Scope = &act.scope
			}
			cur, err = svc.Resubmit(ctx, by, cur.ID, in)
		case "extend":
			cur, err = svc.RequestExtension(ctx, by, cur.ID, application.ExtensionInput{Days: act.days, Reason: act.text, Version: v})
		case "grant", "deny":
			decision := application.DecideGrant
			if act.act == "deny" {
				decision = application.DecideRefuse
			}
			cur, err = svc.DecideExtension(ctx, by, cur.ID, application.ExtensionDecision{Decision: decision, Note: act.text, Version: v})
		case "approve":
			cur, err = svc.Reply(ctx, by, cur.ID, application.ReplyRequest{Decision: application.Approve, Version: v})
		case "refuse":
			cur, err = svc.Reply(ctx, by, cur.ID, application.ReplyRequest{Decision: application.Refuse,
				Reasons: strings.Split(act.text, "; "), ReasonCategory: act.category, Version: v})
		case "withdraw":
			cur, err = svc.Withdraw(ctx, by, cur.ID, application.WithdrawInput{Reason: act.text, Version: v})
		default:
			return "", fmt.Errorf("unknown act %q", act.act)
		}
		if err != nil {
			return "", fmt.Errorf("%s by %s: %w", act.act, act.by, err)
		}
	}
	return cur.ID, nil
}

// actorsOf looks demo accounts up as a verified session would, once each.
func actorsOf(ctx context.Context, a *app.App, p *Province) func(string) (access.Actor, error) {
	actors := map[string]access.Actor{}
	return func(username string) (access.Actor, error) {
		if ac, ok := actors[username]; ok {
			return ac, nil
		}
		var ac *access.Actor
		id := p.Account(username).ID
		if err := a.Store.Read(ctx, func(tx *store.Tx) (err error) { ac, err = tx.Actor(ctx, id); return err }); err != nil {
			return access.Actor{}, fmt.Errorf("actor %s: %w", username, err)
		}
		if ac == nil {
			return access.Actor{}, fmt.Errorf("actor %s: no such person", username)
		}
		actors[username] = *ac
		return *ac, nil
	}
}
