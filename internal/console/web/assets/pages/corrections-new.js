// Filing a correction request (POST /api/v1/corrections), opened from a
// grant's page (?grant=ID) by the consumer's sharing office: the rows and
// the granted data items believed wrong, inaccurate or incomplete, a
// description and evidence. The provider's correction rules and channel are
// shown beside the form.
import { h, replace } from '../lib/dom.js';
import { get, post } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { onSubmit } from '../lib/problems.js';
import { deptNames } from '../lib/applications.js';
import { CORRECTION_KINDS, lines, listField } from '../lib/correction.js';
import { area, itemChecks } from '../lib/correction-acts.js';

export const title = '提出校核申请';

export async function render({ main, query, navigate }) {
  const grantId = query.get('grant') || '';
  if (!grantId) {
    replace(main, h('h1', {}, '提出校核申请'), h('p', { class: 'empty' }, '请在“共享授权”中打开本部门的授权，再点击“提出校核申请”。'));
    return;
  }
  const g = await get('/grants/' + encodeURIComponent(grantId));
  const [names, rules] = await Promise.all([deptNames([g.provider_id]), get('/departments/' + encodeURIComponent(g.provider_id) + '/correction-rules')]);
  const current = rules.items[0];

  const kind = h('fieldset', { name: 'kind', tabindex: '-1' }, h('legend', {}, '问题类型'),
    Object.entries(CORRECTION_KINDS).map(([v, t], i) => h('div', { class: 'check' },
      h('input', { type: 'radio', id: 'corr-kind-' + v, name: 'kind', value: v, checked: i === 0 }), h('label', { for: 'corr-kind-' + v }, t))));
  const items = itemChecks('items', '有问题的数据项（授权范围内）', g.items || []);
  const form = h('form', { class: 'correction-new', 'data-testid': 'correction-form' },
    kind,
    area('rows', '有问题的数据记录', '每行一条，写明主键，例如：统一社会信用代码 91330106MA2A000011。'),
    items,
    area('description', '问题描述', '说明哪里不准确或不完整，以及应当是什么。'),
    area('evidence', '依据材料（可选）', '例如：企业提交的变更登记通知书文号。'),
    h('p', { class: 'hint' }, '提交后提供部门即时收到，应当自收到之日起10个工作日内核实、更正并反馈。'),
    h('button', { type: 'submit' }, '提交校核申请'));
  onSubmit(form, async () => {
    const r = await post('/corrections', { grant_id: g.id, kind: form.querySelector('[name="kind"]:checked').value,
      rows: lines(form.querySelector('[name="rows"]').value),
      items: [...items.querySelectorAll('input:checked')].map((i) => i.value),
      description: form.querySelector('[name="description"]').value, evidence: form.querySelector('[name="evidence"]').value });
    await navigate('/console/corrections/' + encodeURIComponent(r.id));
  }, listField);

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/corrections' }, '数据校核'), ' / 提出校核申请'),
    h('h1', {}, '提出校核申请'),
    h('dl', { class: 'facts' },
      h('dt', {}, '共享授权'), h('dd', {}, h('a', { href: '/console/grants/' + encodeURIComponent(g.id) }, g.entry_name)),
      h('dt', {}, '提供部门'), h('dd', {}, names.get(g.provider_id))),
    h('section', { 'aria-labelledby': 'corr-rules-h', class: 'correction-rules', 'data-testid': 'provider-rules' },
      h('h2', { id: 'corr-rules-h' }, '提供部门的校核纠错规则与纠错渠道'),
      current ? rulesView(current) : h('p', { class: 'empty' }, '提供部门尚未公布校核纠错规则；可通过本平台提出校核申请。')),
    form);
}

/** The facts of one version of a department's rules. */
export function rulesView(r) {
  return h('dl', { class: 'facts' },
    h('dt', {}, '校核纠错规则'), h('dd', {}, r.rules.split('\n').filter(Boolean).map((l) => h('p', {}, l))),
    h('dt', {}, '纠错渠道'), h('dd', {}, '本平台校核申请；', `${r.contact}，电话 ${r.phone}`, r.url ? ['；', h('a', { href: r.url, rel: 'noopener noreferrer' }, r.url)] : ''),
    r.note ? [h('dt', {}, '备注'), h('dd', {}, r.note)] : null,
    h('dt', {}, '版本'), h('dd', {}, `第 ${r.version} 版，${formatDateTime(r.created_at)} 公布`));
}
