package tlog

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
)

// Checkpoint is a signed statement of the ledger's tree head: the root of
// the first Size entries, as the node held it at Time.
type Checkpoint struct {
	// Origin names the log, "govshare/<node name>". It follows the rules of
	// a note key name (no spaces, no "+") so it can also be the key's name.
	Origin string
	// Size is the number of entries in the tree.
	Size uint64
	// Root is the RFC 6962 root hash of those entries (32 bytes).
	Root []byte
	// Time is when the node took the tree head; it is kept to the second.
	Time time.Time
}

// rootSize is the length of a root under every supported hash algorithm.
const rootSize = 32

// timePrefix starts the one extension line of a govshare checkpoint.
const timePrefix = "time "

// checkpointTimeLayout is RFC 3339 in UTC to the second, with a literal Z.
const checkpointTimeLayout = "2006-01-02T15:04:05Z"

// Body returns the checkpoint's note text in the c2sp.org/tlog-checkpoint
// format, with the time as an extension line:
//
//	<origin>\n<size>\n<base64 root>\ntime <RFC 3339 UTC seconds>\n
//
// Body does not check c; Sign does before signing.
func (c Checkpoint) Body() []byte {
	var b bytes.Buffer
	b.WriteString(c.Origin)
	b.WriteByte('\n')
	b.WriteString(strconv.FormatUint(c.Size, 10))
	b.WriteByte('\n')
	b.WriteString(base64.StdEncoding.EncodeToString(c.Root))
	b.WriteByte('\n')
	b.WriteString(timePrefix)
	b.WriteString(c.Time.UTC().Format(checkpointTimeLayout))
	b.WriteByte('\n')
	return b.Bytes()
}

// ParseBody parses a checkpoint body as Body writes it. It is strict: the
// only accepted text is the one Body would produce for the result, so that
// two different bodies can never stand for the same checkpoint.
func ParseBody(b []byte) (Checkpoint, error) {
	if !utf8.Valid(b) {
		return Checkpoint{}, errors.New("tlog: checkpoint is not valid UTF-8")
	}
	s := string(b)
	if !strings.HasSuffix(s, "\n") {
		return Checkpoint{}, errors.New("tlog: checkpoint does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) < 4 {
		return Checkpoint{}, fmt.Errorf("tlog: checkpoint has %d lines, want 4 (origin, size, root hash, time)", len(lines))
	}
	if len(lines) > 4 {
		return Checkpoint{}, fmt.Errorf("tlog: checkpoint has unexpected line 5 %q after the time", lines[4])
	}

	var c Checkpoint
	c.Origin = lines[0]
	if err := checkOrigin(c.Origin); err != nil {
		return Checkpoint{}, err
	}

	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil || strconv.FormatUint(size, 10) != lines[1] {
		// The round trip rejects "+1", "007" and the like, which
		// ParseUint accepts or which the spec forbids.
		return Checkpoint{}, fmt.Errorf("tlog: checkpoint tree size %q is not a decimal number without leading zeros", lines[1])
	}
	c.Size = size

	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || base64.StdEncoding.EncodeToString(root) != lines[2] {
		return Checkpoint{}, fmt.Errorf("tlog: checkpoint root hash %q is not canonical standard base64", lines[2])
	}
	if len(root) != rootSize {
		return Checkpoint{}, fmt.Errorf("tlog: checkpoint root hash is %d bytes, want %d", len(root), rootSize)
	}
	c.Root = root

	ts, ok := strings.CutPrefix(lines[3], timePrefix)
	if !ok {
		return Checkpoint{}, fmt.Errorf("tlog: checkpoint line 4 %q is not \"time <RFC 3339 UTC>\"", lines[3])
	}
	at, err := time.Parse(checkpointTimeLayout, ts)
	if err != nil || at.Format(checkpointTimeLayout) != ts {
		return Checkpoint{}, fmt.Errorf("tlog: checkpoint time %q is not RFC 3339 in UTC to the second (like 2006-01-02T15:04:05Z)", ts)
	}
	c.Time = at
	return c, nil
}

// checkOrigin applies the note key name rules to the origin, since the log's
// key name should equal it (c2sp.org/tlog-checkpoint).
func checkOrigin(origin string) error {
	switch {
	case origin == "":
		return errors.New("tlog: checkpoint origin is empty")
	case !utf8.ValidString(origin):
		return errors.New("tlog: checkpoint origin is not valid UTF-8")
	case strings.IndexFunc(origin, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Errorf("tlog: checkpoint origin %q contains a space or control character", origin)
	case strings.Contains(origin, "+"):
		return fmt.Errorf("tlog: checkpoint origin %q contains \"+\"", origin)
	}
	return nil
}

// check reports what would stop c from being parsed back after signing.
func (c Checkpoint) check() error {
	if err := checkOrigin(c.Origin); err != nil {
		return err
	}
	if len(c.Root) != rootSize {
		return fmt.Errorf("tlog: checkpoint root hash is %d bytes, want %d", len(c.Root), rootSize)
	}
	if c.Time.IsZero() {
		return errors.New("tlog: checkpoint time is not set")
	}
	if y := c.Time.UTC().Year(); y < 1 || y > 9999 {
		return fmt.Errorf("tlog: checkpoint time %v is outside years 1 to 9999", c.Time)
	}
	return nil
}

// Sign returns c as a signed note (c2sp.org/signed-note) signed by s.
func Sign(c Checkpoint, s note.Signer) ([]byte, error) {
	if s == nil {
		return nil, errors.New("tlog: no signer for the checkpoint")
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	msg, err := note.Sign(&note.Note{Text: string(c.Body())}, s)
	if err != nil {
		return nil, fmt.Errorf("tlog: signing checkpoint: %w", err)
	}
	return msg, nil
}

// Open verifies that signed carries a valid signature by v and returns the
// checkpoint it signs. Signatures by other keys (witnesses, an earlier key)
// are ignored, as the signed-note spec requires; but a note with none by v,
// or with a bad one, is refused.
func Open(signed []byte, v note.Verifier) (Checkpoint, error) {
	if v == nil {
		return Checkpoint{}, errors.New("tlog: no verifier for the checkpoint")
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) {
			return Checkpoint{}, fmt.Errorf("tlog: checkpoint has no signature by key %s+%08x", v.Name(), v.KeyHash())
		}
		return Checkpoint{}, fmt.Errorf("tlog: opening checkpoint: %w", err)
	}
	return ParseBody([]byte(n.Text))
}
