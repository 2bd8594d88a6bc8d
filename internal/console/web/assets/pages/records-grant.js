// One grant's usage records (使用记录, Art. 29), every revision: records are
// append-only, so a correction is a new version and the earlier ones stay
// readable. The consumer's sharing office adds a record or revises one
// (POST /api/v1/grants/{id}/usage-records, with record_id and the version
// last read). Readers other than the consumer have their read recorded.
import { h, replace } from '../lib/dom.js';
import { get, post, qs } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { onSubmit } from '../lib/problems.js';
import { deptName, personName, names, trailHref } from '../lib/records.js';

export const title = '共享授权使用记录';

const FIELDS = [
  ['scenario', '使用场景', '在哪项业务中、为什么使用这些数据', 2000, true],
  ['process', '使用过程', '谁、通过什么系统、怎样查询或处理数据，是否留有日志', 2000, true],
  ['effect', '应用成效', '办成了什么：少跑腿、免交材料、发现问题等', 2000, true],
  ['storage', '存储情况', '数据存放在哪里、怎样保护，是否另行导出或拷贝', 2000, true],
  ['destruction', '销毁情况', '何时、以何种方式删除或销毁；尚未销毁的可以留空', 500, false],
];

export async function render(ctx) {
  const { main, params, session } = ctx;
  const id = params.id;
  const grant = await get('/grants/' + encodeURIComponent(id));
  const revisions = await allRevisions(id);
  const depts = await names([grant.consumer_id, grant.provider_id], deptName);
  const writers = await names(revisions.map((r) => r.created_by), personName);
  const { person } = session;
  const isConsumerOffice = person.department_id === grant.consumer_id
    && (person.roles || []).some((r) => r === 'office_head' || r === 'office_staff');
  document.title = `${grant.entry_name} · ${document.title}`;

  // Revisions by record, newest version first; records newest first.
  const byRecord = new Map();
  for (const r of revisions) {
    if (!byRecord.has(r.id)) byRecord.set(r.id, []);
    byRecord.get(r.id).push(r);
  }
  const records = [...byRecord.values()].map((vs) => vs.sort((a, b) => b.version - a.version))
    .sort((a, b) => (a[0].created_at < b[0].created_at ? 1 : -1));

  const form = isConsumerOffice ? recordForm(ctx, grant) : null;
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/records' }, '使用记录'), ' / 共享授权使用记录'),
    h('h1', {}, `${grant.entry_name}：使用记录`),
    h('dl', { class: 'facts' },
      h('dt', {}, '需求部门'), h('dd', {}, depts.get(grant.consumer_id)),
      h('dt', {}, '提供部门'), h('dd', {}, depts.get(grant.provider_id)),
      h('dt', {}, '有效期至'), h('dd', {}, formatDate(grant.valid_until)),
      h('dt', {}, '操作与访问记录'), h('dd', {}, h('a', { href: trailHref('grant', id) }, '查看该共享授权的操作记录'))),
    isConsumerOffice ? null
      : h('p', { class: 'lead' }, '您查阅本记录的行为已记入该共享授权的操作记录，需求部门可以看到（《政务数据共享条例》第二十九条）。'),
    h('h2', {}, `记录（${records.length} 条）`),
    records.length === 0
      ? h('p', { class: 'empty' }, '尚未填写使用记录。数据交付后，至少每90日记录一次。')
      : h('div', { class: 'usage-records' }, records.map((vs) => recordView(vs, writers, form))),
    form ? h('section', { 'aria-labelledby': 'record-form-heading' },
      h('h2', { id: 'record-form-heading' }, '填写使用记录'),
      h('p', {}, '使用记录只追加、不改写：修订保存为新的版本，原来的版本仍然保留。'),
      form) : null);
}

