package upstream_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/upstream"
)

var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func testSchema(t *testing.T) *dataset.Schema {
	t.Helper()
	s, err := dataset.NewSchema(catalog.Version{Number: 1, Draft: catalog.Draft{Items: []catalog.Item{
		{Name: "证号", DataType: "C", Length: 18, IsKey: true},
		{Name: "姓名", DataType: "C", Length: 4},
		{Name: "出生日期", DataType: "D"},
		{Name: "积分", DataType: "I"},
		{Name: "住址", DataType: "C", Length: 200},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fake is an upstream whose answer a test sets; it remembers the last body
// and checks the platform's signature with the endpoint's secret.
type fake struct {
	srv      *httptest.Server
	answer   atomic.Value // func(w http.ResponseWriter, r *http.Request)
	lastBody atomic.Value // []byte
	verified atomic.Bool
}

const testID, testSecret = "ups_test", "gsu_test-secret"

func newFake(t *testing.T) *fake {
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.lastBody.Store(b)
		f.verified.Store(upstream.Verify(r, b, testID, testSecret, testNow) == nil)
		f.answer.Load().(func(http.ResponseWriter, *http.Request))(w, r)
	}))
	t.Cleanup(f.srv.Close)
	f.reply(`{"rows": []}`)
	return f
}

func (f *fake) reply(body string) {
	f.answer.Store(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	})
}

func (f *fake) endpoint() upstream.Endpoint {
	return upstream.Endpoint{ID: testID, URL: f.srv.URL + "/query?v=1", TimeoutMS: 300, MaxResponseBytes: 2048, State: upstream.Active}
}

func fetch(t *testing.T, c *upstream.Client, e upstream.Endpoint, items ...string) (map[string]json.RawMessage, error) {
	t.Helper()
	return c.Fetch(context.Background(), e, testSecret, testSchema(t), upstream.Query{Where: json.RawMessage(`{"证号":"330102199001011234"}`), Items: items})
}

func wantProblem(t *testing.T, err error, kind problem.Kind, code string) {
	t.Helper()
	var p *problem.Error
	if !errors.As(err, &p) || p.Kind != kind || p.Code != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	if strings.Contains(p.Detail, "127.0.0.1") {
		t.Fatalf("detail leaks the endpoint's address: %s", p.Detail)
	}
}

// TestFetchFilters: the platform sends the key and the asked items, signed;
// only the asked items come back, others (ungranted or unasked) dropped,
// nulls dropped.
func TestFetchFilters(t *testing.T) {
	f := newFake(t)
	c := upstream.NewClient(func() time.Time { return testNow })
	f.reply(`{"rows": [{"证号": "330102199001011234", "姓名": "张三", "出生日期": "1990-01-01", "住址": "杭州市", "积分": null, "不存在": 1}], "extra": true}`)
	row, err := fetch(t, c, f.endpoint(), "姓名", "出生日期", "积分")
	if err != nil {
		t.Fatal(err)
	}
	if len(row) != 2 || string(row["姓名"]) != `"张三"` || string(row["出生日期"]) != `"1990-01-01"` {
		t.Fatalf("row %v, want only 姓名 and 出生日期", row)
	}
	var sent struct {
		Where map[string]string `json:"where"`
		Items []string          `json:"items"`
	}
	if err := json.Unmarshal(f.lastBody.Load().([]byte), &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Where["证号"] != "330102199001011234" || len(sent.Where) != 1 || strings.Join(sent.Items, ",") != "姓名,出生日期,积分" {
		t.Fatalf("sent %+v", sent)
	}
	if !f.verified.Load() {
		t.Fatal("the platform's signature does not verify with the endpoint's secret")
	}
	f.reply(`{"rows": []}`)
	if row, err = fetch(t, c, f.endpoint(), "姓名"); err != nil || row != nil {
		t.Fatalf("no row: %v %v", row, err)
	}
}

// TestFetchRefusesGarbage: every answer outside the contract is a 502
// upstream.bad_response, and the value never appears in the detail.
func TestFetchRefusesGarbage(t *testing.T) {
	f := newFake(t)
	c := upstream.NewClient(func() time.Time { return testNow })
	for name, body := range map[string]string{
		"not JSON":        `<html>oops</html>`,
		"no rows":         `{"data": []}`,
		"rows not array":  `{"rows": {"姓名": "张三"}}`,
		"row not object":  `{"rows": ["张三"]}`,
		"two rows":        `{"rows": [{"姓名": "张三"}, {"姓名": "李四"}]}`,
		"wrong type":      `{"rows": [{"姓名": 42}]}`,
		"too long":        `{"rows": [{"姓名": "张三丰张无忌"}]}`,
		"bad date":        `{"rows": [{"出生日期": "1990/01/01"}]}`,
		"float as int":    `{"rows": [{"积分": 1.5}]}`,
		"other key":       `{"rows": [{"证号": "330102199001019999", "姓名": "张三"}]}`,
		"oversize":        `{"rows": [{"姓名": "张三", "住址": "` + strings.Repeat("杭", 1000) + `"}]}`,
		"trailing engine": `{"rows": []} garbage`,
	} {
		t.Run(name, func(t *testing.T) {
			f.reply(body)
			_, err := fetch(t, c, f.endpoint(), "证号", "姓名", "出生日期", "积分")
			wantProblem(t, err, problem.BadGateway, "upstream.bad_response")
			if strings.Contains(err.Error(), "张三") || strings.Contains(err.Error(), "1990") {
				t.Fatalf("detail repeats a value: %v", err)
			}
		})
	}
	for _, status := range []int{http.StatusInternalServerError, http.StatusNotFound, http.StatusFound} {
		f.answer.Store(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "http://elsewhere.invalid/")
			w.WriteHeader(status)
			io.WriteString(w, `{"rows": []}`)
		})
		_, err := fetch(t, c, f.endpoint(), "姓名")
		wantProblem(t, err, problem.BadGateway, "upstream.bad_response")
	}
}

