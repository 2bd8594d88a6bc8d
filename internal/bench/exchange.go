package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/store"
)

// BatchPull is the batch-exchange measurement (issue #4: at least 100,000
// rows a second): a hosted dataset of generated company registrations
// (7 data items, all granted) pulled in full, snapshot to the live end,
// by a consumer's application system through the signed gateway of a real
// HTTP server, in pages of exchange.MaxLimit; the consumer decodes each page
// and checks its checksum, and every page is recorded as in production.
type BatchPull struct {
	App    *app.App
	Server *httptest.Server
	Rows   int
	grant  string
	key    gateway.Issued
}

// NewBatchPull loads the demo province into s, grants 浙江省公安厅 batch
// exchange of 企业登记基本信息 and loads rows generated rows into it.
func NewBatchPull(ctx context.Context, s *store.Store, rows int) (*BatchPull, error) {
	a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
	keys, err := gateway.NewKeyring(masterKey())
	if err != nil {
		return nil, err
	}
	a.Gateway.UseKeyring(keys)
	p, err := demo.Load(ctx, a)
	if err != nil {
		return nil, err
	}
	as := func(username string) (access.Actor, error) {
		var ac *access.Actor
		err := s.Read(ctx, func(tx *store.Tx) (err error) { ac, err = tx.Actor(ctx, p.Account(username).ID); return err })
		if err == nil && ac == nil {
			err = fmt.Errorf("bench: no actor %s", username)
		}
		if err != nil {
			return access.Actor{}, err
		}
		return *ac, nil
	}
	staff, err1 := as("gat.staff")
	head, err2 := as("gat.head")
	provider, err3 := as("scjg.head")
	loader, err4 := as("scjg.staff")
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return nil, err
		}
	}
	entry := p.Entries["企业登记基本信息"]
	ap, err := a.Applications.Create(ctx, staff, application.NewApplication{EntryID: entry,
		Items:      []string{"统一社会信用代码", "企业名称", "法定代表人", "注册资本", "成立日期", "住所", "登记状态"},
		LegalBasis: "《优化营商环境条例》第五十五条", Scenario: "企业信用联合监管", Scope: "全省市场主体",
		DeliveryMethod: application.BatchExchange, TimeLimit: application.TimeLimit{Months: 12}})
	if err != nil {
		return nil, err
	}
	if ap, err = a.Applications.Approve(ctx, head, ap.ID, application.Command{Version: ap.Version}); err != nil {
		return nil, err
	}
	if ap, err = a.Applications.Reply(ctx, provider, ap.ID, application.ReplyRequest{Decision: application.Approve, Version: ap.Version}); err != nil {
		return nil, err
	}
	// The first load replaces whatever the demo hosts, so the dataset is
	// exactly the generated rows.
	mode := dataset.Replace
	batch := make([]dataset.Row, 0, dataset.MaxRows)
	str := func(v string) json.RawMessage { b, _ := json.Marshal(v); return b }
	for n := 0; n < rows; n++ {
		batch = append(batch, dataset.Row{
			"统一社会信用代码": str(fmt.Sprintf("91330000MA%08d", n)),
			"企业名称":     str(fmt.Sprintf("浙江省基准测试第%d号科技有限公司", n)),
			"法定代表人":    str(fmt.Sprintf("法人%d", n%9973)),
			"注册资本":     json.RawMessage(fmt.Sprint(100 + n%100000)),
			"成立日期":     str(fmt.Sprintf("20%02d-%02d-%02d", 10+n%15, 1+n%12, 1+n%28)),
			"住所":       str(fmt.Sprintf("杭州市西湖区文三路%d号", n%5000)),
			"登记状态":     str("存续"),
		})
		if len(batch) == dataset.MaxRows || n == rows-1 {
			if _, err := a.Datasets.Load(ctx, loader, entry, dataset.Load{Mode: mode, Rows: batch}); err != nil {
				return nil, fmt.Errorf("bench: load rows: %w", err)
			}
			batch, mode = batch[:0], dataset.Upsert
		}
	}
	sys, err := a.Gateway.Register(ctx, staff, gateway.NewSystem{Name: "批量交换基准"})
	if err != nil {
		return nil, err
	}
	key, err := a.Gateway.IssueCredential(ctx, staff, sys.ID)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(httpapi.New(a, httpapi.Options{}).Handler())
	return &BatchPull{App: a, Server: srv, Rows: rows, grant: ap.Reply.Grant.ID, key: key}, nil
}

// Close stops the server.
func (b *BatchPull) Close() { b.Server.Close() }

// page is what the consumer reads of each page.
type pulledPage struct {
	Rows       []json.RawMessage `json:"rows"`
	Checksum   string            `json:"checksum"`
	NextCursor string            `json:"next_cursor"`
	More       bool              `json:"more"`
}

// Run pulls the whole dataset once, from a new snapshot to the live end,
// and returns the rows received.
func (b *BatchPull) Run(client *http.Client) (int, error) {
	req := map[string]any{"grant_id": b.grant, "purpose": "企业信用联合监管", "limit": exchange.MaxLimit}
	total := 0
	for {
		body, _ := json.Marshal(req)
		r, _ := http.NewRequest(http.MethodPost, b.Server.URL+"/gateway/v1/exchange/pull", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		gateway.Sign(r, b.key.KeyID, b.key.Secret, body, b.App.Now(), gateway.NewNonce())
		resp, err := client.Do(r)
		if err != nil {
			return total, err
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return total, err
		}
		if resp.StatusCode != http.StatusOK {
			return total, fmt.Errorf("pull: status %d: %s", resp.StatusCode, data)
		}
		var p pulledPage
		if err := json.Unmarshal(data, &p); err != nil {
			return total, err
		}
		if !exchange.Verify(p.Rows, p.Checksum) {
			return total, fmt.Errorf("pull: page checksum does not match its rows")
		}
		total += len(p.Rows)
		if !p.More {
			return total, nil
		}
		req["cursor"] = p.NextCursor
	}
}

// PullRate pulls the whole dataset again and again for at least d (and at
// least once) and reports rows per second.
func (b *BatchPull) PullRate(name string, d time.Duration) (Result, error) {
	client := &http.Client{}
	start := time.Now()
	var rows int64
	for {
		n, err := b.Run(client)
		rows += int64(n)
		if err != nil {
			return Result{}, err
		}
		if n != b.Rows {
			return Result{}, fmt.Errorf("bench: pulled %d rows of %d", n, b.Rows)
		}
		if time.Since(start) >= d {
			break
		}
	}
	return Result{Name: name, Ops: rows, Elapsed: time.Since(start)}, nil
}

// BatchPullRate sets up rows rows on s and measures batch pull rows per
// second for d; `govshare bench` prints it as "batch pull rows/s (engine)".
func BatchPullRate(ctx context.Context, s *store.Store, engine string, rows int, d time.Duration) (Result, error) {
	b, err := NewBatchPull(ctx, s, rows)
	if err != nil {
		return Result{}, err
	}
	defer b.Close()
	return b.PullRate("batch pull rows/s ("+engine+")", d)
}

// masterKey is a random master key for the measurement's keyring.
func masterKey() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("bench: crypto/rand failed: " + err.Error())
	}
	return b
}
