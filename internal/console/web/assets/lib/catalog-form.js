// The catalog entry form (docs/catalog.md, "Fields of an entry"): every
// field POST/PUT /api/v1/catalog/entries takes. Controls are named after the
// API's JSON paths (items[2].data_type, usage_conditions.scope,
// not_shareable.legal_basis.kind …) so that showProblem() puts a refusal
// beside the field it names; readDraft() turns the form back into a draft.
import { h } from './dom.js';
import { DATA_TYPES, GRADES, SHARING_ATTRIBUTES, DELIVERY_METHODS } from './labels.js';

export const FREQUENCIES = {
  real_time: '实时', daily: '每日', weekly: '每周', monthly: '每月', quarterly: '每季度', yearly: '每年', irregular: '不定期',
};
export const FORMAT_CLASSES = {
  electronic_file: '电子文件', spreadsheet: '电子表格', database: '数据库', image: '图形图像',
  streaming_media: '流媒体', self_describing: '自描述格式', service_interface: '服务接口',
};
export const OPEN_ATTRIBUTES = { open: '无条件开放', conditional_open: '有条件开放', not_open: '不予开放' };
export const LEGAL_BASIS_KINDS = { law: '法律', administrative_regulation: '行政法规', state_council_decision: '国务院决定' };

let seq = 0;
const uid = (name) => `cat-${name.replace(/[^\w-]/g, '_')}-${++seq}`;

function input(name, text, value, attrs = {}, hint = '') {
  const id = uid(name);
  const hintId = hint ? id + '-hint' : null;
  return h('div', { class: 'field' },
    h('label', { for: id }, text),
    hint ? h('small', { id: hintId, class: 'hint' }, hint) : null,
    h('input', { id, name, value: value ?? '', 'aria-describedby': hintId, ...attrs }));
}

function area(name, text, value, hint = '') {
  const id = uid(name);
  const hintId = hint ? id + '-hint' : null;
  return h('div', { class: 'field' },
    h('label', { for: id }, text),
    hint ? h('small', { id: hintId, class: 'hint' }, hint) : null,
    h('textarea', { id, name, rows: 3, 'aria-describedby': hintId }, value || ''));
}

function select(name, text, table, value, blank = '请选择') {
  const id = uid(name);
  return h('div', { class: 'field' },
    h('label', { for: id }, text),
    h('select', { id, name },
      blank === null ? null : h('option', { value: '' }, blank),
      Object.entries(table).map(([code, name]) => h('option', { value: code, selected: code === value }, name))));
}

