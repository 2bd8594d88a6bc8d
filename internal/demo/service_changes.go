package demo

import (
	"context"
	"fmt"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/servicechange"
	"github.com/govshare/govshare/internal/store"
)

// The demo's service changes (Art. 27 ¶3), one in each state, on grants
// given and delivered first (a change concerns a service already provided):
//
//   - 浙江省公安厅's 常住人口基本信息 (grants to 浙江省市场监督管理局 and
//     杭州市公安局): a withdrawn termination, a returned one, then a change in
//     consultation, which 浙江省市场监督管理局 has answered and 杭州市公安局
//     has not;
//   - 浙江省市场监督管理局's 个体工商户登记信息 (grant to 杭州市公安局): a
//     termination filed with 浙江省数据局, awaiting its acknowledgment;
//   - 浙江省卫生健康委员会's 医疗机构执业许可信息 (grant to 杭州市公安局): a
//     change of the interface acknowledged on its effective date, so in
//     effect at once;
//   - 杭州市公安局's 杭州市户籍迁移信息 (grant to 杭州市民政局, an entry and
//     consumer no other demo case or browser test uses, so the change's open
//     state blocks no one): a change acknowledged by 杭州市数据资源管理局
//     (hz.reviewer), resting until its effective date 60 days on.
//
// The first three providers' same-level authority is 浙江省数据局 (zj.reviewer).
var demoServiceGrants = []demoApplication{
	{label: "sc_population_scjg", by: "scjg.head", entry: "常住人口基本信息", items: "居民身份证号码、姓名、户籍地址",
		method: application.ServiceInterface, months: 24, basis: "《企业信息公示暂行条例》第十条",
		scenario: "企业登记时核验法定代表人身份与户籍", scope: "省市场监督管理局登记注册处",
		acts: []demoAct{{act: "send", by: "scjg.head"}, {act: "approve", by: "gat.head"}}},
	{label: "sc_population_hzga", by: "hzga.head", entry: "常住人口基本信息", items: "居民身份证号码、姓名、性别、出生日期",
		method: application.ServiceInterface, months: 24, basis: "《中华人民共和国居民身份证法》第十五条",
		scenario: "杭州市公安窗口办理居住证时核验申请人户籍", scope: "杭州市公安局人口管理支队及各派出所窗口",
		acts: []demoAct{{act: "send", by: "hzga.head"}, {act: "approve", by: "gat.head"}}},
	{label: "sc_business_hzga", by: "hzga.head", entry: "个体工商户登记信息", items: "统一社会信用代码、个体工商户名称、经营者姓名、经营场所",
		method: application.BatchExchange, months: 24, basis: "《中华人民共和国治安管理处罚法》第五十四条",
		scenario: "特种行业治安管理：比对辖区旅馆业、印章业个体工商户登记信息", scope: "杭州市公安局治安支队",
		acts: []demoAct{{act: "send", by: "hzga.head"}, {act: "approve", by: "scjg.head"}}},
	{label: "sc_clinic_hzga", by: "hzga.head", entry: "医疗机构执业许可信息", items: "登记号、机构名称、统一社会信用代码、诊疗科目",
		method: application.ServiceInterface, months: 24, basis: "《医疗机构管理条例》第四十条",
		scenario: "涉医警情处置时核验医疗机构执业资质", scope: "杭州市公安局指挥中心及各分局",
		acts: []demoAct{{act: "send", by: "hzga.head"}, {act: "approve", by: "wjw.head"}}},
	{label: "sc_migration_hzmz", by: "hzmz.head", entry: "杭州市户籍迁移信息", items: "居民身份证号码、姓名、迁移类型、迁移日期",
		method: application.BatchExchange, months: 24, basis: "《社会救助暂行办法》第十一条",
		scenario: "最低生活保障对象户籍迁出核查，停发迁出本市对象的保障金", scope: "杭州市民政局社会救助处",
		acts: []demoAct{{act: "send", by: "hzmz.head"}, {act: "approve", by: "hzga.head"}}},
}

