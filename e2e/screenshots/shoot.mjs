// Screenshots of the console for the user guides (docs/console-guide/):
// each role's demo account signs in through the sign-in page and the main
// pages are shot at 1366×768, the viewport only, into GOVSHARE_SCREENSHOTS.
// Run by TestConsoleScreenshots (e2e/screenshots_test.go), which serves a
// fresh platform with the demo province; see docs/console-guide/README.md.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.GOVSHARE_E2E_BASE_URL;
const CHROMIUM = process.env.GOVSHARE_E2E_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = process.env.GOVSHARE_E2E_PASSWORD || 'govshare-demo';
const OUT = process.env.GOVSHARE_SCREENSHOTS;
if (!BASE || !OUT) throw new Error('run through GOVSHARE_SCREENSHOTS=DIR go test ./e2e -run TestConsoleScreenshots');

// Waiting is bounded, never timed: a slow machine only makes this slower.
const WAIT = 60_000;

/** One person: a browser context of their own (own cookies), signed in. */
async function person(browser, username) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const p = {
    page,
    async goto(path) {
      await page.goto(BASE + path);
      await ready(page);
    },
    /** JSON of an API read with this person's session. */
    async api(path) {
      const res = await page.request.get(BASE + '/api/v1' + path);
      if (res.status() !== 200) throw new Error(`${username}: GET ${path}: ${res.status()} ${await res.text()}`);
      return res.json();
    },
    /** Shoots the viewport; with `at`, scrolled so that the element at that selector is at the top. */
    async shot(name, at) {
      if (at) await page.locator(at).first().evaluate((e) => e.scrollIntoView({ block: 'start' }));
      else await page.evaluate(() => window.scrollTo(0, 0));
      // The focus ring the router puts on <h1> is for keyboards, not for pictures.
      await page.evaluate(() => document.activeElement?.blur());
      await page.screenshot({ path: join(OUT, `console-${name}.png`) });
      console.log(`console-${name}.png`);
    },
    async close() {
      await context.close();
      if (errors.length) throw new Error(`${username}: script errors on the page: ${errors.join('; ')}`);
    },
  };
  await p.goto('/console/signin');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(BASE + '/console/');
  await ready(page);
  return p;
}

async function ready(page) {
  await page.locator('main[data-state="ready"], main[data-state="error"]').waitFor();
  if ((await page.locator('main').getAttribute('data-state')) !== 'ready') {
    throw new Error(`page ${page.url()} failed: ${await page.locator('main').innerText()}`);
  }
}

const byName = (items, name) => {
  const found = items.find((x) => x.entry_name === name || x.name === name);
  if (!found) throw new Error(`no ${name} among ${items.map((x) => x.entry_name || x.name).join(', ')}`);
  return found;
};

