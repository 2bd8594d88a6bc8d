package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/delivery"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
)

// SystemCredential is a demo application system with its credential. The
// secret is shown once, like any issued secret: `govshare demo` writes it to
// an owner-only file in its data directory.
type SystemCredential struct {
	System     string // the system's name
	SystemID   string
	Department string // its department's name
	KeyID      string
	Secret     string
	// Grants are the demo grants the system's department uses, by the
	// label of the application that gave each.
	Grants map[string]string
}

// Deliveries is what the demo province delivers (Art. 22, 24): a grant of
// each delivery method with data behind it, and a return flow.
type Deliveries struct {
	Systems []SystemCredential
	// Grants by the label of the application that gave each.
	Grants map[string]string
	// ReturnFlows are the return-flow subscriptions' IDs by subscriber name.
	ReturnFlows map[string]string
	// FileID is the uploaded penalty-decision workbook, "" when the platform
	// has no files directory (tests that do not set one).
	FileID string
	// UsageRecords are the consumers' usage records (Art. 29) by the label
	// of the grant's application: "approved" has one, the other delivered
	// grant, "approved_unconditional", is left missing records.
	UsageRecords map[string]string
}

// demoSystems are the consumers' application systems, each for the grants of
// its department's applications.
var demoSystems = []struct {
	by, name, description string
	labels                []string
}{
	{"rst.head", "事业单位公开招聘资格审查系统", "省人社厅招聘资格复审时在线核验应聘人员学历", []string{"approved"}},
	{"hzscjg.head", "杭州市企业信用监管系统", "年报催报底册与信用档案", []string{"approved_unconditional", "approved_file_download"}},
	{"hsmz.head", "海曙区社会救助信息系统", "低保对象定期核查", []string{"approved_after_supplement"}},
}

// demoRows are the hosted datasets' rows: invented people and companies.
var demoRows = map[string][]string{
	"学历学位信息": {
		`{"证书编号":"103351202605001234","姓名":"陈晓明","学历层次":"硕士研究生","专业":"公共管理","毕业日期":"2026-06-30","院校名称":"浙江大学"}`,
		`{"证书编号":"103371202506004321","姓名":"周雨桐","学历层次":"本科","专业":"计算机科学与技术","毕业日期":"2025-06-30","院校名称":"浙江工业大学"}`,
		`{"证书编号":"103451202406002468","姓名":"吴思远","学历层次":"本科","专业":"社会工作","毕业日期":"2024-06-30","院校名称":"浙江师范大学"}`,
	},
	"企业登记基本信息": {
		`{"统一社会信用代码":"91330106MA2A000011","企业名称":"杭州西湖数智科技有限公司","法定代表人":"沈一鸣","注册资本":500,"成立日期":"2019-03-12","住所":"杭州市西湖区文三路1号","登记状态":"存续"}`,
		`{"统一社会信用代码":"91330102MA2B000022","企业名称":"杭州上城老字号餐饮有限公司","法定代表人":"郑家和","注册资本":100,"成立日期":"2008-07-01","住所":"杭州市上城区河坊街2号","登记状态":"存续"}`,
		`{"统一社会信用代码":"91330203MA2C000033","企业名称":"宁波海曙港航物流有限公司","法定代表人":"孙海","注册资本":2000,"成立日期":"2015-11-20","住所":"宁波市海曙区中山西路3号","登记状态":"吊销"}`,
		`{"统一社会信用代码":"91330106MA2D000044","企业名称":"杭州北山文旅发展有限公司","法定代表人":"林湖","注册资本":300,"成立日期":"2021-05-18","住所":"杭州市西湖区北山街4号","登记状态":"注销"}`,
	},
	// 行政区划代码 places each household: the return flow sends 海曙区's
	// rows to 海曙区民政局 and 西湖区's to 西湖区民政局, and no one else's.
	"最低生活保障对象信息": {
		`{"居民身份证号码":"330203195501011111","姓名":"王阿婆","家庭人口数":1,"保障金额":1210.00,"认定日期":"2025-03-01","行政区划代码":"330203"}`,
		`{"居民身份证号码":"330203197802022222","姓名":"李建国","家庭人口数":3,"保障金额":2830.50,"认定日期":"2025-09-15","行政区划代码":"330203"}`,
		`{"居民身份证号码":"330106196003033333","姓名":"赵红梅","家庭人口数":2,"保障金额":1960.00,"认定日期":"2024-12-01","行政区划代码":"330106001"}`,
		`{"居民身份证号码":"330102198504044444","姓名":"钱小龙","家庭人口数":4,"保障金额":3400.00,"认定日期":"2026-01-10","行政区划代码":"330102"}`,
	},
}

