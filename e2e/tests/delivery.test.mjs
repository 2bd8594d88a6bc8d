// Delivery (issue #6, flow part 2): on the demo's approved service-interface
// grant (学历学位信息, 浙江省教育厅 → 浙江省人力资源和社会保障厅), the
// consumer's sharing office registers an application system in the console,
// issues a credential and reads its secret once; a signed gateway call with
// that key from Node gets the row; an auditor then finds the call in the
// grant's record and its statistics. The secret is not shown after a reload.
// A provider's upload with a bad row is refused with a row-by-row report. On the
// demo's file-download grant the consumer's office downloads a watermarked copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHashes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { withPerson } from '../lib/harness.mjs';
import { platformClock, signedHeaders, signedPost } from '../lib/gateway.mjs';

// The demo has no office staff at 浙江省人力资源和社会保障厅; its office head
// does the office's work (docs/access.md: "office head or staff").
const CONSUMER_OFFICE = 'rst.head';
const PROVIDER_OFFICE = 'jyt.head';
const ENTRY = '学历学位信息';

// What one test learns for the next: the tests of a file run in order on one platform.
const shared = {};

/** The calls served on the grant's row for day in the usage table, 0 when the day has none. */
async function callsOn(p, day) {
  const row = p.page.getByTestId('usage-table').locator('tbody tr', { has: p.page.locator('th', { hasText: day }) });
  return (await row.count()) ? Number(await row.locator('td').first().innerText()) : 0;
}

test('Node signs with HMAC-SM3 as the platform does (the documented test vector)', () => {
  assert.ok(getHashes().includes('sm3'), "this Node's OpenSSL has no SM3: the signed calls below cannot be made");
  const body = '{"公民身份号码":"330106199001011234"}';
  const h = signedHeaders('POST', '/gateway/v1/query',
    'grant=grt_123&purpose=%E4%BC%81%E4%B8%9A%E7%99%BB%E8%AE%B0%E6%A0%B8%E9%AA%8C', body,
    'gsk_0123456789abcdef01234567', 'gsc_example-secret-do-not-use-0000000000000000', '2026-11-27T02:00:00Z',
    '3f9a1c2e8b7d4a6f9e0b1c2d3e4f5a6b');
  assert.equal(h['X-Gs-Signature'], '6effd9d5a81ccc8daa4229e9183122669a8d52ca0c3d84f03c0e0e67df917ebf');
});

