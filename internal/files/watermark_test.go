package files

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var stamp = Stamp{ConsumerID: "dept-1", ConsumerName: "浙江省公安厅", GrantID: "grant-1", LinkID: "link-1", SystemID: "sys-1",
	IssuedAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}

// stored writes b to a file and returns it open, as the service holds it.
func stored(t *testing.T, b []byte) *os.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// marked returns the copy's bytes for stamp, and how many leading bytes it
// keeps of the original.
func marked(t *testing.T, orig []byte, name, mediaType string) ([]byte, Mark, int64) {
	t.Helper()
	f := stored(t, orig)
	m := markOf(f, int64(len(orig)), name, mediaType)
	keep, suffix, err := tail(f, int64(len(orig)), m, stamp)
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(newCopy(f, keep, suffix))
	if err != nil {
		t.Fatal(err)
	}
	return out, m, keep
}

func xlsxBytes(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	x.SetCellValue("Sheet1", "A1", "处罚决定书文号")
	x.SetCellValue("Sheet1", "A2", "浙市监罚〔2026〕1号")
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZIPWatermark: an xlsx copy carries the stamp as its ZIP comment, is
// byte-identical to the original up to the end record, and still opens as
// a workbook with the same cells.
func TestZIPWatermark(t *testing.T) {
	orig := xlsxBytes(t)
	out, m, keep := marked(t, orig, "处罚.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	if m != MarkZIPComment {
		t.Fatalf("mark %s, want zip_comment", m)
	}
	if !bytes.Equal(out[:keep], orig[:keep]) || keep != int64(len(orig))-eocdLen {
		t.Fatalf("the copy differs before the end record (keep %d of %d)", keep, len(orig))
	}
	if !bytes.Equal(out[keep:keep+20], orig[keep:keep+20]) {
		t.Fatal("the end record's fields other than the comment changed")
	}
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.Comment != stamp.Text() || !strings.Contains(zr.Comment, "浙江省公安厅") || !strings.Contains(zr.Comment, "link=link-1") ||
		!strings.Contains(zr.Comment, "grant=grant-1") {
		t.Fatalf("comment %q", zr.Comment)
	}
	x, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue("Sheet1", "A2"); v != "浙市监罚〔2026〕1号" {
		t.Fatalf("cell A2 %q", v)
	}
}

// TestZIPWatermarkKeepsComment: an archive's own comment is kept before
// the stamp, whatever the file is called.
func TestZIPWatermarkKeepsComment(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.txt")
	w.Write([]byte("hello"))
	zw.SetComment("provider's note")
	zw.Close()
	out, m, _ := marked(t, buf.Bytes(), "data.bin", "application/octet-stream")
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil || m != MarkZIPComment {
		t.Fatalf("%s %v", m, err)
	}
	if zr.Comment != "provider's note\n"+stamp.Text() {
		t.Fatalf("comment %q", zr.Comment)
	}
}

// TestTextWatermark: text formats get one trailing line in their own line
// ending, starting a new line when the file does not end with one; JSON
// lines get a JSON object; everything before is the original.
func TestTextWatermark(t *testing.T) {
	for _, c := range []struct {
		name, mt, body, want string
		mark                 Mark
	}{
		{"a.csv", "", "a,b\r\n1,2\r\n", "a,b\r\n1,2\r\n# " + stamp.Text() + "\r\n", MarkTextLine},
		{"a.txt", "", "line", "line\n# " + stamp.Text() + "\n", MarkTextLine},
		{"data", "text/plain; charset=utf-8", "x\n", "x\n# " + stamp.Text() + "\n", MarkTextLine},
		{"rows.jsonl", "", `{"a":1}` + "\n", `{"a":1}` + "\n" + string(stamp.jsonLine()) + "\n", MarkJSONLine},
		{"scan.pdf", "application/pdf", "%PDF-1.7 …\n%%EOF\n", "%PDF-1.7 …\n%%EOF\n%" + stamp.Text() + "\n", MarkPDFComment},
		{"photo.jpg", "image/jpeg", "\xff\xd8\xff\xe0 jpeg", "\xff\xd8\xff\xe0 jpeg", MarkHeader},
	} {
		out, m, _ := marked(t, []byte(c.body), c.name, c.mt)
		if m != c.mark || string(out) != c.want {
			t.Errorf("%s: %s %q, want %s %q", c.name, m, out, c.mark, c.want)
		}
	}
	var line map[string]map[string]string
	if err := json.Unmarshal(stamp.jsonLine(), &line); err != nil || line["govshare_watermark"]["link_id"] != "link-1" ||
		line["govshare_watermark"]["consumer"] != "浙江省公安厅" {
		t.Fatalf("json line %s: %v", stamp.jsonLine(), err)
	}
}

// TestPersonStamp: a copy a person took names the person (name and id in
// the text and the JSON line, the id alone in the ASCII header) and no
// system.
func TestPersonStamp(t *testing.T) {
	p := stamp
	p.SystemID, p.PersonID, p.PersonName = "", "person-1", "张经办"
	if txt := p.Text(); !strings.Contains(txt, "; person=张经办; person_id=person-1;") || strings.Contains(txt, "system=") {
		t.Errorf("text %q", txt)
	}
	if hd := p.Header(); !strings.HasSuffix(hd, "; person_id=person-1") || strings.Contains(hd, "system=") || strings.Contains(hd, "张") {
		t.Errorf("header %q", hd)
	}
	var line map[string]map[string]string
	if err := json.Unmarshal(p.jsonLine(), &line); err != nil {
		t.Fatal(err)
	}
	if w := line["govshare_watermark"]; w["person"] != "张经办" || w["person_id"] != "person-1" || w["system_id"] != "" {
		t.Errorf("json line %s", p.jsonLine())
	}
	if hd := stamp.Header(); !strings.HasSuffix(hd, "; system=sys-1") {
		t.Errorf("a system's header %q", hd)
	}
	// A name cannot forge another field nor start a line of its own.
	p.PersonName = "张经办; person_id=someone-else\n1,2,3"
	if txt := p.Text(); strings.Count(txt, "person_id=") != 1 || strings.ContainsAny(txt, "\n\r") ||
		!strings.Contains(txt, "person=张经办； person_id＝someone-else 1,2,3; person_id=person-1;") {
		t.Errorf("a forged name in %q", txt)
	}
}

// readerFromBuffer has a ReadFrom, as a response writer does.
type readerFromBuffer struct {
	bytes.Buffer
	calls int
}

func (b *readerFromBuffer) ReadFrom(r io.Reader) (int64, error) {
	b.calls++
	return b.Buffer.ReadFrom(r)
}

// TestCopySeekAndSend: any range of the copy read after Seek, or sent with
// Send to a writer with or without ReadFrom, is that range of the whole.
func TestCopySeekAndSend(t *testing.T) {
	orig := xlsxBytes(t)
	f := stored(t, orig)
	keep, suffix, err := tail(f, int64(len(orig)), MarkZIPComment, stamp)
	if err != nil {
		t.Fatal(err)
	}
	c := newCopy(f, keep, suffix)
	whole, _ := io.ReadAll(c)
	if int64(len(whole)) != c.Size() {
		t.Fatalf("read %d of %d", len(whole), c.Size())
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		a := rng.Int64N(c.Size())
		n := rng.Int64N(c.Size()-a) + 1
		if _, err := c.Seek(a, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, n)
		if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, whole[a:a+n]) {
			t.Fatalf("read [%d,+%d): %v", a, n, err)
		}
		c.Seek(a, io.SeekStart)
		var rf readerFromBuffer
		if m, err := c.Send(&rf, n); err != nil || m != n || !bytes.Equal(rf.Bytes(), whole[a:a+n]) {
			t.Fatalf("send [%d,+%d): %d %v", a, n, m, err)
		}
		if a < keep && rf.calls == 0 {
			t.Fatal("the original's part did not go through ReadFrom")
		}
		c.Seek(a, io.SeekStart)
		var plain bytes.Buffer
		if m, err := c.Send(struct{ io.Writer }{&plain}, n); err != nil || m != n || !bytes.Equal(plain.Bytes(), whole[a:a+n]) {
			t.Fatalf("send plain [%d,+%d): %d %v", a, n, m, err)
		}
	}
	if end, _ := c.Seek(0, io.SeekEnd); end != c.Size() {
		t.Fatalf("seek end %d", end)
	}
	if n, err := c.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Fatalf("read at end: %d %v", n, err)
	}
}

