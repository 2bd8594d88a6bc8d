package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
)

// seedPeopleEntry stores a published entry of provider with the 20 person
// items, offered by service interface, bypassing the catalog's review (as
// SeedEntry does).
func seedPeopleEntry(ctx context.Context, s *store.Store, provider org.Department, name string) (string, error) {
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	err := s.Write(ctx, func(tx *store.Tx) error {
		seq, err := tx.NextCatalogSeq(ctx)
		if err != nil {
			return err
		}
		code := fmt.Sprintf("9/99/999/%d", seq)
		h := catalog.Head{ID: id, Seq: seq, ProviderID: provider.ID, DivisionCode: provider.DivisionCode, ResourceCode: code,
			State: catalog.Published, WorkingVersion: 1, PublishedVersion: 1, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertCatalogHead(ctx, h); err != nil {
			return err
		}
		v := catalog.Version{Number: 1, State: catalog.Published, PublishedAt: &now, CreatedAt: now, UpdatedAt: now, Grade: catalog.GeneralL4,
			Draft: catalog.Draft{Name: name, Abstract: name, ResourceCode: code, SharingAttribute: catalog.Unconditional, UpdateFrequency: "real_time",
				DeliveryMethods: []catalog.Method{catalog.ServiceInterface}, OpenAttribute: "not_open",
				DataFormat: catalog.DataFormat{Type: "JSON"}, Secrecy: catalog.NotSecret}}
		for _, it := range personItems {
			it.Description = it.Name
			v.Items = append(v.Items, it.Item)
		}
		return tx.PutCatalogVersion(ctx, id, v)
	})
	if err != nil {
		return "", fmt.Errorf("bench: seed entry %s: %w", name, err)
	}
	return id, nil
}

// actorOf is the demo account's actor.
func actorOf(ctx context.Context, s *store.Store, p *demo.Province, username string) (access.Actor, error) {
	var a *access.Actor
	id := p.Account(username).ID
	err := s.Read(ctx, func(tx *store.Tx) (err error) { a, err = tx.Actor(ctx, id); return err })
	if err != nil || a == nil {
		return access.Actor{}, fmt.Errorf("bench: actor %s: %v", username, err)
	}
	return *a, nil
}

// benchGrantItems are what 浙江省市场监督管理局 is granted of a people entry;
// BenchAskedItems what each benchmark call asks for, 联系电话 among them so
// that a sensitive item is masked on every call.
var (
	benchGrantItems = []string{"公民身份号码", "姓名", "性别", "出生日期", "民族", "户籍地址", "现住址", "婚姻状况", "职业", "联系电话", "户号", "登记日期"}
	BenchAskedItems = []string{"姓名", "性别", "出生日期", "民族", "户籍地址", "职业", "联系电话", "登记日期"}
)

const benchPurpose = "企业登记时核验法定代表人身份"

// grantPeople has scjg apply for entry and gat approve: an active grant of
// benchGrantItems, with limits far above what the benchmark can reach.
func grantPeople(ctx context.Context, a *app.App, s *store.Store, p *demo.Province, entry string) (string, error) {
	staff, err := actorOf(ctx, s, p, "scjg.staff")
	if err != nil {
		return "", err
	}
	head, err := actorOf(ctx, s, p, "scjg.head")
	if err != nil {
		return "", err
	}
	provider, err := actorOf(ctx, s, p, "gat.head")
	if err != nil {
		return "", err
	}
	ap, err := a.Applications.Create(ctx, staff, application.NewApplication{EntryID: entry, Items: benchGrantItems,
		LegalBasis: "《市场主体登记管理条例》第十二条", Scenario: benchPurpose, Scope: "登记窗口",
		DeliveryMethod: application.ServiceInterface, TimeLimit: application.TimeLimit{Months: 12}})
	if err != nil {
		return "", err
	}
	if ap, err = a.Applications.Approve(ctx, head, ap.ID, application.Command{Version: ap.Version}); err != nil {
		return "", err
	}
	ap, err = a.Applications.Reply(ctx, provider, ap.ID, application.ReplyRequest{Decision: application.Approve, Version: ap.Version,
		Limits: &grant.Limits{PerSecond: grant.MaxPerSecond, PerDay: grant.MaxPerDay}})
	if err != nil {
		return "", err
	}
	if ap.Reply == nil || ap.Reply.Grant == nil {
		return "", fmt.Errorf("bench: the approval of %s made no grant", entry)
	}
	return ap.Reply.Grant.ID, nil
}

// loadPeople loads persons 0..n-1 into entry's hosted dataset, a full load
// at a time.
func loadPeople(ctx context.Context, a *app.App, office access.Actor, entry string, n int) error {
	for start := 0; start < n; start += dataset.MaxRows {
		rows := make([]dataset.Row, 0, dataset.MaxRows)
		for i := start; i < min(start+dataset.MaxRows, n); i++ {
			vals := personRow(i)
			row := dataset.Row{}
			for j, it := range personItems {
				b, err := json.Marshal(vals[j])
				if err != nil {
					return err
				}
				row[it.Name] = b
			}
			rows = append(rows, row)
		}
		if _, err := a.Datasets.Load(ctx, office, entry, dataset.Load{Mode: dataset.Upsert, Rows: rows}); err != nil {
			return fmt.Errorf("bench: load people %d..: %w", start, err)
		}
	}
	return nil
}
