package tlog

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

func sampleCheckpoint() Checkpoint {
	root := make([]byte, 32)
	for i := range root {
		root[i] = byte(i)
	}
	return Checkpoint{
		Origin: "govshare/node-beijing-1",
		Size:   20852163,
		Root:   root,
		Time:   time.Date(2025, 3, 14, 9, 26, 53, 999999999, beijing),
	}
}

const sampleBody = "govshare/node-beijing-1\n" +
	"20852163\n" +
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n" +
	"time 2025-03-14T01:26:53Z\n"

func TestCheckpointBodyGolden(t *testing.T) {
	if got := string(sampleCheckpoint().Body()); got != sampleBody {
		t.Errorf("body =\n%s\nwant\n%s", got, sampleBody)
	}
	empty := Checkpoint{Origin: "govshare/n", Size: 0, Root: SM3.EmptyRoot(), Time: time.Unix(0, 0)}
	want := "govshare/n\n0\nGrIdg1XPoX+OYRlIMegajyK+yMco/vt0ftA161CCqis=\ntime 1970-01-01T00:00:00Z\n"
	if got := string(empty.Body()); got != want {
		t.Errorf("empty tree body =\n%s\nwant\n%s", got, want)
	}
}

func TestParseBodyRoundTrip(t *testing.T) {
	c, err := ParseBody([]byte(sampleBody))
	if err != nil {
		t.Fatal(err)
	}
	want := sampleCheckpoint()
	if c.Origin != want.Origin || c.Size != want.Size || !bytes.Equal(c.Root, want.Root) {
		t.Errorf("parsed %+v, want %+v", c, want)
	}
	if !c.Time.Equal(want.Time.Truncate(time.Second)) || c.Time.Location() != time.UTC {
		t.Errorf("time = %v, want %v in UTC", c.Time, want.Time.Truncate(time.Second))
	}
	if got := string(c.Body()); got != sampleBody {
		t.Errorf("body of parsed checkpoint =\n%s\nwant\n%s", got, sampleBody)
	}
}

