// What the grants, application systems and hosted-dataset pages share: the
// Chinese names of their codes (kept here, not in labels.js, so that this
// area's pages do not edit a file other helpers edit at the same time),
// department names by ID, and who may do what with a grant or a system
// (docs/access.md, docs/credentials.md; the API decides again).
import { get } from './api.js';

export const GRANT_STATES = { active: '有效', suspended: '已暂停', terminated: '已终止', expired: '已过期', disposed: '已处置' };
export const GRANT_ACTIONS = {
  'grant.create': '授权生效', 'grant.suspend': '暂停', 'grant.resume': '恢复', 'grant.terminate': '终止',
  'grant.consent': '同意转至第三方', 'grant.rectification': '报告整改情况', 'grant.disposal_requirement': '提出处置要求',
  'grant.dispose': '妥善处置', 'grant.service_change': '因服务变更调整',
};
export const SYSTEM_STATES = { active: '启用', disabled: '已停用' };
export const CREDENTIAL_STATES = { current: '当前有效', rotated: '已轮换（宽限期内）', revoked: '已吊销' };
export const SUBSCRIPTION_STATES = { active: '进行中', cancelled: '已取消', ended: '已结束' };
export const LOAD_MODES = { upsert: '新增或更新（保留文件中未出现的行）', replace: '整体替换（删除文件中未出现的行）' };

const OFFICE = ['office_head', 'office_staff'];

/** True when person works in the sharing office of department id. */
export function inOffice(person, id) {
  return !!id && person.department_id === id && (person.roles || []).some((r) => OFFICE.includes(r));
}

/** True when person is an office worker of some department (may register systems, host data). */
export function isOffice(person) {
  return !!person.department_id && (person.roles || []).some((r) => OFFICE.includes(r));
}

export function isAdmin(person) {
  return (person.roles || []).includes('platform_admin');
}

const names = new Map();

/** departmentName(id) → the department's name ('' when it cannot be read). Cached per page load. */
export function departmentName(id) {
  if (!id) return Promise.resolve('');
  if (!names.has(id)) {
    names.set(id, get('/departments/' + encodeURIComponent(id)).then((d) => d.name || id, () => id));
  }
  return names.get(id);
}

/** departmentNames([id…]) → {id: name}. */
export async function departmentNames(ids) {
  const unique = [...new Set(ids.filter(Boolean))];
  const out = {};
  await Promise.all(unique.map(async (id) => { out[id] = await departmentName(id); }));
  return out;
}
