// The console has no path to data of its own: what the API refuses, the
// console does not show, and its commands carry the CSRF token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson, BASE } from '../lib/harness.mjs';

test("another department's draft opened by URL is not found, not shown", (t) => withPerson(t, async (owner) => {
  // 浙江省公安厅's staff finds its own draft in the to-do list and opens it.
  await owner.signIn('gat.staff');
  const link = owner.page.locator('tr.todo-item', { hasText: '暂住人口登记信息' }).getByRole('link');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/console\/catalog\/entries\/[^/]+$/);
  await link.click();
  await owner.page.waitForURL(BASE + href);
  await owner.ready();
  assert.equal(await owner.page.locator('h1').innerText(), '暂住人口登记信息');
  assert.match(await owner.page.locator('.facts').innerText(), /草稿/);

  // 杭州市公安局's staff opens the same address.
  await withPerson(t, async (other) => {
    await other.signIn('hzga.staff');
    await other.goto(href);
    assert.equal(await other.page.locator('h1').innerText(), '未找到或无权访问');
    const text = await other.page.locator('main').innerText();
    assert.ok(!text.includes('暂住人口登记信息'), 'nothing of the draft is shown');
  });
}));

test('a cookie-authenticated command without the CSRF header is refused', (t) => withPerson(t, async (p) => {
  await p.signIn('gat.staff');
  const call = (withToken) => p.page.evaluate(async (withToken) => {
    const token = document.cookie.split('; ').find((c) => c.startsWith('govshare_csrf='))?.split('=')[1] || '';
    const headers = { 'Content-Type': 'application/json' };
    if (withToken) headers['X-CSRF-Token'] = token;
    const res = await fetch('/api/v1/me/tokens', { method: 'POST', headers, body: JSON.stringify({ name: 'e2e' }) });
    return { status: res.status, body: await res.json() };
  }, withToken);
  const refused = await call(false);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 'auth.csrf_invalid');
  // The same command with the token goes through: the refusal was the token's.
  const accepted = await call(true);
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
}));