// ServiceChangeStates are the labels of the demo's service changes, each
// naming its state.
var ServiceChangeStates = []string{"withdrawn", "returned", "consulting", "filed", "acknowledged", "effective"}

// loadServiceChanges gives the grants above (their applications are not
// among Province.Applications, which holds one per workflow state) and runs
// the changes; it
// returns their IDs by state. A case whose deadlines the calendar cannot
// count yet (late in the year) is left out, as in loadApplications.
func loadServiceChanges(ctx context.Context, a *app.App, p *Province) (map[string]string, error) {
	as := actorsOf(ctx, a, p)
	today := calendar.DateOf(a.Now())
	for _, d := range demoServiceGrants {
		id, err := d.load(ctx, a, p, as, today)
		if beyondCalendar(err) || problem.CodeOf(err) == "application.entry_not_found" {
			// Late in the year the calendar or the catalog may lack what
			// the cases need (see loadCatalog): the demo has none then.
			return map[string]string{}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.label, err)
		}
		// The service has been provided: the first delivery is recorded.
		err = a.Store.Write(ctx, func(tx *store.Tx) error { return application.MarkDelivered(ctx, tx, id, d.method, a.Now()) })
		if err != nil {
			return nil, fmt.Errorf("%s: delivery: %w", d.label, err)
		}
	}
	out := map[string]string{}
	svc := a.ServiceChanges
	gat, err := as("gat.head")
	if err != nil {
		return nil, err
	}
	zj, err := as("zj.reviewer")
	if err != nil {
		return nil, err
	}
	scjg, err := as("scjg.head")
	if err != nil {
		return nil, err
	}
	wjw, err := as("wjw.head")
	if err != nil {
		return nil, err
	}
	hzga, err := as("hzga.head")
	if err != nil {
		return nil, err
	}
	hz, err := as("hz.reviewer")
	if err != nil {
		return nil, err
	}
	later := today.AddDays(30).String()
	population := servicechange.Proposal{EntryID: p.Entries["常住人口基本信息"], Kind: servicechange.Terminate, EffectiveDate: later,
		Reason: "常住人口基本信息将并入省人口综合库统一提供，本接口停止服务"}
	answer := func(c servicechange.ServiceChange, who string, pos servicechange.Position, opinion string) (servicechange.ServiceChange, error) {
		by, err := as(who)
		if err != nil {
			return c, err
		}
		return svc.Answer(ctx, by, c.ID, servicechange.AnswerInput{Position: pos, Opinion: opinion, Version: c.Version})
	}
	steps := []struct {
		label string
		run   func() (servicechange.ServiceChange, error)
	}{
		{"withdrawn", func() (servicechange.ServiceChange, error) {
			c, err := svc.Propose(ctx, gat, population)
			if err != nil {
				return c, err
			}
			return svc.Withdraw(ctx, gat, c.ID, servicechange.WithdrawInput{Reason: "省人口综合库建设推迟，暂不终止", Version: c.Version})
		}},
		{"returned", func() (servicechange.ServiceChange, error) {
			c, err := svc.Propose(ctx, gat, population)
			if err != nil {
				return c, err
			}
			if c, err = answer(c, "scjg.head", servicechange.Agree, ""); err != nil {
				return c, err
			}
			if c, err = answer(c, "hzga.head", servicechange.Object, "居住证办理依赖该接口，省人口综合库接口尚未提供，终止将中断窗口业务"); err != nil {
				return c, err
			}
			if c, err = svc.File(ctx, gat, c.ID, servicechange.NoteInput{Note: "附协商记录；杭州市公安局有异议", Version: c.Version}); err != nil {
				return c, err
			}
			return svc.Return(ctx, zj, c.ID, servicechange.ReturnInput{Version: c.Version,
				Reasons: []string{"需求部门有异议且替代服务尚未提供，终止理由不充分，请待省人口综合库接口上线后再行协商"}})
		}},
		{"consulting", func() (servicechange.ServiceChange, error) {
			c, err := svc.Propose(ctx, gat, servicechange.Proposal{EntryID: p.Entries["常住人口基本信息"], Kind: servicechange.Modify, EffectiveDate: later,
				Reason:  "依据数据最小必要原则，不再通过接口提供民族信息",
				Changes: servicechange.Changes{ItemsRemoved: []string{"民族"}, Description: "接口返回字段删除“民族”，其余字段和调用方式不变"}})
			if err != nil {
				return c, err
			}
			return answer(c, "scjg.head", servicechange.Agree, "本局未使用民族字段，同意")
		}},
		{"filed", func() (servicechange.ServiceChange, error) {
			c, err := svc.Propose(ctx, scjg, servicechange.Proposal{EntryID: p.Entries["个体工商户登记信息"], Kind: servicechange.Terminate, EffectiveDate: later,
				Reason: "个体工商户登记信息并入经营主体登记信息统一提供，本目录停止批量交换"})
			if err != nil {
				return c, err
			}
			if c, err = answer(c, "hzga.head", servicechange.Agree, "已改用经营主体登记信息，同意"); err != nil {
				return c, err
			}
			return svc.File(ctx, scjg, c.ID, servicechange.NoteInput{Note: "附协商记录，需求部门均同意", Version: c.Version})
		}},
		{"acknowledged", func() (servicechange.ServiceChange, error) {
			// The effective date is a plain date, counted in calendar days.
			c, err := svc.Propose(ctx, hzga, servicechange.Proposal{EntryID: p.Entries["杭州市户籍迁移信息"], Kind: servicechange.Modify,
				EffectiveDate: today.AddDays(60).String(), Reason: "户籍迁移登记改为按周汇总核对后交换，以减少迁移撤销造成的错误数据",
				Changes: servicechange.Changes{Description: "批量交换由每日改为每周一次（每周一），数据项和文件格式不变"}})
			if err != nil {
				return c, err
			}
			if c, err = answer(c, "hzmz.head", servicechange.Agree, "低保核查按月进行，每周交换可以满足需要"); err != nil {
				return c, err
			}
			if c, err = svc.File(ctx, hzga, c.ID, servicechange.NoteInput{Note: "附协商记录，需求部门同意", Version: c.Version}); err != nil {
				return c, err
			}
			return svc.Acknowledge(ctx, hz, c.ID, servicechange.NoteInput{Note: "准予备案，请按拟生效日期实施", Version: c.Version})
		}},
		{"effective", func() (servicechange.ServiceChange, error) {
			c, err := svc.Propose(ctx, wjw, servicechange.Proposal{EntryID: p.Entries["医疗机构执业许可信息"], Kind: servicechange.Modify, EffectiveDate: today.String(),
				Reason:  "核验接口升级为国密算法加密传输",
				Changes: servicechange.Changes{Description: "接口地址改为新版网关地址，报文使用SM4加密，数据项不变"}})
			if err != nil {
				return c, err
			}
			if c, err = answer(c, "hzga.head", servicechange.Agree, "已完成对接测试"); err != nil {
				return c, err
			}
			if c, err = svc.File(ctx, wjw, c.ID, servicechange.NoteInput{Version: c.Version}); err != nil {
				return c, err
			}
			return svc.Acknowledge(ctx, zj, c.ID, servicechange.NoteInput{Note: "准予备案", Version: c.Version})
		}},
	}
	for _, st := range steps {
		c, err := st.run()
		if beyondCalendar(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("service change %s: %w", st.label, err)
		}
		if string(c.State) != st.label {
			return nil, fmt.Errorf("service change %s ended in state %s", st.label, c.State)
		}
		out[st.label] = c.ID
	}
	return out, nil
}
