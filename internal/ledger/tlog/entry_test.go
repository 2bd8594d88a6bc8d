package tlog

import (
	"bytes"
	"testing"
	"time"
)

var beijing = time.FixedZone("CST", 8*3600)

func sampleEntry() Entry {
	return Entry{
		At:                 time.Date(2025, 3, 14, 9, 26, 53, 589793000, beijing),
		ActorID:            "0195a1b2-0000-7000-8000-000000000001",
		DepartmentID:       "dept-finance",
		Action:             "catalog.publish",
		ObjectType:         "catalog_item",
		ObjectID:           "0195a1b2-0000-7000-8000-0000000000aa",
		ObjectDepartmentID: "dept-finance",
		Digest:             "sm3:66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
	}
}

func TestLeafGolden(t *testing.T) {
	want := "govshare-ledger-entry/v1\n" +
		`{"at":"2025-03-14T01:26:53.589793Z",` +
		`"actor_id":"0195a1b2-0000-7000-8000-000000000001",` +
		`"department_id":"dept-finance",` +
		`"action":"catalog.publish",` +
		`"object_type":"catalog_item",` +
		`"object_id":"0195a1b2-0000-7000-8000-0000000000aa",` +
		`"object_department_id":"dept-finance",` +
		`"digest":"sm3:66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"}`
	if got := string(sampleEntry().Leaf()); got != want {
		t.Errorf("leaf =\n%s\nwant\n%s", got, want)
	}
}

func TestLeafKeepsEmptyStringsAndZeroFraction(t *testing.T) {
	e := Entry{At: time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)}
	want := "govshare-ledger-entry/v1\n" +
		`{"at":"2024-12-31T23:59:59.000000Z","actor_id":"","department_id":"","action":"",` +
		`"object_type":"","object_id":"","object_department_id":"","digest":""}`
	if got := string(e.Leaf()); got != want {
		t.Errorf("leaf =\n%s\nwant\n%s", got, want)
	}
}

// TestLeafEscaping pins the string escaping the package documentation
// promises, so a change in encoding/json cannot silently alter leaves.
func TestLeafEscaping(t *testing.T) {
	e := Entry{
		At:      time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC),
		ActorID: "a<b>&\"\\/\b\f\n\r\t\x01\x1f\x7f\u2028\u2029政务数据é",
		Digest:  "x\xffy",
	}
	want := "govshare-ledger-entry/v1\n" +
		`{"at":"2025-01-02T03:04:05.000006Z",` +
		`"actor_id":"a<b>&\"\\/\b\f\n\r\t\u0001\u001f` + "\x7f" + `\u2028\u2029政务数据é",` +
		`"department_id":"","action":"","object_type":"","object_id":"","object_department_id":"",` +
		`"digest":"x\ufffdy"}`
	if got := string(e.Leaf()); got != want {
		t.Errorf("leaf =\n%s\nwant\n%s", got, want)
	}
}

func TestLeafDeterministic(t *testing.T) {
	a, b := sampleEntry(), sampleEntry()
	if !bytes.Equal(a.Leaf(), b.Leaf()) {
		t.Error("equal entries gave different leaves")
	}
	if !bytes.Equal(a.Leaf(), a.Leaf()) {
		t.Error("the same entry gave different leaves")
	}
}

func TestLeafChangesWithEveryField(t *testing.T) {
	base := sampleEntry().Leaf()
	changes := map[string]func(*Entry){
		"At":                 func(e *Entry) { e.At = e.At.Add(time.Microsecond) },
		"ActorID":            func(e *Entry) { e.ActorID += "x" },
		"DepartmentID":       func(e *Entry) { e.DepartmentID += "x" },
		"Action":             func(e *Entry) { e.Action += "x" },
		"ObjectType":         func(e *Entry) { e.ObjectType += "x" },
		"ObjectID":           func(e *Entry) { e.ObjectID += "x" },
		"ObjectDepartmentID": func(e *Entry) { e.ObjectDepartmentID = "" },
		"Digest":             func(e *Entry) { e.Digest = e.Digest[:len(e.Digest)-1] + "1" },
	}
	seen := map[string]string{string(base): "original"}
	for field, change := range changes {
		e := sampleEntry()
		change(&e)
		leaf := string(e.Leaf())
		if other, dup := seen[leaf]; dup {
			t.Errorf("changing %s gave the same leaf as %s", field, other)
		}
		seen[leaf] = field
	}
}

// Moving a value from one field to the next must change the leaf: the keys
// keep fields apart, unlike a plain concatenation.
func TestLeafFieldsDoNotRunTogether(t *testing.T) {
	a := Entry{ActorID: "ab", DepartmentID: "c"}
	b := Entry{ActorID: "a", DepartmentID: "bc"}
	if bytes.Equal(a.Leaf(), b.Leaf()) {
		t.Error("shifting text between fields gave the same leaf")
	}
}

func TestLeafDropsNanoseconds(t *testing.T) {
	a, b := sampleEntry(), sampleEntry()
	b.At = b.At.Add(999 * time.Nanosecond) // still within the same microsecond
	if !bytes.Equal(a.Leaf(), b.Leaf()) {
		t.Errorf("sub-microsecond difference changed the leaf:\n%s\n%s", a.Leaf(), b.Leaf())
	}
	// Truncation, not rounding: .589793999 stays .589793.
	if !bytes.Contains(b.Leaf(), []byte(`"at":"2025-03-14T01:26:53.589793Z"`)) {
		t.Errorf("leaf %s does not carry the truncated time", b.Leaf())
	}
}

func TestLeafTimeZoneIndependent(t *testing.T) {
	local := sampleEntry()
	utc := sampleEntry()
	utc.At = utc.At.UTC()
	if local.At.Location() == utc.At.Location() {
		t.Fatal("test needs two different locations")
	}
	if !bytes.Equal(local.Leaf(), utc.Leaf()) {
		t.Errorf("non-UTC time gave a different leaf:\n%s\n%s", local.Leaf(), utc.Leaf())
	}
	// A time read back from the database carries no monotonic reading,
	// while one from time.Now does.
	withMono, stripped := sampleEntry(), sampleEntry()
	withMono.At = time.Now()
	stripped.At = withMono.At.Round(0)
	if !bytes.Equal(stripped.Leaf(), withMono.Leaf()) {
		t.Error("monotonic clock reading changed the leaf")
	}
}
