// One grant (GET /api/v1/grants/{id}): who gives what to whom, for which
// purpose, how, until when and under which conditions and limits; its
// history; its calls per day (GET …/usage); for a batch-exchange grant its
// push subscriptions and how far each has gone; for a file-download grant
// its files (lib/grant-files.js: the consumer's office downloads them here); its suspension and rectification, its disposal, and
// the forms of the acts the person may take now (lib/grant-acts.js). A grant
// the person may not see is 404 (the router shows the not-found page).
import { h, replace } from '../lib/dom.js';
import { get, post, put, qs, Problem } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { DELIVERY_METHODS, SUSPEND_GROUNDS, DISPOSAL_METHODS, DISPOSAL_REASONS, label } from '../lib/labels.js';
import { message, attempt, notice } from '../lib/problems.js';
import { grantActsFor, grantActionForms } from '../lib/grant-acts.js';
import { GRANT_STATES, GRANT_ACTIONS, SUBSCRIPTION_STATES, departmentNames } from '../lib/delivery.js';
import { usageFigure } from '../lib/delivery-chart.js';
import { grantFiles, filesSection } from '../lib/grant-files.js';
import { personNames, who } from '../lib/people.js';
import { usageStatusSection } from '../lib/correction-acts.js';
import { allowed } from '../lib/roles.js';
import { match } from '../routes.js';

export const title = '共享授权详情';

export async function render({ main, params, query, session, navigate }) {
  const id = params.id;
  const g = await get('/grants/' + encodeURIComponent(id));
  const from = query.get('from') || '';
  const to = query.get('to') || '';
  const [usage, subs, files] = await Promise.all([
    get(`/grants/${encodeURIComponent(id)}/usage` + qs({ from, to })).catch(asProblem),
    g.delivery_method === 'batch_exchange'
      ? get('/exchange/subscriptions' + qs({ grant_id: id, kind: 'push', limit: 50 })).catch(asProblem) : null,
    grantFiles(session.person, g),
  ]);
  const [names, people] = await Promise.all([
    departmentNames([g.consumer_id, g.provider_id, ...(g.history || []).map((c) => c.department_id),
      ...(g.consents || []).map((c) => c.third_department_id), g.suspension && g.suspension.department_id]),
    personNames([...(g.history || []).map((c) => c.actor_id), ...(g.consents || []).map((c) => c.by)]),
  ]);
  const acts = grantActsFor(session.person, g);
  // The platform's date bounds the date fields (not the browser's clock).
  const [today, departments] = await Promise.all([
    acts.suspend || acts.dispose ? get('/calendar').then((c) => c.today, () => '') : '',
    acts.consent ? get('/departments' + qs({ limit: 500 })).then((d) => d.items, () => null) : null,
  ]);
  // Each act sends the version read here, then the page is read again and says what was done.
  const run = (form, path, body, done, method = 'POST') => attempt(form, async () => {
    const send = method === 'PUT' ? put : post;
    await send(`/grants/${encodeURIComponent(id)}/${path}`, { ...body, version: g.version });
    await navigate(location.pathname + location.search, { replaceState: true });
    notice(main, done);
  });
  document.title = `${g.entry_name || g.entry_id} · ${document.title}`;

  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value === '' || value === undefined || value === null ? '—' : value)];
  const list = (xs) => (xs && xs.length ? h('ul', { class: 'plain' }, xs.map((x) => h('li', {}, x))) : '—');

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/grants' }, '共享授权'), ' / 授权详情'),
    h('h1', {}, g.entry_name || g.entry_id),
    h('dl', { class: 'facts', 'data-testid': 'grant-facts' },
      row('状态', h('span', { class: 'grant-state grant-state-' + g.state }, label(GRANT_STATES, g.state))),
      row('需求部门', names[g.consumer_id]),
      row('提供部门', names[g.provider_id]),
      row('数据目录', h('a', { href: '/console/catalog/entries/' + encodeURIComponent(g.entry_id) }, `${g.entry_name || g.entry_id}（第 ${g.entry_version} 版）`)),
      row('授权数据项', list(g.items)),
      row('明文返回的敏感数据项', list(g.clear_items)),
      row('使用场景', g.purpose && g.purpose.scenario),
      row('使用范围', g.purpose && g.purpose.scope),
      row('共享方式', label(DELIVERY_METHODS, g.delivery_method)),
      row('有效期至', `${formatDate(g.valid_until)}（含当日）`),
      row('使用条件', g.conditions),
      row('调用限制', g.limits ? `每秒不超过 ${g.limits.per_second} 次，每日不超过 ${g.limits.per_day} 次` : ''),
      g.disposal_due ? row('处置期限', h('span', { 'data-testid': 'disposal-due' }, formatDate(g.disposal_due.due),
        h('small', { class: 'rule' }, g.disposal_due.rule))) : null,
      row('授权编号', h('code', {}, g.id))),
    related(session.person, id),
    // The usage status and correction requests (Art. 26): lib/correction-acts.js.
    await usageStatusSection(session.person, g, navigate),
    suspensionSection(g, names),
    disposalSection(g),
    grantActionForms(g, acts, run, today, departments),
    usageSection(g, usage, from, to, navigate),
    subs ? subscriptionsSection(subs) : null,
    g.delivery_method === 'file_download' ? filesSection(g, files, main) : null,
    h('h2', {}, '授权变更记录'),
    h('table', { class: 'grant-history', 'data-testid': 'grant-history' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '时间'), h('th', { scope: 'col' }, '操作'),
        h('th', { scope: 'col' }, '办理部门及人员'), h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '理由'))),
      h('tbody', {}, (g.history || []).map((c) => h('tr', { 'data-action': c.action },
        h('td', {}, formatDateTime(c.at)), h('td', {}, label(GRANT_ACTIONS, c.action)),
        h('td', { class: 'who' }, who(names[c.department_id], people.get(c.actor_id)) || '—'),
        h('td', {}, c.from ? `${label(GRANT_STATES, c.from)} → ${label(GRANT_STATES, c.to)}` : label(GRANT_STATES, c.to)),
        h('td', {}, [...(c.reasons || []), c.evidence ? '证据：' + c.evidence : ''].filter(Boolean).join('；') || '—'))))),
    g.consents && g.consents.length ? [
      h('h2', {}, '同意转至第三方（第二十五条）'),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '第三方部门'), h('th', { scope: 'col' }, '用途'), h('th', { scope: 'col' }, '时间'),
          h('th', { scope: 'col' }, '同意人'))),
        h('tbody', {}, g.consents.map((c) => h('tr', {},
          h('td', {}, names[c.third_department_id]), h('td', {}, c.purpose), h('td', {}, formatDateTime(c.at)),
          h('td', {}, who(names[g.provider_id], people.get(c.by)) || '—'))))),
    ] : null);
}

