package tlog

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm2"
	"golang.org/x/mod/sumdb/note"
)

// Signature type identifier bytes of c2sp.org/signed-note. The spec assigns
// 0x01 to Ed25519 and leaves 0xff for "signature types without an identifier
// byte assigned by this specification", recommending that it be followed by
// a longer identifier unlikely to collide.
const (
	sigTypeEd25519 = 0x01
	sigTypeOther   = 0xff
)

// sm2SigID follows 0xff for SM2: the DER encoding of the object identifier
// 1.2.156.10197.1.501, "SM2 signature with SM3" (GM/T 0006), which names
// exactly the scheme used and is registered, so it cannot collide.
var sm2SigID = []byte{0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75}

// sm2PointSize is the length of an uncompressed SM2 point, 0x04 || X || Y.
const sm2PointSize = 65

// encodePublicKey returns the signed-note encoding of pub, which is both
// hashed into the key ID and carried in a verifier key:
//
//	Ed25519: 0x01 || 32-byte public key (as the signed-note spec)
//	SM2:     0xff || DER OID 1.2.156.10197.1.501 || 0x04 || X || Y
func encodePublicKey(pub crypto.PublicKey) ([]byte, error) {
	alg, err := keyAlgorithmOf(pub)
	if err != nil {
		return nil, err
	}
	switch alg {
	case KeyAlgorithmEd25519:
		return append([]byte{sigTypeEd25519}, pub.(ed25519.PublicKey)...), nil
	default: // KeyAlgorithmSM2; keyAlgorithmOf checked the point is on the curve
		k := pub.(*ecdsa.PublicKey)
		if k.X.Sign() < 0 || k.Y.Sign() < 0 || k.X.BitLen() > 256 || k.Y.BitLen() > 256 {
			return nil, errors.New("tlog: SM2 public key coordinates out of range")
		}
		point := make([]byte, sm2PointSize)
		point[0] = 0x04 // uncompressed
		k.X.FillBytes(point[1:33])
		k.Y.FillBytes(point[33:])
		b := append([]byte{sigTypeOther}, sm2SigID...)
		return append(b, point...), nil
	}
}

// decodePublicKey is the inverse of encodePublicKey.
func decodePublicKey(b []byte) (crypto.PublicKey, error) {
	if len(b) == 0 {
		return nil, errors.New("tlog: verifier key holds no public key")
	}
	switch b[0] {
	case sigTypeEd25519:
		if len(b) != 1+ed25519.PublicKeySize {
			return nil, fmt.Errorf("tlog: Ed25519 verifier key is %d bytes, want %d", len(b)-1, ed25519.PublicKeySize)
		}
		return ed25519.PublicKey(append([]byte(nil), b[1:]...)), nil
	case sigTypeOther:
		rest, ok := strings.CutPrefix(string(b[1:]), string(sm2SigID))
		if !ok {
			return nil, errors.New("tlog: verifier key has signature type 0xff but is not SM2 with SM3 (OID 1.2.156.10197.1.501)")
		}
		if len(rest) != sm2PointSize {
			return nil, fmt.Errorf("tlog: SM2 verifier key is %d bytes, want a %d-byte uncompressed point", len(rest), sm2PointSize)
		}
		pub, err := sm2.NewPublicKey([]byte(rest))
		if err != nil {
			return nil, fmt.Errorf("tlog: SM2 verifier key: %w", err)
		}
		return pub, nil
	default:
		return nil, fmt.Errorf("tlog: verifier key has unsupported signature type 0x%02x (want 0x01 Ed25519 or 0xff SM2)", b[0])
	}
}

// keyID is the signed-note key ID: the first four bytes, big-endian, of
// SHA-256(name || "\n" || encoded public key).
func keyID(name string, encoded []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte("\n"))
	h.Write(encoded)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// checkKeyName applies the signed-note rule: non-empty UTF-8 without Unicode
// spaces or "+", which would break the signature line and verifier key.
func checkKeyName(name string) error {
	if name == "" || !utf8.ValidString(name) ||
		strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 ||
		strings.Contains(name, "+") {
		return fmt.Errorf("tlog: invalid key name %q: it must be non-empty, without spaces, control characters or \"+\"", name)
	}
	return nil
}

// noteKey is a note.Signer and note.Verifier over one key.
type noteKey struct {
	name   string
	id     uint32
	sign   func(msg []byte) ([]byte, error)
	verify func(msg, sig []byte) bool
}

func (k *noteKey) Name() string                    { return k.name }
func (k *noteKey) KeyHash() uint32                 { return k.id }
func (k *noteKey) Sign(msg []byte) ([]byte, error) { return k.sign(msg) }
func (k *noteKey) Verify(msg, sig []byte) bool     { return k.verify(msg, sig) }

