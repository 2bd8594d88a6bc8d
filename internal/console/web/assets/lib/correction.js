// Checking and correction of shared data (校核纠错, Art. 26): the Chinese
// names of the correction codes, and what a person may do with a request.
// The API decides again; these only choose what to offer.
import { inOffice } from './delivery.js';

export const CORRECTION_KINDS = { inaccurate: '不准确', incomplete: '不完整' };
export const CORRECTION_STATES = { open: '待核实反馈', corrected: '已更正', not_corrected: '经核实未更正' };
export const OUTCOMES = { corrected: '已更正', not_corrected: '经核实未更正' };
// A request filed in late December, whose 10 working days run into a year
// whose holiday notice is not imported yet, has no deadline until it is.
export const DUE_PENDING = '期限待日历导入后计算';
export const USAGE_STATUSES = { in_use: '正常使用', doubtful: '存疑待核', not_in_use: '未使用或停止使用' };

/** The request's state as a person reads it: an open request past its due day is overdue. */
export function stateText(r) {
  return r.state === 'open' && r.overdue ? '逾期未反馈' : CORRECTION_STATES[r.state] || r.state;
}

/** What person may do with request r now. */
export function correctionActs(person, r) {
  return { answer: r.state === 'open' && inOffice(person, r.provider_id) };
}

/** Lines of a textarea, trimmed, empty ones dropped. */
export function lines(text) {
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

/**
 * A problem naming an element of a list (rows[1], items[0], changes[2],
 * reasons[0]) is shown beside the list's control.
 */
export function listField(p) {
  const m = p.field && /^(rows|items|changes|reasons)\[\d+\]$/.exec(p.field);
  return m ? { ...p, field: m[1] } : p;
}
