package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/catalog"
)

// The benchmark's upstream is a provider's own system: a plain net/http
// server answering {"where", "items"} queries from its own SQLite table of
// generated people, 20 data items a row, by the primary key. It is what
// both the direct calls and the gateway's forwarded calls reach.

// personItem is one data item of the generated table: its catalog form and
// its column.
type personItem struct {
	catalog.Item
	col string
}

// personItems are the 20 items of the generated entry 常住人口信息（基准）.
// The key is 公民身份号码; 联系电话 and 现住址 are graded L4 (sensitive), so
// that masking has work to do when they are asked for.
var personItems = []personItem{
	{catalog.Item{Name: "公民身份号码", DataType: "C", Length: 18, IsKey: true, Required: true, Grade: catalog.GeneralL4}, "id"},
	{catalog.Item{Name: "姓名", DataType: "C", Length: 50, Required: true, Grade: catalog.GeneralL3}, "name"},
	{catalog.Item{Name: "性别", DataType: "C", Length: 2, Grade: catalog.GeneralL1}, "sex"},
	{catalog.Item{Name: "出生日期", DataType: "D", Grade: catalog.GeneralL2}, "born"},
	{catalog.Item{Name: "民族", DataType: "C", Length: 20, Grade: catalog.GeneralL2}, "nation"},
	{catalog.Item{Name: "籍贯", DataType: "C", Length: 100, Grade: catalog.GeneralL2}, "origin"},
	{catalog.Item{Name: "户籍地址", DataType: "C", Length: 200, Grade: catalog.GeneralL3}, "reg_addr"},
	{catalog.Item{Name: "现住址", DataType: "C", Length: 200, Grade: catalog.GeneralL4}, "addr"},
	{catalog.Item{Name: "婚姻状况", DataType: "C", Length: 10, Grade: catalog.GeneralL3}, "marital"},
	{catalog.Item{Name: "文化程度", DataType: "C", Length: 20, Grade: catalog.GeneralL2}, "education"},
	{catalog.Item{Name: "职业", DataType: "C", Length: 50, Grade: catalog.GeneralL2}, "job"},
	{catalog.Item{Name: "服务处所", DataType: "C", Length: 200, Grade: catalog.GeneralL2}, "employer"},
	{catalog.Item{Name: "联系电话", DataType: "C", Length: 20, Grade: catalog.GeneralL4}, "phone"},
	{catalog.Item{Name: "身高", DataType: "I", Grade: catalog.GeneralL2}, "height"},
	{catalog.Item{Name: "血型", DataType: "C", Length: 4, Grade: catalog.GeneralL2}, "blood"},
	{catalog.Item{Name: "兵役状况", DataType: "C", Length: 10, Grade: catalog.GeneralL2}, "military"},
	{catalog.Item{Name: "宗教信仰", DataType: "C", Length: 20, Grade: catalog.GeneralL3}, "religion"},
	{catalog.Item{Name: "户号", DataType: "C", Length: 20, Grade: catalog.GeneralL2}, "household"},
	{catalog.Item{Name: "与户主关系", DataType: "C", Length: 20, Grade: catalog.GeneralL2}, "relation"},
	{catalog.Item{Name: "登记日期", DataType: "D", Grade: catalog.GeneralL1}, "registered"},
}

// personKey is the key of generated person i: 18 characters, like an ID
// card number.
func personKey(i int) string { return fmt.Sprintf("3301%014d", i) }

var (
	surnames  = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"}
	givens    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明"}
	nations   = []string{"汉族", "畲族", "回族", "满族", "土家族"}
	districts = []string{"上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区"}
	roads     = []string{"文三路", "文二路", "天目山路", "延安路", "解放路", "庆春路", "凤起路", "莫干山路"}
	jobs      = []string{"教师", "工程师", "医生", "个体经营", "公务员", "退休", "学生", "职员"}
	eduLevels = []string{"小学", "初中", "高中", "大专", "本科", "研究生"}
)

