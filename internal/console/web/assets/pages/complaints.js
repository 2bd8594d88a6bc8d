// Complaints and reports (投诉举报, Art. 37) the person may see (GET
// /api/v1/complaints): a sharing office those its department handles now;
// an authority reviewer those handled in its region, with a filter for the
// overdue ones. The listing is a summary (state, dates, handler, deadline):
// who complained and what they wrote are on the complaint's own page.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate, deadline } from '../lib/format.js';
import { deptNames } from '../lib/applications.js';
import { COMPLAINT_STATES, stateText } from '../lib/complaint.js';

export const title = '投诉举报';

const STATES = { '': '全部', ...COMPLAINT_STATES };

export async function render({ main, query, navigate }) {
  const state = STATES[query.get('state') || ''] ? query.get('state') || '' : '';
  const overdue = query.get('overdue') === 'true' ? 'true' : '';
  const cursor = query.get('cursor') || '';
  const page = await get('/complaints' + qs({ state, overdue, cursor, limit: 30 }));
  const names = await deptNames(page.items.map((c) => c.handler_id));

  const stateSel = h('select', { id: 'complaint-state', name: 'state' }, Object.entries(STATES).map(([v, t]) => h('option', { value: v, selected: v === state }, t)));
  const overdueBox = h('input', { type: 'checkbox', id: 'complaint-overdue', name: 'overdue', checked: overdue === 'true' });
  const filter = h('form', { class: 'search' },
    h('label', { for: 'complaint-state' }, '状态'), stateSel,
    h('span', { class: 'check' }, overdueBox, h('label', { for: 'complaint-overdue' }, '只看逾期未答复的')),
    h('button', { type: 'submit' }, '筛选'));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate('/console/complaints' + qs({ state: stateSel.value, overdue: overdueBox.checked ? 'true' : '' }));
  });

  replace(main,
    h('h1', {}, '投诉举报'),
    h('p', { class: 'lead' }, '公民、法人和其他组织对政务数据共享中侵犯其合法权益的行为提出的投诉、举报。办理部门自收到之日起15个工作日内答复，不属于本部门处理的转交有权处理的部门；主管部门督促本行政区域内逾期未答复的投诉举报（《政务数据共享条例》第三十七条）。'),
    h('p', { class: 'hint' }, '公众提交入口：', h('a', { href: '/console/complaint' }, '/console/complaint'), '（无需登录）。列表仅显示状态、日期、办理部门和答复期限，投诉人信息和投诉内容请打开详情查看。'),
    filter,
    page.items.length === 0
      ? h('p', { class: 'empty' }, '暂无投诉举报。')
      : h('table', { 'data-testid': 'complaints' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '收到日期'), h('th', { scope: 'col' }, '办理部门'),
          h('th', { scope: 'col' }, '答复期限'), h('th', { scope: 'col' }, '状态'))),
        h('tbody', {}, page.items.map((c) => {
          const due = c.deadline ? c.deadline.due : null;
          const d = deadline({ ...c, due: c.state === 'answered' ? null : due });
          return h('tr', { class: 'complaint-row', 'data-complaint-id': c.id, 'data-state': c.state },
            h('td', {}, h('a', { href: '/console/complaints/' + encodeURIComponent(c.id) }, formatDate(c.filed_at))),
            h('td', {}, names.get(c.handler_id)),
            h('td', {}, due ? formatDate(due) : '待确定', c.state === 'answered' || !due ? null : [' ', h('span', { class: 'deadline ' + d.cls }, d.text)]),
            h('td', {}, h('span', { class: 'state ' + (c.overdue ? 'deadline-overdue' : 'state-' + c.state) }, stateText(c))));
        }))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/complaints' + qs({ state, overdue, cursor: page.next_cursor }) }, '下一页')) : null);
}
