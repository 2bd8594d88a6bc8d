package exchange

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"strconv"

	"github.com/emmansun/gmsm/sm3"
)

// Page sizes: Pull and Push deliver DefaultLimit records unless asked for
// fewer; more than MaxLimit is refused, naming "limit".
const (
	DefaultLimit = 1000
	MaxLimit     = 5000
)

// scanBudget bounds the stored rows or changes one request examines when a
// return flow filters most of them out: a page may then hold fewer records
// than its limit, with more set.
const scanBudget = 50000

// Page is one page of a transfer: its records in canonical form (see
// canon.go), the cursor of the next page, whether more follow now, and the
// SM3 checksum of the records.
type Page struct {
	Phase Phase
	// Items are the data items the rows carry.
	Items []string
	Count int
	// Records holds the records as they appear in the body's rows array,
	// separated by commas.
	Records    []byte
	NextCursor string
	// More is true while further pages can be read at once; false means the
	// transfer has reached the live end of the change feed (ask again later
	// with NextCursor).
	More bool
	// Checksum is hex(SM3(r1 "\n" r2 "\n" … rn "\n")) over the records'
	// bytes exactly as sent.
	Checksum string

	// what the delivery log keeps
	from, to, pin int64
}

// builder assembles a page's records and their checksum.
type builder struct {
	buf   bytes.Buffer
	sum   hash.Hash
	count int
	mark  int
}

// newBuilder sizes the buffer for limit records of a few hundred bytes, so
// that a page is not copied as it grows.
func newBuilder(limit int) *builder {
	b := &builder{sum: sm3.New()}
	b.buf.Grow(min(limit, MaxLimit) * 256)
	return b
}

// begin starts a record, returning the buffer to write it to.
func (b *builder) begin() *bytes.Buffer {
	b.mark = b.buf.Len()
	if b.count > 0 {
		b.buf.WriteByte(',')
	}
	return &b.buf
}

// keep adds the record written since begin to the page.
func (b *builder) keep() {
	rec := b.buf.Bytes()[b.mark:]
	if b.count > 0 {
		rec = rec[1:]
	}
	b.sum.Write(rec)
	b.sum.Write([]byte{'\n'})
	b.count++
}

// drop forgets the record written since begin.
func (b *builder) drop() { b.buf.Truncate(b.mark) }

func (b *builder) checksum() string { return hex.EncodeToString(b.sum.Sum(nil)) }

// parts returns the page's JSON body around its records: the members in
// head (already encoded, each ending with a comma) and the page's own up to
// the rows array, then the members after it. The records go in between as
// they are, so that the body holds exactly the bytes the checksum covers.
func (p *Page) parts(head string) (before, after []byte) {
	var b bytes.Buffer
	b.WriteByte('{')
	b.WriteString(head)
	b.WriteString(`"phase":"`)
	b.WriteString(string(p.Phase))
	b.WriteString(`","items":[`)
	for i, it := range p.Items {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, it)
	}
	b.WriteString(`],"count":`)
	b.WriteString(strconv.Itoa(p.Count))
	b.WriteString(`,"rows":[`)
	before = bytes.Clone(b.Bytes())
	b.Reset()
	b.WriteString(`],"checksum":"`)
	b.WriteString(p.Checksum)
	b.WriteString(`","next_cursor":"`)
	b.WriteString(p.NextCursor)
	b.WriteString(`","more":`)
	b.WriteString(strconv.FormatBool(p.More))
	b.WriteByte('}')
	return before, b.Bytes()
}

// appendBody appends the page's JSON body, preceded by the members in head,
// to dst.
func (p *Page) appendBody(dst *bytes.Buffer, head string) {
	before, after := p.parts(head)
	dst.Write(before)
	dst.Write(p.Records)
	dst.Write(after)
}

// MarshalJSON is the body a pull answers with.
func (p *Page) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(p.Records) + 256)
	p.appendBody(&b, "")
	return b.Bytes(), nil
}

// Size is the length of the body MarshalJSON returns.
func (p *Page) Size() int {
	before, after := p.parts("")
	return len(before) + len(p.Records) + len(after)
}

// WriteTo writes the body MarshalJSON returns without copying the records.
func (p *Page) WriteTo(w io.Writer) (int64, error) {
	before, after := p.parts("")
	var n int64
	for _, b := range [][]byte{before, p.Records, after} {
		m, err := w.Write(b)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Verify recomputes a received page's checksum from its rows exactly as
// received; a consumer (or a test) calls it on the body's "rows" elements.
func Verify(rows []json.RawMessage, checksum string) bool {
	h := sm3.New()
	for _, r := range rows {
		h.Write(r)
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)) == checksum
}
