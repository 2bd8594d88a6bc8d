// Catalog spreadsheets (docs/catalog-xlsx.md): the download links of
// GET /api/v1/catalog/export.xlsx, and sending a workbook to
// POST /api/v1/catalog/import with lib/api.js's upload(); a refused file
// throws its Problem, whose `errors` are the API's cell-by-cell errors.
import { h } from './dom.js';
import { qs, upload } from './api.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * exportLink(filters, text) → a download link for the workbook: the
 * published catalog under the search's filters, or with {scope: 'own'} the
 * working versions of the person's own department. The browser sends the
 * session cookie with it; the router leaves links with `download` alone.
 */
export function exportLink(filters, text) {
  return h('a', { class: 'button-link', href: '/api/v1/catalog/export.xlsx' + qs(filters), download: '', 'data-testid': 'catalog-export' }, text);
}

/** importWorkbook(file) → the import Report; throws Problem (errors on 422 catalog.import_invalid). */
export const importWorkbook = (file) => upload('POST', '/catalog/import', file, XLSX);
