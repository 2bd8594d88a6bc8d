// Correction rules and channels (校核纠错规则、纠错渠道, Art. 26): every
// department's current rules (GET /api/v1/correction-rules), readable by
// every sharing office; the person's own department's versions, and for its
// office head the form stating a new version.
import { h, replace } from '../lib/dom.js';
import { get, post, qs } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { onSubmit, notice } from '../lib/problems.js';
import { deptNames } from '../lib/applications.js';
import { area } from '../lib/correction-acts.js';
import { rulesView } from './corrections-new.js';

export const title = '校核纠错规则';

export async function render({ main, query, session, navigate }) {
  const dept = session.person.department_id || '';
  const head = !!dept && (session.person.roles || []).includes('office_head');
  const cursor = query.get('cursor') || '';
  const [page, own] = await Promise.all([
    get('/correction-rules' + qs({ cursor, limit: 50 })),
    dept ? get('/departments/' + encodeURIComponent(dept) + '/correction-rules') : { items: [] },
  ]);
  const names = await deptNames([dept, ...page.items.map((r) => r.department_id)]);
  const current = own.items[0];

  let form = null;
  if (head) {
    const field = (name, text, value, hint) => {
      const id = 'corr-rules-' + name;
      return h('div', { class: 'field' }, h('label', { for: id }, text), hint ? h('small', { class: 'hint' }, hint) : null,
        h('input', { id, name, type: 'text', value: value || '' }));
    };
    form = h('form', { class: 'act', 'data-testid': 'rules-form' },
      h('h3', {}, current ? '修订本部门的规则（生成新版本）' : '公布本部门的规则'),
      area('rules', '校核纠错规则', '收到校核申请后如何核实、由谁更正、如何反馈。', current ? current.rules : ''),
      field('contact', '纠错联系人或机构', current && current.contact),
      field('phone', '联系电话', current && current.phone),
      field('url', '本部门纠错渠道网址（可选）', current && current.url, '以 https:// 开头。'),
      area('note', '备注（可选）', '', current ? current.note || '' : ''),
      h('button', { type: 'submit' }, '公布'));
    onSubmit(form, async () => {
      const v = (n) => form.querySelector(`[name="${n}"]`).value;
      await post('/departments/' + encodeURIComponent(dept) + '/correction-rules', { rules: v('rules'), contact: v('contact'), phone: v('phone'),
        url: v('url'), note: v('note'), version: current ? current.version : 0 });
      await navigate(location.pathname, { replaceState: true });
      notice(main, '已公布新版本');
    });
  }

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/corrections' }, '数据校核'), ' / 校核纠错规则'),
    h('h1', {}, '校核纠错规则与纠错渠道'),
    h('p', { class: 'lead' }, '政府部门应当依照本部门职责，建立政务数据校核纠错规则，提供纠错渠道（《政务数据共享条例》第二十六条）。本平台的校核申请是各部门共同的纠错渠道。'),
    dept ? h('section', { 'aria-labelledby': 'own-rules-h', 'data-testid': 'own-rules' },
      h('h2', { id: 'own-rules-h' }, `本部门（${names.get(dept)}）`),
      current ? rulesView(current) : h('p', { class: 'empty' }, '本部门尚未公布校核纠错规则。'),
      own.items.length > 1 ? h('details', {}, h('summary', {}, '历史版本'),
        h('ol', { class: 'plain' }, own.items.slice(1).map((r) => h('li', {}, `第 ${r.version} 版，${formatDateTime(r.created_at)}：${r.contact}，${r.phone}`)))) : null,
      form) : null,
    h('section', { 'aria-labelledby': 'all-rules-h' },
      h('h2', { id: 'all-rules-h' }, '各部门现行规则'),
      page.items.length === 0 ? h('p', { class: 'empty' }, '尚无部门公布校核纠错规则。')
        : h('table', { class: 'correction-rules', 'data-testid': 'all-rules' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '部门'), h('th', { scope: 'col' }, '校核纠错规则'),
            h('th', { scope: 'col' }, '纠错渠道'), h('th', { scope: 'col' }, '版本'))),
          h('tbody', {}, page.items.map((r) => h('tr', { 'data-department-id': r.department_id },
            h('td', {}, names.get(r.department_id)),
            h('td', {}, r.rules),
            h('td', {}, `${r.contact}，${r.phone}`, r.url ? ['；', h('a', { href: r.url, rel: 'noopener noreferrer' }, r.url)] : ''),
            h('td', {}, `第 ${r.version} 版`))))),
      page.next_cursor ? h('p', {}, h('a', { href: '/console/corrections/rules' + qs({ cursor: page.next_cursor }) }, '下一页')) : null));
}
