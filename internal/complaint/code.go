package complaint

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// The receipt code is 20 characters of Crockford's base32 (100 random
// bits), shown in five groups of four: ABCD-EFGH-JKMN-PQRS-TVWX. The
// alphabet has no I, L, O or U, so a code read aloud or copied by hand
// survives; on input I and L read as 1, O as 0, and case, spaces and
// dashes do not matter.
const (
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeChars    = 20
	codeGroup    = 4
)

// NewCode returns a fresh receipt code from crypto/rand.
func NewCode() string {
	b := make([]byte, codeChars)
	if _, err := rand.Read(b); err != nil {
		panic("complaint: crypto/rand failed: " + err.Error()) // the platform cannot run safely without it
	}
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%codeGroup == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[x&31]) // 32 divides 256: no bias
	}
	return sb.String()
}

// normalize reads a code as typed: without separators, in upper case, with
// the look-alike letters mapped; ok is false when it cannot be a code.
func normalize(code string) (string, bool) {
	var sb strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'I' || r == 'L':
			r = '1'
		case r == 'O':
			r = '0'
		}
		if r > 127 || !strings.ContainsRune(codeAlphabet, r) {
			return "", false
		}
		sb.WriteRune(r)
		if sb.Len() > codeChars {
			return "", false
		}
	}
	return sb.String(), sb.Len() == codeChars
}

// CodeDigest is what the platform keeps of a receipt code: SM3 of the
// normalised code. The code has 100 random bits, so no salt or slow hash is
// needed (as for session secrets, internal/auth).
func CodeDigest(code string) (string, bool) {
	n, ok := normalize(code)
	if !ok {
		return "", false
	}
	sum := sm3.Sum([]byte("govshare complaint code v1\x00" + n))
	return hex.EncodeToString(sum[:]), true
}
