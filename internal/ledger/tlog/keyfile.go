package tlog

import (
	"crypto"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/emmansun/gmsm/smx509"
)

// maxKeyFileSize bounds what LoadKeyFile reads: a PKCS#8 SM2 or Ed25519 key
// is a few hundred bytes, and a path pointing at something large is a
// mistake to report, not a file to slurp.
const maxKeyFileSize = 64 << 10

// WriteKeyFile writes key as a PKCS#8 "PRIVATE KEY" PEM file readable only
// by its owner (mode 0600), creating the directory with mode 0700 if needed.
// It never replaces an existing file: a replaced signing key is lost, and
// with it the link between earlier checkpoints and the key auditors hold. The file appears whole or not at all
// (written to a temporary file, synced, then linked into place).
func WriteKeyFile(path string, key crypto.Signer) error {
	if key == nil {
		return errors.New("tlog: no key to write")
	}
	if _, err := keyAlgorithmOf(key.Public()); err != nil {
		return err
	}
	der, err := smx509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("tlog: encoding private key of type %T: %w", key, err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("tlog: creating key directory: %w", err)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("tlog: key file %s already exists; refusing to overwrite it", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("tlog: checking key file: %w", err)
	}

	tmp, err := os.CreateTemp(dir, ".tlog-key-*")
	if err != nil {
		return fmt.Errorf("tlog: creating key file: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // after a successful link this only drops the temporary name

	// CreateTemp already uses 0600; Chmod states it regardless of platform.
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("tlog: writing key file: %w", err)
	}

	if err := placeNoClobber(tmpName, path); err != nil {
		return err
	}
	// Make the new directory entry durable too; a key file that vanishes
	// after a power cut would be replaced by a new key on the next start.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // not every file system can sync a directory
		d.Close()
	}
	return nil
}

// placeNoClobber moves tmp to path unless path exists. A hard link fails
// atomically if path appeared meanwhile (two nodes starting at once), which
// a rename would silently overwrite; rename is only the fallback for file
// systems without hard links, after checking again.
func placeNoClobber(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("tlog: key file %s already exists; refusing to overwrite it", path)
	}
	if _, serr := os.Lstat(path); serr == nil {
		return fmt.Errorf("tlog: key file %s already exists; refusing to overwrite it", path)
	}
	if rerr := os.Rename(tmp, path); rerr != nil {
		return fmt.Errorf("tlog: placing key file: %w", rerr)
	}
	return nil
}

// LoadKeyFile reads a PKCS#8 "PRIVATE KEY" PEM file holding an SM2 or
// Ed25519 private key, as WriteKeyFile or openssl genpkey writes it, so an
// operator can bring their own key. It refuses a file that group or others
// may read or write: a key others can read can sign false checkpoints.
func LoadKeyFile(path string) (crypto.Signer, error) {
	// A first look at the path keeps a FIFO or device from blocking Open.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("tlog: key file %s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tlog: opening key file: %w", err)
	}
	defer f.Close()
	// Check the open file, not the path, so the file judged is the file read.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("tlog: checking key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("tlog: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("tlog: key file %s has mode %04o: group or others can access it; make it readable by its owner only (chmod 600)", path, perm)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("tlog: reading key file: %w", err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("tlog: key file %s is larger than %d bytes; it is not a PEM private key", path, maxKeyFileSize)
	}
	key, err := parsePrivateKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return key, nil
}

func parsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, errors.New("tlog: key file holds no PEM block; want a PKCS#8 \"PRIVATE KEY\"")
	}
	switch block.Type {
	case "PRIVATE KEY":
	case "ENCRYPTED PRIVATE KEY":
		return nil, errors.New("tlog: key file holds an encrypted private key; the node needs it unencrypted (openssl pkcs8 -nocrypt), protected by file permissions")
	case "EC PRIVATE KEY":
		return nil, errors.New("tlog: key file holds a SEC 1 \"EC PRIVATE KEY\"; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)")
	default:
		return nil, fmt.Errorf("tlog: key file holds a %q PEM block; want a PKCS#8 \"PRIVATE KEY\"", block.Type)
	}
	if len(block.Headers) != 0 {
		return nil, errors.New("tlog: key file PEM block has headers (legacy encryption?); want a plain PKCS#8 \"PRIVATE KEY\"")
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, errors.New("tlog: key file holds more than one PEM block; want a single \"PRIVATE KEY\"")
	}
	parsed, err := smx509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("tlog: parsing PKCS#8 private key: %w", err)
	}
	key, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("tlog: unsupported private key type %T; use an SM2 or Ed25519 key", parsed)
	}
	if _, err := keyAlgorithmOf(key.Public()); err != nil {
		return nil, err
	}
	return asSM2(key), nil
}

// LoadOrCreateKey loads the key at path, or, if there is no file there,
// generates a key for alg and writes it with WriteKeyFile (created reports
// that). An existing key of another algorithm than alg is refused rather
// than used: the algorithm is what auditors are told to expect.
func LoadOrCreateKey(path string, alg KeyAlgorithm) (key crypto.Signer, created bool, err error) {
	if alg != KeyAlgorithmSM2 && alg != KeyAlgorithmEd25519 {
		return nil, false, unknownKeyAlgorithm(alg)
	}
	key, err = LoadKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = GenerateKey(alg)
		if err != nil {
			return nil, false, err
		}
		werr := WriteKeyFile(path, key)
		if werr == nil {
			return key, true, nil
		}
		// Another process may have created the file in between; its key
		// is the one on disk, so use that one.
		if _, serr := os.Lstat(path); serr != nil {
			return nil, false, werr
		}
		key, err = LoadKeyFile(path)
	}
	if err != nil {
		return nil, false, err
	}
	got, err := keyAlgorithmOf(key.Public())
	if err != nil {
		return nil, false, err
	}
	if got != alg {
		return nil, false, fmt.Errorf("tlog: key file %s holds an %s key, but %s is configured", path, got, alg)
	}
	return key, false, nil
}
