package tlog

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// Public keys written by OpenSSL 3.0 (openssl pkey -pubout) from the private
// keys in keyfile_test.go, to show the PEM form is the common one.
const (
	opensslSM2PublicPEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAEtXCE+JQaWH34MMgz/mJSeM7vEuAL
zqCBG0IfqUtalCE7YpXFOno2y1mJmtJhmu5JmhbsQS7W8QLKagclXKeRZA==
-----END PUBLIC KEY-----
`
	opensslEd25519PublicPEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAlEIOAtnD1okFTP9da8ZcRxaLsXZxDWUL7WcBXh9sSls=
-----END PUBLIC KEY-----
`
)

func TestGenerateKey(t *testing.T) {
	k, err := GenerateKey(KeyAlgorithmSM2)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := k.(*sm2.PrivateKey); !ok {
		t.Errorf("sm2 key is %T, want *sm2.PrivateKey", k)
	}
	if !sm2.IsSM2PublicKey(k.Public()) {
		t.Errorf("sm2 public key is not on the SM2 curve")
	}
	e, err := GenerateKey(KeyAlgorithmEd25519)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.(ed25519.PrivateKey); !ok {
		t.Errorf("ed25519 key is %T, want ed25519.PrivateKey", e)
	}
	if DefaultKeyAlgorithm != KeyAlgorithmSM2 {
		t.Errorf("DefaultKeyAlgorithm = %q, want sm2", DefaultKeyAlgorithm)
	}
	for _, bad := range []KeyAlgorithm{"", "SM2", "rsa"} {
		_, err := GenerateKey(bad)
		if err == nil || !strings.Contains(err.Error(), `"`+string(bad)+`"`) {
			t.Errorf("GenerateKey(%q): err = %v, want one naming the value", bad, err)
		}
	}
}

func TestPublicKeyPEMRoundTrip(t *testing.T) {
	for _, alg := range []KeyAlgorithm{KeyAlgorithmSM2, KeyAlgorithmEd25519} {
		k, err := GenerateKey(alg)
		if err != nil {
			t.Fatal(err)
		}
		b, err := PublicKeyPEM(k.Public())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "-----BEGIN PUBLIC KEY-----\n") {
			t.Errorf("%s: PEM = %q", alg, b)
		}
		pub, err := ParsePublicKeyPEM(b)
		if err != nil {
			t.Fatal(err)
		}
		eq, ok := pub.(interface{ Equal(crypto.PublicKey) bool })
		if !ok || !eq.Equal(k.Public()) {
			t.Errorf("%s: parsed public key differs from the original", alg)
		}
	}
}

func TestParsePublicKeyPEMFromOpenSSL(t *testing.T) {
	pub, err := ParsePublicKeyPEM([]byte(opensslSM2PublicPEM))
	if err != nil {
		t.Fatal(err)
	}
	if !sm2.IsSM2PublicKey(pub) {
		t.Errorf("openssl SM2 key parsed as %T, not an SM2 key", pub)
	}
	// Writing it back gives openssl's bytes: the encoding is the standard one.
	b, err := PublicKeyPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != opensslSM2PublicPEM {
		t.Errorf("re-encoded SM2 key =\n%s\nwant openssl's\n%s", b, opensslSM2PublicPEM)
	}

	pub, err = ParsePublicKeyPEM([]byte(opensslEd25519PublicPEM))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pub.(ed25519.PublicKey); !ok {
		t.Errorf("openssl Ed25519 key parsed as %T", pub)
	}
	b, err = PublicKeyPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != opensslEd25519PublicPEM {
		t.Errorf("re-encoded Ed25519 key =\n%s\nwant openssl's\n%s", b, opensslEd25519PublicPEM)
	}
}

func TestPublicKeysRefused(t *testing.T) {
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for name, pub := range map[string]any{"P-256": &p256.PublicKey, "RSA": &rsaKey.PublicKey, "nil": nil, "short Ed25519": ed25519.PublicKey{1, 2}} {
		if _, err := PublicKeyPEM(pub); err == nil {
			t.Errorf("PublicKeyPEM(%s) succeeded", name)
		}
		if _, err := NewVerifier("govshare/n", pub); err == nil {
			t.Errorf("NewVerifier(%s) succeeded", name)
		}
		if got := VerifierKey("govshare/n", pub); got != "" {
			t.Errorf("VerifierKey(%s) = %q, want \"\"", name, got)
		}
	}
	if _, err := NewSigner("govshare/n", p256); err == nil || !strings.Contains(err.Error(), "P-256") {
		t.Errorf("NewSigner(P-256): err = %v, want one naming the curve", err)
	}

	der, err := smx509.MarshalPKIXPublicKey(&p256.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	p256PEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	cases := map[string]struct{ pem, want string }{
		"P-256 key":     {string(p256PEM), "P-256"},
		"not PEM":       {"hello", "no PEM block"},
		"private key":   {strings.ReplaceAll(opensslSM2PublicPEM, "PUBLIC", "PRIVATE"), `"PRIVATE KEY"`},
		"two blocks":    {opensslSM2PublicPEM + opensslEd25519PublicPEM, "more than one"},
		"garbage inner": {"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "parsing public key"},
	}
	for name, tc := range cases {
		_, err := ParsePublicKeyPEM([]byte(tc.pem))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", name, err, tc.want)
		}
	}
}