// A PNG's copy carries the watermark in an iTXt chunk before IEND: the
// copy still decodes as the same image, and the chunk holds the stamp.
func TestPNGWatermark(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	img.Pix[4] = 200
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	orig := buf.Bytes()
	out, m, _ := marked(t, orig, "map.png", "image/png")
	if m != MarkPNGText {
		t.Fatalf("mark %s", m)
	}
	if !bytes.HasPrefix(out, orig[:len(orig)-len(iendChunk)]) || !bytes.HasSuffix(out, iendChunk) {
		t.Fatal("the copy does not keep the original's chunks and end with IEND")
	}
	back, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the watermarked PNG does not decode: %v", err)
	}
	if g, ok := back.(*image.Gray); !ok || !bytes.Equal(g.Pix, img.Pix) {
		t.Fatal("the watermarked PNG is another image")
	}
	if !bytes.Contains(out, []byte("iTXtgovshare-watermark\x00")) || !bytes.Contains(out, []byte(stamp.Text())) {
		t.Fatal("no watermark chunk in the copy")
	}
	// A truncated PNG (no IEND) is served unchanged, the header only.
	if _, m, _ := marked(t, orig[:len(orig)-3], "map.png", "image/png"); m != MarkHeader {
		t.Fatalf("truncated PNG marked %s", m)
	}
}
