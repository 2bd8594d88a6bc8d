// One catalog entry (GET /api/v1/catalog/entries/{id}): the version this
// person may see, with its data items. An entry the person may not see is
// answered 404 by the API and shown as the not-found page by the router.
import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { CATALOG_STATES, GRADES, SHARING_ATTRIBUTES, DELIVERY_METHODS, DATA_TYPES, label } from '../lib/labels.js';
import { actsFor, actForms, reviewFacts, assessmentFacts } from '../lib/catalog-acts.js'; // catalog editing and review area
import { notice } from '../lib/problems.js';
import { historySection, versionPeople } from '../lib/catalog-versions.js';
import { obligationsSection } from '../lib/catalog-obligations.js';
import { serviceChangeLink } from '../lib/service-changes.js';

export const title = '目录详情';

export async function render({ main, params, session, navigate }) {
  const base = '/catalog/entries/' + encodeURIComponent(params.id);
  const e = await get(base);
  // The versions this person may read, and the update obligations (Art. 17)
  // for those who may see them: the API refuses the others, who see no list.
  const [versions, obligations, cal] = await Promise.all([
    get(base + '/versions').then((l) => l.items || []),
    e.published_version ? get(base + '/changes').then((l) => l.items || [], hidden) : null,
    get('/calendar').catch(() => ({})),
  ]);
  const people = await versionPeople(versions);
  // After an act the page is read again, then says what was done.
  const done = async (url, text) => {
    await navigate(url, { replaceState: url === location.pathname });
    if (text) notice(main, text);
  };
  // Catalog editing and review area: the next acts this person may take, and the review and assessments.
  const acts = actsFor(session.person, e);
  const actSection = await actForms(e, acts, (text) => done(location.pathname, text));
  const working = e.state !== 'published' && e.state !== 'superseded';
  document.title = `${e.name} · ${document.title}`;
  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value || '—')];
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/catalog' }, '数据目录'), ' / 目录详情'),
    h('h1', {}, e.name),
    applyLink(e, session), // applications area: pages/applications-new.js
    serviceChangeLink(e, session), // service changes (Art. 27 ¶3): pages/service-changes-new.js
    h('dl', { class: 'facts' },
      row('提供部门', e.provider_name),
      row('状态', h('span', { 'data-testid': 'catalog-state' }, label(CATALOG_STATES, e.state))),
      row('信息资源代码', e.resource_code),
      row('共享属性', label(SHARING_ATTRIBUTES, e.sharing_attribute)),
      row('共享方式', (e.delivery_methods || []).map((m) => label(DELIVERY_METHODS, m)).join('、')),
      row('分级', label(GRADES, e.grade)),
      row('版本', `第 ${e.version_number} 版`),
      row('发布日期', formatDate(e.published_at))),
    h('h2', {}, '摘要'),
    h('p', {}, e.abstract || '—'),
    h('h2', {}, '数据项'),
    h('table', {},
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '数据项名称'), h('th', { scope: 'col' }, '类型'),
        h('th', { scope: 'col' }, '主键'), h('th', { scope: 'col' }, '分级'), h('th', { scope: 'col' }, '说明'))),
      h('tbody', {}, (e.items || []).map((it) => h('tr', {},
        h('td', {}, it.name),
        h('td', {}, label(DATA_TYPES, it.data_type)),
        h('td', {}, it.is_key ? '是' : ''),
        h('td', {}, label(GRADES, it.grade)),
        h('td', {}, it.description || ''))))),
    reviewFacts(e), working || acts.edit ? assessmentFacts(e) : null, actSection, // catalog editing and review area
    obligations ? obligationsSection(e, obligations, session.person, cal.today || '', done) : null,
    historySection(e, versions, people));
}

// A list the API refuses to this person is not shown; other failures are the page's.
function hidden(err) {
  if (err && err.notFoundOrForbidden) return null;
  throw err;
}

// 申请共享: for a sharing office, on a published, shareable entry of another department.
function applyLink(e, session) {
  const p = session && session.person;
  if (!p || !p.department_id || p.department_id === e.provider_id) return null;
  if (!(p.roles || []).some((r) => r === 'office_head' || r === 'office_staff')) return null;
  if (e.state !== 'published' || e.sharing_attribute === 'not_shareable') return null;
  return h('p', { class: 'apply' },
    h('a', { class: 'button-link', href: '/console/applications/new?entry=' + encodeURIComponent(e.id) }, '申请共享'));
}
