package gateway

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// EnvMasterKey names the variable holding the platform master key: 64 hex
// digits (32 bytes). When it is unset, LoadKeyring keeps the key in a file
// of the data directory.
const EnvMasterKey = "GOVSHARE_MASTER_KEY"

// KeyFile is the name of the master key file in the data directory.
const KeyFile = "master.key"

// Keyring encrypts the credential secrets at rest with SM4-GCM. The SM4 key
// (16 bytes) is the first half of SM3("govshare/credential-secret/v1" ||
// master key); the key's ID is "sm4:" + the first 8 hex digits of SM3 of the
// derived key, stored beside each ciphertext so that a later master key can
// be added without re-encrypting at once.
type Keyring struct {
	id   string
	aead cipher.AEAD
}

const derivationLabel = "govshare/credential-secret/v1"

// NewKeyring returns the keyring of a 32-byte master key.
func NewKeyring(master []byte) (*Keyring, error) {
	if len(master) != 32 {
		return nil, fmt.Errorf("gateway: master key must be 32 bytes, got %d", len(master))
	}
	h := sm3.New()
	h.Write([]byte(derivationLabel))
	h.Write(master)
	key := h.Sum(nil)[:16]
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("gateway: sm4: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("gateway: sm4-gcm: %w", err)
	}
	sum := sm3.Sum(key)
	return &Keyring{id: "sm4:" + hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// LoadKeyring returns the platform's keyring: from GOVSHARE_MASTER_KEY when
// set, else from dir/master.key, which is created (mode 0600, 32 random
// bytes as hex) on first use.
func LoadKeyring(dir string) (*Keyring, error) {
	if v := strings.TrimSpace(os.Getenv(EnvMasterKey)); v != "" {
		b, err := hex.DecodeString(v)
		if err != nil || len(b) != 32 {
			return nil, fmt.Errorf("gateway: %s must be 64 hex digits (32 bytes)", EnvMasterKey)
		}
		return NewKeyring(b)
	}
	path := filepath.Join(dir, KeyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("gateway: data directory: %w", err)
		}
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("gateway: crypto/rand: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) { // another process created it first
			return LoadKeyring(dir)
		}
		if err != nil {
			return nil, fmt.Errorf("gateway: create master key: %w", err)
		}
		if _, err := f.WriteString(hex.EncodeToString(b) + "\n"); err != nil {
			f.Close()
			return nil, fmt.Errorf("gateway: write master key: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("gateway: write master key: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("gateway: write master key: %w", err)
		}
		return NewKeyring(b)
	}
	if err != nil {
		return nil, fmt.Errorf("gateway: read master key: %w", err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("gateway: %s must hold 64 hex digits (32 bytes)", path)
	}
	return NewKeyring(b)
}

// ID names the key that Seal uses.
func (k *Keyring) ID() string { return k.id }

// Seal encrypts plaintext bound to aad (the access key ID, so a ciphertext
// cannot be moved to another credential); the result is nonce || ciphertext.
func (k *Keyring) Seal(plaintext, aad []byte) []byte {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("gateway: crypto/rand failed: " + err.Error())
	}
	return k.aead.Seal(nonce, nonce, plaintext, aad)
}

// ErrWrongKey is returned when a ciphertext was sealed under another key or
// has been altered.
var ErrWrongKey = errors.New("gateway: secret cannot be decrypted with this keyring")

// Open decrypts what Seal returned under the key keyID.
func (k *Keyring) Open(keyID string, sealed, aad []byte) ([]byte, error) {
	if keyID != k.id {
		return nil, fmt.Errorf("%w (sealed under %s, keyring holds %s)", ErrWrongKey, keyID, k.id)
	}
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrWrongKey
	}
	out, err := k.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, ErrWrongKey
	}
	return out, nil
}
