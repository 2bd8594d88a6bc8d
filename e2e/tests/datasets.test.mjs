// Hosted datasets (数据托管, issue #6): on the demo's 学历学位信息 (浙江省教育厅),
// the provider's sharing office deletes a row by its key after confirming on
// the page (the row count drops by one and the change feed shows the
// deletion), a bad key is refused beside the field and changes nothing, the
// feed pages with 更早的变更 and 下一页, and neither the consumer's office
// nor an auditor is offered the deletion form (the API refuses them too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson } from '../lib/harness.mjs';

// The demo has no office staff at 浙江省教育厅; its office head does the
// office's work (docs/access.md: "office head or staff").
const PROVIDER_OFFICE = 'jyt.head';
const ENTRY = '学历学位信息';
const DELETED = '103451202406002468'; // 吴思远, one of the demo's rows
const KEPT = '103351202605001234'; // 陈晓明

// What one test learns for the next: the tests of a file run in order on one platform.
const shared = {};

/** Opens the entry's dataset page from 数据托管 and returns the entry's ID. */
async function openDataset(p) {
  await p.goto('/console/datasets');
  await p.page.getByRole('link', { name: ENTRY }).click();
  await p.page.waitForURL(/\/console\/datasets\/[^/?]+$/);
  await p.ready('dataset');
  return decodeURIComponent(new URL(p.page.url()).pathname.split('/').pop());
}

/** The feed's rows on the page: {seq, op, text}. */
async function feedRows(p) {
  return p.page.getByTestId('dataset-changes').locator('tr.change-row').evaluateAll((rows) => rows.map((r) => ({
    seq: Number(r.dataset.seq), op: r.dataset.op, text: r.innerText,
  })));
}

test("the provider's office deletes a row by key after confirming, and the feed shows the deletion", (t) => withPerson(t, async (p) => {
  await p.signIn(PROVIDER_OFFICE);
  const id = await openDataset(p);
  shared.entryId = id;
  const before = await p.api(`/datasets/${encodeURIComponent(id)}`);
  assert.equal(await p.page.getByTestId('row-count').innerText(), String(before.row_count));
  assert.ok(before.last_change >= 3, `the demo loaded rows: ${JSON.stringify(before)}`);

  // The feed as the API gives it: the newest page, the newest change last.
  const shownBefore = await feedRows(p);
  assert.equal(shownBefore.at(-1).seq, before.last_change);
  const feed = await p.api(`/datasets/${encodeURIComponent(id)}/changes?after=0&limit=1000`);
  const demoRow = feed.items.find((c) => c.key['证书编号'] === DELETED);
  assert.ok(demoRow, 'the demo row to delete is in the feed');
  const shownDemoRow = shownBefore.find((r) => r.seq === demoRow.seq);
  assert.ok(shownDemoRow, `change ${demoRow.seq} is not on the page`);
  assert.match(shownDemoRow.text, new RegExp(`证书编号：${DELETED}`));
  assert.ok(!shownDemoRow.text.includes('吴思远'), 'the feed shows the row, not only its key');

  // Asking first shows the confirmation and deletes nothing.
  const form = p.page.getByTestId('deletion-form');
  await form.getByLabel(/主键值/).fill(DELETED);
  await form.getByRole('button', { name: '删除数据行' }).click();
  await form.getByText('将删除 1 个主键对应的数据行').waitFor();
  assert.equal((await p.api(`/datasets/${encodeURIComponent(id)}`)).row_count, before.row_count);
  await form.getByRole('button', { name: '返回' }).click();
  assert.equal(await form.getByRole('button', { name: '确认删除' }).isVisible(), false);

  await p.page.evaluate(() => document.querySelectorAll('[data-testid="notice"]').forEach((n) => n.remove()));
  await form.getByRole('button', { name: '删除数据行' }).click();
  await form.getByRole('button', { name: '确认删除' }).click();
  const notice = p.page.getByTestId('notice');
  await notice.waitFor();
  await p.ready('dataset-after-deletion');
  assert.match(await notice.innerText(), new RegExp(`已删除 1 行；现有 ${before.row_count - 1} 行`));
  assert.equal(await p.page.getByTestId('row-count').innerText(), String(before.row_count - 1));

  // The deletion is the feed's newest change, on the page and in the API.
  const after = await p.api(`/datasets/${encodeURIComponent(id)}`);
  assert.equal(after.row_count, before.row_count - 1);
  assert.equal(after.last_change, before.last_change + 1);
  const last = (await feedRows(p)).at(-1);
  assert.equal(last.seq, before.last_change + 1);
  assert.equal(last.op, 'delete');
  assert.match(last.text, /删除/);
  assert.match(last.text, new RegExp(`证书编号：${DELETED}`));
  const fresh = await p.api(`/datasets/${encodeURIComponent(id)}/changes?after=${before.last_change}`);
  assert.deepEqual(fresh.items.map((c) => [c.op, c.key]), [['delete', { 证书编号: DELETED }]]);

  // Deleting it again finds no live row: nothing is deleted, the notice says so.
  await p.page.evaluate(() => document.querySelectorAll('[data-testid="notice"]').forEach((n) => n.remove()));
  await form.getByLabel(/主键值/).fill(DELETED);
  await form.getByRole('button', { name: '删除数据行' }).click();
  await form.getByRole('button', { name: '确认删除' }).click();
  await p.page.getByTestId('notice').waitFor();
  await p.ready('dataset-absent');
  assert.match(await p.page.getByTestId('notice').innerText(), /已删除 0 行，1 个主键未找到/);
  assert.equal((await p.api(`/datasets/${encodeURIComponent(id)}`)).row_count, before.row_count - 1);
}));