// personRow generates person i's values, in personItems order; the same i
// always gives the same row.
func personRow(i int) []any {
	r := rand.New(rand.NewPCG(uint64(i), 0x9e3779b97f4a7c15))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	born := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365*80))
	addr := func() string {
		return fmt.Sprintf("杭州市%s%s%d号%d室", pick(districts), pick(roads), 1+r.IntN(300), 101+r.IntN(2000))
	}
	sex := "男"
	if r.IntN(2) == 1 {
		sex = "女"
	}
	return []any{
		personKey(i), pick(surnames) + pick(givens) + pick(givens), sex, born.Format(time.DateOnly), pick(nations),
		"浙江省杭州市", addr(), addr(), pick([]string{"未婚", "已婚", "离婚", "丧偶"}), pick(eduLevels), pick(jobs),
		fmt.Sprintf("杭州某某%s有限公司", pick([]string{"科技", "贸易", "制造", "服务"})), fmt.Sprintf("1%010d", r.Int64N(1e10)),
		150 + r.IntN(45), pick([]string{"A", "B", "O", "AB"}), pick([]string{"未服兵役", "退出现役"}), "无",
		fmt.Sprintf("HH%08d", i/3), pick([]string{"户主", "配偶", "子", "女"}), born.AddDate(18, 0, 0).Format(time.DateOnly),
	}
}

// UpstreamDB returns an SQLite file of n generated people, made once and
// kept in the temporary directory for later runs (a million rows take a
// while to write). The table is indexed by its key.
func UpstreamDB(ctx context.Context, n int) (string, error) {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("govshare-bench-upstream-v1-%d.db", n))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	defer os.Remove(tmp)
	if err := generatePeople(ctx, tmp, n); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// generatePeople writes n people in one transaction with multi-row inserts;
// the file is written without a journal, since a failed run is discarded.
func generatePeople(ctx context.Context, path string, n int) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var cols, defs []string
	for _, it := range personItems {
		cols = append(cols, it.col)
		t := "TEXT"
		if it.DataType == "I" {
			t = "INTEGER"
		}
		if it.IsKey {
			t += " PRIMARY KEY"
		}
		defs = append(defs, it.col+" "+t)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE people ("+strings.Join(defs, ", ")+") WITHOUT ROWID"); err != nil {
		return err
	}
	const batch = 500 // 10,000 parameters a statement, under SQLite's limit
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	insert := func(k int) string {
		return "INSERT INTO people (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", k), ", ")
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	full, err := tx.PrepareContext(ctx, insert(batch))
	if err != nil {
		return err
	}
	args := make([]any, 0, batch*len(cols))
	for start := 0; start < n; start += batch {
		k := min(batch, n-start)
		args = args[:0]
		for i := start; i < start+k; i++ {
			args = append(args, personRow(i)...)
		}
		if k == batch {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insert(k), args...)
		}
		if err != nil {
			return fmt.Errorf("bench: generate people: %w", err)
		}
	}
	return tx.Commit()
}

// Upstream is the benchmark's provider system over an UpstreamDB file.
type Upstream struct {
	db     *sql.DB
	lookup *sql.Stmt
	Rows   int
}

// OpenUpstream opens the file read-only with a connection per core and a
// prepared lookup.
func OpenUpstream(ctx context.Context, path string, rows int) (*Upstream, error) {
	// Read the file once, so that it is in the page cache before anything is
	// measured: random lookups into a cold file of hundreds of MB measure
	// the disk, and made the direct figure swing tenfold between runs.
	if f, err := os.Open(path); err == nil {
		_, _ = io.Copy(io.Discard, f)
		f.Close()
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2 * runtime.GOMAXPROCS(0))
	db.SetMaxIdleConns(2 * runtime.GOMAXPROCS(0))
	var cols []string
	for _, it := range personItems {
		cols = append(cols, it.col)
	}
	st, err := db.PrepareContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM people WHERE id = ?")
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Upstream{db: db, lookup: st, Rows: rows}, nil
}

// Close closes the file.
func (u *Upstream) Close() error { u.lookup.Close(); return u.db.Close() }

// upstreamQuery is the body the platform (or a direct caller) sends.
type upstreamQuery struct {
	Where map[string]string `json:"where"`
	Items []string          `json:"items"`
}

// ServeHTTP answers one query: the asked items of the row with the key, as
// {"rows": [...]}. It checks no signature, so that direct calls and the
// gateway's forwarded calls cost the upstream the same.
func (u *Upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var q upstreamQuery
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&q); err != nil {
		http.Error(w, "bad query", http.StatusBadRequest)
		return
	}
	vals := make([]any, len(personItems))
	ptrs := make([]any, len(personItems))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	rows := []map[string]any{}
	err := u.lookup.QueryRowContext(r.Context(), q.Where[personItems[0].Name]).Scan(ptrs...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	default:
		row := make(map[string]any, len(q.Items))
		for _, name := range q.Items {
			for i, it := range personItems {
				if it.Name == name {
					row[name] = vals[i]
				}
			}
		}
		rows = append(rows, row)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"rows": rows})
}
