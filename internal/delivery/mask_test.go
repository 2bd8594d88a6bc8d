package delivery

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/grant"
)

func TestSensitive(t *testing.T) {
	for g, want := range map[catalog.Grade]bool{
		catalog.Core: true, catalog.Important: true, catalog.GeneralL4: true,
		catalog.GeneralL3: false, catalog.GeneralL2: false, catalog.GeneralL1: false,
		"": true, "secret": true, // unknown grades fail safe
	} {
		if got := Sensitive(g); got != want {
			t.Errorf("Sensitive(%q) = %v, want %v", g, got, want)
		}
	}
}

func TestMaskString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"张", "*"},
		{"张三", "张*"},
		{"欧阳娜", "欧**"},
		{"ABCD", "A**D"},
		{"ABCDEF", "A****F"},
		{"ABCDEFG", "AB***FG"},
		{"ABCDEFGHIJ", "AB******IJ"},
		{"13812345678", "138****5678"},
		{"330102199001011234", "330***********1234"},
		{"杭州市西湖区文三路1号", "杭州市****三路1号"},
	} {
		got := MaskString(c.in)
		if got != c.want {
			t.Errorf("MaskString(%q) = %q, want %q", c.in, got, c.want)
		}
		if len([]rune(got)) != len([]rune(c.in)) {
			t.Errorf("MaskString(%q) changes the length", c.in)
		}
	}
}

func TestMaskValue(t *testing.T) {
	for _, c := range []struct {
		t        catalog.DataType
		in, want string
	}{
		{"C", `"330102199001011234"`, `"330***********1234"`},
		{"M", `"张三"`, `"张*"`},
		{"C", `null`, `null`},
		{"D", `"1990-01-01"`, `"***"`},
		{"T", `"2026-01-01T08:00:00+08:00"`, `"***"`},
		{"N", `1234.5`, `"***"`},
		{"I", `42`, `"***"`},
		{"L", `true`, `"***"`},
		{"G", `"aGVsbG8="`, `"***"`},
		{"C", `12`, `"***"`}, // not a string after all: masked whole
		{"", `"x"`, `"***"`}, // an item the schema does not know
	} {
		if got := string(MaskValue(c.t, json.RawMessage(c.in))); got != c.want {
			t.Errorf("MaskValue(%s, %s) = %s, want %s", c.t, c.in, got, c.want)
		}
	}
}

// TestDeliverRows: only the asked items, the sensitive ones masked unless
// the grant names them in clear, the masked names reported only when a row
// is delivered.
func TestDeliverRows(t *testing.T) {
	schema, err := dataset.NewSchema(catalog.Version{Number: 1, Draft: catalog.Draft{Items: []catalog.Item{
		{Name: "身份证号", DataType: "C", Length: 18, IsKey: true, Grade: catalog.GeneralL4},
		{Name: "姓名", DataType: "C", Length: 50, Grade: catalog.GeneralL3},
		{Name: "出生日期", DataType: "D", Grade: catalog.Important},
		{Name: "存款", DataType: "N", Length: 20, Grade: catalog.Core},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]json.RawMessage{"身份证号": json.RawMessage(`"330102199001011234"`), "姓名": json.RawMessage(`"张三"`),
		"出生日期": json.RawMessage(`"1990-01-01"`), "存款": json.RawMessage(`100.5`)}
	g := grant.Grant{Items: []string{"身份证号", "姓名", "出生日期", "存款"}, ClearItems: []string{"存款"}}

	rows, masked := deliverRows(g, schema, []string{"身份证号", "姓名", "出生日期", "存款"}, []map[string]json.RawMessage{row})
	want := map[string]string{"身份证号": `"330***********1234"`, "姓名": `"张三"`, "出生日期": `"***"`, "存款": `100.5`}
	if len(rows) != 1 || len(rows[0]) != len(want) {
		t.Fatalf("rows %v", rows)
	}
	for k, v := range want {
		if string(rows[0][k]) != v {
			t.Errorf("%s = %s, want %s", k, rows[0][k], v)
		}
	}
	if !slices.Equal(masked, []string{"身份证号", "出生日期"}) {
		t.Errorf("masked %v, want 身份证号 and 出生日期", masked)
	}
	if string(row["身份证号"]) != `"330102199001011234"` {
		t.Error("deliverRows changed the row it was given")
	}

	rows, masked = deliverRows(g, schema, []string{"姓名"}, []map[string]json.RawMessage{row})
	if len(rows[0]) != 1 || string(rows[0]["姓名"]) != `"张三"` || masked != nil {
		t.Errorf("only 姓名 asked: %v, masked %v", rows, masked)
	}
	if rows, masked = deliverRows(g, schema, []string{"身份证号"}, nil); len(rows) != 0 || masked != nil {
		t.Errorf("no row: %v, masked %v", rows, masked)
	}
}
