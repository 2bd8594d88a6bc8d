// A system's grants (PUT /api/v1/systems/{id}/grants): the owning sharing
// office chooses which of its department's grants as consumer the system
// may use — none chosen, all of them (the gateway's default). Each
// batch-exchange grant links to its push subscriptions.
import { h } from './dom.js';
import { put } from './api.js';
import { DELIVERY_METHODS, label } from './labels.js';
import { GRANT_STATES } from './delivery.js';
import { onSubmit } from './admin-form.js';
import { getAll } from './admin-org.js';

/** bindingSection(system, reload) → the section with the form (for the owning office). */
export async function bindingSection(s, reload) {
  const grants = (await getAll('/grants', { role: 'consumer' })).filter((g) => g.consumer_id === s.department_id);
  const bound = s.grants || [];
  const active = s.state === 'active';
  const rows = grants.map((g) => {
    const id = 'bind-' + g.id;
    return h('tr', { 'data-grant': g.id },
      h('td', {}, h('input', { type: 'checkbox', id, name: 'grants[]', value: g.id, checked: bound.includes(g.id), disabled: !active })),
      h('td', {}, h('label', { for: id }, g.entry_name || g.id)),
      h('td', {}, label(DELIVERY_METHODS, g.delivery_method)),
      h('td', {}, label(GRANT_STATES, g.state)),
      h('td', {}, h('a', { href: '/console/grants/' + encodeURIComponent(g.id) }, '授权详情'),
        g.delivery_method === 'batch_exchange'
          ? [' · ', h('a', { href: '/console/subscriptions?grant_id=' + encodeURIComponent(g.id) }, '推送订阅')] : null));
  });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'bind-h', novalidate: true, 'data-testid': 'binding-form' },
    h('h2', { id: 'bind-h' }, '绑定共享授权'),
    h('p', { class: 'hint' }, '勾选该系统可以使用的共享授权；一个都不勾选时，系统可使用本部门作为需求部门的全部共享授权。',
      '收窄绑定可以在密钥泄露时限制影响范围。'),
    grants.length === 0
      ? h('p', { class: 'empty' }, '本部门尚无作为需求部门的共享授权。')
      : h('fieldset', { name: 'grants', tabindex: '-1' },
        h('legend', {}, '本部门的共享授权'),
        h('table', {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '绑定'), h('th', { scope: 'col' }, '数据目录'),
            h('th', { scope: 'col' }, '共享方式'), h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '相关'))),
          h('tbody', {}, rows))),
    active && grants.length ? h('button', { type: 'submit' }, '保存绑定') : null);
  return onSubmit(form, async () => {
    const chosen = [...form.querySelectorAll('input[name="grants[]"]:checked')].map((c) => c.value);
    await put(`/systems/${encodeURIComponent(s.id)}/grants`, { grants: chosen, version: s.version });
    await reload();
  });
}
