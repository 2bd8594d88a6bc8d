// The application form (Art. 20): from a published catalog entry
// (/console/applications/new?entry=ID, POST /api/v1/applications), or to edit
// a draft (/console/applications/:id/edit, PUT with the version last read).
// Every field is mandatory; the API says which is missing and the message
// appears beside that field.
import { h, replace } from '../lib/dom.js';
import { get, post, put } from '../lib/api.js';
import { onSubmit } from '../lib/problems.js';
import { DELIVERY_METHODS, SHARING_ATTRIBUTES, label } from '../lib/labels.js';
import { formField } from '../lib/applications.js';

export const title = '申请共享';

export async function render({ main, params, query, session, navigate }) {
  let app = null;
  let entryId = query.get('entry') || '';
  if (params.id) {
    app = await get('/applications/' + encodeURIComponent(params.id));
    entryId = app.entry_id;
  }
  const e = await get('/catalog/entries/' + encodeURIComponent(entryId));
  const heading = app ? '修改共享申请' : '申请共享';
  const back = app
    ? h('a', { href: '/console/applications/' + encodeURIComponent(app.id) }, '返回申请详情')
    : h('a', { href: '/console/catalog/entries/' + encodeURIComponent(e.id) }, '返回目录详情');
  const about = h('dl', { class: 'facts' },
    h('dt', {}, '申请目录'), h('dd', { 'data-testid': 'entry-name' }, e.name),
    h('dt', {}, '提供部门'), h('dd', {}, e.provider_name || '—'),
    h('dt', {}, '共享属性'), h('dd', {}, label(SHARING_ATTRIBUTES, e.sharing_attribute)));

  const refusal = whyNot(e, session);
  if (refusal && !app) {
    replace(main, h('h1', {}, heading), about, h('p', { class: 'form-error', role: 'alert' }, refusal), h('p', {}, back));
    return;
  }

  const form = buildForm(e, app);
  onSubmit(form, async () => {
    const body = readForm(form);
    const saved = app
      ? await put('/applications/' + encodeURIComponent(app.id), { ...body, version: app.version })
      : await post('/applications', { entry_id: e.id, ...body });
    navigate('/console/applications/' + encodeURIComponent(saved.id));
  }, formField);
  replace(main,
    h('p', { class: 'breadcrumb' }, back),
    h('h1', {}, heading),
    about,
    h('p', { class: 'lead' }, '以下各项均为必填（《政务数据共享条例》第二十条）。保存后为草稿，经本部门共享工作机构负责人同意后发送提供部门。'),
    form);
}

/** Why this person cannot apply for e, or ''. */
function whyNot(e, session) {
  if (e.state && e.state !== 'published') return '该目录尚未发布，不能申请。';
  if (e.sharing_attribute === 'not_shareable') return '该目录为不予共享类，不能申请。';
  if (session.person.department_id && session.person.department_id === e.provider_id) return '这是本部门提供的目录，无需申请。';
  return '';
}

let seq = 0;
const uid = (name) => `app-${name}-${++seq}`;

function textField(name, text, hint, value) {
  const id = uid(name);
  const hintId = id + '-hint';
  return h('div', { class: 'field' },
    h('label', { for: id }, text),
    hint ? h('small', { id: hintId, class: 'hint' }, hint) : null,
    h('textarea', { id, name, rows: 3, 'aria-describedby': hint ? hintId : null }, value || ''));
}

function buildForm(e, app) {
  const chosen = new Set(app ? app.items : []);
  const items = h('fieldset', { class: 'field choices', name: 'items', tabindex: '-1' },
    h('legend', {}, '所需数据项'),
    (e.items || []).map((it) => {
      const id = uid('item');
      return h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id, name: 'item', value: it.name, checked: chosen.has(it.name) }),
        h('label', { for: id }, it.name));
    }));

  const methods = e.delivery_methods || [];
  const methodId = uid('method');
  const method = h('div', { class: 'field' },
    h('label', { for: methodId }, '共享方式'),
    h('select', { id: methodId, name: 'delivery_method' },
      h('option', { value: '' }, '请选择'),
      methods.map((m) => h('option', { value: m, selected: app && app.delivery_method === m }, label(DELIVERY_METHODS, m)))));

  const t = app ? app.time_limit : { months: 12 };
  const kindMonths = uid('tl-months');
  const kindUntil = uid('tl-until');
  const monthsId = uid('months');
  const untilId = uid('until');
  const limit = h('fieldset', { class: 'field time-limit', name: 'time_limit', tabindex: '-1' },
    h('legend', {}, '使用时限'),
    h('div', { class: 'choice' },
      h('input', { type: 'radio', id: kindMonths, name: 'time_limit_kind', value: 'months', checked: !t.until }),
      h('label', { for: kindMonths }, '按月数'),
      h('label', { for: monthsId, class: 'inline' }, '月数（1至60）'),
      h('input', { id: monthsId, name: 'time_limit.months', type: 'number', min: 1, max: 60, value: t.months || '' })),
    h('div', { class: 'choice' },
      h('input', { type: 'radio', id: kindUntil, name: 'time_limit_kind', value: 'until', checked: !!t.until }),
      h('label', { for: kindUntil }, '至指定日期'),
      h('label', { for: untilId, class: 'inline' }, '截止日期'),
      h('input', { id: untilId, name: 'time_limit.until', type: 'date', value: t.until || '' })));

  return h('form', { class: 'application-form', novalidate: true },
    items,
    textField('legal_basis', '依据', '申请所依据的法律、法规、规章或政策文件及其条款', app && app.legal_basis),
    textField('scenario', '应用场景', '将在哪项业务中如何使用这些数据', app && app.scenario),
    textField('scope', '使用范围', '哪些机构、岗位的人员可以使用', app && app.scope),
    method,
    limit,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, app ? '保存修改' : '保存申请草稿')));
}

/** The form as the API's NewApplication / ApplicationEdit fields. */
function readForm(form) {
  const value = (name) => form.querySelector(`[name="${name}"]`).value;
  const kind = form.querySelector('[name="time_limit_kind"]:checked');
  const timeLimit = {};
  if (kind && kind.value === 'until') {
    if (value('time_limit.until')) timeLimit.until = value('time_limit.until');
  } else if (value('time_limit.months') !== '') {
    timeLimit.months = Number(value('time_limit.months'));
  }
  return {
    items: [...form.querySelectorAll('[name="item"]:checked')].map((c) => c.value),
    legal_basis: value('legal_basis'),
    scenario: value('scenario'),
    scope: value('scope'),
    delivery_method: value('delivery_method'),
    time_limit: timeLimit,
  };
}
