// Loading a hosted dataset from a file the office exported from its own
// system. CSV and XLSX go as they are to POST /datasets/{id}/uploads (the
// server parses them, and numbers its row errors by the file's rows); a JSON
// file (an array of rows, or {"rows": […]}) is read here and sent to
// PUT /datasets/{id}/rows. lib/api.js sends JSON only and keeps no `errors`
// of a problem, so these requests are made here, with the same CSRF header,
// and a failed load keeps the API's row-by-row errors.
import { csrfToken, qs, Problem } from './api.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A Problem that also carries the API's `errors` (dataset.rows_invalid). */
export class RowsProblem extends Problem {
  constructor(status, body = {}) {
    super(status, body);
    this.errors = Array.isArray(body.errors) ? body.errors : [];
  }
}

/** The kind of file by its name: 'csv', 'xlsx', 'json' or ''. */
export function fileKind(name) {
  const m = /\.(csv|xlsx|json)$/i.exec(name || '');
  return m ? m[1].toLowerCase() : '';
}

/**
 * loadFile(entryId, file, {mode, version}) → the DatasetLoadResult.
 * Throws RowsProblem (with errors on 422 dataset.rows_invalid).
 */
export async function loadFile(entryId, file, { mode, version }) {
  const base = '/datasets/' + encodeURIComponent(entryId);
  const kind = fileKind(file.name);
  if (kind === 'json') {
    let rows;
    try {
      const parsed = JSON.parse(await file.text());
      rows = Array.isArray(parsed) ? parsed : parsed && parsed.rows;
    } catch {
      rows = null;
    }
    if (!Array.isArray(rows)) {
      throw new RowsProblem(422, { code: 'dataset.file_malformed', field: 'file', title: 'JSON 文件应为数据行的数组，或含有 rows 数组的对象' });
    }
    return send('PUT', base + '/rows', JSON.stringify({ rows, mode, version }), 'application/json');
  }
  return send('POST', base + '/uploads' + qs({ mode, version }), file, kind === 'xlsx' ? XLSX : 'text/csv');
}

async function send(method, path, body, type) {
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method, body, credentials: 'same-origin', cache: 'no-store',
      headers: { Accept: 'application/json', 'Content-Type': type, 'X-CSRF-Token': csrfToken() },
    });
  } catch {
    throw new RowsProblem(0, { code: 'network', title: '无法连接服务器，请检查网络后重试' });
  }
  const json = (res.headers.get('Content-Type') || '').includes('json');
  const data = json ? await res.json() : null;
  if (!res.ok) throw new RowsProblem(res.status, data || {});
  return data;
}