/** buildEntryForm(entry or null) → the <form>; submit handling is the page's. */
export function buildEntryForm(e) {
  const d = e || {};
  const cls = d.classification || {};
  const fmt = d.data_format || {};
  const uc = d.usage_conditions || {};
  const ns = d.not_shareable || {};
  const basis = ns.legal_basis || {};
  const methods = new Set(d.delivery_methods || []);

  const rows = h('tbody', { 'data-testid': 'item-rows' });
  const items = h('fieldset', { class: 'field catalog-items', name: 'items', tabindex: '-1' },
    h('legend', {}, '数据项'),
    h('p', { class: 'hint' }, '字符型、数值型、货币型须填写长度；目录分级取各数据项中最高的分级。'),
    h('table', {},
      h('thead', {}, h('tr', {},
        ['数据项名称', '数据类型', '长度', '主键', '必填', '分级', '说明', ''].map((t) => h('th', { scope: 'col' }, t)))),
      rows));
  const addRow = (it) => { rows.append(itemRow(it, rows)); renumber(rows); };
  for (const it of (d.items && d.items.length ? d.items : [{}])) addRow(it);
  items.append(h('button', { type: 'button', class: 'button-plain', onclick: () => { addRow({}); rows.lastElementChild.querySelector('input').focus(); } }, '添加数据项'));

  const methodBox = h('fieldset', { class: 'field choices', name: 'delivery_methods', tabindex: '-1' },
    h('legend', {}, '共享方式'),
    Object.entries(DELIVERY_METHODS).map(([code, text]) => {
      const id = uid('method');
      return h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id, name: 'delivery_method', value: code, checked: methods.has(code) }),
        h('label', { for: id }, text));
    }));
  const conditions = h('fieldset', { class: 'field', name: 'usage_conditions', tabindex: '-1', 'data-for': 'conditional' },
    h('legend', {}, '使用条件（有条件共享须填写，第十五条）'),
    area('usage_conditions.scope', '共享范围', uc.scope),
    area('usage_conditions.permitted_uses', '使用用途', uc.permitted_uses));
  const notShareable = h('fieldset', { class: 'field', name: 'not_shareable', tabindex: '-1', 'data-for': 'not_shareable' },
    h('legend', {}, '不予共享理由与依据（第十四条）'),
    area('not_shareable.reason', '不予共享理由', ns.reason),
    select('not_shareable.legal_basis.kind', '依据类别', LEGAL_BASIS_KINDS, basis.kind),
    input('not_shareable.legal_basis.name', '依据名称', basis.name, {}, '只有法律、行政法规或国务院决定可以作为不予共享的依据'),
    input('not_shareable.legal_basis.article', '条款', basis.article));
  const openCondition = input('open_condition', '开放条件', d.open_condition);

  const form = h('form', { class: 'catalog-form', novalidate: true },
    h('fieldset', { class: 'field' }, h('legend', {}, '基本信息'),
      input('name', '目录名称', d.name, { maxlength: 200 }),
      area('abstract', '摘要', d.abstract),
      input('resource_code', '信息资源代码', d.resource_code, {}, '分类代码/顺序号，如 309001/000001（分类代码为类、项、目、细目代码依次相连）'),
      h('div', { class: 'field-row' },
        input('classification.class', '类（1位）', cls.class, { inputmode: 'numeric' }),
        input('classification.item', '项（2位）', cls.item, { inputmode: 'numeric' }),
        input('classification.category', '目（3位）', cls.category, { inputmode: 'numeric' }),
        input('classification.sub_category', '细目（可选，1至6位）', cls.sub_category, { inputmode: 'numeric' }))),
    items,
    h('fieldset', { class: 'field' }, h('legend', {}, '格式与更新'),
      h('div', { class: 'field-row' },
        select('data_format.class', '数据格式分类', FORMAT_CLASSES, fmt.class),
        input('data_format.type', '数据格式', fmt.type, {}, '如 XLSX、PostgreSQL、REST/JSON'),
        select('update_frequency', '更新频率', FREQUENCIES, d.update_frequency))),
    h('fieldset', { class: 'field' }, h('legend', {}, '共享与开放'),
      select('sharing_attribute', '共享属性', SHARING_ATTRIBUTES, d.sharing_attribute),
      methodBox, conditions, notShareable,
      select('open_attribute', '开放属性', OPEN_ATTRIBUTES, d.open_attribute),
      openCondition,
      select('secrecy', '涉密标识', { none: '不涉密', state_secret: '国家秘密', work_secret: '工作秘密' }, d.secrecy || 'none', null)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, e ? '保存修改' : '保存草稿')));

  // Show only the parts the chosen attributes need; hidden parts are not sent.
  const sync = () => {
    const attr = form.elements.sharing_attribute.value;
    conditions.hidden = attr !== 'conditional';
    notShareable.hidden = attr !== 'not_shareable';
    methodBox.hidden = attr === 'not_shareable';
    openCondition.hidden = form.elements.open_attribute.value !== 'conditional_open';
  };
  form.elements.sharing_attribute.addEventListener('change', sync);
  form.elements.open_attribute.addEventListener('change', sync);
  sync();
  return form;
}

