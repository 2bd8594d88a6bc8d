// The people the reader may see (GET /api/v1/people): an admin everyone, an
// authority or auditor those of its region, a sharing office its own
// department, anyone else themselves (org.ScopeForPeople). A platform admin
// opens accounts here for any department or none; an office head opens
// office-staff accounts on its department's page.
import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { getAll, isAdmin, grantableRoles } from '../lib/admin-org.js';
import { peopleTable, personForm } from './admin-department.js';

export const title = '人员';

export async function render({ main, session, navigate }) {
  const admin = isAdmin(session.person);
  const [people, departments] = await Promise.all([getAll('/people'), admin ? getAll('/departments') : []]);
  const names = new Map(departments.map((d) => [d.id, d.name]));
  const own = session.person.department_id;
  const groups = new Map();
  for (const p of people) {
    const k = p.department_id || '';
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(p);
  }
  const deptName = async (id) => names.get(id) || (id === own && session.department ? session.department.name : get('/departments/' + encodeURIComponent(id)).then((d) => d.name, () => id));
  const sections = [];
  for (const [id, ps] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    sections.push(h('section', {},
      h('h2', {}, id ? h('a', { href: '/console/admin/departments/' + encodeURIComponent(id) }, await deptName(id)) : '不属于任何部门'),
      peopleTable(ps, null)));
  }
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/admin/org' }, '机构与人员'), ' / 人员'),
    h('h1', {}, '人员'),
    h('p', { class: 'lead' }, '姓名属于个人信息：平台管理员可查看全部人员，主管部门和审计人员可查看本区域，共享工作机构可查看本部门。'),
    sections.length ? sections : h('p', { class: 'empty' }, '没有您可以查看的人员。'),
    admin ? personForm(null, grantableRoles(session.person, ''), navigate, main, departments) : null,
    !admin && grantableRoles(session.person, own).length
      ? h('p', {}, '为本部门开设经办人账号，请到', h('a', { href: '/console/admin/departments/' + encodeURIComponent(own) }, '本部门页面'), '。')
      : null);
}
