// Roles as people read them, and what each may be offered. The API decides
// again on every request (docs/access.md); this only keeps the console from
// offering what would be refused.

export const ROLE_NAMES = {
  platform_admin: '平台管理员',
  authority_reviewer: '主管部门审核人',
  office_head: '共享工作机构负责人',
  office_staff: '共享工作机构经办人',
  auditor: '审计人员',
  contractor: '受托方运维',
};

export const ALL_ROLES = Object.keys(ROLE_NAMES);

/** Every role but the contractor, who never reads shared data (Art. 36). */
export const SHARING_ROLES = ALL_ROLES.filter((r) => r !== 'contractor');

/** roleNames(['office_head']) → '共享工作机构负责人' */
export function roleNames(roles) {
  return (roles || []).map((r) => ROLE_NAMES[r] || r).join('、');
}

/** True when the person holds any of roles (an empty or missing list allows everyone). */
export function allowed(person, roles) {
  if (!roles || roles.length === 0) return true;
  return (person.roles || []).some((r) => roles.includes(r));
}
