// Loading a hosted dataset from a file the office exported from its own
// system. CSV and XLSX go as they are to POST /datasets/{id}/uploads (the
// server parses them, and numbers its row errors by the file's rows); a JSON
// file (an array of rows, or {"rows": […]}) is read here and sent to
// PUT /datasets/{id}/rows. A failed load throws lib/api.js's Problem, whose
// `errors` are the API's row-by-row errors.
import { qs, upload, Problem } from './api.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The kind of file by its name: 'csv', 'xlsx', 'json' or ''. */
export function fileKind(name) {
  const m = /\.(csv|xlsx|json)$/i.exec(name || '');
  return m ? m[1].toLowerCase() : '';
}

/**
 * loadFile(entryId, file, {mode, version}) → the DatasetLoadResult.
 * Throws Problem (with errors on 422 dataset.rows_invalid).
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
      throw new Problem(422, { code: 'dataset.file_malformed', field: 'file', title: 'JSON 文件应为数据行的数组，或含有 rows 数组的对象' });
    }
    return upload('PUT', base + '/rows', JSON.stringify({ rows, mode, version }), 'application/json');
  }
  return upload('POST', base + '/uploads' + qs({ mode, version }), file, kind === 'xlsx' ? XLSX : 'text/csv');
}
