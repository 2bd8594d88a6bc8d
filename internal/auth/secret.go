package auth

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"

	"github.com/emmansun/gmsm/sm3"
)

// Prefixes make leaked secrets recognisable to secret scanners and people.
const (
	sessionPrefix = "gss_"
	tokenPrefix   = "gst_"
)

func newSecret(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error()) // the platform cannot run safely without it
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// secretDigest is what the database keeps of a session or token: SM3 of the
// secret. The secrets are 256 random bits, so no salt or slow hash is needed.
func secretDigest(secret string) string {
	sum := sm3.Sum([]byte(secret))
	return hex.EncodeToString(sum[:])
}
