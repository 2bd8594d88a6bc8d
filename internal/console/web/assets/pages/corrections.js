// Correction requests (校核申请, Art. 26) the person may see (GET
// /api/v1/corrections): a sharing office those its department filed
// (as consumer) or received (as provider); authorities and auditors those in
// their region. A consumer files a new one from a grant's page.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { deptNames } from '../lib/applications.js';
import { CORRECTION_KINDS, DUE_PENDING, stateText } from '../lib/correction.js';

export const title = '数据校核';

const ROLES = { '': '全部', consumer: '本部门提出的', provider: '本部门收到的' };
const STATES = { '': '全部', open: '待核实反馈', corrected: '已更正', not_corrected: '经核实未更正' };

export async function render({ main, query, session, navigate }) {
  const office = !!session.person.department_id && (session.person.roles || []).some((r) => r === 'office_head' || r === 'office_staff');
  const role = office && ROLES[query.get('role') || ''] ? query.get('role') || '' : '';
  const state = STATES[query.get('state') || ''] ? query.get('state') || '' : '';
  const grantId = query.get('grant_id') || '';
  const cursor = query.get('cursor') || '';
  const page = await get('/corrections' + qs({ role, state, grant_id: grantId, cursor, limit: 30 }));
  const names = await deptNames(page.items.flatMap((r) => [r.consumer_id, r.provider_id]));

  const roleSel = h('select', { id: 'corr-role', name: 'role' }, Object.entries(ROLES).map(([v, t]) => h('option', { value: v, selected: v === role }, t)));
  const stateSel = h('select', { id: 'corr-state', name: 'state' }, Object.entries(STATES).map(([v, t]) => h('option', { value: v, selected: v === state }, t)));
  const filter = h('form', { class: 'search' },
    office ? [h('label', { for: 'corr-role' }, '范围'), roleSel] : null,
    h('label', { for: 'corr-state' }, '状态'), stateSel,
    h('button', { type: 'submit' }, '筛选'));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate('/console/corrections' + qs({ role: office ? roleSel.value : '', state: stateSel.value, grant_id: grantId }));
  });

  replace(main,
    h('h1', {}, '数据校核'),
    h('p', { class: 'lead' }, '需求部门发现政务数据不准确或者不完整的，应当及时向提供部门提出校核申请；提供部门应当自收到之日起10个工作日内予以核实、更正并反馈校核处理结果（《政务数据共享条例》第二十六条）。'),
    h('p', {}, h('a', { href: '/console/corrections/rules' }, '各部门校核纠错规则与纠错渠道'),
      office ? ' · 提出校核申请：在“共享授权”中打开本部门的授权，点击“提出校核申请”。' : ''),
    filter,
    grantId ? h('p', { class: 'hint' }, '仅显示一项共享授权的校核申请。', h('a', { href: '/console/corrections' }, '显示全部')) : null,
    page.items.length === 0
      ? h('p', { class: 'empty' }, '暂无可查阅的校核申请。')
      : h('table', { class: 'corrections', 'data-testid': 'corrections' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '数据目录'), h('th', { scope: 'col' }, '需求部门'), h('th', { scope: 'col' }, '提供部门'),
          h('th', { scope: 'col' }, '问题类型'), h('th', { scope: 'col' }, '反馈期限'), h('th', { scope: 'col' }, '状态'))),
        h('tbody', {}, page.items.map((r) => h('tr', { class: 'correction-row', 'data-correction-id': r.id, 'data-state': r.state },
          h('td', {}, h('a', { href: '/console/corrections/' + encodeURIComponent(r.id) }, r.entry_name)),
          h('td', {}, names.get(r.consumer_id)),
          h('td', {}, names.get(r.provider_id)),
          h('td', {}, label(CORRECTION_KINDS, r.kind)),
          h('td', {}, r.deadline ? formatDate(r.deadline.due) : DUE_PENDING),
          h('td', {}, h('span', { class: 'state ' + (r.overdue ? 'deadline-overdue' : 'state-' + r.state) }, stateText(r))))))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/corrections' + qs({ role, state, grant_id: grantId, cursor: page.next_cursor }) }, '下一页')) : null);
}
