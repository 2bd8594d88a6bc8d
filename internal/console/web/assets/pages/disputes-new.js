// Opening a dispute (POST /api/v1/disputes): a sharing office names the
// other party, whether its own department is the consumer or the provider,
// optionally the application, grant or catalog entry in dispute, the matter
// and its claim. The platform fixes the coordinating authority from the two
// departments' places and opens the negotiation.
import { h, replace } from '../lib/dom.js';
import { get, post, qs } from '../lib/api.js';
import { onSubmit } from '../lib/problems.js';
import { SUBJECT_TYPES } from '../lib/disputes.js';

export const title = '发起共享争议';

let seq = 0;

export async function render({ main, query, session, navigate }) {
  const mine = session.person.department_id || '';
  const page = await get('/departments' + qs({ limit: 500 }));
  const others = (page.items || []).filter((d) => d.id !== mine);
  const id = (n) => `dispute-${n}-${++seq}`;

  const respondentId = id('respondent');
  const respondent = h('select', { id: respondentId, name: 'respondent_id' },
    h('option', { value: '' }, '请选择对方部门'),
    others.map((d) => h('option', { value: d.id, selected: d.id === query.get('respondent_id') }, d.name)));
  const asId = id('as');
  const as = h('select', { id: asId, name: 'as' },
    h('option', { value: 'consumer' }, '需求部门（本部门需要对方的数据）'),
    h('option', { value: 'provider' }, '提供部门（对方需要本部门的数据）'));
  const typeId = id('subject-type');
  const subjectType = h('select', { id: typeId, name: 'subject.type' },
    h('option', { value: '' }, '不针对具体对象'),
    Object.entries(SUBJECT_TYPES).map(([v, t]) => h('option', { value: v, selected: v === query.get('subject_type') }, t)));
  const subjectIdId = id('subject-id');
  const subjectId = h('input', { id: subjectIdId, name: 'subject.id', value: query.get('subject_id') || '' });
  const matterId = id('matter');
  const claimId = id('claim');

  const form = h('form', { class: 'dispute-open', 'data-testid': 'dispute-open' },
    h('div', { class: 'field' }, h('label', { for: respondentId }, '对方部门'), respondent),
    h('div', { class: 'field' }, h('label', { for: asId }, '本部门身份'),
      h('small', { class: 'hint' }, '选择争议对象时，本部门身份以该对象为准。'), as),
    h('div', { class: 'field' }, h('label', { for: typeId }, '争议对象（可选）'), subjectType),
    h('div', { class: 'field' }, h('label', { for: subjectIdId }, '争议对象编号'), subjectId),
    h('div', { class: 'field' }, h('label', { for: matterId }, '争议事项'), h('input', { id: matterId, name: 'matter', maxlength: 200 })),
    h('div', { class: 'field' }, h('label', { for: claimId }, '本方主张'), h('textarea', { id: claimId, name: 'claim', rows: 4 })),
    h('p', { class: 'hint' }, '发起后双方先行协商，协商期限为10个工作日（平台默认，条例未规定期限）；协商不成的，可申请主管部门协调处理。'),
    h('button', { type: 'submit' }, '发起争议'));

  onSubmit(form, async () => {
    const body = { respondent_id: respondent.value, as: as.value, matter: form.querySelector('[name="matter"]').value,
      claim: form.querySelector('[name="claim"]').value };
    if (subjectType.value) {
      body.subject = { type: subjectType.value, id: subjectId.value.trim() };
      delete body.as; // the subject says which side the department is on
    }
    const d = await post('/disputes', body);
    await navigate('/console/disputes/' + encodeURIComponent(d.id));
  });

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/disputes' }, '共享争议'), ' / 发起争议'),
    h('h1', {}, '发起共享争议'),
    form);
}
