// A file-download grant's files (Art. 22), on the grant's page. The
// provider's sharing office sees the files it uploaded for the entry; the
// consumer's sharing office takes them: each 下载 asks the API for a link of
// the person's own (POST /api/v1/grants/{id}/files/{file}/links, with the
// purpose, which must be the grant's scenario) and then fetches the copy
// through it with the same session. The copy's watermark names the person,
// so the page says so before anyone clicks. Everyone else is told how the
// consumer takes files, and nothing more.
import { h } from './dom.js';
import { get, post, Problem } from './api.js';
import { formatDateTime } from './format.js';
import { message, attempt, notice } from './problems.js';
import { inOffice } from './delivery.js';

/** grantFiles(person, g) → what the files section shows: the provider's or the consumer's listing, a Problem, or null. */
export function grantFiles(person, g) {
  if (g.delivery_method !== 'file_download') return Promise.resolve(null);
  const asProblem = (err) => { if (err instanceof Problem) return err; throw err; };
  if (inOffice(person, g.consumer_id)) {
    return get(`/grants/${encodeURIComponent(g.id)}/files`).then((f) => ({ ...f, taker: true }), asProblem);
  }
  if (inOffice(person, g.provider_id)) return get(`/catalog/entries/${encodeURIComponent(g.entry_id)}/files`).catch(asProblem);
  return Promise.resolve(null);
}

/** filesSection(g, files, main) → the section, for a file-download grant. */
export function filesSection(g, files, main) {
  let body;
  if (!files) {
    body = h('p', { class: 'lead' }, '需求部门的共享工作机构可在本页下载文件，其应用系统也可通过签名网关列出文件、申请下载链接并下载；每份副本带有水印，载明取用者。');
  } else if (files instanceof Problem) {
    body = h('p', { class: 'empty' }, message(files));
  } else if ((files.items || []).length === 0) {
    body = h('p', { class: 'empty' }, '尚未上传文件。');
  } else if (files.taker) {
    body = takeForm(g, files.items, main);
  } else {
    body = table(files.items);
  }
  return h('section', { 'aria-labelledby': 'files-h', 'data-testid': 'grant-files' }, h('h2', { id: 'files-h' }, '文件下载'), body);
}

// table lists files; action(f), when given, is each row's last cell.
function table(items, action) {
  return h('table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '文件名'), h('th', { scope: 'col' }, '大小'), h('th', { scope: 'col' }, '上传时间'),
      action ? h('th', { scope: 'col' }, '下载') : null)),
    h('tbody', {}, items.map((f) => h('tr', { 'data-file': f.name },
      h('td', {}, f.name), h('td', {}, size(f.size)), h('td', {}, formatDateTime(f.uploaded_at)), action ? action(f) : null))));
}

// takeForm: the purpose (prefilled with the grant's scenario: another use
// needs the provider's consent, Art. 25, and the API refuses it beside the
// field) and a 下载 button per file.
function takeForm(g, items, main) {
  const scenario = (g.purpose && g.purpose.scenario) || '';
  const form = h('form', { class: 'act', 'data-testid': 'file-take', novalidate: true },
    h('p', { class: 'lead' }, '下载时为您本人生成下载链接（约 15 分钟内有效）。副本带有水印，载明本部门、本授权、链接编号和您的姓名；下载和申请链接均记入共享记录。'),
    h('div', { class: 'field' },
      h('label', { for: 'take-purpose' }, '使用目的'),
      h('input', { id: 'take-purpose', name: 'purpose', value: scenario, required: true, 'aria-describedby': 'take-purpose-hint' }),
      h('small', { id: 'take-purpose-hint', class: 'hint' }, '应与授权的使用场景一致；用于其他目的须经提供部门同意（第二十五条）。')),
    table(items, (f) => h('td', {}, h('button', { type: 'button', 'data-file-id': f.id, 'aria-label': `下载 ${f.name}` }, '下载'))));
  // Each 下载 is its own button, not a submit: Enter in the purpose field
  // must not take the first file on the person's behalf.
  form.addEventListener('submit', (ev) => ev.preventDefault());
  form.addEventListener('click', (ev) => {
    const button = ev.target.closest('button[data-file-id]');
    if (!button) return;
    attempt(form, async () => {
      const link = await post(`/grants/${encodeURIComponent(g.id)}/files/${encodeURIComponent(button.dataset.fileId)}/links`,
        { purpose: form.elements.purpose.value.trim() });
      // The copy comes through the link with the session's cookie; the
      // browser saves it under the file's name (Content-Disposition).
      const a = h('a', { href: link.url, download: link.file.name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      for (const b of form.querySelectorAll('button')) b.disabled = false;
      notice(main, `已开始下载“${link.file.name}”，副本水印载明您的姓名。`);
    });
  });
  return form;
}

function size(n) {
  if (n === undefined || n === null) return '—';
  if (n < 1024) return `${n} 字节`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
