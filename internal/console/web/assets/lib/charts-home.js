// The home page's charts for office heads, authority reviewers and platform
// admins, from the applications they may read (GET /api/v1/applications):
// how many are in each state, and for each replied application the working
// days its reply took against its statutory limit (Art. 21: 1 working day
// for unconditional data, 10 for conditional, longer after an extension;
// counted again from a resubmission). Everything comes from the API's own
// figures (durations, reply_deadline.days); the console counts nothing in
// the calendar itself.
import { h } from './dom.js';
import { get, qs } from './api.js';
import { barChart } from './charts.js';

const CHART_ROLES = ['office_head', 'authority_reviewer', 'platform_admin'];

const STATES = [
  ['draft', '草稿'], ['awaiting_approval', '待负责人审批'], ['sent', '待答复'], ['supplement_requested', '待补充材料'],
  ['resubmitted', '补充材料后待答复'], ['approved', '已同意共享'], ['refused', '不同意共享'], ['withdrawn', '已撤回'],
];

const MAX_PAGES = 4; // 2000 applications are plenty for a picture
const REPLIES_SHOWN = 12;

/**
 * homeCharts(session) → a <section> of charts, or null for other roles. The
 * charts are an aside: if their data cannot be read the home page still
 * shows the to-do list, with a note in place of the charts.
 */
export async function homeCharts(session) {
  const roles = session.person.roles || [];
  if (!roles.some((r) => CHART_ROLES.includes(r))) return null;
  try {
    return await charts();
  } catch (err) {
    if (err && err.status === 401) throw err;
    return h('section', { class: 'home-charts', 'aria-labelledby': 'charts-heading' },
      h('h2', { id: 'charts-heading' }, '共享申请概况'),
      h('p', { class: 'empty' }, '暂时无法显示统计图，请稍后刷新。'));
  }
}

async function charts() {
  const apps = [];
  let cursor = '';
  let complete = false;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await get('/applications' + qs({ cursor, limit: 500 }));
    apps.push(...page.items);
    if (!page.next_cursor) { complete = true; break; }
    cursor = page.next_cursor;
  }
  const counts = new Map(STATES.map(([s]) => [s, 0]));
  for (const a of apps) counts.set(a.state, (counts.get(a.state) || 0) + 1);
  const byState = barChart({
    title: '共享申请按状态统计',
    caption: complete ? `您可查阅的共享申请共 ${apps.length} 件` : `最近的 ${apps.length} 件共享申请`,
    unit: '件',
    rows: [...counts].map(([s, n]) => ({ label: (STATES.find((x) => x[0] === s) || [s, s])[1], value: n })),
    columns: ['状态', '件数'],
    testid: 'chart-states',
  });

  const replied = apps.filter((a) => a.reply && a.reply.at && a.reply_deadline)
    .sort((a, b) => (a.reply.at < b.reply.at ? 1 : -1)).slice(0, REPLIES_SHOWN);
  const replyRows = replied.map((a) => {
    const steps = a.durations || [];
    const step = steps.find((d) => d.step === 'resubmitted→replied') || steps.find((d) => d.step === 'sent→replied');
    return { label: a.entry_name, value: step ? step.working_days : 0, limit: a.reply_deadline.days };
  });
  const replyChart = replyRows.length === 0
    ? h('p', { class: 'empty', 'data-testid': 'chart-replies-empty' }, '暂无已答复的共享申请。')
    : barChart({
      title: '答复用时与法定期限',
      caption: `最近答复的 ${replyRows.length} 件申请：条形为答复用时，竖线为法定答复期限（工作日，第二十一条）`,
      unit: '个工作日',
      rows: replyRows,
      columns: ['共享申请', '答复用时（工作日）', '法定期限（工作日）'],
      testid: 'chart-replies',
    });
  return h('section', { class: 'home-charts', 'aria-labelledby': 'charts-heading' },
    h('h2', { id: 'charts-heading' }, '共享申请概况'),
    h('div', { class: 'chart-grid' }, byState, replyChart));
}