// The latest suspension (Art. 27 ¶2): grounds, reasons, evidence, the
// deadline for rectification, the consumer's reports and how it ended.
function suspensionSection(g, names) {
  const s = g.suspension;
  if (!s) return null;
  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value || '—')];
  const outcome = { resumed: '已恢复', terminated: '已终止共享' };
  return h('section', { 'aria-labelledby': 'suspension-h', 'data-testid': 'grant-suspension' },
    h('h2', { id: 'suspension-h' }, '暂停与整改'),
    h('dl', { class: 'facts' },
      row('暂停部门', names[s.department_id]),
      row('暂停时间', formatDateTime(s.at)),
      row('暂停依据', label(SUSPEND_GROUNDS, s.grounds)),
      row('暂停理由', (s.reasons || []).join('；')),
      row('证据材料', s.evidence),
      // A suspension from before deadlines were recorded has none.
      row('整改期限', s.rectify_by && s.rectify_by.due
        ? [formatDate(s.rectify_by.due), h('small', { class: 'rule' }, s.rectify_by.rule)] : '未设定'),
      row('结果', s.outcome ? `${outcome[s.outcome] || s.outcome}（${formatDateTime(s.closed_at)}）` : '整改中')),
    (s.reports || []).length === 0
      ? h('p', { class: 'empty' }, '需求部门尚未报告整改情况。')
      : h('table', { 'data-testid': 'rectification-reports' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '报告时间'), h('th', { scope: 'col' }, '整改措施和结果'), h('th', { scope: 'col' }, '证明材料'))),
        h('tbody', {}, s.reports.map((r) => h('tr', {},
          h('td', {}, formatDateTime(r.at)), h('td', {}, r.actions), h('td', {}, r.evidence))))));
}