test('the consumer office registers a system, issues a credential once and calls the gateway with it', (t) => withPerson(t, async (p) => {
  await p.signIn(CONSUMER_OFFICE);

  // The approved grant, from the grants list.
  await p.goto('/console/grants');
  await p.page.locator('tr.grant-row', { hasText: ENTRY }).getByRole('link', { name: ENTRY }).click();
  await p.page.waitForURL(/\/console\/grants\/[^/]+$/);
  await p.ready('grant');
  const grantId = decodeURIComponent(new URL(p.page.url()).pathname.split('/').pop());
  const facts = p.page.getByTestId('grant-facts');
  assert.match(await facts.innerText(), /浙江省人力资源和社会保障厅/);
  assert.match(await facts.innerText(), /服务接口/);
  assert.match(await facts.innerText(), /有效期至\s*\d{4}年\d{1,2}月\d{1,2}日/);
  // The chart says in words what its bars show, and the table has the figures.
  assert.match(await p.page.locator('svg.usage-chart desc').textContent(), /共成功调用 \d+ 次/);
  const grant = await p.api('/grants/' + encodeURIComponent(grantId));
  assert.equal(grant.delivery_method, 'service_interface');
  assert.equal(grant.state, 'active');
  const today = (await p.api(`/grants/${encodeURIComponent(grantId)}/usage`)).to; // the platform's today, Beijing
  const [y, m, d] = today.split('-').map(Number);
  const todayText = `${y}年${m}月${d}日`;
  const callsBefore = await callsOn(p, todayText);

  // A new application system of the department.
  await p.goto('/console/systems');
  await p.page.getByLabel('系统名称').fill('人才引进学历核验系统');
  await p.page.getByLabel('系统用途说明').fill('高层次人才引进时核验学历');
  await p.page.getByRole('button', { name: '登记' }).click();
  await p.page.waitForURL(/\/console\/systems\/[^/]+$/);
  await p.ready('system');
  const systemId = decodeURIComponent(new URL(p.page.url()).pathname.split('/').pop());
  assert.equal(await p.page.getByRole('heading', { level: 1 }).innerText(), '人才引进学历核验系统');

  // Issue: the secret is shown once, in the marked panel.
  await p.page.getByRole('button', { name: '签发访问密钥' }).click();
  const panel = p.page.getByTestId('secret-panel');
  await panel.waitFor();
  const issuedAt = Date.now();
  assert.match(await panel.getByRole('heading').innerText(), /仅显示这一次/);
  const keyId = await p.page.getByLabel('访问密钥 ID（X-Gs-Key）').inputValue();
  const secret = await p.page.getByLabel('密钥（Secret）').inputValue();
  assert.match(keyId, /^gsk_[0-9a-f]{24}$/);
  assert.match(secret, /^gsc_[A-Za-z0-9_-]{43}$/);
  assert.equal(await p.page.locator(`tr[data-key-id="${keyId}"]`).count(), 1);

  // A reload shows the credential but never its secret again.
  await p.page.reload();
  await p.ready('system-reloaded');
  assert.equal(await p.page.getByTestId('secret-panel').count(), 0);
  assert.equal(await p.page.locator(`tr[data-key-id="${keyId}"]`).count(), 1);
  assert.ok(!(await p.page.content()).includes(secret), 'the secret is on the page after a reload');
  const system = await p.api('/systems/' + encodeURIComponent(systemId));
  assert.ok(!JSON.stringify(system).includes(secret), 'the API shows the secret again');

  // The signed call, on the platform's clock (it started at the demo's reference time).
  const created = Date.parse(system.credentials.find((c) => c.key_id === keyId).created_at);
  const clock = platformClock({ created, issuedAt });
  const body = JSON.stringify({
    grant_id: grantId, purpose: grant.purpose.scenario, items: ['姓名', '学历层次'],
    where: { 证书编号: '103351202605001234' },
  });
  const res = await signedPost('/gateway/v1/query', body, keyId, secret, clock());
  const answer = await res.json();
  assert.equal(res.status, 200, JSON.stringify(answer));
  assert.deepEqual(answer.rows, [{ 姓名: '陈晓明', 学历层次: '硕士研究生' }]);

  Object.assign(shared, { grantId, systemId, keyId, secret, todayText, callsBefore, query: body, clock });
}));

