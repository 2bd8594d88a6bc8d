package tlog

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"golang.org/x/mod/sumdb/note"
)

func testKey(t *testing.T, alg KeyAlgorithm, name string) (crypto.Signer, note.Signer, note.Verifier) {
	t.Helper()
	key, err := GenerateKey(alg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(name, key)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(name, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return key, s, v
}

func testSigner(t *testing.T, alg KeyAlgorithm, name string) (note.Signer, note.Verifier) {
	t.Helper()
	_, s, v := testKey(t, alg, name)
	return s, v
}

// splitSigned takes a note with one signature apart by hand, as an outside
// tool would: the text, the signature line's name and the decoded signature
// (4-byte key ID followed by the signature proper).
func splitSigned(t *testing.T, signed []byte) (text []byte, name string, sig []byte) {
	t.Helper()
	i := bytes.LastIndex(signed, []byte("\n\n"))
	if i < 0 {
		t.Fatalf("no blank line in note %q", signed)
	}
	text = signed[:i+1]
	line := strings.TrimSuffix(string(signed[i+2:]), "\n")
	if strings.Contains(line, "\n") {
		t.Fatalf("more than one signature line in %q", signed)
	}
	line, ok := strings.CutPrefix(line, "— ")
	if !ok {
		t.Fatalf("signature line %q does not start with an em dash", line)
	}
	name, b64, _ := strings.Cut(line, " ")
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return text, name, sig
}

func joinSigned(text []byte, name string, sig []byte) []byte {
	return fmt.Appendf(nil, "%s\n— %s %s\n", text, name, base64.StdEncoding.EncodeToString(sig))
}

// An outside tool holding only the public key and gmsm (or any GB/T 32918
// implementation) must be able to check a checkpoint signature.
func TestSM2SignatureVerifiesDirectly(t *testing.T) {
	key, s, _ := testKey(t, KeyAlgorithmSM2, "govshare/node-beijing-1")
	signed, err := Sign(sampleCheckpoint(), s)
	if err != nil {
		t.Fatal(err)
	}
	text, name, sig := splitSigned(t, signed)
	if name != "govshare/node-beijing-1" {
		t.Errorf("signature name = %q", name)
	}
	if got := binary.BigEndian.Uint32(sig); got != s.KeyHash() {
		t.Errorf("key ID in signature = %08x, want %08x", got, s.KeyHash())
	}
	pub := key.Public().(*ecdsa.PublicKey)
	if !sm2.VerifyASN1WithSM2(pub, nil, text, sig[4:]) {
		t.Error("SM2 signature does not verify with the default user ID over the note text")
	}
	if !sm2.VerifyASN1WithSM2(pub, []byte("1234567812345678"), text, sig[4:]) {
		t.Error("SM2 signature does not verify with the explicit default user ID")
	}
	if sm2.VerifyASN1WithSM2(pub, []byte("another-user-id"), text, sig[4:]) {
		t.Error("SM2 signature verifies with another user ID; the user ID is not bound")
	}
}

func TestEd25519SignatureVerifiesDirectly(t *testing.T) {
	key, s, _ := testKey(t, KeyAlgorithmEd25519, "govshare/node-beijing-1")
	signed, err := Sign(sampleCheckpoint(), s)
	if err != nil {
		t.Fatal(err)
	}
	text, _, sig := splitSigned(t, signed)
	if !ed25519.Verify(key.Public().(ed25519.PublicKey), text, sig[4:]) {
		t.Error("Ed25519 signature does not verify over the note text")
	}
}

// For Ed25519 the verifier key is the standard one: the note package itself
// must read ours, and we must read its.
func TestEd25519VerifierKeyInteroperates(t *testing.T) {
	key, s, _ := testKey(t, KeyAlgorithmEd25519, "govshare/node-beijing-1")
	vkey := VerifierKey("govshare/node-beijing-1", key.Public())
	stdV, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatalf("note.NewVerifier(%q): %v", vkey, err)
	}
	if stdV.KeyHash() != s.KeyHash() {
		t.Errorf("key ID %08x, note computes %08x", s.KeyHash(), stdV.KeyHash())
	}
	signed, err := Sign(sampleCheckpoint(), s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(signed, stdV); err != nil {
		t.Errorf("note's own verifier rejects our signature: %v", err)
	}

	skey, stdVKey, err := note.GenerateKey(rand.Reader, "govshare/std")
	if err != nil {
		t.Fatal(err)
	}
	stdS, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := NewVerifierFromKey(stdVKey)
	if err != nil {
		t.Fatalf("NewVerifierFromKey(%q): %v", stdVKey, err)
	}
	c := sampleCheckpoint()
	c.Origin = "govshare/std"
	signed, err = Sign(c, stdS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(signed, ours); err != nil {
		t.Errorf("our verifier rejects note's signature: %v", err)
	}
}

func TestVerifierKeyRoundTrip(t *testing.T) {
	for _, alg := range []KeyAlgorithm{KeyAlgorithmSM2, KeyAlgorithmEd25519} {
		t.Run(string(alg), func(t *testing.T) {
			const name = "govshare/node-beijing-1"
			key, s, _ := testKey(t, alg, name)
			vkey := VerifierKey(name, key.Public())
			parts := strings.SplitN(vkey, "+", 3)
			if len(parts) != 3 || parts[0] != name || parts[1] != fmt.Sprintf("%08x", s.KeyHash()) {
				t.Fatalf("verifier key %q is not <name>+<key ID>+<key>", vkey)
			}
			v, err := NewVerifierFromKey(vkey)
			if err != nil {
				t.Fatal(err)
			}
			if v.Name() != name || v.KeyHash() != s.KeyHash() {
				t.Errorf("verifier %s+%08x, want %s+%08x", v.Name(), v.KeyHash(), name, s.KeyHash())
			}
			signed, err := Sign(sampleCheckpoint(), s)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Open(signed, v); err != nil {
				t.Errorf("Open with verifier from key: %v", err)
			}
		})
	}
}

// The key ID and key encoding are wire format; recompute them from the
// documented definition rather than from the code under test.
func TestKeyIDAndEncodingAsDocumented(t *testing.T) {
	oid, err := asn1.Marshal(asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 501})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(oid, sm2SigID) {
		t.Fatalf("SM2 identifier %x is not the DER of OID 1.2.156.10197.1.501 (%x)", sm2SigID, oid)
	}

	const name = "govshare/n"
	key, err := GenerateKey(KeyAlgorithmSM2)
	if err != nil {
		t.Fatal(err)
	}
	pub := key.Public().(*ecdsa.PublicKey)
	point := append([]byte{0x04}, append(pub.X.FillBytes(make([]byte, 32)), pub.Y.FillBytes(make([]byte, 32))...)...)
	encoded := append(append([]byte{0xff}, oid...), point...)
	sum := sha256.Sum256(append([]byte(name+"\n"), encoded...))
	wantVKey := fmt.Sprintf("%s+%x+%s", name, sum[:4], base64.StdEncoding.EncodeToString(encoded))
	if got := VerifierKey(name, pub); got != wantVKey {
		t.Errorf("SM2 verifier key =\n%s\nwant\n%s", got, wantVKey)
	}

	ekey, err := GenerateKey(KeyAlgorithmEd25519)
	if err != nil {
		t.Fatal(err)
	}
	epub := ekey.Public().(ed25519.PublicKey)
	eencoded := append([]byte{0x01}, epub...)
	esum := sha256.Sum256(append([]byte(name+"\n"), eencoded...))
	s, err := NewSigner(name, ekey)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.KeyHash(), binary.BigEndian.Uint32(esum[:4]); got != want {
		t.Errorf("Ed25519 key ID = %08x, want %08x", got, want)
	}
}

func TestNewVerifierFromKeyRejects(t *testing.T) {
	key, err := GenerateKey(KeyAlgorithmSM2)
	if err != nil {
		t.Fatal(err)
	}
	good := VerifierKey("govshare/n", key.Public())
	parts := strings.SplitN(good, "+", 3)
	encoded, _ := base64.StdEncoding.DecodeString(parts[2])
	reencode := func(b []byte) string {
		sum := sha256.Sum256(append([]byte("govshare/n\n"), b...))
		return fmt.Sprintf("govshare/n+%x+%s", sum[:4], base64.StdEncoding.EncodeToString(b))
	}
	offCurve := append([]byte(nil), encoded...)
	offCurve[len(offCurve)-1] ^= 0x01
	wrongOID := append([]byte(nil), encoded...)
	wrongOID[len(sm2SigID)] ^= 0x01
	cases := map[string]struct{ vkey, want string }{
		"empty":           {"", "form"},
		"two parts":       {"govshare/n+" + parts[1], "form"},
		"bad name":        {"gov share+" + parts[1] + "+" + parts[2], "key name"},
		"short ID":        {"govshare/n+1234567+" + parts[2], "8 hexadecimal"},
		"non-hex ID":      {"govshare/n+1234567g+" + parts[2], "8 hexadecimal"},
		"wrong ID":        {"govshare/n+00000000+" + parts[2], "does not match"},
		"other name":      {"govshare/m+" + parts[1] + "+" + parts[2], "does not match"},
		"bad base64":      {"govshare/n+" + parts[1] + "+!!!", "base64"},
		"unknown type":    {reencode(append([]byte{0x02}, encoded[1:]...)), "unsupported signature type 0x02"},
		"0xff not SM2":    {reencode(wrongOID), "not SM2"},
		"short point":     {reencode(encoded[:len(encoded)-1]), "64 bytes"},
		"point off curve": {reencode(offCurve), "SM2 verifier key"},
		"short Ed25519":   {reencode([]byte{0x01, 1, 2, 3}), "Ed25519"},
	}
	for name, tc := range cases {
		_, err := NewVerifierFromKey(tc.vkey)
		if err == nil {
			t.Errorf("%s: NewVerifierFromKey(%q) succeeded", name, tc.vkey)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not mention %q", name, err, tc.want)
		}
	}
}

func TestKeyNameRules(t *testing.T) {
	key, err := GenerateKey(KeyAlgorithmEd25519)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "a b", "a+b", "a\nb", "a\u3000b", "a\x7fb", "\xff"} {
		if _, err := NewSigner(name, key); err == nil {
			t.Errorf("NewSigner(%q) succeeded", name)
		}
		if _, err := NewVerifier(name, key.Public()); err == nil {
			t.Errorf("NewVerifier(%q) succeeded", name)
		}
		if got := VerifierKey(name, key.Public()); got != "" {
			t.Errorf("VerifierKey(%q) = %q, want \"\"", name, got)
		}
	}
	if _, err := NewSigner("govshare/节点-1", key); err != nil {
		t.Errorf("non-ASCII name refused: %v", err)
	}
}

// brokenSigner stands for a hardware or remote signer that ignores the SM2
// options and signs the bytes as if they were a digest.
type brokenSigner struct{ k *sm2.PrivateKey }

func (b brokenSigner) Public() crypto.PublicKey { return b.k.Public() }
func (b brokenSigner) Sign(r io.Reader, msg []byte, _ crypto.SignerOpts) ([]byte, error) {
	digest := sm3.Sum(msg) // without the ZA prefix of GB/T 32918
	return b.k.Sign(r, digest[:], nil)
}

func TestSignerRefusesSignatureThatDoesNotVerify(t *testing.T) {
	k, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner("govshare/n", brokenSigner{k})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sign(sampleCheckpoint(), s); err == nil || !strings.Contains(err.Error(), "does not verify") {
		t.Errorf("Sign with a broken signer: err = %v, want a refusal", err)
	}
}

func TestNewSignerAcceptsECDSATypedSM2Key(t *testing.T) {
	k, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ec := &k.PrivateKey // *ecdsa.PrivateKey on the SM2 curve
	s, err := NewSigner("govshare/n", ec)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier("govshare/n", &k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	c := sampleCheckpoint()
	c.Origin = "govshare/n"
	signed, err := Sign(c, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(signed, v); err != nil {
		t.Error(err)
	}
}

// opensslSignedCheckpoint is sampleBody with origin govshare/op, signed by
// OpenSSL 3.0 with the SM2 key opensslSM2PrivatePEM:
//
//	openssl pkeyutl -sign -inkey key.pem -rawin -in text -digest sm3 \
//	    -pkeyopt distid:1234567812345678
//
// and assembled into a signed note by hand. (The other direction, openssl
// pkeyutl -verify on a signature from NewSigner, was checked the same way.)
const opensslSignedCheckpoint = "govshare/op\n" +
	"20852163\n" +
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n" +
	"time 2025-03-14T01:26:53Z\n" +
	"\n" +
	"— govshare/op lPeaITBFAiB0NDtsyeXBunERzqiO+SPHyzkPq4Kbi3pYimTR+jWANwIhALv0alM0mke0jzfH5h35hduOEqLf4Wlw4ln9eziibmP7\n"

func TestOpenSSLSignedCheckpointOpens(t *testing.T) {
	pub, err := ParsePublicKeyPEM([]byte(opensslSM2PublicPEM))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier("govshare/op", pub)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open([]byte(opensslSignedCheckpoint), v)
	if err != nil {
		t.Fatalf("Open of an openssl-made SM2 signature: %v", err)
	}
	if c.Origin != "govshare/op" || c.Size != 20852163 {
		t.Errorf("Open = %+v", c)
	}
}
