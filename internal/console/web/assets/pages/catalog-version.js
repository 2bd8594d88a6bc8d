// One version of a catalog entry (GET /api/v1/catalog/entries/{id}/versions/{n}):
// its content, review and dates, and what changed since the version before
// it among those this person may read. A version the person may not read is
// answered 404 and shown as the not-found page by the router.
import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { CATALOG_STATES, GRADES, SHARING_ATTRIBUTES, DELIVERY_METHODS, DATA_TYPES, label } from '../lib/labels.js';
import { comparison, versionHref, versionPeople, submittedBy, decidedBy } from '../lib/catalog-versions.js';

export const title = '目录版本';

export async function render({ main, params }) {
  const base = '/catalog/entries/' + encodeURIComponent(params.id);
  const [e, v, all] = await Promise.all([
    get(base), get(base + '/versions/' + encodeURIComponent(params.n)), get(base + '/versions'),
  ]);
  const versions = all.items || [];
  const prev = versions.filter((x) => x.number < v.number).sort((a, b) => b.number - a.number)[0] || null;
  const next = versions.filter((x) => x.number > v.number).sort((a, b) => a.number - b.number)[0] || null;
  const people = await versionPeople([v]);
  const r = v.review || {};
  document.title = `${v.name} 第 ${v.number} 版 · ${document.title}`;
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid }, value || '—')];
  const entryHref = '/console/catalog/entries/' + encodeURIComponent(e.id);
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/catalog' }, '数据目录'), ' / ',
      h('a', { href: entryHref }, e.name), ` / 第 ${v.number} 版`),
    h('h1', {}, `${v.name}（第 ${v.number} 版）`),
    h('p', { class: 'version-nav' },
      prev ? h('a', { href: versionHref(e.id, prev.number) }, `← 第 ${prev.number} 版`) : null,
      prev && next ? '　' : null,
      next ? h('a', { href: versionHref(e.id, next.number) }, `第 ${next.number} 版 →`) : null),
    h('dl', { class: 'facts' },
      row('提供部门', e.provider_name),
      row('状态', label(CATALOG_STATES, v.state), 'version-state'),
      row('信息资源代码', v.resource_code),
      row('共享属性', label(SHARING_ATTRIBUTES, v.sharing_attribute)),
      row('共享方式', (v.delivery_methods || []).map((m) => label(DELIVERY_METHODS, m)).join('、')),
      row('分级', label(GRADES, v.grade)),
      row('编制时间', formatDateTime(v.created_at)),
      row('最后修改', formatDateTime(v.updated_at)),
      r.submitted_at ? row('报送', `${formatDateTime(r.submitted_at)}，${submittedBy(r, e, people)}`) : null,
      r.decided_at ? row('审核', `${formatDateTime(r.decided_at)}，${decidedBy(r, people)}`) : null,
      r.opinion ? row('审核意见', r.opinion) : null,
      r.return_reasons ? row('退回理由', r.return_reasons) : null,
      row('发布日期', formatDate(v.published_at))),
    h('h2', {}, '摘要'),
    h('p', {}, v.abstract || '—'),
    h('h2', {}, '数据项'),
    h('table', { 'data-testid': 'version-items' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '数据项名称'), h('th', { scope: 'col' }, '类型'), h('th', { scope: 'col' }, '长度'),
        h('th', { scope: 'col' }, '主键'), h('th', { scope: 'col' }, '分级'), h('th', { scope: 'col' }, '说明'))),
      h('tbody', {}, (v.items || []).map((it) => h('tr', {},
        h('td', {}, it.name), h('td', {}, label(DATA_TYPES, it.data_type)), h('td', {}, it.length || ''),
        h('td', {}, it.is_key ? '是' : ''), h('td', {}, label(GRADES, it.grade)), h('td', {}, it.description || ''))))),
    comparison(prev, v),
    h('p', {}, h('a', { href: entryHref }, '返回目录详情')));
}
