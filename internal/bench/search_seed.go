package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
)

// The generated catalog: entry names are a subject and a kind of data set
// (常住人口 + 基本信息), data items come from a pool of the items government
// departments really exchange, plus items of the entry's own subject.

type subject struct {
	name  string   // 常住人口
	items []string // items of this subject, besides the common ones
}

var subjects = []subject{
	{"常住人口", []string{"居民身份证号码", "姓名", "户籍地址", "户籍类别", "户号"}},
	{"户籍迁移", []string{"居民身份证号码", "姓名", "迁出地", "迁入地", "迁移日期"}},
	{"居民身份证", []string{"居民身份证号码", "姓名", "签发机关", "有效期限"}},
	{"婚姻登记", []string{"男方身份证号码", "女方身份证号码", "登记日期", "结婚证字号"}},
	{"出生医学证明", []string{"新生儿姓名", "出生日期", "母亲身份证号码", "出生证编号"}},
	{"死亡医学证明", []string{"居民身份证号码", "死亡日期", "死亡原因"}},
	{"企业登记", []string{"统一社会信用代码", "企业名称", "法定代表人", "注册资本", "成立日期"}},
	{"个体工商户", []string{"统一社会信用代码", "个体工商户名称", "经营者姓名", "经营场所"}},
	{"社会保险参保", []string{"居民身份证号码", "姓名", "参保险种", "参保状态", "缴费基数"}},
	{"医疗保险结算", []string{"居民身份证号码", "就诊医院", "结算金额", "结算日期"}},
	{"住房公积金", []string{"居民身份证号码", "公积金账号", "缴存基数", "账户余额"}},
	{"不动产登记", []string{"不动产权证号", "权利人", "坐落", "不动产单元号", "登记日期"}},
	{"学籍", []string{"学籍号", "居民身份证号码", "学校名称", "年级"}},
	{"教师资格", []string{"教师资格证号", "居民身份证号码", "任教学科", "资格种类"}},
	{"执业医师", []string{"医师执业证书编码", "居民身份证号码", "执业范围", "执业地点"}},
	{"最低生活保障", []string{"居民身份证号码", "救助金额", "家庭人口数", "认定日期"}},
	{"残疾人证", []string{"残疾人证号", "居民身份证号码", "残疾类别", "残疾等级"}},
	{"机动车登记", []string{"号牌号码", "车辆识别代号", "所有人", "登记日期"}},
	{"机动车驾驶证", []string{"驾驶证号", "姓名", "准驾车型", "驾驶证状态"}},
	{"纳税信用", []string{"统一社会信用代码", "纳税人名称", "信用等级", "评价年度"}},
	{"行政处罚", []string{"统一社会信用代码", "处罚决定书文号", "处罚类别", "处罚日期"}},
	{"食品经营许可", []string{"许可证编号", "统一社会信用代码", "经营项目", "有效期至"}},
	{"建筑业企业资质", []string{"资质证书编号", "统一社会信用代码", "资质类别", "资质等级"}},
	{"退役军人", []string{"居民身份证号码", "姓名", "入伍时间", "退役时间"}},
	{"养老服务机构", []string{"机构名称", "统一社会信用代码", "床位数", "备案日期"}},
}

var dataSets = []string{"基本信息", "变更信息", "核验", "统计信息", "明细信息", "证照信息", "注销信息", "年度报告"}

var commonItems = []string{"数据更新时间", "行政区划代码", "备注", "办理机构", "联系电话", "数据来源"}

// itemSpec gives a generated item a plausible type, length and grade.
func itemSpec(name string, r *rand.Rand) catalog.Item {
	it := catalog.Item{Name: name, DataType: "C", Length: 50, Grade: catalog.GeneralL2, Description: name}
	end := func(sfx ...string) bool {
		for _, x := range sfx {
			if strings.HasSuffix(name, x) {
				return true
			}
		}
		return false
	}
	switch {
	case end("号码", "代码", "号", "编号", "编码"):
		it.Length, it.Grade = 18, catalog.GeneralL4
	case end("日期", "时间", "期限", "有效期至"):
		it.DataType, it.Length, it.Grade = "D", 0, catalog.GeneralL1
	case end("金额", "基数", "余额", "资本"):
		it.DataType, it.Length, it.Grade = "Y", 16, catalog.GeneralL3
	case end("数"):
		it.DataType, it.Length = "I", 0
	}
	if r.IntN(200) == 0 {
		it.Grade = catalog.Important
	}
	return it
}

// CatalogSeed says what SeedCatalog stored.
type CatalogSeed struct {
	Entries     int
	Departments []org.Department
	Elapsed     time.Duration
	// Counts by attribute and by subject, for checking search results.
	ByAttribute map[catalog.Attribute]int
	BySubject   map[string]int
}

// generated is one entry before it is stored.
type generated struct {
	subject int
	draft   catalog.Draft
}