await mkdir(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--lang=zh-CN'] });
try {
  // Sign-in page.
  {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(BASE + '/console/signin');
    await ready(page);
    await page.getByLabel('用户名').fill('hzga.staff');
    await page.screenshot({ path: join(OUT, 'console-signin.png') });
    await context.close();
  }

  // 共享工作机构经办人 (杭州市公安局): home, catalog, applications.
  {
    const p = await person(browser, 'hzga.staff');
    await p.goto('/console/catalog?q=' + encodeURIComponent('驾驶证'));
    await p.shot('catalog-search');
    const found = await p.api('/catalog/entries?q=' + encodeURIComponent('驾驶证'));
    await p.goto('/console/catalog/entries/' + encodeURIComponent(found.items[0].id));
    await p.shot('catalog-entry');
    await p.goto('/console/applications');
    await p.shot('applications');
    await p.goto('/console/applications/new?entry=' + encodeURIComponent(found.items[0].id));
    await p.shot('application-new');
    await p.goto('/console/catalog/import'); // catalog area: XLSX import
    await p.shot('catalog-import');
    await p.close();
  }

  // 浙江省公安厅's staff: the application its office must answer tomorrow is in the to-do list.
  {
    const p = await person(browser, 'gat.staff');
    await p.shot('home-office-staff');
    await p.close();
  }

  // 共享工作机构负责人 (浙江省公安厅, a provider): home with an amber item, an application to answer.
  {
    const p = await person(browser, 'gat.head');
    await p.shot('home-office-head');
    const apps = (await p.api('/applications?role=provider')).items;
    // The one the to-do list says is due the next working day.
    const sent = apps.find((a) => a.state === 'sent' && a.entry_name === '居民身份信息核验') || apps.find((a) => a.state === 'sent');
    await p.goto('/console/applications/' + encodeURIComponent(sent.id));
    await p.shot('application-detail');
    // The longest history makes the fullest timeline.
    const longest = [...apps].sort((a, b) => (b.history?.length || 0) - (a.history?.length || 0))[0];
    await p.goto('/console/applications/' + encodeURIComponent(longest.id));
    await p.shot('application-timeline', '#timeline-heading');
    await p.goto('/console/catalog/review');
    await p.shot('catalog-review-office');
    await p.close();
  }

  // The consumer office of the demo's delivered service-interface grant
  // (浙江省人力资源和社会保障厅), whose system the demo has already called with.
  {
    const p = await person(browser, 'rst.head');
    await p.shot('home-office-head-overdue'); // an update past its deadline: red
    // Catalog area: an update obligation (Art. 17), an entry's version history and one version.
    const update = (await p.api('/todo')).items.find((it) => it.kind === 'catalog.update');
    await p.goto('/console/catalog/obligations/' + encodeURIComponent(update.object_id));
    await p.shot('catalog-obligation');
    const pension = (await p.api('/catalog/entries?q=' + encodeURIComponent('养老金发放信息'))).items[0];
    await p.goto('/console/catalog/entries/' + encodeURIComponent(pension.id));
    await p.shot('catalog-versions', '#obligations-heading');
    await p.goto('/console/catalog/entries/' + encodeURIComponent(pension.id) + '/versions/1');
    await p.shot('catalog-version');
    await p.goto('/console/grants');
    await p.shot('grants');
    const grant = byName((await p.api('/grants?role=consumer')).items, '学历学位信息');
    await p.goto('/console/grants/' + encodeURIComponent(grant.id));
    await p.shot('grant-detail');
    await p.shot('grant-usage', '#usage-h');
    const systems = (await p.api('/systems')).items;
    await p.goto('/console/systems/' + encodeURIComponent(systems[0].id));
    await p.shot('system-detail');
    await p.goto('/console/records');
    await p.shot('records');
    await p.goto('/console/records/grants/' + encodeURIComponent(grant.id));
    await p.shot('usage-records');
    await p.close();
  }

  // The provider's office of that grant (浙江省教育厅): hosted data.
  {
    const p = await person(browser, 'jyt.head');
    await p.goto('/console/datasets');
    await p.shot('datasets');
    await p.page.getByRole('link', { name: '学历学位信息', exact: true }).first().click();
    await ready(p.page);
    await p.shot('dataset-detail');
    await p.goto('/console/upstreams');
    await p.shot('upstreams');
    await p.close();
  }

  // A file-download grant's consumer office (杭州市市场监督管理局): the files it downloads.
  {
    const p = await person(browser, 'hzscjg.head');
    const grant = byName((await p.api('/grants?role=consumer')).items, '市场监管行政处罚信息');
    await p.goto('/console/grants/' + encodeURIComponent(grant.id));
    await p.shot('grant-files', '#files-h');
    await p.close();
  }

  // 主管部门审核人 (浙江省数据局).
  {
    const p = await person(browser, 'zj.reviewer');
    await p.shot('home-reviewer');
    await p.goto('/console/catalog/review');
    await p.shot('catalog-review-reviewer');
    await p.goto('/console/catalog/sources'); // catalog area: source departments (Art. 19)
    await p.shot('catalog-sources');
    await p.goto('/console/applications');
    await p.shot('applications-reviewer');
    await p.goto('/console/events');
    await p.shot('events');
    await p.close();
  }

  // 审计人员 (浙江省审计厅).
  {
    const p = await person(browser, 'audit');
    await p.shot('home-auditor');
    await p.goto('/console/ledger');
    await p.shot('ledger');
    await p.goto('/console/ledger/entries');
    await p.shot('ledger-entries');
    await p.goto('/console/records');
    await p.shot('records-auditor');
    await p.close();
  }

  // After sharing (Art. 26–28, 37), as the provincial authority's reviewer sees
  // them: each list, then the first case on it.
  {
    const p = await person(browser, 'zj.reviewer');
    for (const [path, name] of [['/console/corrections', 'corrections'], ['/console/service-changes', 'service-changes'],
      ['/console/disputes', 'disputes'], ['/console/complaints', 'complaints']]) {
      await p.goto(path);
      await p.shot(name);
      const first = p.page.locator('main tbody a').first();
      if (await first.count()) {
        await first.click();
        await ready(p.page);
        await p.shot(name.replace(/s$/, '') + '-detail');
      }
    }
    const suspended = (await p.api('/grants')).items.find((g) => g.state === 'suspended');
    if (suspended) {
      await p.goto('/console/grants/' + encodeURIComponent(suspended.id));
      await p.shot('grant-suspended', '#suspension-h');
    }
    await p.close();
  }

  // The public's complaint form and lookup, without signing in.
  {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    for (const [path, name] of [['/console/complaint', 'complaint-public'], ['/console/complaint/lookup', 'complaint-lookup']]) {
      await page.goto(BASE + path);
      await ready(page);
      await page.screenshot({ path: join(OUT, `console-${name}.png`) });
      console.log(`console-${name}.png`);
    }
    await context.close();
  }

  // 平台管理员 and 受托方运维.
  {
    const p = await person(browser, 'admin');
    await p.shot('home-admin');
    await p.goto('/console/admin/org');
    await p.shot('admin-org');
    await p.goto('/console/admin/calendar');
    await p.shot('admin-calendar');
    await p.goto('/console/account');
    await p.shot('account');
    await p.goto('/console/records');
    await p.shot('records-admin');
    await p.close();
  }
  {
    const p = await person(browser, 'ops');
    await p.shot('home-contractor');
    await p.close();
  }
} finally {
  await browser.close();
}
