// Package tlog is the wire format of govshare's tamper-evident ledger: how an
// entry becomes a Merkle tree leaf, which hash builds the tree, and how the
// node signs checkpoints of the tree. It touches no database and no network,
// so an auditor's tool can import it, or re-implement it from this text.
//
// # Tree
//
// The ledger is a Merkle tree as defined in RFC 6962, section 2.1, with hash
// function H, which is SM3 (GB/T 32905; the default, algorithm name "sm3") or
// SHA-256 ("sha256"):
//
//	leaf hash       H(0x00 || leaf bytes)
//	interior node   H(0x01 || left || right)
//	empty tree      H("")   (the empty string)
//
// Leaf i (from 0) is the i-th ledger entry in ledger order; the position is
// not inside the leaf bytes, as in RFC 6962, so a verifier can tell a removed
// or reordered entry from an altered one. RFC 6962 inclusion and consistency
// proofs apply unchanged (see github.com/transparency-dev/merkle/proof).
//
// # Leaf bytes
//
// The leaf bytes of an entry are the 24 ASCII bytes
//
//	govshare-ledger-entry/v1
//
// followed by a newline (0x0A), followed by one JSON object with exactly these
// keys in exactly this order, all with string values, without any whitespace
// between tokens, and with no newline after the closing brace:
//
//	at                    time of the entry, see below
//	actor_id              who acted (person or application)
//	department_id         on behalf of which department
//	action                what was done
//	object_type           kind of object acted on
//	object_id             the object
//	object_department_id  the department the object belongs to
//	digest                digest of the object after the change
//
// An empty value is written as "" (the key is never left out). The time is
// converted to UTC, truncated (not rounded) to whole microseconds and written
// as RFC 3339 with exactly six fractional digits and "Z":
// 2025-03-14T01:26:53.589793Z.
//
// Strings are UTF-8. In them, '"' and '\' are written as \" and \\; the
// control characters U+0008, U+000C, U+000A, U+000D and U+0009 as \b, \f, \n,
// \r and \t; every other character below U+0020 as \u00XX with two lower-case
// hexadecimal digits; U+2028 and U+2029 as \u2028 and \u2029; a byte that is
// not part of valid UTF-8 as \ufffd (so values must be valid UTF-8 to be told
// apart). Every other character, including '<', '>', '&', U+007F and all
// non-ASCII text, is written as itself. Example, with the JSON on one line:
//
//	govshare-ledger-entry/v1
//	{"at":"2025-03-14T01:26:53.589793Z","actor_id":"u1","department_id":"d1","action":"catalog.publish","object_type":"catalog_item","object_id":"c9","object_department_id":"d1","digest":"..."}
//
// # Checkpoints
//
// A checkpoint is a c2sp.org/tlog-checkpoint note text of four lines, each
// ending in a newline:
//
//	<origin>                       e.g. govshare/<node name>
//	<tree size>                    decimal, no leading zeros ("0" if empty)
//	<root hash>                    standard base64 with padding, 32 bytes
//	time <YYYY-MM-DDTHH:MM:SSZ>    an extension line: when the head was taken, UTC
//
// The origin is non-empty UTF-8 without spaces, control characters or "+".
// No other extension lines are written or accepted.
//
// It is signed as a c2sp.org/signed-note: the text, an empty line, then one
// line per signature, "— " (U+2014, space), the key name, a space, and the
// base64 of the 4-byte key ID (big-endian) followed by the signature. The
// signed message is the note text including its final newline but not the
// empty line. Signatures by unknown keys (a witness, a retired key) are
// ignored.
//
// # Signature algorithms and keys
//
// Each key has an encoding, which fixes its key ID and verifier key:
//
//	Ed25519: 0x01 || 32-byte public key
//	SM2:     0xff || 06 08 2a 81 1c cf 55 01 83 75 || 04 || X || Y
//
// Ed25519 (RFC 8032) signatures are 64 bytes over the message, and 0x01 is
// the identifier the signed-note spec assigns to them. SM2 signatures
// (GB/T 32918.2) are computed over the message with SM3 and the default user
// ID, the 16 ASCII bytes "1234567812345678", and are DER encoded as
// SEQUENCE { r INTEGER, s INTEGER }. The signed-note spec assigns SM2 no
// identifier byte and reserves 0xff for such signature types, to be followed
// by a longer identifier; govshare follows it with the DER encoding of the
// object identifier 1.2.156.10197.1.501 ("SM2 signature with SM3"), then the
// 65-byte uncompressed public point. OpenSSL 3 verifies such a signature
// with
//
//	openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in text \
//	    -sigfile sig.der -digest sm3 -pkeyopt distid:1234567812345678
//
// The key ID is the first four bytes of SHA-256(key name || 0x0A || key
// encoding), as the signed-note spec recommends. A verifier key is the one
// line "<key name>+<key ID as 8 lower-case hex digits>+<base64 of the key
// encoding>"; for Ed25519 it is exactly the verifier key format of
// golang.org/x/mod/sumdb/note. Public keys are also exchanged as PKIX
// "PUBLIC KEY" PEM, and private keys are kept as unencrypted PKCS#8
// "PRIVATE KEY" PEM files readable by their owner only.
package tlog
