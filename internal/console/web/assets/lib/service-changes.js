// Service changes (服务变更, Art. 27 ¶3; docs/service-changes.md): the names
// of their states and acts, and which acts a person may be offered. The API
// decides again on every command.
import { h } from './dom.js';

export const SC_STATES = {
  consulting: '协商中', filed: '已报备案', acknowledged: '已备案待生效', effective: '已生效', returned: '已退回', withdrawn: '已撤回',
};

export const SC_KINDS = { terminate: '终止共享服务', change: '变更共享服务' };

export const SC_POSITIONS = { agree: '同意', object: '有异议', no_answer: '期限届满未答复' };

export const SC_ACTIONS = {
  'service_change.propose': '提出服务变更并发起协商',
  'service_change.answer': '需求部门答复协商',
  'service_change.file': '报同级主管部门备案',
  'service_change.acknowledge': '主管部门予以备案',
  'service_change.return': '主管部门退回备案',
  'service_change.withdraw': '提供部门撤回',
  'service_change.effective': '变更生效',
};

const has = (person, role) => (person.roles || []).includes(role);

/**
 * The acts the person may be offered on change c, on the platform's date
 * today ('YYYY-MM-DD', from GET /calendar).
 */
export function scActsFor(person, c, today) {
  const dept = person.department_id || '';
  const providerHead = has(person, 'office_head') && dept === c.provider_id;
  const consumer = (c.consumers || []).find((k) => k.department_id === dept);
  const authority = has(person, 'authority_reviewer') && dept === c.authority_id;
  const open = ['consulting', 'filed', 'acknowledged'].includes(c.state);
  const allAnswered = (c.consumers || []).every((k) => k.answer);
  const closed = allAnswered || (c.consultation && c.consultation.due < today);
  const due = c.state === 'acknowledged' && c.effective_date <= today;
  return {
    answer: c.state === 'consulting' && !!consumer && !consumer.answer && has(person, 'office_head'),
    answerByHead: c.state === 'consulting' && !!consumer && !consumer.answer && !has(person, 'office_head'),
    file: c.state === 'consulting' && providerHead && closed,
    decide: c.state === 'filed' && authority,
    effect: due && (providerHead || authority),
    withdraw: open && providerHead,
  };
}

/** What the change alters, in one line. */
export function changesText(c, methodLabel) {
  if (c.kind === 'terminate') return '终止该目录的全部共享服务，相关共享授权届时终止';
  const ch = c.changes || {};
  const parts = [];
  if (ch.items_removed && ch.items_removed.length) parts.push('停止提供数据项：' + ch.items_removed.join('、'));
  if (ch.delivery_method) parts.push('共享方式改为：' + methodLabel(ch.delivery_method));
  if (ch.description) parts.push(ch.description);
  return parts.join('；');
}

/**
 * serviceChangeLink(entry, session) → on a published entry's page, for the
 * provider's office head, the link to propose ending or changing its service.
 */
export function serviceChangeLink(e, session) {
  const p = session && session.person;
  if (!p || !p.department_id || p.department_id !== e.provider_id || !(p.roles || []).includes('office_head')) return null;
  if (!e.published_version) return null;
  return h('p', { class: 'apply' },
    h('a', { class: 'button-link', href: '/console/service-changes/new?entry_id=' + encodeURIComponent(e.id), 'data-testid': 'sc-propose-link' },
      '终止或变更共享服务'));
}
