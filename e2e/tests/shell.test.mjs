// The shell: sign-in, who is signed in, the navigation each role gets, sign-out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson, BASE } from '../lib/harness.mjs';

const navOf = async (page) => page.locator('#nav a').allInnerTexts();

test('office staff sees name, role, department and only what staff may do', (t) => withPerson(t, async (p) => {
  await p.signIn('gat.staff');
  assert.equal(await p.page.getByTestId('person-name').innerText(), '李经办');
  assert.equal(await p.page.getByTestId('person-role').innerText(), '共享工作机构经办人');
  assert.equal(await p.page.getByTestId('person-department').innerText(), '浙江省公安厅');
  // Staff may not read the record of acts nor verify the ledger (docs/access.md).
  assert.deepEqual(await navOf(p.page), ['首页', '数据目录', '目录编审', '共享申请', '共享授权', '应用系统', '推送订阅', '数据托管', '代理服务',
    '数据校核', '服务变更', '共享争议', '投诉举报', '使用记录', '工作日历']);
  // The navigation is grouped in the order of the work.
  assert.deepEqual(await p.page.locator('#nav .nav-group-name').allInnerTexts(), ['目录与申请', '数据交付', '共享之后', '监督与记录', '管理']);
  assert.equal(await p.page.locator('#nav a[aria-current="page"]').innerText(), '首页');
  // Opening a page the role may not use by URL shows nothing of it.
  await p.goto('/console/events');
  assert.equal(await p.page.locator('h1').innerText(), '未找到或无权访问');
}));

test('auditor sees the record of acts in the navigation and can open it', (t) => withPerson(t, async (p) => {
  await p.signIn('audit');
  assert.equal(await p.page.getByTestId('person-name').innerText(), '高审计');
  assert.equal(await p.page.getByTestId('person-role').innerText(), '审计人员');
  assert.equal(await p.page.getByTestId('person-department').innerText(), '浙江省审计厅');
  // An auditor reads and verifies, and hosts no dataset.
  assert.deepEqual(await navOf(p.page), ['首页', '数据目录', '共享申请', '共享授权', '应用系统', '推送订阅', '代理服务',
    '数据校核', '服务变更', '共享争议', '使用记录', '操作记录', '账本核验', '机构与人员', '工作日历']);
  await p.page.locator('#nav').getByRole('link', { name: '操作记录' }).click();
  await p.page.waitForURL(BASE + '/console/events');
  await p.ready();
  assert.equal(await p.page.locator('h1').innerText(), '操作记录');
  assert.ok(await p.page.locator('table.events tbody tr').count() > 0, 'the auditor reads events of the province');
}));

test('the contractor is offered no shared data', (t) => withPerson(t, async (p) => {
  await p.signIn('ops');
  assert.equal(await p.page.getByTestId('person-role').innerText(), '受托方运维');
  assert.deepEqual(await navOf(p.page), ['首页', '工作日历']);
}));

test('sign-in with the keyboard alone, wrong password shown in Chinese, then sign-out', (t) => withPerson(t, async (p) => {
  const { page } = p;
  await p.goto('/console/');
  assert.equal(new URL(page.url()).pathname, '/console/signin', 'an anonymous visitor is sent to sign in');
  // A problem naming a field is shown beside it, in Chinese.
  await page.keyboard.press('Enter');
  const beside = page.locator('#username + .field-error');
  await beside.waitFor();
  assert.equal(await beside.innerText(), '请输入用户名');
  assert.equal(await page.getByLabel('用户名').getAttribute('aria-invalid'), 'true');
  await page.keyboard.type('hzga.staff'); // the username field has the focus
  await page.keyboard.press('Tab');
  await page.keyboard.type('not-the-password');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByRole('alert').innerText(), '用户名或密码错误');
  await page.getByLabel('密码').fill(process.env.GOVSHARE_E2E_PASSWORD || 'govshare-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE + '/console/');
  await p.ready();
  // The skip link is the first stop of the keyboard and leads to the content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '跳到主要内容');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.closest('main') !== null), true);

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(BASE + '/console/signin');
  await p.ready('signed-out');
  const cookies = await page.context().cookies();
  assert.ok(!cookies.some((c) => c.name === 'govshare_session'), 'the session cookie is gone');
  // The session is over on the server too: the home page asks to sign in again.
  await p.goto('/console/');
  assert.equal(new URL(page.url()).pathname, '/console/signin');
}));

test('every page of the navigation fits a 1366×768 office screen without sideways scrolling', (t) => withPerson(t, async (p) => {
  for (const who of ['zj.reviewer', 'gat.staff']) {
    await p.signIn(who);
    const paths = await p.page.locator('#nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(paths.length > 10, `${who} has a navigation`);
    for (const path of paths) {
      await p.goto(path);
      const [scroll, width] = await p.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scroll <= width, `${who} ${path}: the page is ${scroll}px wide on a ${width}px screen`);
    }
    await p.page.getByRole('button', { name: '退出登录' }).click();
    await p.page.waitForURL(/\/console\/signin$/);
  }
}));
