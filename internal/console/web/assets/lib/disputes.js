// Disputes (共享争议, Art. 28; docs/disputes.md): the names of their states,
// stages and records, and which acts a person may be offered. The API
// decides again on every command.
import { get } from './api.js';
import { label } from './labels.js';

export const DISPUTE_STATES = {
  negotiating: '协商中', coordinating: '协调处理中', referred: '已报本级人民政府决定', resolved: '已达成一致', decided: '人民政府已决定',
};

export const DISPUTE_STAGES = { negotiation: '协商', coordination: '主管部门协调处理', decision: '报请本级人民政府决定' };

export const DISPUTE_OUTCOMES = { agreed: '达成一致', failed: '未达成一致', decided: '已作出决定' };

export const DISPUTE_TIERS = {
  same_level: '同级政务数据共享主管部门（双方为同级部门）',
  common_superior: '共同的上级政务数据共享主管部门（跨层级或跨地域）',
};

export const DISPUTE_ROLES = { consumer: '需求部门', provider: '提供部门', authority: '主管部门' };

export const DISPUTE_RECORDS = {
  claim: '提出争议及主张', position: '陈述意见', opinion: '协调意见',
  proposal: '提出协议', confirmation: '确认协议，协商一致', rejection: '不同意协议', agreement: '经协调达成一致',
  failure: '协商不成，申请协调处理', referral: '报请本级人民政府决定', decision: '人民政府决定',
};

export const SUBJECT_TYPES = { application: '共享申请', grant: '共享授权', catalog_entry: '数据目录' };

/**
 * subjectNames(subjects) → Map "type:id" → the name of each subject. The API
 * names an application's or grant's subject (its entry's name) but not a
 * catalog entry's, so that name is read as the reader may read the entry
 * (GET /catalog/entries/{id}); an entry the reader may not see keeps no name.
 */
export async function subjectNames(subjects) {
  const out = new Map();
  const entries = new Set();
  for (const s of subjects.filter(Boolean)) {
    if (s.name) out.set(s.type + ':' + s.id, s.name);
    else if (s.type === 'catalog_entry') entries.add(s.id);
  }
  await Promise.all([...entries].map((id) => get('/catalog/entries/' + encodeURIComponent(id))
    .then((e) => { if (e.name) out.set('catalog_entry:' + id, e.name); }, () => {})));
  return out;
}

/** subjectText(subject, names) → "数据目录：name", the ID standing in for a name the reader may not read. */
export const subjectText = (s, names) => `${label(SUBJECT_TYPES, s.type)}：${names.get(s.type + ':' + s.id) || s.id}`;

export const DISPUTE_ACTIONS = {
  'dispute.open': '发起争议', 'dispute.position': '陈述意见', 'dispute.propose_agreement': '提出协议',
  'dispute.confirm_agreement': '确认协议，协商一致', 'dispute.reject_agreement': '不同意协议',
  'dispute.request_coordination': '协商不成，申请协调处理', 'dispute.coordinate': '协调处理',
  'dispute.decide': '登记人民政府决定',
};

const has = (person, role) => (person.roles || []).includes(role);

/**
 * negotiated(d, today): whether a party may declare negotiation failed —
 * each party has said something in it, or its period has run out (the
 * API's rule, dispute.not_negotiated).
 */
export function negotiated(d, today) {
  const st = d.stages[d.stages.length - 1];
  if (st && st.deadline && today > st.deadline.due) return true;
  const said = new Set(d.records.filter((r) => r.stage === 'negotiation').map((r) => r.as));
  return said.has('consumer') && said.has('provider');
}

/** The acts the person may be offered on dispute d now (today: YYYY-MM-DD). */
export function disputeActsFor(person, d, today) {
  const dept = person.department_id || '';
  const office = has(person, 'office_head') || has(person, 'office_staff');
  const party = office && (dept === d.consumer.department_id || dept === d.provider.department_id);
  const side = dept === d.consumer.department_id ? 'consumer' : 'provider';
  const coordinator = has(person, 'authority_reviewer') && dept === d.authority.department_id;
  const negotiating = party && d.state === 'negotiating';
  // A proposal waits for the other party: its proposer may revise it, the
  // other party confirms or rejects it (and proposes only after that).
  const theirs = Boolean(d.proposal) && d.proposal.as !== side;
  return {
    position: (party && ['negotiating', 'coordinating'].includes(d.state)) || (coordinator && ['coordinating', 'referred'].includes(d.state)),
    propose: negotiating && !theirs,
    answer: negotiating && theirs,
    requestCoordination: negotiating && negotiated(d, today),
    notYet: negotiating && !negotiated(d, today),
    coordinate: coordinator && d.state === 'coordinating',
    decide: coordinator && d.state === 'referred',
  };
}
