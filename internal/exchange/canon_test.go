package exchange

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestFilterObject: stored rows (as json.Marshal wrote them, HTML-escaped,
// possibly with \u escapes from the loaded JSON) come out in one canonical
// form: only the kept members, strings re-escaped minimally, UTF-8 as is,
// other values untouched; the division item is read whether kept or not.
func TestFilterObject(t *testing.T) {
	stored, _ := json.Marshal(map[string]json.RawMessage{
		"姓名":     json.RawMessage(`"\u5f20\u4e09"`),
		"地址":     json.RawMessage(`"A<B>&C \"q\" \\ \n"`),
		"金额":     json.RawMessage(`12.50`),
		"行政区划代码": json.RawMessage(`"330106"`),
		"ok":     json.RawMessage(`true`),
		"null":   json.RawMessage(`null`),
		"备注<1>":  json.RawMessage(`"x"`),
	})
	if !bytes.Contains(stored, []byte(`\u003c`)) {
		t.Fatalf("the fixture should be HTML-escaped as stored: %s", stored)
	}
	var out bytes.Buffer
	keep := map[string]bool{"姓名": true, "地址": true, "金额": true, "ok": true, "null": true, "备注<1>": true}
	div, err := filterObject(&out, stored, keep, nil, "行政区划代码")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"null":null,"ok":true,"地址":"A<B>&C \"q\" \\ \n","备注<1>":"x","姓名":"张三","金额":12.50}`
	if out.String() != want {
		t.Errorf("canonical\n got %s\nwant %s", out.String(), want)
	}
	if div != "330106" {
		t.Errorf("division %q", div)
	}
	var back map[string]any
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || back["地址"] != "A<B>&C \"q\" \\ \n" {
		t.Errorf("canonical form does not decode to the same values: %v %v", back, err)
	}
	for _, bad := range []string{``, `[]`, `{"a":1`, `{"a" 1}`, `{"a":1,}`, `{"a":"x}`} {
		if _, err := filterObject(&out, []byte(bad), nil, nil, ""); err == nil {
			t.Errorf("%q was read as an object", bad)
		}
	}
}

func TestWriteStringControl(t *testing.T) {
	var b bytes.Buffer
	writeString(&b, "a\x01\t\u2028é")
	if b.String() != "\"a\\u0001\\t\u2028é\"" {
		t.Errorf("got %s", b.String())
	}
}

// TestCursor: a cursor reads back as written; any altered byte, another
// owner or a snapshot position beyond its pin is refused.
func TestCursor(t *testing.T) {
	c := cursor{owner: grantOwner("g1"), phase: Snapshot, pin: 120, after: 40}
	s := c.encode()
	got, ok, err := decodeCursor(s, grantOwner("g1"))
	if err != nil || !ok || got != c {
		t.Fatalf("round trip: %+v %v %v", got, ok, err)
	}
	if strings.Contains(s, "g1") {
		t.Error("the cursor shows its contents in clear")
	}
	for i := range s {
		b := []byte(s)
		b[i] ^= 2
		if _, _, err := decodeCursor(string(b), grantOwner("g1")); err == nil {
			t.Errorf("cursor altered at byte %d was accepted", i)
		}
	}
	if _, _, err := decodeCursor(s, grantOwner("g2")); err != errCursorForeign {
		t.Errorf("another owner: %v", err)
	}
	if _, _, err := decodeCursor(cursor{owner: "g:g1", phase: Snapshot, pin: 5, after: 6}.encode(), "g:g1"); err != errCursorInvalid {
		t.Errorf("after beyond pin: %v", err)
	}
	if _, ok, err := decodeCursor("", "g:g1"); ok || err != nil {
		t.Errorf("empty cursor: %v %v", ok, err)
	}
}

func TestEnclosing(t *testing.T) {
	for code, want := range map[string]string{
		"330106001002": "330106001 330106 330100 330000",
		"330106001":    "330106 330100 330000",
		"330106":       "330100 330000",
		"330100":       "330000",
		"330000":       "100000",
		"bad":          "",
	} {
		if got := strings.Join(enclosing(code), " "); got != want {
			t.Errorf("enclosing(%s) = %q, want %q", code, got, want)
		}
	}
}

func TestBackoff(t *testing.T) {
	if Backoff(1) != FirstBackoff || Backoff(2) != 2*FirstBackoff || Backoff(40) != MaxBackoff {
		t.Errorf("backoff %v %v %v", Backoff(1), Backoff(2), Backoff(40))
	}
}