// TestFetchTimeoutAndDown: a hanging endpoint is a 504 upstream.timeout
// within its timeout; a closed port a 502 upstream.unavailable.
func TestFetchTimeoutAndDown(t *testing.T) {
	f := newFake(t)
	c := upstream.NewClient(func() time.Time { return testNow })
	release := make(chan struct{})
	defer close(release)
	f.answer.Store(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	start := time.Now()
	_, err := fetch(t, c, f.endpoint(), "姓名")
	wantProblem(t, err, problem.GatewayTimeout, "upstream.timeout")
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("timeout took %s, want about 300ms", d)
	}

	// An endpoint that sends headers and then stalls the body times out too.
	f.answer.Store(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"rows": [`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	_, err = fetch(t, c, f.endpoint(), "姓名")
	wantProblem(t, err, problem.GatewayTimeout, "upstream.timeout")

	// A consumer who hangs up meanwhile is recorded as such, not as the
	// provider's fault.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = c.Fetch(ctx, f.endpoint(), testSecret, testSchema(t), upstream.Query{Where: json.RawMessage(`{"证号":"330102199001011234"}`), Items: []string{"姓名"}})
	wantProblem(t, err, problem.BadGateway, "upstream.canceled")

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	e := f.endpoint()
	e.URL = "http://" + addr + "/query"
	_, err = fetch(t, c, e, "姓名")
	wantProblem(t, err, problem.BadGateway, "upstream.unavailable")
}

// TestVerify: the provider's check accepts the platform's request and
// refuses a changed body, another secret and a stale timestamp.
func TestVerify(t *testing.T) {
	var got []error
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, b)
		got = append(got,
			upstream.Verify(r, b, testID, testSecret, testNow),
			upstream.Verify(r, append(b, ' '), testID, testSecret, testNow),
			upstream.Verify(r, b, testID, "gsu_other", testNow),
			upstream.Verify(r, b, "ups_other", testSecret, testNow),
			upstream.Verify(r, b, testID, testSecret, testNow.Add(6*time.Minute)))
		io.WriteString(w, `{"rows": []}`)
	}))
	defer srv.Close()
	c := upstream.NewClient(func() time.Time { return testNow })
	e := upstream.Endpoint{ID: testID, URL: srv.URL, TimeoutMS: 1000, MaxResponseBytes: 1024}
	if _, err := fetch(t, c, e, "姓名"); err != nil {
		t.Fatal(err)
	}
	if got[0] != nil {
		t.Fatalf("a genuine request is refused: %v", got[0])
	}
	for i, err := range got[1:] {
		if err == nil {
			t.Errorf("check %d accepted a request it must refuse", i+1)
		}
	}
}