function itemRow(it, rows) {
  const cell = (label, control) => h('td', {}, h('label', { for: control.id, class: 'visually-hidden' }, label), control);
  const ctl = (tag, attrs, ...kids) => h(tag, { id: uid('item'), ...attrs }, ...kids);
  const options = (table, value) => Object.entries(table).map(([code, name]) => h('option', { value: code, selected: code === value }, `${name}`));
  const tr = h('tr', { class: 'item-row' },
    cell('数据项名称', ctl('input', { 'data-part': 'name', value: it.name || '' })),
    cell('数据类型', ctl('select', { 'data-part': 'data_type' }, h('option', { value: '' }, '请选择'), options(DATA_TYPES, it.data_type))),
    cell('长度', ctl('input', { 'data-part': 'length', type: 'number', min: 0, value: it.length || '', class: 'narrow' })),
    cell('主键', ctl('input', { 'data-part': 'is_key', type: 'checkbox', checked: !!it.is_key })),
    cell('必填', ctl('input', { 'data-part': 'required', type: 'checkbox', checked: !!it.required })),
    cell('分级', ctl('select', { 'data-part': 'grade' }, h('option', { value: '' }, '请选择'), options(GRADES, it.grade))),
    cell('说明', ctl('input', { 'data-part': 'description', value: it.description || '' })),
    h('td', {}, h('button', {
      type: 'button', class: 'button-plain', 'data-part': 'remove',
      onclick: () => { const fs = rows.closest('fieldset'); tr.remove(); renumber(rows); fs.focus(); }, // keep focus in the list
    }, '删除')));
  return tr;
}

// Rows are named items[i].part after their position, as the API counts them,
// and their hidden labels say which row they belong to.
function renumber(rows) {
  [...rows.children].forEach((tr, i) => {
    for (const el of tr.querySelectorAll('[data-part]')) {
      const part = el.dataset.part;
      if (part === 'remove') { el.setAttribute('aria-label', `删除第 ${i + 1} 个数据项`); continue; }
      el.name = `items[${i}].${part}`;
      const label = tr.querySelector(`label[for="${el.id}"]`);
      if (label) label.textContent = `第 ${i + 1} 个数据项的${label.textContent.replace(/^第 \d+ 个数据项的/, '')}`;
    }
  });
}

/** readDraft(form) → the draft JSON of the API. */
export function readDraft(form) {
  const v = (name) => (form.elements[name] ? form.elements[name].value.trim() : '');
  const attr = v('sharing_attribute');
  const d = {
    name: v('name'),
    abstract: v('abstract'),
    resource_code: v('resource_code'),
    classification: { class: v('classification.class'), item: v('classification.item'), category: v('classification.category') },
    items: [...form.querySelectorAll('tr.item-row')].map((tr) => {
      const part = (p) => tr.querySelector(`[data-part="${p}"]`);
      return {
        name: part('name').value.trim(),
        data_type: part('data_type').value,
        length: parseInt(part('length').value, 10) || 0,
        is_key: part('is_key').checked,
        required: part('required').checked,
        description: part('description').value.trim(),
        grade: part('grade').value,
      };
    }),
    data_format: { class: v('data_format.class'), type: v('data_format.type') },
    update_frequency: v('update_frequency'),
    sharing_attribute: attr,
    delivery_methods: attr === 'not_shareable' ? []
      : [...form.querySelectorAll('input[name="delivery_method"]:checked')].map((c) => c.value),
    open_attribute: v('open_attribute'),
    secrecy: v('secrecy') || 'none',
  };
  if (v('classification.sub_category')) d.classification.sub_category = v('classification.sub_category');
  if (attr === 'conditional') d.usage_conditions = { scope: v('usage_conditions.scope'), permitted_uses: v('usage_conditions.permitted_uses') };
  if (attr === 'not_shareable') {
    d.not_shareable = {
      reason: v('not_shareable.reason'),
      legal_basis: { kind: v('not_shareable.legal_basis.kind'), name: v('not_shareable.legal_basis.name'), article: v('not_shareable.legal_basis.article') },
    };
  }
  if (d.open_attribute === 'conditional_open') d.open_condition = v('open_condition');
  return d;
}

/**
 * A problem naming delivery_methods[i] (a checkbox list) is shown beside the
 * list; everything else names its own control.
 */
export function formProblem(p) {
  if (/^delivery_methods\[\d+\]$/.test(p.field)) p.field = 'delivery_methods';
  return p;
}
