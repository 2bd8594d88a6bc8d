package tlog

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// Private keys written by OpenSSL 3.0 (openssl genpkey -algorithm SM2 /
// ED25519), as an operator bringing their own key would. Test keys only.
const (
	opensslSM2PrivatePEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg+t1Mr7iNqqZz6kyZ
beV+ncyi3xsSFYsUvsUJpoq8+IqhRANCAAS1cIT4lBpYffgwyDP+YlJ4zu8S4AvO
oIEbQh+pS1qUITtilcU6ejbLWYma0mGa7kmaFuxBLtbxAspqByVcp5Fk
-----END PRIVATE KEY-----
`
	opensslEd25519PrivatePEM = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIHnwgXRPsvbsglJiiXZbY2SXe6B4K9E5ppt1XkSsXNw7
-----END PRIVATE KEY-----
`
	opensslP256PrivatePEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgJEh++0j0VtDHW2Zd
hYcOUEgFfKLJDpOcgkR5tDnk7j6hRANCAAQz1lyYichC5XWLDl2iFGdZfqpvuUx2
eOx2xluLArZLseHdI+vS1KmlQ2zHOprbrSeG9h2Tqa2REmPTtSc5CcAG
-----END PRIVATE KEY-----
`
)

func writeFile(t *testing.T, path, data string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode is filtered by the umask; state it exactly.
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func samePublic(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}

func TestWriteAndLoadKeyFile(t *testing.T) {
	for _, alg := range []KeyAlgorithm{KeyAlgorithmSM2, KeyAlgorithmEd25519} {
		t.Run(string(alg), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys", "ledger")
			path := filepath.Join(dir, "checkpoint.key")
			key, err := GenerateKey(alg)
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteKeyFile(path, key); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != 0o600 {
				t.Errorf("key file mode = %04o, want 0600", perm)
			}
			di, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if perm := di.Mode().Perm(); perm != 0o700 {
				t.Errorf("key directory mode = %04o, want 0700", perm)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				t.Errorf("key directory holds %d entries, want only the key (temporary file left?)", len(entries))
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if block, _ := pem.Decode(data); block == nil || block.Type != "PRIVATE KEY" {
				t.Errorf("key file is not a PKCS#8 PEM:\n%s", data)
			}

			loaded, err := LoadKeyFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !samePublic(loaded.Public(), key.Public()) {
				t.Error("loaded key differs from the written one")
			}
		})
	}
}

func TestWriteKeyFileRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "checkpoint.key")
	first, _ := GenerateKey(KeyAlgorithmSM2)
	if err := WriteKeyFile(path, first); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	second, _ := GenerateKey(KeyAlgorithmSM2)
	err := WriteKeyFile(path, second)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), path) {
		t.Errorf("second WriteKeyFile: err = %v, want a refusal naming the path", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("existing key file was changed")
	}
}

func TestPlaceNoClobber(t *testing.T) {
	dir := t.TempDir()
	tmp, path := filepath.Join(dir, "tmp"), filepath.Join(dir, "key")
	writeFile(t, tmp, "new", 0o600)
	writeFile(t, path, "old", 0o600)
	// The file appearing between WriteKeyFile's check and the link.
	if err := placeNoClobber(tmp, path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("placeNoClobber over an existing file: err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("existing file now holds %q", b)
	}
}

func TestWriteKeyFileRefusesUnsupportedKeys(t *testing.T) {
	p256, err := smx509.ParsePKCS8PrivateKey(mustPEM(t, opensslP256PrivatePEM))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "k")
	if err := WriteKeyFile(path, p256.(*ecdsa.PrivateKey)); err == nil {
		t.Error("WriteKeyFile wrote a P-256 key")
	}
	if err := WriteKeyFile(path, nil); err == nil {
		t.Error("WriteKeyFile wrote a nil key")
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused key left a file behind: %v", err)
	}
}

func mustPEM(t *testing.T, s string) []byte {
	t.Helper()
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		t.Fatal("bad test PEM")
	}
	return b.Bytes
}

func TestLoadKeyFileRefusesOpenPermissions(t *testing.T) {
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o620, 0o660} {
		path := filepath.Join(t.TempDir(), "checkpoint.key")
		writeFile(t, path, opensslSM2PrivatePEM, mode)
		_, err := LoadKeyFile(path)
		if err == nil {
			t.Errorf("mode %04o: key loaded", mode)
			continue
		}
		if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "group or others") {
			t.Errorf("mode %04o: error %q does not name the path and the problem", mode, err)
		}
	}
	// Owner read-only is fine.
	path := filepath.Join(t.TempDir(), "checkpoint.key")
	writeFile(t, path, opensslSM2PrivatePEM, 0o400)
	if _, err := LoadKeyFile(path); err != nil {
		t.Errorf("mode 0400: %v", err)
	}
}

func TestLoadKeyFileFromOpenSSL(t *testing.T) {
	dir := t.TempDir()
	sm2Path := filepath.Join(dir, "sm2.key")
	writeFile(t, sm2Path, opensslSM2PrivatePEM, 0o600)
	k, err := LoadKeyFile(sm2Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := k.(*sm2.PrivateKey); !ok {
		t.Errorf("openssl SM2 key loaded as %T", k)
	}
	wantPub, err := ParsePublicKeyPEM([]byte(opensslSM2PublicPEM))
	if err != nil {
		t.Fatal(err)
	}
	if !samePublic(k.Public(), wantPub) {
		t.Error("openssl SM2 key has the wrong public key")
	}
	signRoundTrip(t, k)

	edPath := filepath.Join(dir, "ed.key")
	writeFile(t, edPath, opensslEd25519PrivatePEM, 0o600)
	e, err := LoadKeyFile(edPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.(ed25519.PrivateKey); !ok {
		t.Errorf("openssl Ed25519 key loaded as %T", e)
	}
	signRoundTrip(t, e)
}

// An operator's SM2 key marshalled with the SM2 algorithm OID in PKCS#8
// (smx509.MarshalPKCS8PrivateKey, as gmsm-based tools write it).
func TestLoadKeyFileOperatorPKCS8(t *testing.T) {
	key, err := GenerateKey(KeyAlgorithmSM2)
	if err != nil {
		t.Fatal(err)
	}
	k := key.(*sm2.PrivateKey)
	der, err := smx509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "operator.pem")
	writeFile(t, path, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), 0o600)
	loaded, err := LoadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !samePublic(loaded.Public(), k.Public()) {
		t.Error("loaded operator key differs")
	}
	signRoundTrip(t, loaded)
}

func signRoundTrip(t *testing.T, key crypto.Signer) {
	t.Helper()
	s, err := NewSigner("govshare/op", key)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifierFromKey(VerifierKey("govshare/op", key.Public()))
	if err != nil {
		t.Fatal(err)
	}
	c := sampleCheckpoint()
	c.Origin = "govshare/op"
	signed, err := Sign(c, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(signed, v); err != nil {
		t.Error(err)
	}
}

func TestLoadKeyFileRefusesOtherContent(t *testing.T) {
	k, _ := GenerateKey(KeyAlgorithmSM2)
	sec1, err := smx509.MarshalSM2PrivateKey(k.(*sm2.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	sec1PEM := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}))
	encPEM := strings.ReplaceAll(opensslSM2PrivatePEM, "PRIVATE KEY", "ENCRYPTED PRIVATE KEY")
	headerPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: mustPEM(t, opensslSM2PrivatePEM)}))
	cases := map[string]struct{ data, want string }{
		"empty":       {"", "no PEM block"},
		"public key":  {opensslSM2PublicPEM, `"PUBLIC KEY"`},
		"SEC 1":       {sec1PEM, "SEC 1"},
		"encrypted":   {encPEM, "encrypted"},
		"PEM headers": {headerPEM, "headers"},
		"two keys":    {opensslSM2PrivatePEM + opensslEd25519PrivatePEM, "more than one"},
		"P-256":       {opensslP256PrivatePEM, "P-256"},
		"garbage DER": {"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "parsing PKCS#8"},
		"too large":   {strings.Repeat("x", maxKeyFileSize+1), "larger than"},
	}
	for name, tc := range cases {
		path := filepath.Join(t.TempDir(), "k.pem")
		writeFile(t, path, tc.data, 0o600)
		_, err := LoadKeyFile(path)
		if err == nil {
			t.Errorf("%s: loaded", name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %q does not mention %q and the path", name, err, tc.want)
		}
	}

	dir := t.TempDir()
	if _, err := LoadKeyFile(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: err = %v", err)
	}
	if _, err := LoadKeyFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	for _, alg := range []KeyAlgorithm{KeyAlgorithmSM2, KeyAlgorithmEd25519} {
		t.Run(string(alg), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "node", "checkpoint.key")
			k1, created, err := LoadOrCreateKey(path, alg)
			if err != nil {
				t.Fatal(err)
			}
			if !created {
				t.Error("first call: created = false")
			}
			if got, _ := keyAlgorithmOf(k1.Public()); got != alg {
				t.Errorf("created a %s key, want %s", got, alg)
			}
			k2, created, err := LoadOrCreateKey(path, alg)
			if err != nil {
				t.Fatal(err)
			}
			if created {
				t.Error("second call: created = true")
			}
			if !samePublic(k1.Public(), k2.Public()) {
				t.Error("second call returned another key")
			}
		})
	}
}

func TestLoadOrCreateKeyRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "checkpoint.key")
	writeFile(t, path, opensslEd25519PrivatePEM, 0o600)
	_, _, err := LoadOrCreateKey(path, KeyAlgorithmSM2)
	if err == nil || !strings.Contains(err.Error(), "ed25519") || !strings.Contains(err.Error(), "sm2") {
		t.Errorf("ed25519 file with sm2 configured: err = %v", err)
	}

	if _, _, err := LoadOrCreateKey(filepath.Join(dir, "new.key"), "rsa"); err == nil || !strings.Contains(err.Error(), `"rsa"`) {
		t.Errorf("unknown algorithm: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("unknown algorithm still created a file")
	}

	open := filepath.Join(dir, "open.key")
	writeFile(t, open, opensslSM2PrivatePEM, 0o644)
	if _, _, err := LoadOrCreateKey(open, KeyAlgorithmSM2); err == nil || !strings.Contains(err.Error(), "group or others") {
		t.Errorf("world-readable key: err = %v", err)
	}
	if b, _ := os.ReadFile(open); string(b) != opensslSM2PrivatePEM {
		t.Error("a refused key file was replaced")
	}
}

// Two node processes starting at once on an empty key directory must end up
// with one key, not each with its own while only one survives on disk.
func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "checkpoint.key")
	const n = 8
	type result struct {
		key     crypto.Signer
		created bool
		err     error
	}
	results := make(chan result, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, created, err := LoadOrCreateKey(path, KeyAlgorithmSM2)
			results <- result{k, created, err}
		}()
	}
	wg.Wait()
	close(results)
	onDisk, err := LoadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	creators := 0
	for r := range results {
		if r.err != nil {
			t.Errorf("LoadOrCreateKey: %v", r.err)
			continue
		}
		if r.created {
			creators++
		}
		if !samePublic(r.key.Public(), onDisk.Public()) {
			t.Error("a caller got a key that is not the one on disk")
		}
	}
	if creators != 1 {
		t.Errorf("%d callers report creating the key, want 1", creators)
	}
}