// The provider's requirement and the consumer's record of disposal (Art. 27 ¶1).
function disposalSection(g) {
  const r = g.disposal_requirement;
  const d = g.disposal;
  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value || '—')];
  return h('section', { 'aria-labelledby': 'disposal-h', 'data-testid': 'grant-disposal' },
    h('h2', { id: 'disposal-h' }, '妥善处置'),
    h('dl', { class: 'facts' },
      row('提供部门的处置要求', r ? `${label(DISPOSAL_METHODS, r.method)}${r.text ? '：' + r.text : ''}` : '未提出（按平台默认：删除销毁）'),
      d ? [
        row('处置方式', label(DISPOSAL_METHODS, d.method)),
        row('处置情况', d.actions),
        row('处置日期', formatDate(d.done_on)),
        row('证明材料', d.evidence),
        d.reason ? row('提前处置理由', `${label(DISPOSAL_REASONS, d.reason)}：${d.reason_text}`) : null,
        row('登记时间', formatDateTime(d.at)),
      ] : row('处置情况', g.disposal_due ? '尚未处置' : '授权有效期内，目的实现、无法实现或不再必要时处置')));
}

// The grant's record of acts and its usage records are the records pages'
// (pages/records-*.js): linked when the console has them and the person may open them.
function related(person, id) {
  const links = [
    ['/console/records/trail/grant/' + encodeURIComponent(id), '操作与数据访问记录'],
    ['/console/records/grants/' + encodeURIComponent(id), '数据使用记录'],
  ].filter(([href]) => {
    const m = match(href);
    return m && allowed(person, m.route.roles);
  });
  return links.length ? h('p', { class: 'related' }, links.map(([href, text], i) => [i ? ' · ' : '', h('a', { href }, text)])) : null;
}

/** A refused side request shows as a message in its section, not as a failed page. */
function asProblem(err) {
  if (err instanceof Problem) return err;
  throw err;
}

function usageSection(g, usage, from, to, navigate) {
  const id = g.id;
  const form = h('form', { class: 'search usage-range' },
    h('label', { for: 'usage-from' }, '起始日期'), h('input', { id: 'usage-from', name: 'from', type: 'date', value: from }),
    h('label', { for: 'usage-to' }, '截止日期'), h('input', { id: 'usage-to', name: 'to', type: 'date', value: to }),
    h('button', { type: 'submit' }, '查看'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(`/console/grants/${encodeURIComponent(id)}` + qs({ from: form.from.value, to: form.to.value }));
  });
  return h('section', { 'aria-labelledby': 'usage-h' },
    h('h2', { id: 'usage-h' }, '调用统计'),
    h('p', { class: 'lead' }, '需求部门应用系统通过服务接口的调用，按北京时间逐日统计；默认显示最近 30 日。',
      g.delivery_method === 'service_interface' ? '' : `本授权的共享方式为${label(DELIVERY_METHODS, g.delivery_method)}，不经服务接口调用。`),
    form,
    usage instanceof Problem
      ? h('p', { class: 'form-error', role: 'alert' }, message(usage))
      : usageFigure(usage));
}

function subscriptionsSection(subs) {
  const body = subs instanceof Problem
    ? h('p', { class: 'empty' }, message(subs))
    : subs.items.length === 0
      ? h('p', { class: 'empty' }, '该授权尚无推送订阅。需求部门的应用系统也可以通过签名网关自行拉取，拉取游标由需求部门保存，平台不记录。')
      : h('table', { 'data-testid': 'push-subscriptions' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '接收地址'), h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '已推送（行）'),
          h('th', { scope: 'col' }, '最近推送'), h('th', { scope: 'col' }, '进度'), h('th', { scope: 'col' }, '连续失败'))),
        h('tbody', {}, subs.items.map((s) => {
          const p = s.progress || {};
          return h('tr', {},
            h('td', {}, h('code', {}, s.endpoint_url || '—')),
            h('td', {}, label(SUBSCRIPTION_STATES, s.state)),
            h('td', {}, String(p.delivered_rows || 0)),
            h('td', {}, p.last_delivery_at ? formatDateTime(p.last_delivery_at) : '尚未推送'),
            h('td', {}, p.cursor ? '已确认接收到游标位置，下次从此继续' : '从全量快照开始'),
            h('td', {}, p.attempts
              ? `${p.attempts} 次（${p.last_error || p.last_status || ''}），下次重试 ${formatDateTime(p.next_attempt_at)}`
              : '无'));
        })));
  return h('section', { 'aria-labelledby': 'subs-h' }, h('h2', { id: 'subs-h' }, '批量交换推送'), body);
}