// loadDeliveries hosts the demo datasets, registers the consumers' systems
// (with credentials when the platform has a keyring), delivers the
// service-interface and batch-exchange grants once — which closes their
// providers' Art. 22 obligation on time — uploads the file-download
// grant's workbook (when the platform has a files directory), and opens
// the return flows of 最低生活保障对象信息 to two county civil-affairs
// bureaus (Art. 24). 海曙区's low-income grant is left undelivered: its
// provider's to-do shows the delivery due.
func loadDeliveries(ctx context.Context, a *app.App, p *Province, as func(string) (access.Actor, error)) (*Deliveries, error) {
	out := &Deliveries{Grants: map[string]string{}, ReturnFlows: map[string]string{}}
	for label, appID := range p.Applications {
		var g *grant.Grant
		if err := a.Store.Read(ctx, func(tx *store.Tx) (err error) { g, err = tx.GrantOf(ctx, appID); return err }); err != nil {
			return nil, err
		}
		if g != nil {
			out.Grants[label] = g.ID
		}
	}
	hosted := map[string]bool{}
	heads := map[string]string{"学历学位信息": "jyt.head", "企业登记基本信息": "scjg.head", "最低生活保障对象信息": "mzt.head"}
	for entry, rows := range demoRows {
		head, err := as(heads[entry])
		if err != nil {
			return nil, err
		}
		load := dataset.Load{Mode: dataset.Replace}
		for _, r := range rows {
			var row dataset.Row
			if err := json.Unmarshal([]byte(r), &row); err != nil {
				return nil, fmt.Errorf("rows of %s: %w", entry, err)
			}
			load.Rows = append(load.Rows, row)
		}
		_, err = a.Datasets.Load(ctx, head, p.Entries[entry], load)
		if code := problem.CodeOf(err); code == "dataset.entry_not_published" || code == "dataset.entry_not_found" {
			// Left unpublished late in the year (see loadCatalog).
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("rows of %s: %w", entry, err)
		}
		hosted[entry] = true
	}

	callers := map[string]gateway.Caller{}
	for _, d := range demoSystems {
		head, err := as(d.by)
		if err != nil {
			return nil, err
		}
		sys, err := a.Gateway.Register(ctx, head, gateway.NewSystem{Name: d.name, Description: d.description})
		if err != nil {
			return nil, fmt.Errorf("system %s: %w", d.name, err)
		}
		sc := SystemCredential{System: d.name, SystemID: sys.ID, Department: p.accountDepartment(d.by), Grants: map[string]string{}}
		for _, l := range d.labels {
			if id, ok := out.Grants[l]; ok {
				sc.Grants[l] = id
			}
			callers[l] = gateway.Caller{SystemID: sys.ID, DepartmentID: head.DepartmentID, DivisionCode: head.DivisionCode}
		}
		issued, err := a.Gateway.IssueCredential(ctx, head, sys.ID)
		switch {
		case problem.CodeOf(err) == "gateway.keyring_missing":
			// A platform without a master key (a test) gets systems
			// without credentials.
		case err != nil:
			return nil, fmt.Errorf("credential of %s: %w", d.name, err)
		default:
			sc.KeyID, sc.Secret = issued.KeyID, issued.Secret
		}
		out.Systems = append(out.Systems, sc)
	}

	// One query under the service-interface grant and one pull under the
	// batch-exchange grant, as the consumers' systems would make them.
	if id, ok := out.Grants["approved"]; ok && hosted["学历学位信息"] {
		g := mustGrant(ctx, a, id)
		_, err := a.Delivery.Query(ctx, callers["approved"], delivery.QueryRequest{GrantID: id, Purpose: g.Purpose.Scenario,
			Items: []string{"姓名", "学历层次"}, Where: dataset.Row{"证书编号": json.RawMessage(`"103351202605001234"`)}})
		if err != nil {
			return nil, fmt.Errorf("demo query: %w", err)
		}
	}
	if id, ok := out.Grants["approved_unconditional"]; ok && hosted["企业登记基本信息"] {
		g := mustGrant(ctx, a, id)
		if _, err := a.Exchange.Pull(ctx, callers["approved_unconditional"], exchange.PullRequest{GrantID: id, Purpose: g.Purpose.Scenario}); err != nil {
			return nil, fmt.Errorf("demo pull: %w", err)
		}
	}
	if _, ok := out.Grants["approved_file_download"]; ok {
		id, err := uploadPenalties(ctx, a, p, as)
		if err != nil {
			return nil, err
		}
		out.FileID = id
	}

	if !hosted["最低生活保障对象信息"] {
		return out, nil
	}
	mzt, err := as("mzt.head")
	if err != nil {
		return nil, err
	}
	for _, sub := range []string{"海曙区民政局", "西湖区民政局"} {
		c, err := a.Exchange.Subscribe(ctx, mzt, exchange.NewSubscription{Kind: exchange.ReturnFlow, EntryID: p.Entries["最低生活保障对象信息"],
			SubscriberID: p.Departments[sub].ID, DivisionItem: "行政区划代码"})
		if err != nil {
			return nil, fmt.Errorf("return flow to %s: %w", sub, err)
		}
		out.ReturnFlows[sub] = c.ID
	}
	return out, nil
}