func TestParseBodyRejects(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(sampleBody, "\n"), "\n")
	with := func(i int, s string) string {
		l := append([]string(nil), lines...)
		l[i] = s
		return strings.Join(l, "\n") + "\n"
	}
	root31 := base64.StdEncoding.EncodeToString(make([]byte, 31))
	cases := []struct {
		name, body, want string
	}{
		{"no final newline", strings.TrimSuffix(sampleBody, "\n"), "newline"},
		{"three lines", strings.Join(lines[:3], "\n") + "\n", "has 3 lines"},
		{"extra extension line", sampleBody + "other ext\n", "unexpected line 5"},
		{"blank trailing line", sampleBody + "\n", "unexpected line 5"},
		{"CRLF", strings.ReplaceAll(sampleBody, "\n", "\r\n"), "origin"},
		{"invalid UTF-8", with(0, "govshare/\xff"), "UTF-8"},
		{"empty origin", with(0, ""), "origin is empty"},
		{"origin with space", with(0, "govshare/node 1"), "space"},
		{"origin with plus", with(0, "govshare+1"), `"+"`},
		{"leading zero", with(1, "020852163"), "leading zeros"},
		{"plus sign", with(1, "+20852163"), "tree size"},
		{"negative", with(1, "-1"), "tree size"},
		{"not a number", with(1, "twenty"), "tree size"},
		{"too large", with(1, "18446744073709551616"), "tree size"},
		{"empty size", with(1, ""), "tree size"},
		{"root not base64", with(2, "not*base64"), "root hash"},
		{"root unpadded", with(2, strings.TrimRight(lines[2], "=")), "root hash"},
		{"root non-canonical bits", with(2, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9="), "root hash"},
		{"root URL base64", with(2, base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32))), "root hash"},
		{"root 31 bytes", with(2, root31), "31 bytes"},
		{"time missing", with(3, "2025-03-14T01:26:53Z"), "line 4"},
		{"time with offset", with(3, "time 2025-03-14T09:26:53+08:00"), "checkpoint time"},
		{"time with fraction", with(3, "time 2025-03-14T01:26:53.5Z"), "checkpoint time"},
		{"time lower-case z", with(3, "time 2025-03-14T01:26:53z"), "checkpoint time"},
		{"time not a date", with(3, "time 2025-02-30T01:26:53Z"), "checkpoint time"},
		{"time two spaces", with(3, "time  2025-03-14T01:26:53Z"), "checkpoint time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBody([]byte(tc.body))
			if err == nil {
				t.Fatalf("ParseBody(%q) succeeded", tc.body)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestSignRejectsBadCheckpoint(t *testing.T) {
	s, _ := testSigner(t, KeyAlgorithmEd25519, "govshare/node-beijing-1")
	cases := map[string]func(*Checkpoint){
		"origin with newline": func(c *Checkpoint) { c.Origin = "govshare/a\nb" },
		"empty origin":        func(c *Checkpoint) { c.Origin = "" },
		"short root":          func(c *Checkpoint) { c.Root = c.Root[:20] },
		"zero time":           func(c *Checkpoint) { c.Time = time.Time{} },
		"year 10000":          func(c *Checkpoint) { c.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
	}
	for name, change := range cases {
		c := sampleCheckpoint()
		change(&c)
		if _, err := Sign(c, s); err == nil {
			t.Errorf("%s: Sign succeeded", name)
		}
	}
}

func TestSignOpenRoundTrip(t *testing.T) {
	for _, alg := range []KeyAlgorithm{KeyAlgorithmSM2, KeyAlgorithmEd25519} {
		t.Run(string(alg), func(t *testing.T) {
			c := sampleCheckpoint()
			s, v := testSigner(t, alg, c.Origin)
			signed, err := Sign(c, s)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(signed, []byte(sampleBody+"\n— "+c.Origin+" ")) {
				t.Errorf("signed note does not start with body, blank line and signature line:\n%s", signed)
			}
			got, err := Open(signed, v)
			if err != nil {
				t.Fatal(err)
			}
			if got.Origin != c.Origin || got.Size != c.Size || !bytes.Equal(got.Root, c.Root) || !got.Time.Equal(c.Time.Truncate(time.Second)) {
				t.Errorf("Open = %+v, want %+v", got, c)
			}
		})
	}
}

func TestOpenRejects(t *testing.T) {
	for _, alg := range []KeyAlgorithm{KeyAlgorithmSM2, KeyAlgorithmEd25519} {
		t.Run(string(alg), func(t *testing.T) {
			c := sampleCheckpoint()
			key, s, v := testKey(t, alg, c.Origin)
			signed, err := Sign(c, s)
			if err != nil {
				t.Fatal(err)
			}

			t.Run("modified body", func(t *testing.T) {
				bad := bytes.Replace(signed, []byte("\n20852163\n"), []byte("\n20852162\n"), 1)
				if bytes.Equal(bad, signed) {
					t.Fatal("test did not modify the body")
				}
				_, err := Open(bad, v)
				var invalid *note.InvalidSignatureError
				if !errors.As(err, &invalid) {
					t.Errorf("Open of a modified body: err = %v, want an invalid signature", err)
				}
			})

			t.Run("modified signature", func(t *testing.T) {
				text, name, sig := splitSigned(t, signed)
				sig[4+(len(sig)-4)/2] ^= 0x01 // inside the signature, past the key ID
				bad := joinSigned(text, name, sig)
				_, err := Open(bad, v)
				var invalid *note.InvalidSignatureError
				if !errors.As(err, &invalid) {
					t.Errorf("Open of a modified signature: err = %v, want an invalid signature", err)
				}
			})

			t.Run("different key", func(t *testing.T) {
				_, other := testSigner(t, alg, c.Origin)
				_, err := Open(signed, other)
				if err == nil {
					t.Fatal("Open accepted a signature by another key")
				}
				if !strings.Contains(err.Error(), "no signature by key") {
					t.Errorf("error %q does not say the key's signature is missing", err)
				}
			})

			t.Run("same key under another name", func(t *testing.T) {
				wrong, err := NewVerifier("govshare/other-node", key.Public())
				if err != nil {
					t.Fatal(err)
				}
				if _, err := Open(signed, wrong); err == nil {
					t.Error("Open accepted a verifier with the wrong name")
				}
			})

			t.Run("signature line renamed", func(t *testing.T) {
				text, _, sig := splitSigned(t, signed)
				bad := joinSigned(text, "govshare/other-node", sig)
				if _, err := Open(bad, v); err == nil {
					t.Error("Open accepted a signature line under another name")
				}
			})

			t.Run("unsigned", func(t *testing.T) {
				if _, err := Open(c.Body(), v); err == nil {
					t.Error("Open accepted a body without signatures")
				}
			})
		})
	}
}

// Witness cosignatures or a signature by a retired key may travel with a
// checkpoint; they must not stop it from opening with the node's key.
func TestOpenIgnoresOtherSignatures(t *testing.T) {
	c := sampleCheckpoint()
	s, v := testSigner(t, KeyAlgorithmSM2, c.Origin)
	w, _ := testSigner(t, KeyAlgorithmEd25519, "witness.example/w1")
	signed, err := note.Sign(&note.Note{Text: string(c.Body())}, w, s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Open(signed, v)
	if err != nil {
		t.Fatal(err)
	}
	if got.Size != c.Size {
		t.Errorf("size = %d, want %d", got.Size, c.Size)
	}
}

// Open must not accept a validly signed text that is not a checkpoint.
func TestOpenRejectsSignedNonCheckpoint(t *testing.T) {
	s, v := testSigner(t, KeyAlgorithmSM2, "govshare/n")
	signed, err := note.Sign(&note.Note{Text: "govshare/n\n1\nnot a root\n"}, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(signed, v); err == nil || !strings.Contains(err.Error(), "has 3 lines") {
		t.Errorf("Open error = %v, want one about the checkpoint's lines", err)
	}
}
