// Ledger and records: an object's trail, the ledger page's checkpoint and a
// consistency check from a saved checkpoint, who may not open the ledger's
// entries, the inspection export's CSV, and the home page's charts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withPerson, BASE } from '../lib/harness.mjs';

// The checkpoint the API serves now, parsed: {size, root}.
async function checkpoint(page) {
  const res = await page.request.get(BASE + '/api/v1/ledger/checkpoint');
  assert.equal(res.status(), 200, 'checkpoint: ' + res.status());
  const lines = (await res.text()).split('\n');
  return { size: Number(lines[1]), root: lines[2] };
}

// Waits (bounded) until the node has sealed a tree larger than size: the
// integrator seals new events about every 200 ms in the e2e platform.
async function sealedBeyond(page, size) {
  for (let i = 0; i < 300; i++) {
    const cp = await checkpoint(page);
    if (cp.size > size) return cp;
    await page.waitForTimeout(200);
  }
  throw new Error(`the ledger was not sealed beyond ${size}`);
}

test('an auditor opens the trail of a demo grant and sees its events', (t) => withPerson(t, async (p) => {
  await p.signIn('audit');
  await p.goto('/console/records');
  await p.page.getByRole('link', { name: '学历学位信息 的操作记录' }).click();
  await p.page.waitForURL(/\/console\/records\/trail\/grant\//);
  await p.ready('trail');
  assert.equal(await p.page.getByRole('heading', { level: 1 }).innerText(), '共享授权的操作记录');
  const rows = p.page.locator('tr.trail-event');
  assert.ok(await rows.count() >= 1);
  const created = p.page.locator('tr.trail-event[data-action="grant.create"]');
  assert.equal(await created.count(), 1);
  const cells = created.locator('td');
  assert.equal(await cells.nth(2).innerText(), '生成共享授权');
  assert.match(await cells.nth(1).innerText(), /^2026年6月15日 \d{2}:\d{2}$/);
  assert.equal(await cells.nth(4).innerText(), '浙江省教育厅'); // the provider's head approved it
  // An auditor may ask for any entry's inclusion proof, and the page checks it.
  await cells.nth(5).getByRole('link', { name: /存在性证明/ }).click();
  await p.page.waitForURL(/\/console\/ledger\/inclusion\/\d+$/);
  await p.ready('inclusion');
  assert.match(await p.page.getByTestId('inclusion-verdict').innerText(), /^已包含/);
}));

test('the record of acts links each object to its trail', (t) => withPerson(t, async (p) => {
  await p.signIn('audit');
  await p.goto('/console/events');
  const first = p.page.locator('table.events tbody tr').first();
  const seq = await first.locator('td').first().innerText();
  await first.getByRole('link', { name: /的全部操作记录$/ }).click();
  await p.page.waitForURL(/\/console\/records\/trail\//);
  await p.ready('trail-from-events');
  assert.match(await p.page.getByRole('heading', { level: 1 }).innerText(), /的操作记录$/);
  const row = p.page.locator('tr.trail-event', { has: p.page.locator('td:first-child', { hasText: new RegExp(`^${seq}$`) }) });
  assert.equal(await row.count(), 1, `event ${seq} is in its object's trail`);
}));

test('the ledger page shows the checkpoint, and a saved one is consistent after new acts', (t) => withPerson(t, async (p) => {
  await p.signIn('audit');
  await p.goto('/console/ledger');
  const size = Number((await p.page.getByTestId('tree-size').innerText()).match(/^\d+/)[0]);
  assert.ok(size > 100, `tree size ${size}`); // the demo's history is sealed
  assert.match(await p.page.getByTestId('root-hash').innerText(), /^[A-Za-z0-9+/]{43}=$/);
  assert.match(await p.page.getByTestId('checkpoint-time').innerText(), /^2026年6月15日 \d{2}:\d{2}$/);

  await p.page.getByRole('button', { name: '保存此检查点' }).click();
  await p.page.getByTestId('save-status').filter({ hasText: `树大小为 ${size}` }).waitFor();
  const saved = p.page.locator(`tr.saved-checkpoint[data-size="${size}"]`);
  await saved.waitFor();

  // New acts: another person signs in; the node seals them.
  await withPerson(t, async (q) => { await q.signIn('gat.head'); });
  const now = await sealedBeyond(p.page, size);

  await p.goto('/console/ledger');
  await p.page.locator(`tr.saved-checkpoint[data-size="${size}"]`).getByRole('button', { name: /核验树大小/ }).click();
  const verdict = p.page.getByTestId('consistency-verdict');
  await verdict.locator('[data-ok]').waitFor();
  const text = await verdict.innerText();
  assert.match(text, /^一致：/, text);
  assert.match(text, new RegExp(`树大小为 ${size} 的账本仍是当前账本`));
  assert.ok(now.size > size);

  // A checkpoint whose root was changed is not consistent with the ledger.
  const forged = (await p.page.locator('pre.mono').first().textContent())
    .replace(/^(.*\n\d+\n)(.)/, (_, head, c) => head + (c === 'A' ? 'B' : 'A'));
  await p.page.getByLabel(/已保存的检查点/).fill(forged);
  await p.page.locator('form.paste-form').getByRole('button', { name: '核验一致性' }).click();
  await verdict.filter({ hasText: '不一致' }).waitFor();
  assert.match(await verdict.innerText(), /^不一致：/);
}));

test('office staff cannot open the ledger pages', (t) => withPerson(t, async (p) => {
  await p.signIn('gat.staff');
  assert.equal(await p.page.getByRole('link', { name: '账本核验' }).count(), 0);
  for (const path of ['/console/ledger/entries', '/console/ledger']) {
    await p.goto(path);
    assert.equal(await p.page.getByRole('heading', { level: 1 }).innerText(), '未找到或无权访问');
    assert.equal(await p.page.getByTestId('ledger-entries').count(), 0);
  }
  // The API refuses the entries too; the page only follows it.
  const res = await p.page.request.get(BASE + '/api/v1/ledger/entries');
  assert.equal(res.status(), 403);
}));

test('the inspection export downloads a CSV with the Chinese header', (t) => withPerson(t, async (p) => {
  await p.signIn('audit');
  await p.goto('/console/records');
  await p.page.getByLabel('被检查部门').selectOption({ label: '浙江省人力资源和社会保障厅' });
  await p.page.getByLabel('起始日期（含）').fill('2026-01-01');
  await p.page.getByLabel('截止日期（不含）').fill('2027-01-01');
  await p.page.getByLabel('导出内容').selectOption('records');
  await p.page.getByLabel('文件格式').selectOption('csv');
  const [download] = await Promise.all([
    p.page.waitForEvent('download'),
    p.page.getByRole('button', { name: '导出文件' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const text = await readFile(await download.path(), 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff, 'CSV starts with a byte-order mark');
  const [header, ...rows] = text.slice(1).split(/\r?\n/).filter(Boolean);
  assert.equal(header, '记录编号,版本,共享授权编号,提供部门,使用场景,使用过程,应用成效,存储情况,销毁情况,使用起始日期,使用截止日期,填写人编号,填写时间,保存期限至');
  assert.ok(rows.some((r) => r.includes('全省事业单位公开招聘资格复审')), 'the demo usage record is exported');
  await p.page.getByTestId('export-status').filter({ hasText: '已导出' }).waitFor();

  // A period that ends before it starts is refused beside the field.
  await p.page.getByLabel('截止日期（不含）').fill('2025-01-01');
  await p.page.getByRole('button', { name: '导出文件' }).click();
  await p.page.locator('.field-error[data-field="to"]').waitFor();
}));

test('the home page charts applications for an office head', (t) => withPerson(t, async (p) => {
  await p.signIn('gat.head');
  const states = p.page.getByTestId('chart-states');
  const svg = states.locator('svg[role="img"]');
  assert.equal(await svg.count(), 1);
  assert.equal(await svg.locator('title').textContent(), '共享申请按状态统计');
  // The figures are in a table too, and they add up to the total shown.
  const total = Number((await states.locator('figcaption').innerText()).match(/共 (\d+) 件/)[1]);
  const counts = await states.locator('tbody td').allTextContents();
  assert.equal(counts.map(Number).reduce((a, b) => a + b, 0), total);
  assert.ok(total >= 4, `total ${total}`);
  const waiting = states.locator('tbody tr', { hasText: '待答复' }).locator('td');
  assert.ok(Number(await waiting.first().textContent()) >= 1);
  // Reply times against the statutory limit: 浙江省公安厅 refused one application.
  const replies = p.page.getByTestId('chart-replies');
  assert.equal(await replies.locator('svg[role="img"] title').textContent(), '答复用时与法定期限');
  const row = replies.locator('tbody tr', { hasText: '机动车驾驶证信息' }).locator('td');
  assert.equal(await row.nth(1).textContent(), '10');
  assert.equal(await row.nth(2).textContent(), '未超期');
}));