// NewVerifier returns a note.Verifier for signatures by pub, an SM2 or
// Ed25519 public key, under the key name name.
func NewVerifier(name string, pub crypto.PublicKey) (note.Verifier, error) {
	if err := checkKeyName(name); err != nil {
		return nil, err
	}
	encoded, err := encodePublicKey(pub)
	if err != nil {
		return nil, err
	}
	return newVerifier(name, encoded, pub), nil
}

func newVerifier(name string, encoded []byte, pub crypto.PublicKey) *noteKey {
	v := &noteKey{name: name, id: keyID(name, encoded)}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		v.verify = func(msg, sig []byte) bool { return ed25519.Verify(k, msg, sig) }
	case *ecdsa.PublicKey:
		// nil user ID means the default "1234567812345678" of GB/T 32918.
		v.verify = func(msg, sig []byte) bool { return sm2.VerifyASN1WithSM2(k, nil, msg, sig) }
	}
	return v
}

// NewSigner returns a note.Signer that signs with key, an SM2 or Ed25519
// private key, under the key name name.
//
// SM2 signatures are over the note text with SM3 and the default user ID
// ("1234567812345678"), ASN.1 DER encoded: what sm2.VerifyASN1WithSM2 or
// openssl checks. Ed25519 signatures are plain RFC 8032 signatures of the
// text, as in the signed-note spec. Every signature is verified before it is
// returned, so a key (or hardware signer) that signs wrongly fails loudly
// instead of yielding checkpoints nobody can verify.
func NewSigner(name string, key crypto.Signer) (note.Signer, error) {
	if key == nil {
		return nil, errors.New("tlog: no signing key")
	}
	key = asSM2(key)
	pub := key.Public()
	v, err := NewVerifier(name, pub)
	if err != nil {
		return nil, err
	}
	s := v.(*noteKey)
	var opts crypto.SignerOpts = crypto.Hash(0) // Ed25519 signs the message itself
	if _, ok := pub.(*ecdsa.PublicKey); ok {
		opts = sm2.DefaultSM2SignerOpts // the message, hashed with ZA and SM3 inside
	}
	s.sign = func(msg []byte) ([]byte, error) {
		sig, err := key.Sign(rand.Reader, msg, opts)
		if err != nil {
			return nil, fmt.Errorf("tlog: signing: %w", err)
		}
		if !s.verify(msg, sig) {
			return nil, errors.New("tlog: the signing key produced a signature that does not verify")
		}
		return sig, nil
	}
	return s, nil
}

// VerifierKey returns the one-line text form of the verifier for pub under
// name, "<name>+<key ID as 8 hex digits>+<base64 of the encoded public key>"
// (for Ed25519 exactly what golang.org/x/mod/sumdb/note.NewVerifier reads),
// so an auditor can pass the whole public identity as one argument. It
// returns "" if name or pub is not acceptable; NewVerifier says why.
func VerifierKey(name string, pub crypto.PublicKey) string {
	if checkKeyName(name) != nil {
		return ""
	}
	encoded, err := encodePublicKey(pub)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s+%08x+%s", name, keyID(name, encoded), base64.StdEncoding.EncodeToString(encoded))
}

// NewVerifierFromKey parses a verifier key as VerifierKey writes it and
// checks that its key ID matches its name and public key.
func NewVerifierFromKey(vkey string) (note.Verifier, error) {
	name, rest, ok1 := strings.Cut(vkey, "+")
	id16, key64, ok2 := strings.Cut(rest, "+")
	if !ok1 || !ok2 {
		return nil, errors.New("tlog: verifier key is not of the form <name>+<key ID>+<public key>")
	}
	if err := checkKeyName(name); err != nil {
		return nil, err
	}
	id, err := strconv.ParseUint(id16, 16, 32)
	if err != nil || len(id16) != 8 {
		return nil, fmt.Errorf("tlog: verifier key ID %q is not 8 hexadecimal digits", id16)
	}
	encoded, err := base64.StdEncoding.Strict().DecodeString(key64)
	if err != nil {
		return nil, fmt.Errorf("tlog: verifier public key is not standard base64: %w", err)
	}
	pub, err := decodePublicKey(encoded)
	if err != nil {
		return nil, err
	}
	if want := keyID(name, encoded); uint32(id) != want {
		return nil, fmt.Errorf("tlog: verifier key ID %s does not match its name and public key (want %08x)", id16, want)
	}
	return newVerifier(name, encoded, pub), nil
}
