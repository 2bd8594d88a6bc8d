// History API routing: every path under /console/ is served index.html by
// the server, and this router renders the page for location.pathname into
// <main>. Links to /console/… are followed without reloading; Back and
// Forward work through popstate.
//
// While a page renders, <main> carries data-state="loading" and
// aria-busy="true"; afterwards data-state is "ready", or "error" when the page
// failed. Tests wait for data-state="ready".
import { h, replace } from './dom.js';
import { loadSession } from './session.js';
import { renderChrome } from '../layout.js';
import { match } from '../routes.js';
import { allowed } from './roles.js';
import { message } from './problems.js';
import * as notFound from '../pages/not-found.js';
import * as signIn from '../pages/signin.js';

export const SIGN_IN = '/console/signin';
const APP = '政务数据共享平台';

let session = null;
let shown = '';

/** Starts the console: renders the current URL and follows links from then on. */
export async function start() {
  document.addEventListener('click', onClick);
  addEventListener('popstate', () => {
    if (location.pathname + location.search !== shown) show(true);
  });
  const skip = document.querySelector('.skip-link');
  skip.addEventListener('click', (e) => { e.preventDefault(); focusMain(); });
  await show(false);
}

/** navigate('/console/catalog?q=x') opens a page of the console. */
export function navigate(url, { replaceState = false } = {}) {
  if (replaceState) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  return show(true);
}

/** Sends the person to sign in, coming back to next afterwards. */
export function toSignIn(next = location.pathname + location.search) {
  session = null;
  location.assign(SIGN_IN + (next && next !== '/console/' ? '?next=' + encodeURIComponent(next) : ''));
}

function onClick(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/console/') || url.pathname === SIGN_IN) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // in-page anchor
  e.preventDefault();
  navigate(url.pathname + url.search);
}

function focusMain() {
  const main = document.getElementById('main');
  const h1 = main.querySelector('h1');
  const target = h1 || main;
  target.setAttribute('tabindex', '-1');
  target.focus();
}

async function show(moveFocus) {
  shown = location.pathname + location.search;
  const main = document.getElementById('main');
  const ctx = {
    main, params: {}, query: new URLSearchParams(location.search), navigate,
    get session() { return session; },
  };
  const busy = (state) => {
    main.dataset.state = state;
    if (state === 'loading') main.setAttribute('aria-busy', 'true');
    else main.removeAttribute('aria-busy');
  };
  busy('loading');
  try {
    if (location.pathname === SIGN_IN) {
      renderChrome(null);
      await renderPage(signIn, ctx);
      busy('ready');
      return;
    }
    // Public pages (route flag public: the complaint form, Art. 37) need no
    // account and are shown without the chrome, signed in or not.
    const pub = match(location.pathname);
    if (pub && pub.route.public) {
      renderChrome(null);
      ctx.params = pub.params;
      await renderPage(await pub.route.load(), ctx);
      if (shown === location.pathname + location.search) busy('ready');
      return;
    }
    if (!session) {
      session = await loadSession();
    }
    const m = match(location.pathname);
    let page;
    if (!m || !allowed(session.person, m.route.roles)) {
      page = notFound;
    } else {
      ctx.params = m.params;
      page = await m.route.load();
    }
    renderChrome(session);
    replace(main, h('p', { class: 'loading', role: 'status' }, '正在加载…'));
    await renderPage(page, ctx);
    if (shown !== location.pathname + location.search) return; // a later navigation took over
    busy('ready');
  } catch (err) {
    if (err && err.status === 401) return toSignIn();
    if (err && err.notFoundOrForbidden) {
      await renderPage(notFound, ctx);
      busy('ready');
    } else {
      console.error(err);
      document.title = `出错了 · ${APP}`;
      replace(main, h('h1', {}, '出错了'),
        h('p', { class: 'form-error', role: 'alert' }, err && err.status !== undefined ? message(err) : '页面加载失败，请刷新后重试'),
        h('p', {}, h('a', { href: '/console/' }, '返回首页')));
      busy('error');
    }
  }
  if (moveFocus) focusMain();
}

async function renderPage(page, ctx) {
  document.title = `${page.title} · ${APP}`;
  await page.render(ctx);
}
