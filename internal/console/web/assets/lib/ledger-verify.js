// Checking the ledger's Merkle proofs in the browser, so that an auditor
// need not take the server's word that an old checkpoint is a prefix of
// today's tree: RFC 6962 / RFC 9162 §2.1 consistency and inclusion proofs,
// hashed with SM3 (GB/T 32905, the ledger's default) or SHA-256.
//
// What this does NOT check is the checkpoints' signatures (SM2 or Ed25519):
// the console does not implement signature schemes. `govshare ledger verify
// --key … --checkpoint …` checks those, and the whole tree, independently
// (docs/ledger.md).

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
const rotl = (x, n) => ((x << (n & 31)) | (x >>> ((32 - (n & 31)) & 31))) >>> 0;
const P0 = (x) => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
const P1 = (x) => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;

/** sm3(bytes) → Uint8Array(32), GB/T 32905-2016. */
export function sm3(msg) {
  const bitLen = msg.length * 8;
  const padded = new Uint8Array(Math.ceil((msg.length + 9) / 64) * 64);
  padded.set(msg);
  padded[msg.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLen / 0x100000000));
  view.setUint32(padded.length - 4, bitLen >>> 0);
  const v = IV.slice();
  const w = new Array(68);
  const w1 = new Array(64);
  for (let off = 0; off < padded.length; off += 64) {
    for (let j = 0; j < 16; j++) w[j] = view.getUint32(off + j * 4);
    for (let j = 16; j < 68; j++) {
      w[j] = (P1(w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)) ^ rotl(w[j - 13], 7) ^ w[j - 6]) >>> 0;
    }
    for (let j = 0; j < 64; j++) w1[j] = (w[j] ^ w[j + 4]) >>> 0;
    let [a, b, c, d, e, f, g, hh] = v;
    for (let j = 0; j < 64; j++) {
      const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      const ss1 = rotl((rotl(a, 12) + e + rotl(t, j % 32)) >>> 0, 7);
      const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = ((ff >>> 0) + d + ss2 + w1[j]) >>> 0;
      const tt2 = ((gg >>> 0) + hh + ss1 + w[j]) >>> 0;
      d = c; c = rotl(b, 9); b = a; a = tt1;
      hh = g; g = rotl(f, 19); f = e; e = P0(tt2);
    }
    const next = [a, b, c, d, e, f, g, hh];
    for (let i = 0; i < 8; i++) v[i] = (v[i] ^ next[i]) >>> 0;
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  v.forEach((x, i) => ov.setUint32(i * 4, x));
  return out;
}

/**
 * hasher('sm3' | 'sha256') → async (bytes) → Uint8Array, or null when this
 * browser cannot hash with it (SHA-256 needs WebCrypto, which browsers give
 * only to HTTPS pages and localhost).
 */
export function hasher(algorithm) {
  if (algorithm === 'sm3') return async (b) => sm3(b);
  if (algorithm === 'sha256' && globalThis.crypto && crypto.subtle) {
    return async (b) => new Uint8Array(await crypto.subtle.digest('SHA-256', b));
  }
  return null;
}

export function fromBase64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// RFC 6962 interior node: H(0x01 || left || right).
async function children(H, l, r) {
  const b = new Uint8Array(1 + l.length + r.length);
  b[0] = 1;
  b.set(l, 1);
  b.set(r, 1 + l.length);
  return H(b);
}

const odd = (n) => n % 2 === 1;
const powerOfTwo = (n) => { while (n > 1 && n % 2 === 0) n /= 2; return n === 1; };
const half = (n) => Math.floor(n / 2);

/**
 * verifyConsistency(H, size1, size2, root1, root2, proof) → true when proof
 * (RFC 9162 §2.1.4.2) shows the tree of size1 leaves with root1 is a prefix
 * of the tree of size2 leaves with root2. Hashes are Uint8Arrays.
 */
export async function verifyConsistency(H, size1, size2, root1, root2, proof) {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && equal(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path = proof;
  if (powerOfTwo(size1)) path = [root1, ...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) { fn = half(fn); sn = half(sn); }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await children(H, c, fr);
      sr = await children(H, c, sr);
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      sr = await children(H, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(fr, root1) && equal(sr, root2);
}

/**
 * verifyInclusion(H, index, size, leafHash, root, path) → true when the
 * audit path (RFC 9162 §2.1.3.2) folds leafHash at index up to root.
 */
export async function verifyInclusion(H, index, size, leafHash, root, path) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await children(H, p, r);
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      r = await children(H, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}
