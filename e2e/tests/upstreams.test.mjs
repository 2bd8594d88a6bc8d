// Proxied services (issue #6, 代理服务, docs/gateway.md "Proxied services"):
// 浙江省教育厅's sharing office registers, in the console, an endpoint of its
// own system serving 学历学位信息 — an HTTP server this test runs, which
// checks the platform's signature as the contract says and answers with a
// graduate only it knows. A refused bound appears beside its field; the
// signing secret is shown once and gone after a reload. A signed gateway
// query of 浙江省人力资源和社会保障厅 on the demo's service-interface grant of
// that entry is then answered from the test's server; after the office
// disables the endpoint, the next query is served from the hosted dataset
// again and the server hears nothing. Another department's office cannot
// open the endpoint's page.
//
// The e2e platform forwards with the product's client (internal/upstream):
// loopback addresses are dialled as any other, and nothing here leaves the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { withPerson, BASE } from '../lib/harness.mjs';
import { platformClock, signedHeaders, signedPost } from '../lib/gateway.mjs';

const PROVIDER_OFFICE = 'jyt.head';
const CONSUMER_OFFICE = 'rst.head';
const ENTRY = '学历学位信息';
const SYSTEM = '事业单位公开招聘资格审查系统'; // the demo's system of the consumer, bound to the grant
const CERT = '103351202605001234'; // hosted as 陈晓明, 硕士研究生 (internal/demo/delivery.go)
// What only the test's endpoint answers for CERT.
const UPSTREAM_ROW = { 证书编号: CERT, 姓名: '欧阳知远', 学历层次: '博士研究生', 专业: '教育经济与管理' };
const PATH = '/share/xueli';

// What one test learns for the next: the tests of a file run in order on one platform.
const shared = {};

// The provider's endpoint: it keeps every request it gets, checks the
// platform's signature once it knows the secret (docs/gateway.md: X-Gs-Key is
// the endpoint's id, the canonical string as for a consumer's request) and
// answers the contract's {"rows": [...]} with UPSTREAM_ROW, plus an item the
// consumer did not ask for, which the platform must drop.
const endpoint = { id: '', secret: '', requests: [] };
let server;

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const h = req.headers;
      const want = endpoint.secret
        ? signedHeaders(req.method, req.url, '', body, endpoint.id, endpoint.secret, h['x-gs-timestamp'], h['x-gs-nonce'])['X-Gs-Signature']
        : '';
      const signed = !!want && h['x-gs-key'] === endpoint.id && h['x-gs-signature'] === want;
      endpoint.requests.push({ method: req.method, url: req.url, body, headers: h, signed });
      if (!signed) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end('{"error":"signature"}');
        return;
      }
      const q = JSON.parse(body);
      const rows = q.where && q.where['证书编号'] === CERT ? [UPSTREAM_ROW] : [];
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ rows }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  server.closeAllConnections(); // the platform keeps its connection alive
  await new Promise((resolve) => server.close(resolve));
});

/** POSTs body as JSON under /api/v1 with the person's session and CSRF token, as the console does. */
function command(p, path, body) {
  return p.page.evaluate(async ({ path, body }) => {
    const token = document.cookie.split('; ').find((c) => c.startsWith('govshare_csrf='))?.split('=')[1] || '';
    const res = await fetch('/api/v1' + path, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token }, body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }, { path, body });
}

