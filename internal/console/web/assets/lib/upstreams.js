// What the proxied-service pages (代理服务, docs/gateway.md "Proxied
// services") share: the Chinese names of an endpoint's states, its bounds in
// words, the names of the entries endpoints serve, and who may be offered
// which act (internal/upstream/endpoint.go; the API decides again). Kept
// apart from lib/delivery.js so that these pages touch no file the other
// delivery pages edit.
import { get } from './api.js';

export const UPSTREAM_STATES = { active: '启用', disabled: '已停用' };

/** The bounds of a registration (internal/upstream: MinTimeout…, MinMaxResponse…), shown as hints. */
export const TIMEOUT_MS = { min: 100, max: 30000, default: 5000 };
export const RESPONSE_BYTES = { min: 1024, max: 16 * 1024 * 1024, default: 1024 * 1024 };

const OFFICE = ['office_head', 'office_staff'];
const inOffice = (person, id) => !!id && person.department_id === id && (person.roles || []).some((r) => OFFICE.includes(r));

/** A sharing office registers endpoints, for its own department's published entries only. */
export const mayRegister = (person) => !!person.department_id && (person.roles || []).some((r) => OFFICE.includes(r));

/** The provider's office disables its endpoint; so may a platform admin (an incident). */
export const mayDisable = (person, e) => e.state === 'active'
  && (inOffice(person, e.provider_id) || (person.roles || []).includes('platform_admin'));

/** timeoutText(3000) → '3000 毫秒（3 秒）'. */
export function timeoutText(ms) {
  return ms % 1000 === 0 ? `${ms} 毫秒（${ms / 1000} 秒）` : `${ms} 毫秒`;
}

/** bytesText(65536) → '65536 字节（64 KiB）'. */
export function bytesText(n) {
  if (n % (1024 * 1024) === 0) return `${n} 字节（${n / 1024 / 1024} MiB）`;
  if (n % 1024 === 0) return `${n} 字节（${n / 1024} KiB）`;
  return `${n} 字节`;
}

const entries = new Map();

/** entryName(id) → the catalog entry's name, or its ID where the reader may not read it. Cached per page load. */
export function entryName(id) {
  if (!entries.has(id)) {
    entries.set(id, get('/catalog/entries/' + encodeURIComponent(id)).then((e) => e.name || id, () => id));
  }
  return entries.get(id);
}

/** entryNames([id…]) → {id: name}. */
export async function entryNames(ids) {
  const out = {};
  await Promise.all([...new Set(ids)].map(async (id) => { out[id] = await entryName(id); }));
  return out;
}
