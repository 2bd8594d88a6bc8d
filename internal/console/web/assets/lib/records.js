// What the ledger and records pages share: names of people and departments
// (looked up once per page load), where an object's trail is, who may ask
// for an entry's inclusion proof, downloading a file from the API, and
// reading a signed checkpoint.
import { get, Problem, csrfToken } from './api.js';

const people = new Map();
const departments = new Map();

/** deptName(id) → the department's name, or the ID when it cannot be read. */
export function deptName(id) {
  if (!id) return Promise.resolve('');
  if (!departments.has(id)) {
    departments.set(id, get('/departments/' + encodeURIComponent(id)).then((d) => d.name, () => id));
  }
  return departments.get(id);
}

/**
 * personName(id) → the person's name. People are personal data: the API
 * reads them only within the reader's scope, and outside it the ID is shown.
 * Acts of the command-line operator ("cli:…"), the platform itself and an
 * application system ("sys_…", named when the reader may read it) are named
 * as such.
 */
export function personName(id) {
  if (!id) return Promise.resolve('');
  if (id.startsWith('cli:')) return Promise.resolve(`服务器命令行（${id.slice(4)}）`);
  if (id === 'system') return Promise.resolve('平台');
  if (id.startsWith('sys_')) { // a consumer's application system calling through the gateway
    if (!people.has(id)) {
      people.set(id, get('/systems/' + encodeURIComponent(id)).then((s) => `应用系统：${s.name}`, () => `应用系统（${id}）`));
    }
    return people.get(id);
  }
  if (!people.has(id)) {
    people.set(id, get('/people/' + encodeURIComponent(id)).then((p) => p.display_name || id, () => id));
  }
  return people.get(id);
}

/** names(ids, fn) → Map id → name, looked up in parallel. */
export async function names(ids, fn) {
  const unique = [...new Set(ids.filter(Boolean))];
  const found = await Promise.all(unique.map((id) => fn(id)));
  return new Map(unique.map((id, i) => [id, found[i]]));
}

/** The console page listing the recorded acts on one object. */
export function trailHref(type, id) {
  return `/console/records/trail/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
}

export function inclusionHref(seq) {
  return '/console/ledger/inclusion/' + encodeURIComponent(seq);
}

const has = (person, role) => (person.roles || []).includes(role);

/**
 * True when the person may ask for ev's inclusion proof (docs/access.md):
 * admins, reviewers and auditors for any entry, an office head for its own
 * department's events.
 */
export function mayProve(person, ev) {
  if (has(person, 'platform_admin') || has(person, 'authority_reviewer') || has(person, 'auditor')) return true;
  if (!has(person, 'office_head') || !person.department_id) return false;
  return ev.department_id === person.department_id || ev.object_department_id === person.department_id;
}

/** True when the person may read GET /api/v1/events at all. */
export function mayReadEvents(person) {
  return ['platform_admin', 'authority_reviewer', 'office_head', 'auditor'].some((r) => has(person, r));
}

/**
 * fetchFile('/inspections/export?…') → {blob, filename}. A refusal is
 * thrown as a Problem, like lib/api.js, so a form can show it beside its
 * field.
 */
export async function fetchFile(path) {
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      credentials: 'same-origin', cache: 'no-store', headers: { 'X-CSRF-Token': csrfToken() },
    });
  } catch {
    throw new Problem(0, { code: 'network', title: '无法连接服务器，请检查网络后重试' });
  }
  if (!res.ok) {
    const json = (res.headers.get('Content-Type') || '').includes('json');
    throw new Problem(res.status, json ? await res.json() : {});
  }
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(cd);
  const filename = m ? decodeURIComponent(m[1] || m[2]) : 'export';
  return { blob: await res.blob(), filename };
}

/** Hands blob to the browser as a download named filename. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** GET /api/v1/ledger/checkpoint: the signed note, as text. */
export async function fetchCheckpoint() {
  const { blob } = await fetchFile('/ledger/checkpoint');
  return blob.text();
}

/**
 * parseCheckpoint(text) → {origin, size, root (base64), time, signatures,
 * text}, or null when text is not a checkpoint (docs/ledger.md: origin line,
 * tree size, base64 root hash, "time …", a blank line, signature lines).
 */
export function parseCheckpoint(text) {
  const norm = String(text || '').replace(/\r\n/g, '\n').trim() + '\n';
  const [body, sigs = ''] = norm.split('\n\n');
  const lines = body.split('\n');
  if (lines.length < 3 || !/^\d+$/.test(lines[1]) || !/^[A-Za-z0-9+/]+=*$/.test(lines[2])) return null;
  const timeLine = lines.slice(3).find((l) => l.startsWith('time '));
  return {
    origin: lines[0], size: Number(lines[1]), root: lines[2], time: timeLine ? timeLine.slice(5) : '',
    signatures: sigs.split('\n').filter((l) => l.startsWith('— ')).map((l) => l.slice(2).split(' ')[0]),
    text: norm,
  };
}

// The auditor's saved checkpoints live in this browser (localStorage): a
// promise the platform cannot take back, as long as the auditor also keeps
// the downloaded file somewhere the platform does not control.
const SAVED = 'govshare.ledger.checkpoints';

export function savedCheckpoints() {
  try {
    const list = JSON.parse(localStorage.getItem(SAVED) || '[]');
    return Array.isArray(list) ? list.filter((x) => x && typeof x.text === 'string') : [];
  } catch {
    return [];
  }
}

export function saveCheckpoint(text) {
  const list = savedCheckpoints().filter((x) => x.text !== text);
  list.push({ text, saved_at: new Date().toISOString() });
  localStorage.setItem(SAVED, JSON.stringify(list.slice(-20)));
}

export function forgetCheckpoint(text) {
  localStorage.setItem(SAVED, JSON.stringify(savedCheckpoints().filter((x) => x.text !== text)));
}
