// Proposing to end or change a delivered service (POST /api/v1/service-changes):
// the provider's office head chooses one of its department's published
// entries (or comes from a list with ?entry_id=), the kind, what changes,
// the reason and the intended effective date. The platform computes the
// consumers concerned and opens the consultation.
import { h, replace } from '../lib/dom.js';
import { get, post, qs } from '../lib/api.js';
import { onSubmit } from '../lib/problems.js';
import { DELIVERY_METHODS, label } from '../lib/labels.js';
import { SC_KINDS } from '../lib/service-changes.js';

export const title = '提出服务变更';

let seq = 0;

export async function render({ main, query, session, navigate }) {
  const dept = session.person.department_id || '';
  // Today is the platform's date (GET /calendar), not the browser's.
  const [page, cal] = await Promise.all([get('/catalog/entries' + qs({ provider_id: dept, limit: 100 })), get('/calendar')]);
  const entries = page.items || [];
  const chosen = query.get('entry_id') || '';
  const id = (n) => `sc-${n}-${++seq}`;

  const entryId = id('entry');
  const entrySelect = h('select', { id: entryId, name: 'entry_id', required: true },
    h('option', { value: '' }, '请选择本部门已发布的目录'),
    entries.map((e) => h('option', { value: e.id, selected: e.id === chosen }, e.name)));
  const kindId = id('kind');
  const kindSelect = h('select', { id: kindId, name: 'kind' },
    Object.entries(SC_KINDS).map(([v, t]) => h('option', { value: v }, t)));
  const items = h('fieldset', { name: 'changes.items_removed', tabindex: '-1', class: 'sc-items' }, h('legend', {}, '停止提供的数据项（可不选）'));
  const methodId = id('method');
  const method = h('select', { id: methodId, name: 'changes.delivery_method' }, h('option', { value: '' }, '不变'));
  const descId = id('desc');
  const changeBox = h('div', { class: 'sc-change-fields', hidden: true },
    items,
    h('div', { class: 'field' }, h('label', { for: methodId }, '新的共享方式'), method),
    h('div', { class: 'field' }, h('label', { for: descId }, '变更内容说明'),
      h('textarea', { id: descId, name: 'changes.description', rows: 3 })));
  const reasonId = id('reason');
  const dateId = id('date');

  const loadEntry = async () => {
    items.replaceChildren(h('legend', {}, '停止提供的数据项（可不选）'));
    method.replaceChildren(h('option', { value: '' }, '不变'));
    if (!entrySelect.value) return;
    const e = await get('/catalog/entries/' + encodeURIComponent(entrySelect.value));
    for (const it of e.items || []) {
      const cid = id('item');
      items.append(h('div', { class: 'check' },
        h('input', { type: 'checkbox', id: cid, value: it.name, 'data-item': it.name }), h('label', { for: cid }, it.name)));
    }
    for (const m of e.delivery_methods || []) method.append(h('option', { value: m }, label(DELIVERY_METHODS, m)));
  };
  entrySelect.addEventListener('change', () => { loadEntry(); });
  kindSelect.addEventListener('change', () => { changeBox.hidden = kindSelect.value !== 'change'; });

  const form = h('form', { class: 'sc-propose', 'data-testid': 'sc-propose' },
    h('div', { class: 'field' }, h('label', { for: entryId }, '数据目录'), entrySelect),
    h('div', { class: 'field' }, h('label', { for: kindId }, '类型'), kindSelect),
    changeBox,
    h('div', { class: 'field' }, h('label', { for: reasonId }, '终止或者变更的理由'),
      h('small', { class: 'hint' }, '无正当理由，不得终止或者变更已提供的共享服务。'),
      h('textarea', { id: reasonId, name: 'reason', rows: 3 })),
    h('div', { class: 'field' }, h('label', { for: dateId }, '拟生效日期'),
      h('input', { id: dateId, name: 'effective_date', type: 'date', value: cal.today || '' })),
    h('p', { class: 'hint' }, '提交后，持有该目录有效或暂停共享授权的需求部门将收到协商通知，协商期限为10个工作日（平台默认）；协商结束后报同级主管部门备案，备案后且到拟生效日期方可生效，此前共享不受影响。'),
    h('button', { type: 'submit' }, '签发并发起协商'));

  onSubmit(form, async () => {
    const body = { entry_id: entrySelect.value, kind: kindSelect.value, reason: form.querySelector('[name="reason"]').value,
      effective_date: form.querySelector('[name="effective_date"]').value };
    if (body.kind === 'change') {
      body.changes = {
        items_removed: [...items.querySelectorAll('input:checked')].map((i) => i.value),
        delivery_method: method.value,
        description: form.querySelector('[name="changes.description"]').value,
      };
    }
    const c = await post('/service-changes', body);
    await navigate('/console/service-changes/' + encodeURIComponent(c.id));
  }, (p) => (p.field && p.field.startsWith('changes.items_removed') ? { ...p, field: 'changes.items_removed' } : p));

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/service-changes' }, '服务变更'), ' / 提出服务变更'),
    h('h1', {}, '提出服务变更'),
    entries.length === 0 ? h('p', { class: 'empty' }, '本部门暂无已发布的数据目录。') : form);
  if (chosen) await loadEntry();
}
