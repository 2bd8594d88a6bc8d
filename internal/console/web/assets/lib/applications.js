// What the application pages share (共享申请, docs/applications.md): Chinese
// names of states and acts, who may do what now (the API decides again),
// department names, the time limit in words, and the working days left
// before an application's deadline.
import { get } from './api.js';
import { deadline } from './format.js';

export const APPLICATION_STATES = {
  draft: '草稿', awaiting_approval: '待负责人审批', sent: '待答复', supplement_requested: '待补充材料',
  resubmitted: '已补充材料待答复', approved: '已同意共享', refused: '不同意共享', withdrawn: '已撤回',
};

/** History actions (HistoryEntry.action) as the timeline names them. */
export const HISTORY_ACTIONS = {
  'application.create': '起草申请',
  'application.edit': '修改申请',
  'application.submit': '提交本部门负责人审批',
  'application.send': '本部门负责人同意并发送',
  'application.supplement_request': '提供部门要求补充材料',
  'application.resubmit': '补充材料后重新提交',
  'application.extension_request': '申请延长答复期限',
  'application.extension_grant': '主管部门同意延长答复期限',
  'application.extension_refuse': '主管部门不同意延长答复期限',
  'application.approve': '提供部门同意共享',
  'application.refuse': '提供部门不同意共享',
  'application.withdraw': '撤回申请',
  'application.deliver': '首次共享数据',
};

/** Refusal categories a person may choose (materials_incomplete calls for a supplement request). */
export const REASON_CATEGORIES = {
  no_legal_basis: '无法律法规依据', beyond_duties: '超出履行职责需要', scope_excessive: '申请范围超出必要限度',
  security_risk: '存在数据安全风险', other: '其他理由',
};

export const EXTENSION_STATUS = { requested: '待主管部门审批', granted: '已同意延长', refused: '不同意延长', lapsed: '已失效' };

export const SENT_STATES = ['sent', 'supplement_requested', 'resubmitted'];
const AWAITING_REPLY = ['sent', 'resubmitted'];

/** '12 个月' or '至2027年8月31日'. */
export function timeLimitText(t) {
  if (!t) return '';
  if (t.months) return `自同意之日起 ${t.months} 个月`;
  if (t.until) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t.until);
    return m ? `至${+m[1]}年${+m[2]}月${+m[3]}日` : t.until;
  }
  return '';
}

const has = (person, role) => (person.roles || []).includes(role);
const office = (person) => has(person, 'office_head') || has(person, 'office_staff');

/**
 * The acts the person may take on app now, by the rules of
 * docs/applications.md ("Who may do what"); the API checks them again.
 */
export function actsFor(person, app) {
  const dept = person.department_id || '';
  const consumer = office(person) && dept === app.consumer_id;
  const provider = office(person) && dept === app.provider_id;
  const head = has(person, 'office_head');
  const s = app.state;
  const x = app.extension;
  return {
    submit: consumer && s === 'draft',
    send: consumer && head && (s === 'draft' || s === 'awaiting_approval'),
    edit: consumer && (s === 'draft' || s === 'awaiting_approval'),
    resubmit: consumer && head && s === 'supplement_requested',
    resubmitByHead: consumer && !head && s === 'supplement_requested',
    withdraw: consumer && ['draft', 'awaiting_approval', ...SENT_STATES].includes(s),
    supplement: provider && s === 'sent' && !app.supplement_request && !x,
    extension: provider && AWAITING_REPLY.includes(s) && !x,
    reply: provider && head && AWAITING_REPLY.includes(s),
    replyByHead: provider && !head && AWAITING_REPLY.includes(s),
    decideExtension: has(person, 'authority_reviewer') && !!x && x.status === 'requested'
      && dept === x.authority_id && AWAITING_REPLY.includes(s),
  };
}

// Department names, fetched once per page load.
const departments = new Map();

/** deptName(id) → the department's name, or '' when it cannot be read. */
export async function deptName(id) {
  if (!id) return '';
  if (!departments.has(id)) {
    departments.set(id, get('/departments/' + encodeURIComponent(id)).then((d) => d.name, () => ''));
  }
  return departments.get(id);
}

/** deptNames([ids]) → Map id → name. */
export async function deptNames(ids) {
  const unique = [...new Set(ids.filter(Boolean))];
  const names = await Promise.all(unique.map(deptName));
  return new Map(unique.map((id, i) => [id, names[i]]));
}

// The working-day calendar, as the server counts it: today is the
// platform's date (GET /calendar), not the browser's, and a day is a working
// day when it is a make-up day, or a weekday outside every holiday.
let today = null;
const years = new Map();

async function serverToday() {
  if (!today) today = get('/calendar').then((s) => s.today);
  return today;
}

async function year(n) {
  if (!years.has(n)) years.set(n, get('/calendar/years/' + n).catch(() => null));
  return years.get(n);
}

const civil = (s) => { const [y, m, d] = s.split('-').map(Number); return new Date(Date.UTC(y, m - 1, d)); };
const iso = (d) => d.toISOString().slice(0, 10);

async function working(day) {
  const y = await year(day.getUTCFullYear());
  if (!y) throw new Error('unknown year');
  const s = iso(day);
  if ((y.make_up_working_days || []).some((m) => m.date === s)) return true;
  if ((y.holidays || []).some((h) => h.from <= s && s <= h.to)) return false;
  const wd = day.getUTCDay();
  return wd !== 0 && wd !== 6;
}

/** Working days after from up to and including to (0 when to is not after from). */
async function workingDaysBetween(from, to) {
  let n = 0;
  for (let d = civil(from), end = civil(to); ;) {
    d = new Date(d.getTime() + 86400000);
    if (d > end) return n;
    if (await working(d)) n++;
  }
}

/**
 * The deadline that runs now on app, as lib/format.js deadline() shows it
 * ({text, cls}), with due, rule and kind (答复期限 or 共享数据期限); or a
 * plain word when none runs.
 */
export async function currentDeadline(app) {
  let d = null;
  let kind = '';
  if (AWAITING_REPLY.includes(app.state)) [d, kind] = [app.reply_deadline, '答复期限'];
  else if (app.state === 'approved' && app.reply && !app.delivered) [d, kind] = [app.reply.delivery_deadline, '共享数据期限'];
  if (app.state === 'supplement_requested') return { cls: 'deadline-none', text: '答复期限暂停（待补充材料）', kind: '' };
  if (!d) return { cls: 'deadline-none', text: '—', kind: '' };
  const item = { due: d.due, rule: d.rule };
  try {
    const t = await serverToday();
    if (t > d.due) {
      item.overdue = true;
      item.working_days_left = -(await workingDaysBetween(d.due, t));
    } else {
      item.working_days_left = await workingDaysBetween(t, d.due);
    }
  } catch {
    // Without the calendar the count is unknown; deadline() says '—'.
  }
  return { ...deadline(item), due: d.due, rule: d.rule, kind };
}

/**
 * A problem from the API with its field named as the application forms
 * name their controls: items[2] → items (the fieldset of data items),
 * reasons[0] → reasons (one textarea, a reason a line).
 */
export function formField(problem) {
  const field = (problem.field || '').replace(/^(items|reasons)\[\d+\]$/, '$1');
  if (field === problem.field) return problem;
  return Object.assign(Object.create(Object.getPrototypeOf(problem)), problem, { field });
}