test('a bad key is refused beside the field, and nothing is deleted', (t) => withPerson(t, async (p) => {
  await p.signIn(PROVIDER_OFFICE);
  const id = await openDataset(p);
  const before = await p.api(`/datasets/${encodeURIComponent(id)}`);
  const form = p.page.getByTestId('deletion-form');
  const keys = form.getByLabel(/主键值/);

  // Nothing to delete: said beside the field before anything is sent.
  await form.getByRole('button', { name: '删除数据行' }).click();
  await form.locator('.field-error[data-field="keys"]').filter({ hasText: /请填写要删除的数据行的主键值/ }).waitFor();
  assert.equal(await form.getByRole('button', { name: '确认删除' }).isVisible(), false);

  // A good key and one longer than 证书编号's 30 characters: the API refuses
  // the whole request, naming the second line.
  await keys.fill(`${KEPT}\n${'1'.repeat(31)}`);
  await form.getByRole('button', { name: '删除数据行' }).click();
  await form.getByText('将删除 2 个主键对应的数据行').waitFor();
  await form.getByRole('button', { name: '确认删除' }).click();
  const error = form.locator('.field-error[data-field="keys"]');
  await error.filter({ hasText: '第 2 行' }).waitFor();
  assert.match(await error.innerText(), /第 2 行（证书编号）：.*长度/);
  assert.equal(await keys.getAttribute('aria-invalid'), 'true');
  assert.equal(await p.page.getByTestId('notice').count(), 0);

  const now = await p.api(`/datasets/${encodeURIComponent(id)}`);
  assert.equal(now.row_count, before.row_count);
  assert.equal(now.last_change, before.last_change);
  assert.equal(now.version, before.version);
  await p.page.reload();
  await p.ready('dataset-unchanged');
  assert.equal(await p.page.getByTestId('row-count').innerText(), String(before.row_count));
}));

test('the change feed pages with 更早的变更 and 下一页', (t) => withPerson(t, async (p) => {
  await p.signIn(PROVIDER_OFFICE);
  const id = await openDataset(p);
  // 25 new rows make more than one page of 20.
  const rows = Array.from({ length: 25 }, (_, i) => ({
    证书编号: `1033512026060${String(i).padStart(5, '0')}`, 姓名: `测试${i}`, 学历层次: '本科', 专业: '法学', 毕业日期: '2026-06-30', 院校名称: '浙江大学',
  }));
  await p.page.getByLabel('数据文件（CSV、XLSX 或 JSON）').setInputFiles({ name: '学历学位.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rows)) });
  await p.page.getByRole('button', { name: '上传并载入' }).click();
  assert.match(await p.page.getByTestId('load-ok').innerText(), /新增 25 行/);
  const ds = await p.api(`/datasets/${encodeURIComponent(id)}`);

  // The feed moved on to the newest page at once: its last row is the newest change.
  await p.page.getByTestId('dataset-changes').locator(`tr.change-row[data-seq="${ds.last_change}"]`).waitFor();
  const newest = Math.floor((ds.last_change - 1) / 20) * 20;
  assert.deepEqual((await feedRows(p)).map((r) => r.seq), range(newest + 1, ds.last_change));

  const changes = p.page.getByTestId('dataset-changes');
  await changes.getByRole('link', { name: '更早的变更' }).click();
  await p.page.waitForURL(new RegExp(`after=${newest - 20}$`));
  await p.ready('changes-earlier');
  const earlier = await feedRows(p);
  assert.deepEqual(earlier.map((r) => r.seq), range(newest - 19, newest));
  assert.ok(earlier.every((r) => r.op === 'upsert' || r.op === 'delete'));

  await p.page.getByTestId('dataset-changes').getByRole('link', { name: '下一页' }).click();
  await p.page.waitForURL(new RegExp(`after=${newest}$`));
  await p.ready('changes-next');
  assert.deepEqual((await feedRows(p)).map((r) => r.seq), range(newest + 1, ds.last_change));
  // The newest page has no next page.
  assert.equal(await p.page.getByTestId('dataset-changes').getByRole('link', { name: '下一页' }).count(), 0);
}));

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

for (const [who, why] of [['rst.head', "the consumer's office"], ['audit', 'an auditor']]) {
  test(`${why} is not offered the deletion form, and the API refuses the deletion`, (t) => withPerson(t, async (p) => {
    assert.ok(shared.entryId, 'the first test did not find the entry');
    await p.signIn(who);
    await p.goto('/console/datasets/' + encodeURIComponent(shared.entryId));
    assert.equal(await p.page.getByRole('heading', { level: 1 }).innerText(), '未找到或无权访问');
    assert.equal(await p.page.getByTestId('deletion-form').count(), 0);
    assert.equal(await p.page.getByTestId('dataset-changes').count(), 0);

    const status = await p.page.evaluate(async ({ id, key }) => {
      const token = document.cookie.split('; ').find((c) => c.startsWith('govshare_csrf='))?.split('=')[1] || '';
      const res = await fetch(`/api/v1/datasets/${encodeURIComponent(id)}/deletions`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
        body: JSON.stringify({ keys: [{ 证书编号: key }] }),
      });
      return res.status;
    }, { id: shared.entryId, key: KEPT });
    assert.equal(status, 403);
  }));
}
