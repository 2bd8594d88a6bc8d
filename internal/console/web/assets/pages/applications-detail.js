// One application (GET /api/v1/applications/{id}): what was applied for,
// its state and running deadline, the supplement request, extension and
// reply, the timeline of every act, and the acts the person may take now.
// Each act is a command carrying the version read here; a stale version is
// refused (409 conflict.version) and said so beside the form. An application
// the person may not see is answered 404 and shown as the not-found page.
import { h, replace } from '../lib/dom.js';
import { get, post } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { showProblem, clearProblems } from '../lib/problems.js';
import { DELIVERY_METHODS, SHARING_ATTRIBUTES, label } from '../lib/labels.js';
import {
  APPLICATION_STATES, HISTORY_ACTIONS, REASON_CATEGORIES, EXTENSION_STATUS,
  actsFor, currentDeadline, deptNames, formField, timeLimitText,
} from '../lib/applications.js';
import { actionForms } from '../lib/applications-acts.js';
import { personNames, who, whoSpan } from '../lib/people.js';

export const title = '申请详情';

export async function render({ main, params, session, navigate }) {
  const app = await get('/applications/' + encodeURIComponent(params.id));
  const [names, people] = await Promise.all([
    deptNames([app.consumer_id, app.provider_id, ...app.history.map((e) => e.department_id)]),
    personNames(app.history.map((e) => e.actor_id)),
  ]);
  const d = await currentDeadline(app);
  document.title = `${app.entry_name} · ${document.title}`;
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value || '—')];

  // After an act, the page is read again: the answer of the next GET is the truth.
  const reload = () => navigate(location.pathname, { replaceState: true });
  const run = async (form, act, body) => {
    clearProblems(form);
    const buttons = form.querySelectorAll('button');
    for (const b of buttons) b.disabled = true;
    try {
      await post('/applications/' + encodeURIComponent(app.id) + '/' + act, { ...body, version: app.version });
    } catch (err) {
      for (const b of buttons) b.disabled = false;
      if (err.status === undefined) throw err;
      showProblem(form, formField(err));
      return;
    }
    await reload();
  };
  const acts = actsFor(session.person, app);

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/applications' }, '共享申请'), ' / 申请详情'),
    h('h1', {}, app.entry_name),
    h('p', { class: 'status-line' },
      h('span', { class: 'state state-' + app.state, 'data-testid': 'app-state' }, label(APPLICATION_STATES, app.state)),
      ' ', d.kind ? h('span', { class: 'deadline-kind' }, d.kind + '：') : null,
      h('span', { class: 'deadline ' + d.cls, 'data-testid': 'app-deadline' }, d.text)),
    h('dl', { class: 'facts' },
      row('申请目录', h('a', { href: '/console/catalog/entries/' + encodeURIComponent(app.entry_id) }, `${app.entry_name}（第 ${app.entry_version} 版）`)),
      row('需求部门', names.get(app.consumer_id)),
      row('提供部门', names.get(app.provider_id)),
      row('共享属性', label(SHARING_ATTRIBUTES, app.attribute)),
      row('所需数据项', app.items.join('、'), 'app-items'),
      row('依据', app.legal_basis, 'app-legal-basis'),
      row('应用场景', app.scenario, 'app-scenario'),
      row('使用范围', app.scope, 'app-scope'),
      row('共享方式', label(DELIVERY_METHODS, app.delivery_method), 'app-method'),
      row('使用时限', timeLimitText(app.time_limit), 'app-time-limit'),
      app.sent_at ? row('发送日期', formatDate(app.sent_at)) : null,
      app.reply_deadline ? row('答复期限', [formatDate(app.reply_deadline.due), h('small', { class: 'rule' }, app.reply_deadline.rule)]) : null),
    supplementSection(app),
    extensionSection(app),
    replySection(app),
    actionForms(app, acts, run),
    timeline(app, names, people),
    durations(app));
}

function supplementSection(app) {
  const s = app.supplement_request;
  if (!s) return null;
  return h('section', { 'aria-labelledby': 'supplement-heading' },
    h('h2', { id: 'supplement-heading' }, '补充材料'),
    h('p', {}, `提供部门于 ${formatDate(s.at)} 一次性告知需补充的材料`,
      s.stopped_deadline ? `（原答复期限 ${formatDate(s.stopped_deadline.due)} 停止计算）` : '', '：'),
    h('table', { class: 'supplement' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '事项'), h('th', { scope: 'col' }, '需补充的内容'), h('th', { scope: 'col' }, '补充答复'))),
      h('tbody', {}, s.missing.map((m, i) => h('tr', {},
        h('td', {}, m.item), h('td', {}, m.what), h('td', {}, (s.answers && s.answers[i]) || '尚未答复'))))),
    s.answered_at ? h('p', {}, `需求部门负责人于 ${formatDate(s.answered_at)} 补充材料并重新提交。`) : null);
}