test("an auditor sees the system's call in the grant's record and statistics", (t) => withPerson(t, async (p) => {
  assert.ok(shared.grantId, 'the previous test did not get as far as the call');
  await p.signIn('audit');
  // The grant's record of acts, from the API (GET /api/v1/grants/{id}/events)…
  const events = await p.api(`/grants/${encodeURIComponent(shared.grantId)}/events?limit=500`);
  const calls = (events.items || []).filter((e) => e.action === 'gateway.query');
  const call = calls.find((e) => e.actor_id === shared.systemId);
  assert.ok(call, `no gateway.query by ${shared.systemId} among ${JSON.stringify(calls.map((e) => e.actor_id))}`);
  assert.equal(call.object_id, shared.grantId);

  // …and in the console: the grant's page counts it for today and links to its trail (pages/records-trail.js).
  await p.goto('/console/grants/' + encodeURIComponent(shared.grantId));
  assert.equal(await callsOn(p, shared.todayText), shared.callsBefore + 1);
  assert.match(await p.page.locator('svg.usage-chart').getAttribute('aria-labelledby'), /usage-title/);
  await p.page.getByRole('link', { name: '操作与数据访问记录' }).click();
  await p.page.waitForURL(/\/console\/records\/trail\/grant\//);
  await p.ready('trail');
  const shown = p.page.locator('tr.trail-event[data-action="gateway.query"]');
  assert.equal(await shown.count(), calls.length);
  assert.equal(await shown.filter({ hasText: new RegExp(`${shared.systemId}|人才引进学历核验系统`) }).count(), 1);
}));

test('the office revokes the credential, which is refused at once, and disables the system', (t) => withPerson(t, async (p) => {
  assert.ok(shared.keyId, 'the earlier test did not issue a credential');
  await p.signIn(CONSUMER_OFFICE);
  await p.goto('/console/systems/' + encodeURIComponent(shared.systemId));
  await p.page.getByRole('button', { name: `吊销访问密钥 ${shared.keyId}` }).click();
  await p.page.locator(`tr[data-key-id="${shared.keyId}"]`, { hasText: '已吊销' }).waitFor();

  const res = await signedPost('/gateway/v1/query', shared.query, shared.keyId, shared.secret, shared.clock());
  assert.equal(res.status, 401);
  assert.equal((await res.json()).code, 'gateway.key_revoked');

  // Disabling asks once more, then is final: no more credentials for the system.
  await p.page.getByRole('button', { name: '停用应用系统' }).click();
  await p.page.getByRole('button', { name: '确认停用' }).click();
  await p.page.getByTestId('system-state').filter({ hasText: '已停用' }).waitFor();
  assert.equal(await p.page.getByRole('button', { name: /签发访问密钥|轮换访问密钥/ }).count(), 0);
}));

test('an upload with a bad row is refused row by row and changes nothing', (t) => withPerson(t, async (p) => {
  await p.signIn(PROVIDER_OFFICE);
  await p.goto('/console/datasets');
  await p.page.getByRole('link', { name: ENTRY }).click();
  await p.page.waitForURL(/\/console\/datasets\/[^/]+$/);
  await p.ready('dataset');
  const before = await p.page.getByTestId('row-count').innerText();

  const csv = [
    '证书编号,姓名,学历层次,专业,毕业日期,院校名称',
    '103351202606009999,许文博,博士研究生,教育经济与管理,2026-06-30,浙江大学',
    '103351202606008888,韩雪,硕士研究生,应用统计,2026年6月30日,浙江大学',
  ].join('\r\n');
  await p.page.getByLabel('数据文件（CSV、XLSX 或 JSON）').setInputFiles({ name: '学历学位.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await p.page.getByRole('button', { name: '上传并载入' }).click();
  const report = p.page.getByTestId('row-report');
  await report.waitFor();
  assert.match(await report.getByRole('heading').innerText(), /未写入任何数据/);
  const rows = report.locator('tbody tr');
  assert.equal(await rows.count(), 1);
  const cells = await rows.first().locator('td').allInnerTexts();
  assert.equal(cells[0], '第 3 行');
  assert.equal(cells[1], '毕业日期');
  assert.match(cells[2], /[\u4e00-\u9fff]/);

  // Nothing changed: the same row count on the page and after a reload.
  assert.equal(await p.page.getByTestId('row-count').innerText(), before);
  await p.page.reload();
  await p.ready('dataset-reloaded');
  assert.equal(await p.page.getByTestId('row-count').innerText(), before);

  // A JSON file of good rows loads (PUT …/rows), and the count moves on by one.
  const good = [{ 证书编号: '103351202606007777', 姓名: '任思齐', 学历层次: '本科', 专业: '法学', 毕业日期: '2026-06-30', 院校名称: '浙江大学' }];
  await p.page.getByLabel('数据文件（CSV、XLSX 或 JSON）').setInputFiles({ name: '学历学位.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await p.page.getByRole('button', { name: '上传并载入' }).click();
  assert.match(await p.page.getByTestId('load-ok').innerText(), /新增 1 行/);
  await p.page.getByTestId('row-count').filter({ hasText: String(Number(before) + 1) }).waitFor();
}));

/** The comment of the ZIP archive buf (an xlsx), from its end-of-central-directory record. */
function zipComment(buf) {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return buf.subarray(i + 22, i + 22 + buf.readUInt16LE(i + 20)).toString('utf8');
  }
  throw new Error('no ZIP end record');
}

// The demo's file-download grant (市场监管行政处罚信息, 浙江省市场监督管理局 →
// 杭州市市场监督管理局): the consumer's office head downloads the provider's
// workbook in the browser. A purpose other than the grant's is refused beside
// the field; the copy that arrives is the workbook with a watermark naming the
// person; the act is in the record with the person as actor. The provider's
// office sees the same file without a download button.
test("the consumer office downloads a grant's file in the browser, watermarked with the person's name", (t) => withPerson(t, async (p) => {
  await p.signIn('hzscjg.head');
  const me = (await p.api('/me')).person;
  await p.goto('/console/grants');
  await p.page.locator('tr.grant-row', { hasText: '市场监管行政处罚信息' }).getByRole('link', { name: '市场监管行政处罚信息' }).click();
  await p.page.waitForURL(/\/console\/grants\/[^/]+$/);
  await p.ready('grant-file-download');
  const grantId = decodeURIComponent(new URL(p.page.url()).pathname.split('/').pop());
  const form = p.page.getByTestId('file-take');
  const row = form.locator('tr', { hasText: '市场监管行政处罚决定-2026年上半年.xlsx' });
  await row.waitFor();

  // Enter in the purpose field takes no file on the person's behalf.
  const purpose = form.getByLabel('使用目的');
  const scenario = await purpose.inputValue();
  assert.match(scenario, /信用监管/);
  await purpose.press('Enter');
  await p.page.waitForTimeout(500);
  assert.equal((await p.api(`/events?object_id=${encodeURIComponent(grantId)}&action=file.link`)).items.length, 0, 'Enter asked for a link');

  // Another purpose: refused beside the field, nothing downloaded.
  await purpose.fill('用于招商引资');
  await row.getByRole('button', { name: /下载/ }).click();
  await form.locator('.field-error').filter({ hasText: /使用目的与共享授权不符/ }).waitFor();

  await purpose.fill(scenario);
  await p.page.getByTestId('notice').waitFor({ state: 'detached' }).catch(() => {});
  const [download] = await Promise.all([
    p.page.waitForEvent('download'),
    row.getByRole('button', { name: /下载/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), '市场监管行政处罚决定-2026年上半年.xlsx');
  const copy = await readFile(await download.path());
  const comment = zipComment(copy);
  assert.match(comment, /^govshare-watermark; consumer=杭州市市场监督管理局;/);
  assert.ok(comment.includes(`person=${me.display_name}; person_id=${me.id}`), comment);
  assert.ok(comment.includes(`grant=${grantId}`), comment);
  assert.match(await p.page.getByTestId('notice').innerText(), /副本水印载明您的姓名/);

  // The record names the person for the link and the download.
  const events = await p.api(`/events?object_id=${encodeURIComponent(grantId)}&limit=50`);
  for (const action of ['file.link', 'file.download']) {
    assert.ok(events.items.some((e) => e.action === action && e.actor_id === me.id), `no ${action} by the person`);
  }
}));

test("the provider's office sees the grant's files but takes no copy", (t) => withPerson(t, async (p) => {
  await p.signIn('scjg.head');
  await p.goto('/console/grants');
  await p.page.locator('tr.grant-row', { hasText: '市场监管行政处罚信息' }).first().getByRole('link', { name: '市场监管行政处罚信息' }).click();
  await p.page.waitForURL(/\/console\/grants\/[^/]+$/);
  await p.ready('grant-file-provider');
  const files = p.page.getByTestId('grant-files');
  await files.locator('tr', { hasText: '市场监管行政处罚决定-2026年上半年.xlsx' }).waitFor();
  assert.equal(await files.getByRole('button', { name: /下载/ }).count(), 0);
}));
