package files

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
)

// Mark is how the copies of a file carry their watermark.
type Mark string

const (
	// MarkZIPComment: a ZIP archive (xlsx, docx, zip, …) gets the watermark
	// as its end-of-central-directory comment; every other byte is the
	// original's, so the archive opens as before.
	MarkZIPComment Mark = "zip_comment"
	// MarkTextLine: CSV, TSV and plain text get a trailing "# " line.
	MarkTextLine Mark = "text_line"
	// MarkJSONLine: JSON lines get a trailing JSON object line.
	MarkJSONLine Mark = "json_line"
	// MarkPDFComment: a PDF gets a trailing comment line after its last
	// %%EOF, where readers ignore it and an incremental update would go.
	MarkPDFComment Mark = "pdf_comment"
	// MarkPNGText: a PNG gets an iTXt chunk (UTF-8 text, keyword
	// "govshare-watermark") just before its IEND chunk.
	MarkPNGText Mark = "png_text"
	// MarkHeader: any other format is served unchanged; the watermark is in
	// the Govshare-Watermark response header and in the link's record.
	MarkHeader Mark = "header"
)

// HeaderWatermark carries the watermark on every download, whatever the
// format.
const HeaderWatermark = "Govshare-Watermark"

var (
	textExt  = map[string]bool{".csv": true, ".tsv": true, ".txt": true, ".text": true}
	jsonlExt = map[string]bool{".jsonl": true, ".ndjson": true}
	textMT   = map[string]bool{"text/csv": true, "text/plain": true, "text/tab-separated-values": true}
	jsonlMT  = map[string]bool{"application/jsonl": true, "application/x-ndjson": true, "application/x-jsonlines": true}
)

// markOf decides how copies of a file are marked: a file archive/zip opens
// (whatever its name) gets the ZIP comment; a text format by its name's
// extension or else its media type gets a trailing line; anything else the
// header only.
func markOf(r io.ReaderAt, size int64, name, mediaType string) Mark {
	if off, err := findEOCD(r, size); err == nil && off >= 0 {
		if _, err := zip.NewReader(r, size); err == nil {
			return MarkZIPComment
		}
	}
	head := make([]byte, 8)
	if n, _ := r.ReadAt(head, 0); n == len(head) {
		switch {
		case bytes.HasPrefix(head, []byte("%PDF-")):
			return MarkPDFComment
		case bytes.Equal(head, pngSignature) && hasIEND(r, size):
			return MarkPNGText
		}
	}
	ext := strings.ToLower(path.Ext(name))
	mt, _, _ := strings.Cut(strings.ToLower(mediaType), ";")
	mt = strings.TrimSpace(mt)
	switch {
	case jsonlExt[ext]:
		return MarkJSONLine
	case textExt[ext]:
		return MarkTextLine
	case jsonlMT[mt]:
		return MarkJSONLine
	case textMT[mt]:
		return MarkTextLine
	}
	return MarkHeader
}

const (
	eocdLen    = 22 // the EOCD record without its comment
	eocdSig    = 0x06054b50
	maxComment = 0xffff
)

// findEOCD returns the offset of the ZIP end-of-central-directory record
// whose comment ends exactly at size, or -1 when there is none. Only the
// last 22+65535 bytes are read.
func findEOCD(r io.ReaderAt, size int64) (int64, error) {
	if size < eocdLen {
		return -1, nil
	}
	start := max(0, size-eocdLen-maxComment)
	tail := make([]byte, size-start)
	if _, err := r.ReadAt(tail, start); err != nil && err != io.EOF {
		return -1, err
	}
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) != eocdSig {
			continue
		}
		if n := int(binary.LittleEndian.Uint16(tail[i+20:])); i+eocdLen+n == len(tail) {
			return start + int64(i), nil
		}
	}
	return -1, nil
}

// Stamp is what a copy's watermark says: who took it, under which grant,
// through which link, when the link was issued.
type Stamp struct {
	ConsumerID   string
	ConsumerName string
	GrantID      string
	LinkID       string
	// SystemID is the system that took the copy over the gateway; a copy a
	// person took in the console names the person instead (PersonID and
	// PersonName), so a leaked copy points at whoever held it.
	SystemID   string
	PersonID   string
	PersonName string
	IssuedAt   time.Time
}

// taker is who the watermark names as taking the copy.
func (s Stamp) taker() string {
	if s.PersonID != "" {
		return "; person=" + plain(s.PersonName) + "; person_id=" + s.PersonID
	}
	return "; system=" + s.SystemID
}

// Text is the watermark as one line of text.
func (s Stamp) Text() string {
	return "govshare-watermark; consumer=" + plain(s.ConsumerName) + "; consumer_id=" + s.ConsumerID + "; grant=" + s.GrantID +
		"; link=" + s.LinkID + s.taker() + "; issued=" + s.IssuedAt.UTC().Format(time.RFC3339)
}

