// What the push-subscription pages share: the Chinese names of the
// exchange's codes and who may be offered which act on a subscription
// (internal/exchange/policy.go; the API decides again).
export const SUBSCRIPTION_KINDS = { push: '推送', return_flow: '回流（第二十四条）' };

const OFFICE = ['office_head', 'office_staff'];
const inOffice = (person, id) => !!id && person.department_id === id && (person.roles || []).some((r) => OFFICE.includes(r));

/** A push is cancelled by the consumer's office that registered it; a return flow by either party's office. */
export const mayCancel = (person, s) => (s.kind === 'push'
  ? inOffice(person, s.subscriber_id)
  : inOffice(person, s.provider_id) || inOffice(person, s.subscriber_id));

/** The provider's office sets how often a push is pushed. */
export const maySchedule = (person, s) => s.kind === 'push' && inOffice(person, s.provider_id);

/** intervalText(0) → '有新数据即推送'; intervalText(3600) → '每 1 小时'. */
export function intervalText(seconds) {
  if (!seconds) return '有新数据即推送';
  if (seconds % 86400 === 0) return `每 ${seconds / 86400} 天`;
  if (seconds % 3600 === 0) return `每 ${seconds / 3600} 小时`;
  if (seconds % 60 === 0) return `每 ${seconds / 60} 分钟`;
  return `每 ${seconds} 秒`;
}

/** The schedule choices offered (seconds; the API accepts 0 or 60 to 604800). */
export const INTERVALS = [0, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400];
