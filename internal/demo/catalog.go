package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
)

// demoEntry is one demo catalog entry, written compactly. Items are
// "name/type+length/grade" with grade c core, i important, 4…1 general L4…L1,
// and a trailing * for a key item required in exchange.
type demoEntry struct {
	head     string // the provider's office head account, who drafts and approves
	name     string
	abstract string
	class    string // 1 basic, 2 thematic, 3 departmental information resources
	items    string // "; "-separated
	attr     catalog.Attribute
	methods  string // comma-separated
	format   catalog.FormatClass
	formatT  string
	freq     catalog.Frequency
	scope    string // conditional: scope | permitted uses
	basis    string // not shareable: reason | kind | name | article
	state    string // "" published, or draft, ready (assessed), submitted, returned
	change   string // "" none, "open" (changed today), "overdue" (changed long ago)
}

var demoEntries = []demoEntry{
	{head: "gat.head", name: "常住人口基本信息", abstract: "全省常住户籍人口的身份与户籍基本信息", class: "1",
		items: "居民身份证号码/C18/4*; 姓名/C50/3*; 性别/C2/1; 出生日期/D0/2; 民族/C20/2; 户籍地址/C200/3", attr: catalog.Unconditional,
		methods: "service_interface", format: "database", formatT: "PostgreSQL", freq: "real_time"},
	{head: "gat.head", name: "居民身份信息核验", abstract: "按身份证号码与姓名核验身份是否一致，只返回核验结果", class: "1",
		items: "居民身份证号码/C18/4*; 姓名/C50/3*; 核验结果/C10/1", attr: catalog.Unconditional,
		methods: "service_interface", format: "service_interface", formatT: "REST/JSON", freq: "real_time"},
	{head: "gat.head", name: "出入境证件信息", abstract: "普通护照、往来港澳台通行证签发信息", class: "3",
		items: "证件号码/C20/4*; 居民身份证号码/C18/4; 姓名/C50/3; 证件类型/C10/1; 签发日期/D0/2; 有效期至/D0/2", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "Oracle", freq: "daily", scope: "省内各级政府部门|出入境相关行政审批、公共服务身份核验"},
	{head: "gat.head", name: "机动车驾驶证信息", abstract: "机动车驾驶证核发与状态信息", class: "3",
		items: "驾驶证号/C18/3*; 姓名/C50/3; 准驾车型/C10/1; 初次领证日期/D0/1; 驾驶证状态/C10/2", attr: catalog.Conditional,
		methods: "batch_exchange,service_interface", format: "database", formatT: "MySQL", freq: "daily", scope: "交通运输、保险监管部门|道路运输从业资格审核"},
	{head: "gat.head", name: "未成年人犯罪记录信息", abstract: "依法封存的未成年人犯罪记录", class: "3",
		items: "居民身份证号码/C18/i*; 案件编号/C30/i; 封存日期/D0/i", attr: catalog.NotShareable, format: "database", formatT: "Oracle", freq: "irregular",
		basis: "犯罪记录依法封存，不得向其他单位提供|law|中华人民共和国刑事诉讼法|第二百八十六条"},
	{head: "gat.head", name: "暂住人口登记信息", abstract: "流动人口暂住登记", class: "3",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 暂住地址/C200/3; 登记日期/D0/2", attr: catalog.Unconditional,
		methods: "batch_exchange", format: "database", formatT: "PostgreSQL", freq: "daily", state: "ready"},

	{head: "scjg.head", name: "企业登记基本信息", abstract: "全省各类企业的设立、变更登记信息", class: "1",
		items: "统一社会信用代码/C18/1*; 企业名称/C200/1*; 法定代表人/C50/2; 注册资本/N20/1; 成立日期/D0/1; 住所/C200/1; 登记状态/C10/1", attr: catalog.Unconditional,
		methods: "service_interface,batch_exchange", format: "database", formatT: "Oracle", freq: "real_time"},
	{head: "scjg.head", name: "个体工商户登记信息", abstract: "个体工商户登记信息", class: "1",
		items: "统一社会信用代码/C18/1*; 个体工商户名称/C200/1; 经营者姓名/C50/2; 经营场所/C200/1; 注册日期/D0/1", attr: catalog.Unconditional,
		methods: "batch_exchange", format: "database", formatT: "Oracle", freq: "daily"},
	{head: "scjg.head", name: "市场监管行政处罚信息", abstract: "市场监管领域行政处罚决定信息", class: "3",
		items: "处罚决定书文号/C50/1*; 统一社会信用代码/C18/1; 当事人名称/C200/1; 违法行为类型/C100/1; 处罚内容/M0/2; 处罚日期/D0/1", attr: catalog.Conditional,
		methods: "file_download", format: "spreadsheet", formatT: "XLSX", freq: "weekly", scope: "省内行政执法部门|信用监管与联合惩戒"},
	{head: "scjg.head", name: "食品经营许可信息", abstract: "食品经营许可证核发信息", class: "3",
		items: "许可证编号/C20/1*; 统一社会信用代码/C18/1; 经营者名称/C200/1; 经营项目/C200/1; 有效期至/D0/1", attr: catalog.Unconditional,
		methods: "service_interface", format: "database", formatT: "MySQL", freq: "daily", state: "submitted"},

	{head: "rst.head", name: "社会保险参保信息", abstract: "职工与城乡居民基本养老、医疗、失业、工伤保险参保信息", class: "2",
		items: "社会保障号码/C18/4*; 居民身份证号码/C18/4; 姓名/C50/3; 参保险种/C20/2; 参保状态/C10/2; 缴费基数/Y12/4", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "Oracle", freq: "daily", scope: "省内各级政府部门|社会救助、就业服务资格审核"},
	{head: "rst.head", name: "社会保障卡信息", abstract: "社会保障卡发放与状态", class: "2",
		items: "社会保障卡号/C20/3*; 居民身份证号码/C18/4; 姓名/C50/3; 发卡日期/D0/1; 卡状态/C10/1", attr: catalog.Conditional,
		methods: "service_interface", format: "service_interface", formatT: "REST/JSON", freq: "real_time", scope: "医保、民政部门|惠民补贴发放"},
	{head: "rst.head", name: "养老金发放信息", abstract: "基本养老金按月发放信息", class: "2",
		items: "社会保障号码/C18/4*; 姓名/C50/3; 发放月份/C6/1; 发放金额/Y12/4", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "Oracle", freq: "monthly", scope: "民政、审计部门|待遇重复领取核查", change: "overdue"},
	{head: "rst.head", name: "就业失业登记信息", abstract: "就业登记与失业登记信息", class: "2",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 登记类型/C10/1; 登记日期/D0/1; 就业单位/C200/2", attr: catalog.Unconditional,
		methods: "batch_exchange", format: "database", formatT: "Oracle", freq: "daily", change: "open"},

	{head: "jyt.head", name: "学籍信息", abstract: "全省中小学学生学籍信息", class: "2",
		items: "全国学籍号/C19/3*; 居民身份证号码/C18/4; 姓名/C50/3; 学校名称/C200/1; 年级/C10/1; 入学日期/D0/1", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "MySQL", freq: "daily", scope: "省内教育、民政、公安部门|入学资格、资助对象审核"},
	{head: "jyt.head", name: "学历学位信息", abstract: "高等教育学历、学位证书信息", class: "2",
		items: "证书编号/C30/2*; 姓名/C50/3; 学历层次/C20/1; 专业/C100/1; 毕业日期/D0/1; 院校名称/C200/1", attr: catalog.Conditional,
		methods: "service_interface", format: "service_interface", formatT: "REST/JSON", freq: "yearly", scope: "人事、人社部门|招录、职称评审学历核验"},
	{head: "jyt.head", name: "教师资格证信息", abstract: "教师资格认定信息", class: "3",
		items: "资格证书号码/C20/2*; 姓名/C50/3; 资格种类/C50/1; 任教学科/C50/1; 认定日期/D0/1", attr: catalog.Unconditional,
		methods: "file_download", format: "spreadsheet", formatT: "XLSX", freq: "quarterly"},
	{head: "jyt.head", name: "学生资助信息", abstract: "家庭经济困难学生资助发放信息", class: "2",
		items: "全国学籍号/C19/3*; 姓名/C50/3; 资助项目/C50/2; 资助金额/Y10/3", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "MySQL", freq: "quarterly", scope: "民政、财政部门|资助对象复核", state: "returned"},

	{head: "zrzyt.head", name: "不动产登记信息", abstract: "国有建设用地使用权及房屋所有权等不动产登记信息", class: "1",
		items: "不动产单元号/C28/3*; 不动产权证号/C50/3*; 权利人/C200/3; 坐落/C200/3; 面积/N12/2; 用途/C50/1; 登记日期/D0/1", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "Oracle", freq: "real_time", scope: "省内各级政府部门|住房保障、社会救助、司法协查"},
	{head: "zrzyt.head", name: "不动产抵押登记信息", abstract: "不动产抵押权登记信息", class: "3",
		items: "不动产权证号/C50/3*; 抵押权人/C200/2; 债权数额/Y16/3; 抵押期限/C50/1", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "Oracle", freq: "daily", scope: "金融监管、法院|抵押状态核查"},
	{head: "zrzyt.head", name: "国土空间规划信息", abstract: "已批准的国土空间总体规划成果", class: "2",
		items: "规划编号/C30/1*; 规划名称/C200/1; 批准文号/C50/1; 规划图件/G0/1", attr: catalog.Unconditional,
		methods: "file_download", format: "image", formatT: "GeoTIFF", freq: "irregular"},

	{head: "wjw.head", name: "出生医学证明信息", abstract: "新生儿出生医学证明签发信息", class: "2",
		items: "出生医学证明编号/C20/3*; 新生儿姓名/C50/3; 性别/C2/1; 出生日期/D0/3; 母亲姓名/C50/3; 母亲居民身份证号码/C18/4; 出生地点/C200/2", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "SQL Server", freq: "real_time", scope: "公安、医保、教育部门|户籍登记、参保、入学"},
	{head: "wjw.head", name: "死亡医学证明信息", abstract: "居民死亡医学证明信息", class: "2",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 死亡日期/D0/3; 死亡原因/C200/4", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "SQL Server", freq: "daily", scope: "公安、人社、民政部门|户籍注销、停发待遇"},
	{head: "wjw.head", name: "医疗机构执业许可信息", abstract: "医疗机构执业登记信息", class: "3",
		items: "登记号/C30/1*; 机构名称/C200/1; 统一社会信用代码/C18/1; 诊疗科目/M0/1; 有效期至/D0/1", attr: catalog.Unconditional,
		methods: "file_download,service_interface", format: "spreadsheet", formatT: "XLSX", freq: "monthly"},
	{head: "wjw.head", name: "严重精神障碍患者诊疗信息", abstract: "严重精神障碍患者的诊断与治疗记录", class: "3",
		items: "居民身份证号码/C18/i*; 诊断结论/M0/i; 治疗记录/M0/i", attr: catalog.NotShareable, format: "database", formatT: "SQL Server", freq: "irregular",
		basis: "精神障碍患者的病历资料依法保密|law|中华人民共和国精神卫生法|第四条"},
	{head: "wjw.head", name: "医师执业注册信息", abstract: "医师执业注册与变更信息", class: "3",
		items: "医师执业证书编码/C30/2*; 姓名/C50/3; 执业类别/C20/1; 执业范围/C100/1; 执业机构/C200/1", attr: catalog.Unconditional,
		methods: "service_interface", format: "database", formatT: "SQL Server", freq: "daily", state: "submitted"},

	{head: "mzt.head", name: "婚姻登记信息", abstract: "结婚、离婚登记信息", class: "2",
		items: "结婚证字号/C30/3*; 男方姓名/C50/3; 男方居民身份证号码/C18/4; 女方姓名/C50/3; 女方居民身份证号码/C18/4; 登记类型/C10/3; 登记日期/D0/3", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "MySQL", freq: "real_time", scope: "公安、法院、不动产登记部门|户籍、婚姻状况核验"},
	{head: "mzt.head", name: "最低生活保障对象信息", abstract: "城乡低保对象认定与保障金发放信息", class: "2",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 家庭人口数/I0/2; 保障金额/Y10/3; 认定日期/D0/2; 行政区划代码/C12/1", attr: catalog.Conditional,
		methods: "batch_exchange,service_interface", format: "database", formatT: "MySQL", freq: "monthly", scope: "人社、医保、教育、住建部门|社会救助对象资格审核"},
	{head: "mzt.head", name: "社会组织登记信息", abstract: "社会团体、民办非企业单位、基金会登记信息", class: "1",
		items: "统一社会信用代码/C18/1*; 组织名称/C200/1; 业务主管单位/C200/1; 成立日期/D0/1", attr: catalog.Unconditional,
		methods: "file_download", format: "spreadsheet", formatT: "XLSX", freq: "monthly"},
	{head: "mzt.head", name: "殡葬服务信息", abstract: "遗体火化与殡葬服务信息", class: "2",
		items: "火化证明编号/C20/2*; 逝者姓名/C50/3; 火化日期/D0/2", attr: catalog.Unconditional,
		methods: "batch_exchange", format: "database", formatT: "MySQL", freq: "daily", state: "draft"},

	{head: "hzga.head", name: "杭州市居住证信息", abstract: "杭州市居住证办理信息", class: "3",
		items: "居住证号码/C20/3*; 居民身份证号码/C18/4; 姓名/C50/3; 居住地址/C200/3; 签发日期/D0/1", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "PostgreSQL", freq: "daily", scope: "杭州市各级政府部门|积分入学、公共服务资格审核"},
	{head: "hzga.head", name: "杭州市户籍迁移信息", abstract: "户口迁入、迁出登记信息", class: "3",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 迁移类型/C10/2; 迁移日期/D0/2", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "PostgreSQL", freq: "daily", scope: "杭州市教育、人社部门|户籍变动核验"},
	{head: "hzmz.head", name: "杭州市养老服务补贴信息", abstract: "居家养老服务补贴对象与发放信息", class: "2",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 补贴类型/C20/2; 补贴金额/Y10/3", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "MySQL", freq: "monthly", scope: "杭州市财政、卫健部门|补贴发放核查"},
	{head: "hzmz.head", name: "杭州市低保边缘家庭信息", abstract: "低保边缘家庭认定信息", class: "2",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 认定日期/D0/2", attr: catalog.Unconditional,
		methods: "service_interface", format: "database", formatT: "MySQL", freq: "monthly", state: "submitted"},
	{head: "hzscjg.head", name: "杭州市企业年度报告信息", abstract: "企业年度报告公示信息", class: "3",
		items: "统一社会信用代码/C18/1*; 企业名称/C200/1; 报告年度/C4/1; 从业人数/I0/1", attr: catalog.Unconditional,
		methods: "file_download", format: "spreadsheet", formatT: "CSV", freq: "yearly"},
	{head: "xhmz.head", name: "西湖区困难群众救助信息", abstract: "临时救助与特困供养信息", class: "2",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 救助类型/C20/2; 救助金额/Y10/3", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "MySQL", freq: "monthly", scope: "西湖区各部门|救助对象复核", state: "submitted"},

	{head: "nbwj.head", name: "宁波市预防接种信息", abstract: "儿童预防接种记录", class: "2",
		items: "接种证编号/C20/3*; 儿童姓名/C50/3; 疫苗名称/C100/2; 接种日期/D0/3", attr: catalog.Conditional,
		methods: "service_interface", format: "database", formatT: "Oracle", freq: "daily", scope: "宁波市教育部门|入托入学查验"},
	{head: "nbwj.head", name: "宁波市家庭医生签约信息", abstract: "家庭医生签约服务信息", class: "2",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 签约机构/C200/1; 签约日期/D0/2", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "Oracle", freq: "monthly", scope: "宁波市医保、民政部门|慢病与养老服务衔接"},
	{head: "nbga.head", name: "宁波市流动人口信息", abstract: "流动人口居住登记信息", class: "3",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 居住地址/C200/3; 登记日期/D0/2", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "PostgreSQL", freq: "daily", scope: "宁波市各级政府部门|基层治理、公共服务"},
	{head: "hsmz.head", name: "海曙区社区养老服务信息", abstract: "社区养老服务站点与服务信息", class: "2",
		items: "站点编号/C20/1*; 站点名称/C200/1; 服务内容/M0/1; 联系电话/C20/1", attr: catalog.Unconditional,
		methods: "file_download", format: "spreadsheet", formatT: "XLSX", freq: "quarterly"},
	{head: "hsmz.head", name: "海曙区残疾人两项补贴信息", abstract: "困难残疾人生活补贴和重度残疾人护理补贴信息", class: "2",
		items: "居民身份证号码/C18/4*; 姓名/C50/3; 残疾等级/C10/4; 补贴金额/Y10/3", attr: catalog.Conditional,
		methods: "batch_exchange", format: "database", formatT: "MySQL", freq: "monthly", scope: "海曙区财政部门|补贴发放核查", state: "draft"},
}

// sourceDesignations: the provincial authority names the source departments
// of the most duplicated kinds of data (Art. 19).
var sourceDesignations = []struct{ data, dept string }{
	{"居民身份证号码", "浙江省公安厅"},
	{"统一社会信用代码", "浙江省市场监督管理局"},
	{"不动产权证号", "浙江省自然资源厅"},
}

var gradeCodes = map[byte]catalog.Grade{'c': catalog.Core, 'i': catalog.Important, '4': catalog.GeneralL4, '3': catalog.GeneralL3, '2': catalog.GeneralL2, '1': catalog.GeneralL1}

func parseItems(spec string) ([]catalog.Item, error) {
	var out []catalog.Item
	for _, s := range strings.Split(spec, "; ") {
		p := strings.Split(s, "/")
		if len(p) != 3 || len(p[1]) < 2 || p[2] == "" {
			return nil, fmt.Errorf("bad item %q", s)
		}
		n, err := strconv.Atoi(p[1][1:])
		if err != nil {
			return nil, fmt.Errorf("bad item %q: %w", s, err)
		}
		key := strings.HasSuffix(p[2], "*")
		out = append(out, catalog.Item{Name: p[0], DataType: catalog.DataType(p[1][:1]), Length: n, IsKey: key, Required: key, Grade: gradeCodes[p[2][0]]})
	}
	return out, nil
}

func (d demoEntry) draft(i int) (catalog.Draft, error) {
	items, err := parseItems(d.items)
	if err != nil {
		return catalog.Draft{}, err
	}
	cls := catalog.Classification{Class: d.class, Item: fmt.Sprintf("%02d", 1+i%7), Category: fmt.Sprintf("%03d", 1+i)}
	out := catalog.Draft{Name: d.name, Abstract: d.abstract, ResourceCode: fmt.Sprintf("%s/%06d", cls.Code(), i+1), Classification: cls,
		Items: items, DataFormat: catalog.DataFormat{Class: d.format, Type: d.formatT}, UpdateFrequency: d.freq, SharingAttribute: d.attr,
		OpenAttribute: "not_open"}
	for _, m := range strings.Split(d.methods, ",") {
		if m != "" {
			out.DeliveryMethods = append(out.DeliveryMethods, catalog.Method(m))
		}
	}
	if scope, uses, ok := strings.Cut(d.scope, "|"); ok {
		out.UsageConditions = &catalog.UsageConditions{Scope: scope, PermittedUses: uses}
	}
	if p := strings.Split(d.basis, "|"); len(p) == 4 {
		out.NotShareable = &catalog.NotShareableBasis{Reason: p[0], LegalBasis: catalog.LegalBasis{Kind: catalog.LegalBasisKind(p[1]), Name: p[2], Article: p[3]}}
	}
	return out, nil
}

// loadCatalog creates the demo catalog through the service, as the
// departments' office heads and the authorities' reviewers would: most
// entries published, some drafts, some awaiting review, one returned, and
// update obligations open, one of them overdue. The clock is the real one,
// so a review cannot be made overdue here; the tests move their clock for that.
func loadCatalog(ctx context.Context, a *app.App, p *Province) error {
	actors := map[string]access.Actor{}
	as := func(username string) access.Actor {
		if ac, ok := actors[username]; ok {
			return ac
		}
		acc := p.Account(username)
		d := p.Departments[acc.Department]
		ac := access.Actor{PersonID: acc.ID, DepartmentID: d.ID, DivisionCode: d.DivisionCode, Roles: []access.Role{acc.Role}}
		actors[username] = ac
		return ac
	}
	reviewerOf := map[string]string{"330000": "zj.reviewer", "330100": "hz.reviewer", "330200": "nb.reviewer", "330203": "nb.reviewer"}
	today := calendar.DateOf(a.Now())
	for _, s := range sourceDesignations {
		if _, err := a.Catalog.Designate(ctx, as("zj.reviewer"), catalog.NewDesignation{DataName: s.data, SourceDepartmentID: p.Departments[s.dept].ID}); err != nil {
			return fmt.Errorf("source department for %s: %w", s.data, err)
		}
	}
	for i, d := range demoEntries {
		draft, err := d.draft(i)
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		head := as(d.head)
		e, err := a.Catalog.Create(ctx, head, draft)
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		p.Entries[d.name] = e.ID
		if d.state == "draft" {
			continue
		}
		ok := catalog.Assessment{Conclusion: "passed", AssessedOn: today, Assessor: p.Departments[p.Account(d.head).Department].OfficeName, Summary: "经评估，不涉及国家秘密和工作秘密；个人信息按最小必要原则共享"}
		if e, err = a.Catalog.RecordAssessments(ctx, head, e.ID, catalog.Assessments{Secrecy: &ok, PersonalInformation: &ok}, e.Version); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		if d.state == "ready" {
			continue
		}
		if e, err = a.Catalog.Submit(ctx, head, e.ID, e.Version); beyondCalendar(err) {
			continue // the review deadline falls in a year the calendar lacks
		} else if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		reviewer := reviewerOf[e.DivisionCode]
		if d.state == "submitted" || reviewer == "" {
			continue
		}
		if d.state == "returned" {
			if _, err = a.Catalog.Return(ctx, as(reviewer), e.ID, e.Version, "资助金额属敏感信息，请补充使用用途的具体限定"); err != nil {
				return fmt.Errorf("%s: %w", d.name, err)
			}
			continue
		}
		if e, err = a.Catalog.Publish(ctx, as(reviewer), e.ID, e.Version, "符合编制要求，同意发布"); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		if d.change != "" {
			// The change date is what the provider reports; a change of
			// 30 days ago is past its 10 working days, hence overdue.
			on := today
			if d.change == "overdue" {
				on = today.AddDays(-30)
			}
			if _, err := a.Catalog.RecordChange(ctx, head, e.ID, catalog.Change{ChangedOn: on, Kind: "regulation",
				Description: "《社会保险经办条例》施行，相关数据项需调整"}); err != nil && !beyondCalendar(err) {
				return fmt.Errorf("%s: %w", d.name, err)
			}
		}
	}
	return nil
}

// beyondCalendar reports a refusal because a deadline would fall in a year
// the calendar does not know yet (late December, before next year's notice is
// imported). The demo then leaves that step undone rather than fail: the
// platform never guesses a deadline, and `govshare calendar status` says
// which notice to import.
func beyondCalendar(err error) bool { return problem.CodeOf(err) == "calendar.year_unknown" }
