package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The rows API for systems: a provider's application system loads and
// deletes rows of its department's entry with signed requests, checked like
// the office's loads and recorded under the system; a system of another
// department is refused and changes nothing.
func TestDatasetRowsBySystem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		entry := e.p.Entries["常住人口基本信息"]
		sys, key := e.gwSystem("gat.staff")
		_, foreign := e.gwSystem("scjg.staff")
		f := &gwFixture{e: e}
		rows := "/gateway/v1/datasets/" + entry + "/rows"
		load := map[string]any{"mode": "upsert", "rows": []any{datasetRow("330102199001011234"), datasetRow("330102199001015678")}}
		if r := f.call(&foreign, rows, load); r.status != http.StatusForbidden {
			t.Fatalf("another department's system: %d %s", r.status, r.body)
		}
		r := f.call(&key, rows, load)
		if r.status != http.StatusOK {
			t.Fatalf("load by system: %d %s", r.status, r.body)
		}
		validate(t, oaSchemas(t)("DatasetLoadResult"), r.body)
		bad := map[string]any{"mode": "upsert", "rows": []any{map[string]any{"居民身份证号码": "330102199001019999", "姓名": "王五", "出生日期": "明天"}}}
		if r := f.call(&key, rows, bad); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad row: %d %s", r.status, r.body)
		}
		del := map[string]any{"keys": []any{map[string]any{"居民身份证号码": "330102199001015678", "姓名": "测试人员"}}}
		if r := f.call(&key, "/gateway/v1/datasets/"+entry+"/deletions", del); r.status != http.StatusOK {
			t.Fatalf("delete by system: %d %s", r.status, r.body)
		}
		d, err := e.app.Datasets.Get(context.Background(), e.as("gat.staff"), entry)
		if err != nil || d.Version != 2 || d.RowCount != 1 {
			t.Fatalf("dataset after a system's load and deletion: %+v %v", d, err)
		}
		evs, err := e.app.Ledger.Events(context.Background(), access.Actor{Roles: []access.Role{access.PlatformAdmin}},
			ledger.Filter{ObjectType: "dataset", ObjectID: entry, Action: "dataset.load", Limit: 10})
		if err != nil || len(evs) != 1 || evs[0].ActorID != sys.ID {
			t.Fatalf("load recorded as %+v %v, want one under the system %s", evs, err, sys.ID)
		}
	})
}