func generate(r *rand.Rand, seq int64) generated {
	si := r.IntN(len(subjects))
	sb := subjects[si]
	name := sb.name + dataSets[r.IntN(len(dataSets))]
	cls := catalog.Classification{Class: fmt.Sprint(1 + r.IntN(3)), Item: fmt.Sprintf("%02d", 1+r.IntN(7)), Category: fmt.Sprintf("%03d", 1+r.IntN(200))}
	d := catalog.Draft{Name: name, Abstract: "记录" + sb.name + "相关的" + dataSets[r.IntN(len(dataSets))] + "，供各部门依法共享使用",
		ResourceCode: fmt.Sprintf("%s/%09d", cls.Code(), seq), Classification: cls,
		DataFormat:      catalog.DataFormat{Class: "database", Type: []string{"PostgreSQL", "Oracle", "MySQL", "达梦"}[r.IntN(4)]},
		UpdateFrequency: []catalog.Frequency{"real_time", "daily", "weekly", "monthly", "yearly"}[r.IntN(5)],
		OpenAttribute:   "not_open", Secrecy: catalog.NotSecret}
	seen := map[string]bool{}
	for _, n := range sb.items {
		if !seen[n] {
			seen[n] = true
			d.Items = append(d.Items, itemSpec(n, r))
		}
	}
	for range 1 + r.IntN(4) {
		n := commonItems[r.IntN(len(commonItems))]
		if !seen[n] {
			seen[n] = true
			d.Items = append(d.Items, itemSpec(n, r))
		}
	}
	d.Items[0].IsKey, d.Items[0].Required = true, true
	switch x := r.IntN(10); {
	case x < 6:
		d.SharingAttribute = catalog.Unconditional
	case x < 9:
		d.SharingAttribute = catalog.Conditional
		d.UsageConditions = &catalog.UsageConditions{Scope: "省内各级政府部门", PermittedUses: "依法履行职责所需的身份与资格核验"}
	default:
		d.SharingAttribute = catalog.NotShareable
		d.NotShareable = &catalog.NotShareableBasis{Reason: "依法不得向其他单位提供",
			LegalBasis: catalog.LegalBasis{Kind: "law", Name: "中华人民共和国个人信息保护法", Article: "第三十四条"}}
	}
	if d.SharingAttribute.Shareable() {
		all := []catalog.Method{catalog.ServiceInterface, catalog.BatchExchange, catalog.FileDownload}
		for i, m := range all {
			if r.IntN(2) == 0 || (i == len(all)-1 && len(d.DeliveryMethods) == 0) {
				d.DeliveryMethods = append(d.DeliveryMethods, m)
			}
		}
	}
	return generated{subject: si, draft: d}
}

// SeedCatalog stores n published entries spread over departments, directly
// through the store's catalog methods (the same rows the catalog service
// writes on publication: entry, version, items, search fields and on SQLite
// the trigram index), skipping review, in transactions of batch entries.
// Every generated draft passes catalog.ValidateDraft. seed makes the
// catalog reproducible.
func SeedCatalog(ctx context.Context, s *store.Store, depts []org.Department, n int, seed uint64) (CatalogSeed, error) {
	start := time.Now()
	out := CatalogSeed{Entries: n, Departments: depts, ByAttribute: map[catalog.Attribute]int{}, BySubject: map[string]int{}}
	if len(depts) == 0 {
		return out, fmt.Errorf("bench: no departments to seed the catalog of")
	}
	r := rand.New(rand.NewPCG(seed, 42))
	authority := map[string]string{}
	now := time.Now().UTC().Truncate(time.Second)
	today := calendar.DateOf(now)
	ok := catalog.Assessment{Conclusion: "passed", AssessedOn: today, Assessor: "保密办", Summary: "不涉密；个人信息按最小必要原则共享"}
	const batch = 2000
	for done := 0; done < n; {
		size := min(batch, n-done)
		byAttr, bySubj := map[catalog.Attribute]int{}, map[string]int{}
		err := s.Write(ctx, func(tx *store.Tx) error {
			clear(byAttr)
			clear(bySubj)
			for i := range size {
				dept := depts[(done+i)%len(depts)]
				auth, seen := authority[dept.ID]
				if !seen {
					a, err := tx.AuthorityIn(ctx, dept.DivisionCode)
					if err != nil {
						return err
					}
					if a != nil {
						auth = a.ID
					}
					authority[dept.ID] = auth
				}
				seq, err := tx.NextCatalogSeq(ctx)
				if err != nil {
					return err
				}
				g := generate(r, seq)
				h := catalog.Head{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, ProviderID: dept.ID, DivisionCode: dept.DivisionCode,
					ResourceCode: g.draft.ResourceCode, State: catalog.Published, WorkingVersion: 1, PublishedVersion: 1, AuthorityID: auth,
					Version: 1, CreatedAt: now, UpdatedAt: now}
				v := catalog.Version{Number: 1, State: catalog.Published, Draft: g.draft, Grade: catalog.Strictest(g.draft.Items),
					Assessments: catalog.Assessments{Secrecy: &ok, PersonalInformation: &ok}, PublishedAt: &now, CreatedAt: now, UpdatedAt: now}
				if err := tx.InsertCatalogHead(ctx, h); err != nil {
					return err
				}
				if err := tx.PutCatalogVersion(ctx, h.ID, v); err != nil {
					return err
				}
				if err := tx.IndexCatalogEntry(ctx, h, v); err != nil {
					return err
				}
				byAttr[g.draft.SharingAttribute]++
				bySubj[subjects[g.subject].name]++
			}
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("bench: seed catalog: %w", err)
		}
		for k, v := range byAttr {
			out.ByAttribute[k] += v
		}
		for k, v := range bySubj {
			out.BySubject[k] += v
		}
		done += size
	}
	out.Elapsed = time.Since(start)
	return out, nil
}