// plain keeps a name (typed by people: a department's, a person's) from
// forging the watermark's other fields or lines: ';' and '=' become their
// full-width forms and a control character (a line break above all) a
// space. IDs are the
// platform's own and need no such care.
func plain(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ';':
			return '；'
		case r == '=':
			return '＝'
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, name)
}

// Header is the watermark for the Govshare-Watermark header: ASCII only,
// so the department and the person are named by their IDs.
func (s Stamp) Header() string {
	who := "; system=" + s.SystemID
	if s.PersonID != "" {
		who = "; person_id=" + s.PersonID
	}
	return "consumer_id=" + s.ConsumerID + "; grant=" + s.GrantID + "; link=" + s.LinkID + who
}

func (s Stamp) jsonLine() []byte {
	m := map[string]string{"consumer": s.ConsumerName, "consumer_id": s.ConsumerID, "grant_id": s.GrantID, "link_id": s.LinkID,
		"issued_at": s.IssuedAt.UTC().Format(time.RFC3339)}
	if s.PersonID != "" {
		m["person"], m["person_id"] = s.PersonName, s.PersonID
	} else {
		m["system_id"] = s.SystemID
	}
	b, _ := json.Marshal(map[string]map[string]string{"govshare_watermark": m})
	return b
}

// tail returns how a copy of the file (size bytes, read through r) ends:
// the original's first keep bytes followed by suffix.
func tail(r io.ReaderAt, size int64, m Mark, st Stamp) (keep int64, suffix []byte, err error) {
	switch m {
	case MarkZIPComment:
		off, err := findEOCD(r, size)
		if err != nil || off < 0 {
			return size, nil, err // no longer a ZIP: served unchanged, header only
		}
		rec := make([]byte, size-off)
		if _, err := r.ReadAt(rec, off); err != nil && err != io.EOF {
			return 0, nil, err
		}
		comment := rec[eocdLen:]
		mark := []byte(st.Text())
		if len(comment) > 0 && len(comment)+1+len(mark) <= maxComment {
			mark = append(append(bytes.Clone(comment), '\n'), mark...)
		}
		if len(mark) > maxComment {
			mark = mark[:maxComment]
		}
		out := make([]byte, 0, eocdLen+len(mark))
		out = append(out, rec[:20]...)
		out = binary.LittleEndian.AppendUint16(out, uint16(len(mark)))
		return off, append(out, mark...), nil
	case MarkPDFComment:
		eol, lead, err := lineEnding(r, size)
		if err != nil {
			return 0, nil, err
		}
		return size, append(append(lead, "%"+st.Text()...), eol...), nil
	case MarkPNGText:
		if !hasIEND(r, size) {
			return size, nil, nil // no longer a whole PNG: header only
		}
		data := append([]byte("govshare-watermark\x00\x00\x00\x00\x00"), st.Text()...)
		return size - int64(len(iendChunk)), append(pngChunk("iTXt", data), iendChunk...), nil
	case MarkTextLine, MarkJSONLine:
		eol, lead, err := lineEnding(r, size)
		if err != nil {
			return 0, nil, err
		}
		line := []byte("# " + st.Text())
		if m == MarkJSONLine {
			line = st.jsonLine()
		}
		return size, append(append(lead, line...), eol...), nil
	}
	return size, nil, nil
}

// lineEnding reads the file's last two bytes: the trailing line uses the
// file's own line ending, and starts a new line if the file does not end
// with one.
func lineEnding(r io.ReaderAt, size int64) (eol, lead []byte, err error) {
	n := min(size, 2)
	last := make([]byte, n)
	if _, err := r.ReadAt(last, size-n); err != nil && err != io.EOF {
		return nil, nil, err
	}
	switch {
	case bytes.HasSuffix(last, []byte("\r\n")):
		return []byte("\r\n"), nil, nil
	case bytes.HasSuffix(last, []byte("\n")):
		return []byte("\n"), nil, nil
	case size == 0:
		return []byte("\n"), nil, nil
	}
	return []byte("\n"), []byte("\n"), nil
}

var (
	pngSignature = []byte("\x89PNG\r\n\x1a\n")
	// iendChunk is the last chunk of every PNG: empty, with its CRC.
	iendChunk = []byte("\x00\x00\x00\x00IEND\xaeB`\x82")
)

// hasIEND reports whether the file ends with the PNG IEND chunk.
func hasIEND(r io.ReaderAt, size int64) bool {
	if size < int64(len(pngSignature)+len(iendChunk)) {
		return false
	}
	last := make([]byte, len(iendChunk))
	if _, err := r.ReadAt(last, size-int64(len(last))); err != nil && err != io.EOF {
		return false
	}
	return bytes.Equal(last, iendChunk)
}

// pngChunk encodes one PNG chunk: length, type, data, CRC-32 of type and
// data.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}