test("the provider's office registers its endpoint; a bad bound is shown beside its field; the secret is shown once", (t) => withPerson(t, async (p) => {
  await p.signIn(PROVIDER_OFFICE);
  // The navigation offers the page under 数据交付.
  await p.page.locator('#nav').getByRole('link', { name: '代理服务' }).click();
  await p.page.waitForURL(BASE + '/console/upstreams');
  await p.ready('upstreams');
  assert.equal(await p.page.getByRole('heading', { level: 1 }).innerText(), '代理服务');
  assert.equal(await p.page.getByTestId('upstreams').count(), 0, 'the demo has no upstream endpoints');

  const form = p.page.getByTestId('register-form');
  await form.getByLabel('目录').selectOption({ label: ENTRY });
  const entryId = await form.getByLabel('目录').inputValue();
  assert.equal((await p.api('/catalog/entries/' + encodeURIComponent(entryId))).name, ENTRY);
  const url = `http://127.0.0.1:${server.address().port}${PATH}`;
  await form.getByLabel('服务地址').fill(url);
  await form.getByLabel('超时时间（毫秒）').fill('50');
  await form.getByLabel('响应大小上限（字节）').fill('65536');
  await form.getByLabel('说明').fill('省教育厅学历学位核验接口，运维：信息中心');
  await form.getByRole('button', { name: '登记' }).click();

  // The API refuses 50 ms (100–30000): the message is beside the timeout, which is marked and focused.
  const error = form.locator('.field-error[data-field="timeout_ms"]');
  await error.waitFor();
  assert.match(await error.innerText(), /超时时间超出允许范围/);
  const timeout = form.getByLabel('超时时间（毫秒）');
  assert.equal(await timeout.getAttribute('aria-invalid'), 'true');
  assert.ok(await timeout.evaluate((el) => el === document.activeElement), 'the refused field has the focus');
  assert.equal((await p.api('/upstreams')).items.length, 0, 'a refused registration left an endpoint');

  await timeout.fill('3000');
  await form.getByRole('button', { name: '登记' }).click();
  const panel = p.page.getByTestId('secret-panel');
  await panel.waitFor();
  const seenAt = Date.now();
  assert.match(await panel.getByRole('heading').innerText(), /仅显示这一次/);
  assert.match(await panel.innerText(), /交给该接口的运维人员/);
  const id = await panel.getByLabel('上游服务编号（X-Gs-Key）').inputValue();
  const secret = await panel.getByLabel('签名密钥').inputValue();
  assert.match(id, /^ups_[0-9a-f]{20}$/);
  assert.match(secret, /^gsu_[A-Za-z0-9_-]{43}$/);
  assert.equal(await form.locator('.field-error').count(), 0);
  const listed = p.page.locator(`tr[data-upstream="${id}"]`);
  assert.match(await listed.innerText(), new RegExp(`${ENTRY}[\\s\\S]*${url.replace(/[.]/g, '\\.')}[\\s\\S]*启用[\\s\\S]*3000 毫秒[\\s\\S]*65536 字节`));

  // A reload lists the endpoint but never shows the secret again, nor does the API.
  await p.page.reload();
  await p.ready('upstreams-reloaded');
  assert.equal(await p.page.getByTestId('secret-panel').count(), 0);
  assert.equal(await p.page.locator(`tr[data-upstream="${id}"]`).count(), 1);
  assert.ok(!(await p.page.content()).includes(secret), 'the secret is on the page after a reload');
  const stored = await p.api('/upstreams/' + encodeURIComponent(id));
  assert.ok(!JSON.stringify(stored).includes(secret), 'the API shows the secret again');
  assert.deepEqual([stored.entry_id, stored.url, stored.timeout_ms, stored.max_response_bytes, stored.state],
    [entryId, url, 3000, 65536, 'active']);

  // The detail page, opened from the list.
  await p.page.locator(`tr[data-upstream="${id}"]`).getByRole('link', { name: url }).click();
  await p.page.waitForURL(BASE + '/console/upstreams/' + id);
  await p.ready('upstream');
  const facts = await p.page.getByTestId('upstream-facts').innerText();
  for (const want of [ENTRY, '浙江省教育厅', url, '启用', '3000 毫秒', '65536 字节', '信息中心', id]) {
    assert.ok(facts.includes(want), `the page does not show ${want}:\n${facts}`);
  }

  endpoint.id = id;
  endpoint.secret = secret;
  Object.assign(shared, { id, url, platformClock: platformClock({ created: Date.parse(stored.created_at), issuedAt: seenAt }) });
}));

