package demo

import (
	"context"
	"fmt"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/usagerecord"
)

// loadUsageRecords has 浙江省人力资源和社会保障厅 record how it uses the
// education data of its service-interface grant (Art. 29). 杭州市市场监督管理局's
// batch-exchange grant, delivered too, is left without a record: its
// office's to-do list and the missing-records listing show it.
func loadUsageRecords(ctx context.Context, a *app.App, d *Deliveries, as func(string) (access.Actor, error)) error {
	d.UsageRecords = map[string]string{}
	id, ok := d.Grants["approved"]
	if !ok {
		return nil // not given late in the year (see loadCatalog)
	}
	g := mustGrant(ctx, a, id)
	head, err := as("rst.head")
	if err != nil {
		return err
	}
	r, err := a.UsageRecords.Add(ctx, head, id, usagerecord.Input{
		Scenario:   "全省事业单位公开招聘资格复审：审查人员在线核验应聘人员的学历学位，应聘人员免交证书复印件",
		Process:    "资格审查系统按应聘人员提交的证书编号逐条查询，只调取姓名和学历层次两项；查询由审查人员在复审现场发起，每次查询留有系统日志",
		Effect:     "复审环节不再收取、核对学历证书复印件，应聘人员少跑一次",
		Storage:    "核验结果只保存在省人社厅资格审查系统的应聘人员档案中（政务云专区，按重要数据加密存储），不另行导出或拷贝",
		PeriodFrom: calendar.DateOf(g.CreatedAt).String(), PeriodTo: calendar.DateOf(a.Now()).String(),
	})
	if err != nil {
		return fmt.Errorf("usage record of %s: %w", id, err)
	}
	d.UsageRecords["approved"] = r.ID
	return nil
}
