// What the organisation pages share: reading a whole list page by page,
// and who may be offered which act (docs/access.md; the API decides again:
// internal/org/policy.go).
import { get, qs } from './api.js';

/** getAll('/divisions', {level: 'county'}) → every item, following next_cursor (at most 20 pages). */
export async function getAll(path, params = {}) {
  const out = [];
  let cursor = '';
  for (let i = 0; i < 20; i++) {
    const page = await get(path + qs({ ...params, limit: 500, cursor }));
    out.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out;
}

const has = (person, role) => (person.roles || []).includes(role);

export const isAdmin = (person) => has(person, 'platform_admin');

/** Divisions and departments are set up by platform admins (org.CanCreateOrganisations). */
export const mayCreateOrganisations = isAdmin;

/** A department's sharing office is named by an admin or its own office head (org.CanUpdateOffice). */
export function mayUpdateOffice(person, dept) {
  return isAdmin(person) || (has(person, 'office_head') && person.department_id === dept.id);
}

/**
 * The roles person may give in department deptID (org.CanManagePerson): an
 * admin any; an office head only office staff of its own department; else none.
 */
export function grantableRoles(person, deptID) {
  if (isAdmin(person)) return ['platform_admin', 'authority_reviewer', 'office_head', 'office_staff', 'auditor', 'contractor'];
  if (has(person, 'office_head') && person.department_id && person.department_id === deptID) return ['office_staff'];
  return [];
}

/** True when person may change account p (roles, name, enabled). */
export function mayManage(person, p) {
  const roles = grantableRoles(person, p.department_id);
  return roles.length > 0 && (p.roles || []).every((r) => roles.includes(r));
}