test("the consumer's signed query on the grant is answered by the provider's endpoint", (t) => withPerson(t, async (p) => {
  assert.ok(shared.id, 'the previous test did not register the endpoint');
  await p.signIn(CONSUMER_OFFICE);
  const grant = (await p.api('/grants?role=consumer&limit=100')).items
    .find((g) => g.entry_name === ENTRY && g.delivery_method === 'service_interface' && g.state === 'active');
  assert.ok(grant, `no active service-interface grant of ${ENTRY} for the consumer`);
  const system = (await p.api('/systems?limit=100')).items.find((s) => s.name === SYSTEM);
  assert.ok(system, `no system ${SYSTEM}`);
  // A fresh credential of the demo's system: the demo's secret was never shown to anyone.
  const issued = await command(p, `/systems/${encodeURIComponent(system.id)}/credentials`, {});
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  const { key_id: keyId, secret } = issued.body;
  const clock = platformClock({ created: Date.parse(issued.body.created_at), issuedAt: Date.now() });
  const full = await p.api('/grants/' + encodeURIComponent(grant.id));
  const query = JSON.stringify({
    grant_id: grant.id, purpose: full.purpose.scenario, items: ['姓名', '学历层次'], where: { 证书编号: CERT },
  });

  const before = endpoint.requests.length;
  const res = await signedPost('/gateway/v1/query', query, keyId, secret, clock());
  const answer = await res.json();
  assert.equal(res.status, 200, JSON.stringify(answer));
  // Only the endpoint knows 欧阳知远; 专业 was not asked for and is dropped.
  assert.deepEqual(answer.rows, [{ 姓名: UPSTREAM_ROW.姓名, 学历层次: UPSTREAM_ROW.学历层次 }]);

  // The endpoint got one request, signed by the platform with the endpoint's secret.
  assert.equal(endpoint.requests.length, before + 1);
  const got = endpoint.requests.at(-1);
  assert.equal(got.method, 'POST');
  assert.equal(got.url, PATH);
  assert.ok(got.signed, `the platform's signature does not verify: ${JSON.stringify(got.headers)}`);
  assert.match(got.headers['x-gs-nonce'], /^[0-9a-f]{32}$/);
  // The timestamp is on the platform's clock (it started at the demo's reference time): within 5 minutes.
  const skew = Math.abs(Date.parse(got.headers['x-gs-timestamp']) - Number(shared.platformClock()) * 1000);
  assert.ok(skew < 5 * 60_000, `timestamp ${got.headers['x-gs-timestamp']} is ${skew} ms from the platform's clock`);
  assert.deepEqual(JSON.parse(got.body), { where: { 证书编号: CERT }, items: ['姓名', '学历层次'] });

  Object.assign(shared, { query, keyId, secret, clock });
}));

test("another department's office cannot open the endpoint by URL", (t) => withPerson(t, async (p) => {
  assert.ok(shared.id, 'the first test did not register the endpoint');
  await p.signIn(CONSUMER_OFFICE);
  await p.goto('/console/upstreams/' + encodeURIComponent(shared.id));
  assert.equal(await p.page.locator('h1').innerText(), '未找到或无权访问');
  const text = await p.page.locator('main').innerText();
  assert.ok(!text.includes(shared.url) && !text.includes(ENTRY), 'something of the endpoint is shown');
  // Nor is it in the consumer's list.
  await p.goto('/console/upstreams');
  assert.equal(await p.page.locator(`tr[data-upstream="${shared.id}"]`).count(), 0);
  // Its own office registers only for its own entries: the provider's entry is not offered.
  const offered = p.page.getByTestId('register-form').getByLabel('目录').locator('option', { hasText: ENTRY });
  assert.equal(await offered.count(), 0, `${ENTRY} is offered to another department's office`);
}));

test('the office disables the endpoint after confirming; the next query is served from the hosted dataset', (t) => withPerson(t, async (p) => {
  assert.ok(shared.query, 'the earlier tests did not get as far as the query');
  await p.signIn(PROVIDER_OFFICE);
  await p.goto('/console/upstreams/' + encodeURIComponent(shared.id));
  await p.page.getByRole('button', { name: '停用上游服务' }).click();
  // Nothing happens until the second, explicit button.
  const confirm = p.page.getByRole('button', { name: '确认停用' });
  await confirm.waitFor();
  assert.equal((await p.api('/upstreams/' + encodeURIComponent(shared.id))).state, 'active');
  // 取消 takes the question back; asking again brings it.
  await p.page.getByRole('button', { name: '取消' }).click();
  await confirm.waitFor({ state: 'hidden' });
  await p.page.getByRole('button', { name: '停用上游服务' }).click();
  await confirm.click();
  await p.page.getByTestId('notice').filter({ hasText: '已停用上游服务' }).waitFor();
  assert.equal(await p.page.getByTestId('upstream-state').innerText(), '已停用');
  assert.equal(await p.page.getByRole('button', { name: '停用上游服务' }).count(), 0);
  assert.equal((await p.api('/upstreams/' + encodeURIComponent(shared.id))).state, 'disabled');

  const before = endpoint.requests.length;
  const res = await signedPost('/gateway/v1/query', shared.query, shared.keyId, shared.secret, shared.clock());
  const answer = await res.json();
  assert.equal(res.status, 200, JSON.stringify(answer));
  assert.deepEqual(answer.rows, [{ 姓名: '陈晓明', 学历层次: '硕士研究生' }]);
  assert.equal(endpoint.requests.length, before, 'the disabled endpoint was still asked');

  // The list says so too.
  await p.goto('/console/upstreams');
  assert.match(await p.page.locator(`tr[data-upstream="${shared.id}"]`).innerText(), /已停用/);
}));