function extensionSection(app) {
  const x = app.extension;
  if (!x) return null;
  return h('section', { 'aria-labelledby': 'extension-heading' },
    h('h2', { id: 'extension-heading' }, '延长答复期限'),
    h('dl', { class: 'facts' },
      h('dt', {}, '申请延长'), h('dd', {}, `${x.days} 个工作日（${formatDate(x.requested_at)} 申请）`),
      h('dt', {}, '理由'), h('dd', {}, x.reason),
      h('dt', {}, '审批结果'), h('dd', { 'data-testid': 'extension-status' }, label(EXTENSION_STATUS, x.status)),
      x.note ? [h('dt', {}, '审批意见'), h('dd', {}, x.note)] : null,
      x.previous_deadline ? [h('dt', {}, '原答复期限'), h('dd', {}, formatDate(x.previous_deadline.due))] : null));
}

function replySection(app) {
  const r = app.reply;
  if (!r) return null;
  const approve = r.decision === 'approve';
  return h('section', { 'aria-labelledby': 'reply-heading' },
    h('h2', { id: 'reply-heading' }, '答复'),
    h('dl', { class: 'facts' },
      h('dt', {}, '答复结论'), h('dd', { 'data-testid': 'reply-decision' }, approve ? '同意共享' : '不同意共享'),
      h('dt', {}, '答复日期'), h('dd', {}, formatDate(r.at)),
      approve && r.grant ? [h('dt', {}, '使用条件'), h('dd', { 'data-testid': 'reply-conditions' }, r.grant.conditions || '无附加条件')] : null,
      approve && r.delivery_deadline
        ? [h('dt', {}, '共享期限'), h('dd', {}, formatDate(r.delivery_deadline.due), h('small', { class: 'rule' }, r.delivery_deadline.rule))]
        : null,
      app.delivered ? [h('dt', {}, '首次共享'), h('dd', {}, formatDate(app.delivered.at), app.delivered.on_time ? '（按期）' : '（逾期）')] : null,
      !approve ? [h('dt', {}, '理由类别'), h('dd', {}, label(REASON_CATEGORIES, r.reason_category))] : null,
      !approve ? [h('dt', {}, '理由'), h('dd', {}, h('ul', {}, (r.reasons || []).map((s) => h('li', {}, s))))] : null));
}

function timeline(app, names, people) {
  const events = [...app.history].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return h('section', { 'aria-labelledby': 'timeline-heading' },
    h('h2', { id: 'timeline-heading' }, '办理过程'),
    h('ol', { class: 'timeline', 'data-testid': 'timeline' }, events.map((e) => h('li', { 'data-action': e.action },
      h('time', { datetime: e.at }, formatDateTime(e.at)),
      h('span', { class: 'act' }, label(HISTORY_ACTIONS, e.action)),
      whoSpan(who(e.department_id && names.get(e.department_id), people.get(e.actor_id))),
      e.note && e.note !== label(HISTORY_ACTIONS, e.action) ? h('span', { class: 'note' }, e.note) : null,
      e.notify ? h('span', { class: 'notice' }, '已通知需求部门') : null))));
}

const STEPS = {
  'drafted→sent': '起草至发送', 'sent→supplement_requested': '发送至要求补充材料',
  'supplement_requested→resubmitted': '要求补充至重新提交', 'extension_requested→decided': '申请延期至审批',
  'resubmitted→replied': '重新提交至答复', 'sent→replied': '发送至答复',
};

function durations(app) {
  if (!app.durations || app.durations.length === 0) return null;
  return h('section', { 'aria-labelledby': 'durations-heading' },
    h('h2', { id: 'durations-heading' }, '各环节用时'),
    h('table', { class: 'durations' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '环节'), h('th', { scope: 'col' }, '工作日'), h('th', { scope: 'col' }, '小时'))),
      h('tbody', {}, app.durations.map((s) => h('tr', {},
        h('td', {}, STEPS[s.step] || s.step), h('td', {}, String(s.working_days)), h('td', {}, String(Math.round(s.hours * 10) / 10)))))));
}
