// What a test needs to call the gateway as an application system does:
// hex(HMAC-SM3) signature headers (docs/credentials.md, "Signing a
// request") and a timestamp on the platform's clock, which is not the
// machine's: each e2e platform starts at the demo's reference time.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { BASE } from './harness.mjs';

/** hex(HMAC-SM3) signature headers of docs/credentials.md ("Signing a request"). */
export function signedHeaders(method, path, query, body, keyId, secret, timestamp, nonce = randomBytes(16).toString('hex')) {
  const canonical = [method, path, query, timestamp, nonce, createHash('sm3').update(body).digest('hex')].join('\n');
  return {
    'Content-Type': 'application/json',
    'X-Gs-Key': keyId,
    'X-Gs-Timestamp': timestamp,
    'X-Gs-Nonce': nonce,
    'X-Gs-Signature': createHmac('sm3', secret).update(canonical).digest('hex'),
  };
}

/**
 * The platform's clock, read from a credential: created is its created_at
 * (ms, the platform's time when it was issued) and issuedAt the machine's
 * Date.now() when the issue was seen. The platform's clock runs at the
 * machine's pace, so now is created plus the time passed since. Returns a
 * function giving the X-Gs-Timestamp (Unix seconds) for a request sent now.
 */
export function platformClock({ created, issuedAt }) {
  return () => String(Math.floor((created + (Date.now() - issuedAt)) / 1000));
}

/** POSTs body (a JSON string) to the gateway's path, signed with the credential at timestamp. */
export function signedPost(path, body, keyId, secret, timestamp) {
  return fetch(BASE + path, { method: 'POST', body, headers: signedHeaders('POST', path, '', body, keyId, secret, timestamp) });
}
