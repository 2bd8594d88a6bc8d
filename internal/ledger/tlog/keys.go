package tlog

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// KeyAlgorithm names the signature algorithm of a checkpoint signing key.
type KeyAlgorithm string

// The supported checkpoint signing algorithms.
const (
	// KeyAlgorithmSM2 is SM2 signing (GB/T 32918.2) with SM3 and the
	// default user ID, the default under the Chinese commercial
	// cryptography rules.
	KeyAlgorithmSM2 KeyAlgorithm = "sm2"
	// KeyAlgorithmEd25519 is Ed25519 (RFC 8032), the signed-note standard.
	KeyAlgorithmEd25519 KeyAlgorithm = "ed25519"

	// DefaultKeyAlgorithm is the algorithm of a key the node generates
	// unless configured otherwise.
	DefaultKeyAlgorithm = KeyAlgorithmSM2
)

// GenerateKey returns a new private key for alg: an *sm2.PrivateKey or an
// ed25519.PrivateKey.
func GenerateKey(alg KeyAlgorithm) (crypto.Signer, error) {
	switch alg {
	case KeyAlgorithmSM2:
		k, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("tlog: generating SM2 key: %w", err)
		}
		return k, nil
	case KeyAlgorithmEd25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("tlog: generating Ed25519 key: %w", err)
		}
		return k, nil
	default:
		return nil, unknownKeyAlgorithm(alg)
	}
}

func unknownKeyAlgorithm(alg KeyAlgorithm) error {
	return fmt.Errorf("tlog: unknown key algorithm %q (want %q or %q)", alg, KeyAlgorithmSM2, KeyAlgorithmEd25519)
}

// keyAlgorithmOf tells which supported algorithm pub belongs to, and refuses
// every other key: a P-256 or RSA key is a configuration mistake to report,
// not a key to sign with.
func keyAlgorithmOf(pub crypto.PublicKey) (KeyAlgorithm, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k == nil {
			return "", errors.New("tlog: public key is nil")
		}
		if !sm2.IsSM2PublicKey(k) {
			name := "unknown"
			if k.Curve != nil && k.Curve.Params() != nil {
				name = k.Curve.Params().Name
			}
			return "", fmt.Errorf("tlog: unsupported key: ECDSA on curve %s; use an SM2 or Ed25519 key", name)
		}
		if k.X == nil || k.Y == nil || !k.Curve.IsOnCurve(k.X, k.Y) {
			return "", errors.New("tlog: SM2 public key is not a point on the curve")
		}
		return KeyAlgorithmSM2, nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", fmt.Errorf("tlog: Ed25519 public key is %d bytes, want %d", len(k), ed25519.PublicKeySize)
		}
		return KeyAlgorithmEd25519, nil
	default:
		return "", fmt.Errorf("tlog: unsupported key type %T; use an SM2 or Ed25519 key", pub)
	}
}

// asSM2 turns an ECDSA-typed key on the SM2 curve into an *sm2.PrivateKey,
// whose Sign does SM2 signing; any other key is returned as it is.
func asSM2(key crypto.Signer) crypto.Signer {
	if ec, ok := key.(*ecdsa.PrivateKey); ok && sm2.IsSM2PublicKey(&ec.PublicKey) {
		if k, err := new(sm2.PrivateKey).FromECPrivateKey(ec); err == nil {
			return k
		}
	}
	return key
}

// PublicKeyPEM encodes an SM2 or Ed25519 public key as a PKIX "PUBLIC KEY"
// PEM block, the form openssl and most tools read.
func PublicKeyPEM(pub crypto.PublicKey) ([]byte, error) {
	if _, err := keyAlgorithmOf(pub); err != nil {
		return nil, err
	}
	der, err := smx509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("tlog: encoding public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePublicKeyPEM reads one PKIX "PUBLIC KEY" PEM block holding an SM2
// public key (returned as *ecdsa.PublicKey on the SM2 curve) or an Ed25519
// one (ed25519.PublicKey).
func ParsePublicKeyPEM(b []byte) (crypto.PublicKey, error) {
	block, err := onePEMBlock(b, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	pub, err := smx509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("tlog: parsing public key: %w", err)
	}
	if _, err := keyAlgorithmOf(pub); err != nil {
		return nil, err
	}
	return pub, nil
}

// onePEMBlock returns the only PEM block in b, which must be of type typ.
// Anything else around it would be ignored by pem.Decode, and a file that
// holds more than was read is better refused than half-used.
func onePEMBlock(b []byte, typ string) (*pem.Block, error) {
	block, rest := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("tlog: no PEM block found, want %q", typ)
	}
	if block.Type != typ {
		return nil, fmt.Errorf("tlog: PEM block is %q, want %q", block.Type, typ)
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, fmt.Errorf("tlog: more than one PEM block, want a single %q", typ)
	}
	return block, nil
}
