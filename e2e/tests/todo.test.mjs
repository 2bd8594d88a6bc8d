// The home page's to-do list: working days left on each item, amber with
// two or fewer left, red once overdue, dates as 2026年6月16日.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson } from '../lib/harness.mjs';

const row = (page, title) => page.locator('tr.todo-item', { hasText: title });

test('an application to answer tomorrow is amber', (t) => withPerson(t, async (p) => {
  await p.signIn('gat.head'); // 浙江省公安厅 must answer 杭州市公安局 by the next working day
  const r = row(p.page, '居民身份信息核验');
  assert.match(await r.getAttribute('class'), /\bdeadline-soon\b/);
  assert.equal(await r.locator('.deadline').innerText(), '剩余 1 个工作日');
  assert.match(await r.locator('td').nth(2).innerText(), /^2026年6月16日/);
  // An item without a statutory deadline is neither amber nor red.
  const undated = row(p.page, '出生医学证明信息');
  assert.match(await undated.getAttribute('class'), /\bdeadline-none\b/);
}));

test('an update past its deadline is red, one ten days away is neither', (t) => withPerson(t, async (p) => {
  await p.signIn('rst.head');
  const late = row(p.page, '养老金发放信息');
  assert.match(await late.getAttribute('class'), /\bdeadline-overdue\b/);
  assert.match(await late.locator('.deadline').innerText(), /^已超期 \d+ 个工作日$/);
  const calm = row(p.page, '就业失业登记信息');
  assert.match(await calm.getAttribute('class'), /\bdeadline-ok\b/);
  assert.equal(await calm.locator('.deadline').innerText(), '剩余 10 个工作日');
  // Overdue first.
  assert.match(await p.page.locator('tr.todo-item').first().innerText(), /养老金发放信息/);
}));