func mustGrant(ctx context.Context, a *app.App, id string) grant.Grant {
	var g *grant.Grant
	_ = a.Store.Read(ctx, func(tx *store.Tx) (err error) { g, err = tx.Grant(ctx, id); return err })
	if g == nil {
		return grant.Grant{}
	}
	return *g
}

// accountDepartment is the department name of a demo account.
func (p *Province) accountDepartment(username string) string {
	for _, a := range accounts {
		if a.Username == username {
			return a.Department
		}
	}
	return ""
}

// uploadPenalties uploads the penalty decisions workbook of 市场监管行政处罚信息
// as 浙江省市场监督管理局's office, when the platform stores files.
func uploadPenalties(ctx context.Context, a *app.App, p *Province, as func(string) (access.Actor, error)) (string, error) {
	if _, ok := a.Files.Config(); !ok {
		return "", nil
	}
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"处罚决定书文号", "统一社会信用代码", "当事人名称", "违法行为类型", "处罚内容", "处罚日期"},
		{"浙市监罚〔2026〕101号", "91330106MA2A000011", "杭州西湖数智科技有限公司", "虚假宣传", "罚款人民币五万元", "2026-03-02"},
		{"浙市监罚〔2026〕117号", "91330203MA2C000033", "宁波海曙港航物流有限公司", "未按规定公示年度报告", "列入经营异常名录", "2026-04-18"},
		{"浙市监罚〔2026〕135号", "91330102MA2B000022", "杭州上城老字号餐饮有限公司", "食品安全管理制度不落实", "警告", "2026-05-27"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			return "", err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return "", err
	}
	staff, err := as("scjg.head")
	if err != nil {
		return "", err
	}
	up, err := a.Files.Upload(ctx, staff, p.Entries["市场监管行政处罚信息"], files.Upload{Name: "市场监管行政处罚决定-2026年上半年.xlsx", Length: int64(buf.Len())}, &buf)
	if err != nil {
		return "", fmt.Errorf("penalty workbook: %w", err)
	}
	return up.ID, nil
}