async function allRevisions(id) {
  const out = [];
  let cursor = '';
  for (let i = 0; i < 20; i++) {
    const page = await get(`/grants/${encodeURIComponent(id)}/usage-records` + qs({ cursor, limit: 500 }));
    out.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out;
}

function recordView(versions, writers, form) {
  const [latest, ...older] = versions;
  return h('article', { class: 'usage-record', 'data-record': latest.id },
    h('h3', {}, `${formatDate(latest.period_from)} 至 ${formatDate(latest.period_to)}`,
      h('small', { class: 'version' }, ` 第 ${latest.version} 版`)),
    revisionBody(latest, writers),
    form ? h('button', {
      type: 'button', class: 'button-quiet',
      onclick: () => form.revise(latest),
    }, '修订此记录') : null,
    older.length ? h('details', {},
      h('summary', {}, `较早的版本（${older.length} 个）`),
      older.map((r) => h('div', { class: 'old-version' }, h('h4', {}, `第 ${r.version} 版`), revisionBody(r, writers)))) : null);
}

function revisionBody(r, writers) {
  return h('dl', { class: 'facts' },
    FIELDS.map(([name, text]) => [h('dt', {}, text), h('dd', {}, r[name] || (name === 'destruction' ? '尚未销毁' : '—'))]),
    h('dt', {}, '填写人'), h('dd', {}, writers.get(r.created_by) || r.created_by),
    h('dt', {}, '填写时间'), h('dd', {}, formatDateTime(r.created_at)),
    h('dt', {}, '保存期限至'), h('dd', {}, formatDate(r.retained_until)));
}

function recordForm(ctx, grant) {
  const from = (grant.created_at || '').slice(0, 10);
  const field = (name, text, control) => h('div', { class: 'field' }, h('label', { for: 'ur-' + name }, text), control);
  const form = h('form', { class: 'record-form', novalidate: true },
    h('input', { type: 'hidden', name: 'record_id', value: '' }),
    h('input', { type: 'hidden', name: 'version', value: '' }),
    h('p', { class: 'revising', hidden: true, role: 'status' }),
    h('div', { class: 'field-row' },
      field('period_from', '使用起始日期', h('input', { id: 'ur-period_from', name: 'period_from', type: 'date', required: true, value: from })),
      field('period_to', '使用截止日期（含）', h('input', { id: 'ur-period_to', name: 'period_to', type: 'date', required: true }))),
    FIELDS.map(([name, text, hint, max, required]) => h('div', { class: 'field' },
      h('label', { for: 'ur-' + name }, text, required ? '' : '（选填）'),
      h('small', { class: 'hint', id: 'ur-' + name + '-hint' }, hint),
      h('textarea', { id: 'ur-' + name, name, rows: 3, maxlength: max, required, 'aria-describedby': 'ur-' + name + '-hint' }))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit' }, '保存记录'),
      h('button', { type: 'button', class: 'button-quiet', hidden: true, onclick: () => form.reset() }, '取消修订')));
  const banner = form.querySelector('.revising');
  const cancel = form.querySelector('.form-actions .button-quiet');
  form.revise = (r) => {
    form.record_id.value = r.id;
    form.version.value = String(r.version);
    for (const name of ['period_from', 'period_to', ...FIELDS.map((f) => f[0])]) form[name].value = r[name] || '';
    banner.textContent = `正在修订第 ${r.version} 版，保存后成为第 ${r.version + 1} 版。`;
    banner.hidden = false;
    cancel.hidden = false;
    form.scenario.focus();
  };
  form.addEventListener('reset', () => {
    setTimeout(() => {
      form.record_id.value = '';
      form.version.value = '';
      banner.hidden = true;
      cancel.hidden = true;
    });
  });
  onSubmit(form, async () => {
    const body = {};
    for (const name of ['period_from', 'period_to', ...FIELDS.map((f) => f[0])]) body[name] = form[name].value.trim();
    if (form.record_id.value) {
      body.record_id = form.record_id.value;
      body.version = Number(form.version.value);
    }
    await post(`/grants/${encodeURIComponent(grant.id)}/usage-records`, body);
    await ctx.navigate(location.pathname, { replaceState: true });
  });
  return form;
}
