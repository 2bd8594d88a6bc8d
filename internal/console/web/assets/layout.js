// The frame around every page: who is signed in (name, role, department),
// the navigation their roles allow, and sign-out. Hidden on the sign-in page.
import { h, replace } from './lib/dom.js';
import { del } from './lib/api.js';
import { roleNames, allowed } from './lib/roles.js';
import { routes, NAV } from './routes.js';

export function renderChrome(session) {
  const header = document.getElementById('topbar');
  const nav = document.getElementById('nav');
  if (!session) {
    header.hidden = true;
    nav.hidden = true;
    return;
  }
  const { person, department } = session;
  replace(document.getElementById('whoami'),
    // The name opens one's own account page (password, API tokens).
    h('a', { href: '/console/account', class: 'who-account', 'aria-label': `我的账号：${person.display_name}` },
      h('span', { class: 'who-name', 'data-testid': 'person-name' }, person.display_name)),
    h('span', { class: 'who-role', 'data-testid': 'person-role' }, roleNames(person.roles)),
    h('span', { class: 'who-dept', 'data-testid': 'person-department' }, department ? department.name : '（不属于任何部门）'));
  const signOut = document.getElementById('signout');
  signOut.onclick = async () => {
    signOut.disabled = true;
    try {
      await del('/session');
    } catch (err) {
      if (err.status !== 401) { signOut.disabled = false; alertProblem(err); return; }
    }
    location.assign('/console/signin');
  };
  const here = location.pathname;
  const shown = routes.filter((r) => r.nav && allowed(person, r.roles));
  // The current entry is the longest path that holds this page, so that
  // /console/catalog/review marks 目录编审 and not 数据目录 as well.
  const holds = (r) => here === r.path || (r.path !== '/console/' && here.startsWith(r.path + '/'));
  const current = shown.filter(holds).reduce((best, r) => (!best || r.path.length > best.path.length ? r : best), null);
  const link = (r) => h('li', {}, h('a', { href: r.path, 'aria-current': r === current ? 'page' : null }, r.nav));
  const listed = new Set(NAV.flatMap((g) => g.paths));
  const groups = [...NAV.map((g) => ({ group: g.group, items: g.paths.map((p) => shown.find((r) => r.path === p)).filter(Boolean) })),
    { group: '', items: shown.filter((r) => !listed.has(r.path)) }];
  replace(nav.querySelector('ul'), groups.filter((g) => g.items.length).map((g) => g.group
    ? h('li', { class: 'nav-group' }, h('span', { class: 'nav-group-name', 'aria-hidden': 'true' }, g.group),
      h('ul', { 'aria-label': g.group }, g.items.map(link)))
    : g.items.map(link)));
  header.hidden = false;
  nav.hidden = false;
}

function alertProblem(err) {
  const main = document.getElementById('main');
  main.prepend(h('p', { class: 'form-error', role: 'alert' }, '退出登录失败：' + (err.title || err.message)));
}
