package exchange_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// A batch pull sends sensitive items (general L4 and above) masked, as the
// service interface does, unless the grant lists them in clear_items; key
// items stay in clear so the consumer can apply changes to its copy.
func TestPullMasksSensitiveItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		const entry = "企业法定代表人身份信息"
		e.publish("scjg.head", "zj.reviewer", entry, "统一社会信用代码/C18/4*; 法定代表人/C50/2; 法定代表人身份证号码/C18/4; 注册资本/N20/4")
		e.load("scjg.staff", entry, []dataset.Row{{
			"统一社会信用代码": raw("91330106MA2A000011"), "法定代表人": raw("沈一鸣"),
			"法定代表人身份证号码": raw("330106198001011234"), "注册资本": json.RawMessage("500"),
		}})
		items := []string{"统一社会信用代码", "法定代表人", "法定代表人身份证号码", "注册资本"}
		pull := func(clear []string) map[string]json.RawMessage {
			t.Helper()
			ap, err := e.app.Applications.Create(e.ctx, e.as("gat.staff"), application.NewApplication{EntryID: e.p.Entries[entry], Items: items,
				LegalBasis: "《优化营商环境条例》第五十五条", Scenario: scenario, Scope: "全省市场主体", DeliveryMethod: application.BatchExchange,
				TimeLimit: application.TimeLimit{Months: 12}})
			if err != nil {
				t.Fatal(err)
			}
			if ap, err = e.app.Applications.Approve(e.ctx, e.as("gat.head"), ap.ID, application.Command{Version: ap.Version}); err != nil {
				t.Fatal(err)
			}
			if ap, err = e.app.Applications.Reply(e.ctx, e.as("scjg.head"), ap.ID, application.ReplyRequest{Decision: application.Approve,
				ClearItems: clear, Version: ap.Version}); err != nil {
				t.Fatal(err)
			}
			page, err := e.app.Exchange.Pull(e.ctx, e.caller("浙江省公安厅"), exchange.PullRequest{GrantID: ap.Reply.Grant.ID, Purpose: scenario})
			if err != nil {
				t.Fatal(err)
			}
			var rec struct {
				Row map[string]json.RawMessage `json:"row"`
			}
			if err := json.Unmarshal(page.Records, &rec); err != nil {
				t.Fatalf("%s: %v", page.Records, err)
			}
			return rec.Row
		}
		row := pull(nil)
		if string(row["统一社会信用代码"]) != `"91330106MA2A000011"` || string(row["法定代表人"]) != `"沈一鸣"` {
			t.Errorf("key or low-grade item masked: %v", row)
		}
		if id := string(row["法定代表人身份证号码"]); strings.Contains(id, "19800101") || !strings.Contains(id, "*") {
			t.Errorf("a sensitive item went out in clear: %s", id)
		}
		if string(row["注册资本"]) != `"***"` {
			t.Errorf("a sensitive number went out as %s", row["注册资本"])
		}
		row = pull([]string{"法定代表人身份证号码"})
		if string(row["法定代表人身份证号码"]) != `"330106198001011234"` || string(row["注册资本"]) != `"***"` {
			t.Errorf("clear_items not honoured: %v", row)
		}
	})
}
