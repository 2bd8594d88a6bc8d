package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
)

// Workflow is a complete application workflow through the API (issue #3's
// speed target): a consumer's staff drafts an application, its office head
// approves and sends it, the provider's office head approves the reply.
type Workflow struct {
	env                           *Env
	entry                         string
	staff, consumerHead, provider string // bearer tokens
}

// NewWorkflow prepares the workflow on a set-up environment: a published
// entry of 浙江省公安厅 and tokens for 浙江省市场监督管理局's staff and head
// and 浙江省公安厅's head.
func NewWorkflow(ctx context.Context, e *Env, s *store.Store) (*Workflow, error) {
	admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
	depts, err := e.App.Org.Departments(ctx, admin, org.DepartmentFilter{Page: org.Page{Limit: 500}})
	if err != nil {
		return nil, err
	}
	var provider *org.Department
	for i := range depts {
		if depts[i].Name == "浙江省公安厅" {
			provider = &depts[i]
		}
	}
	if provider == nil {
		return nil, fmt.Errorf("bench: the demo province lacks 浙江省公安厅")
	}
	entry, err := SeedEntry(ctx, s, *provider, "居民身份信息（基准）", catalog.Unconditional, []string{"姓名", "公民身份号码"})
	if err != nil {
		return nil, err
	}
	people, err := e.App.Org.People(ctx, admin, org.PersonFilter{Page: org.Page{Limit: 500}})
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for _, p := range people {
		byName[p.Username] = p.ID
	}
	w := &Workflow{env: e, entry: entry}
	for _, x := range []struct {
		user string
		into *string
	}{{"scjg.staff", &w.staff}, {"scjg.head", &w.consumerHead}, {"gat.head", &w.provider}} {
		var actor *access.Actor
		id := byName[x.user]
		if err := s.Read(ctx, func(tx *store.Tx) (err error) { actor, err = tx.Actor(ctx, id); return err }); err != nil || actor == nil {
			return nil, fmt.Errorf("bench: actor %s: %v", x.user, err)
		}
		tok, err := e.App.Auth.CreateToken(ctx, *actor, auth.NewToken{Name: "bench-workflow"})
		if err != nil {
			return nil, err
		}
		*x.into = tok.Secret
	}
	return w, nil
}

type appState struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	State   string `json:"state"`
}

func (w *Workflow) post(c *http.Client, token, path string, body any, want int) (appState, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, w.env.Server.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return appState{}, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return appState{}, fmt.Errorf("POST %s: status %d: %s", path, resp.StatusCode, data)
	}
	var s appState
	return s, json.Unmarshal(data, &s)
}

// Run performs one complete workflow: apply, head approval, reply.
func (w *Workflow) Run(c *http.Client) error {
	a, err := w.post(c, w.staff, "/api/v1/applications", map[string]any{
		"entry_id": w.entry, "items": []string{"姓名", "公民身份号码"}, "legal_basis": "《市场主体登记管理条例》第十二条",
		"scenario": "登记时核验法定代表人身份", "scope": "登记窗口", "delivery_method": "service_interface",
		"time_limit": map[string]int{"months": 12}}, http.StatusCreated)
	if err != nil {
		return err
	}
	if a, err = w.post(c, w.consumerHead, "/api/v1/applications/"+a.ID+"/approve", map[string]int64{"version": a.Version}, http.StatusOK); err != nil {
		return err
	}
	a, err = w.post(c, w.provider, "/api/v1/applications/"+a.ID+"/reply", map[string]any{"decision": "approve", "version": a.Version}, http.StatusOK)
	if err == nil && a.State != "approved" {
		err = fmt.Errorf("workflow ended in state %s", a.State)
	}
	return err
}
