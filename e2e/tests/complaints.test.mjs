// Complaints (投诉举报, Art. 37) through the console: someone without an
// account finds the form from the sign-in page, files a complaint about
// 浙江省公安厅 and is shown the receipt code once; the department's office
// accepts and answers it in the console; the code then shows the answer on
// the public lookup page. A flood of filings from one address gets 429.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson, BASE } from '../lib/harness.mjs';

const NAME = '测试投诉人丙';
const MEASURES = '已收回超出使用范围的共享授权，并通知需求部门删除相关数据。';

test('file without signing in, answer in the console, follow with the code', (t) => withPerson(t, async (pub) => {
  // 1. The public: from the sign-in page to the form, no account.
  await pub.goto('/console/signin');
  await pub.page.getByRole('link', { name: '投诉举报' }).click();
  await pub.page.waitForURL(BASE + '/console/complaint');
  await pub.ready('complaint-form');
  assert.equal(await pub.page.locator('#topbar').isHidden(), true);
  await pub.page.getByLabel('投诉人类型').selectOption({ label: '公民' });
  await pub.page.getByLabel('姓名或单位名称').fill(NAME);
  await pub.page.getByLabel('联系方式').fill('not a phone');
  await pub.page.getByLabel('被投诉部门').selectOption({ label: '浙江省公安厅' });
  await pub.page.getByLabel('事情经过').fill('我的户籍信息被共享给了与办事无关的单位。');
  await pub.page.getByLabel('受侵犯的合法权益').fill('个人信息权益');
  await pub.page.getByRole('button', { name: '提交投诉举报' }).click();
  // A bad field is said beside it; nothing is filed.
  await pub.page.locator('.field-error[data-field="contact"]').waitFor();
  assert.equal(await pub.page.getByLabel('联系方式').getAttribute('aria-invalid'), 'true');
  await pub.page.getByLabel('联系方式').fill('13800000009');
  await pub.page.getByRole('button', { name: '提交投诉举报' }).click();
  const codeEl = pub.page.getByTestId('receipt-code');
  await codeEl.waitFor();
  await pub.ready('receipt');
  const code = (await codeEl.innerText()).trim();
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
  assert.match(await pub.page.locator('.receipt').innerText(), /请立即抄写或保存此查询码/);

  // 2. The department's office accepts and answers in the console.
  await withPerson(t, async (staff) => {
    await staff.signIn('gat.staff');
    await staff.page.getByRole('navigation').getByRole('link', { name: '投诉举报' }).click();
    await staff.page.waitForURL(BASE + '/console/complaints');
    await staff.ready();
    // The listing shows no complainant; the newest complaint is the last row.
    assert.doesNotMatch(await staff.page.getByTestId('complaints').innerText(), new RegExp(NAME));
    await staff.page.locator('tr.complaint-row').last().getByRole('link').click();
    await staff.page.waitForURL(/\/console\/complaints\/[0-9a-f-]{36}$/);
    await staff.ready();
    assert.equal(await staff.page.getByTestId('complainant-name').innerText(), NAME);
    await staff.page.getByRole('button', { name: '受理' }).click();
    await staff.page.getByTestId('notice').filter({ hasText: '已受理' }).waitFor();
    await staff.ready();
    assert.equal(await staff.page.getByTestId('complaint-state').innerText(), '处理中');
    await staff.page.getByLabel('调查核实情况').fill('经核实，共享范围超出了申请的使用范围。');
    await staff.page.getByLabel('处理措施').fill(MEASURES);
    await staff.page.getByRole('button', { name: '提交答复' }).click();
    // The notice of the act before (已受理) is still there until the page is read again.
    await staff.page.getByTestId('notice').filter({ hasText: '已答复' }).waitFor();
    await staff.ready();
    assert.equal(await staff.page.getByTestId('complaint-state').innerText(), '已答复');
    assert.equal(await staff.page.getByRole('button', { name: '提交答复' }).count(), 0);
  });

  // 3. The public follows with the code, typed in lower case without dashes.
  await pub.page.getByRole('link', { name: '查询办理进度' }).click();
  await pub.page.waitForURL(BASE + '/console/complaint/lookup');
  await pub.ready();
  await pub.page.getByLabel('查询码').fill(code.replaceAll('-', '').toLowerCase());
  await pub.page.getByRole('button', { name: '查询' }).click();
  await pub.page.getByTestId('lookup-state').waitFor();
  assert.equal(await pub.page.getByTestId('lookup-state').innerText(), '已答复');
  assert.equal(await pub.page.getByTestId('lookup-measures').innerText(), MEASURES);
  assert.doesNotMatch(await pub.page.locator('main').innerText(), new RegExp(NAME));
  // A wrong code finds nothing.
  await pub.page.getByLabel('查询码').fill('ABCD-EFGH-JKMN-PQRS-TVWX');
  await pub.page.getByRole('button', { name: '查询' }).click();
  await pub.page.locator('.form-error, .field-error').first().waitFor();
}));

test('a flood of filings from one address is refused with 429 and Retry-After', (t) => withPerson(t, async (p) => {
  const deps = await (await p.page.request.get(BASE + '/api/v1/public/departments')).json();
  const dept = deps.items.find((d) => d.name === '浙江省公安厅');
  const body = { complainant_kind: 'citizen', name: '测试投诉人丁', contact: '13800000010', department_id: dept.id, facts: '测试', rights: '测试' };
  const statuses = [];
  let retryAfter = null;
  for (let i = 0; i < 12; i++) {
    const res = await p.page.request.post(BASE + '/api/v1/public/complaints', { data: body });
    statuses.push(res.status());
    if (res.status() === 429) {
      retryAfter = res.headers()['retry-after'];
      assert.equal((await res.json()).code, 'request.rate_limited');
    }
  }
  assert.ok(statuses.includes(201), `statuses ${statuses}`);
  assert.ok(statuses.includes(429), `statuses ${statuses}`);
  assert.ok(Number(retryAfter) >= 1, `Retry-After ${retryAfter}`);
}));

// 杭州市民政局's office transfers the demo's complaint it is handling to
// 浙江省人力资源和社会保障厅 with a reason (a missing reason is refused beside
// its field); the complaint leaves its list and appears in the receiving
// office's, which reads who transferred it and why.
test('the handling office transfers a complaint, the receiving office finds it in its list', async (t) => {
  const TO = '浙江省人力资源和社会保障厅';
  const REASON = '所涉数据为社会保险参保信息，由浙江省人力资源和社会保障厅提供并共享，应由该厅核查处理。';
  let id = '';
  await withPerson(t, async (p) => {
    await p.signIn('hzmz.head');
    const mine = await p.api('/complaints?limit=100');
    const c = mine.items.find((x) => x.state === 'handling');
    assert.ok(c, '杭州市民政局 handles the demo complaint');
    id = c.id;
    await p.goto('/console/complaints/' + id);
    const form = p.page.getByTestId('complaint-transfer');
    await form.getByLabel('转交部门').selectOption({ label: TO });
    await form.getByRole('button', { name: '转交' }).click();
    await form.locator('.field-error[data-field="reason"]').waitFor();
    assert.equal((await p.api('/complaints/' + id)).transfers.length, 0, 'a refused transfer changes nothing');
    await form.getByLabel('转交理由').fill(REASON);
    await form.getByRole('button', { name: '转交' }).click();
    await p.page.waitForURL(BASE + '/console/complaints');
    await p.page.getByTestId('notice').filter({ hasText: '已转交' }).waitFor();
    await p.ready('after-transfer');
    assert.equal(await p.page.locator(`tr.complaint-row[data-complaint-id="${id}"]`).count(), 0);
    // The former handler may no longer read it.
    const res = await p.page.request.get(BASE + '/api/v1/complaints/' + id);
    assert.ok([403, 404].includes(res.status()), `former handler reads it: ${res.status()}`);
  });

  await withPerson(t, async (p) => {
    await p.signIn('rst.staff');
    await p.page.getByRole('navigation').getByRole('link', { name: '投诉举报' }).click();
    await p.page.waitForURL(BASE + '/console/complaints');
    await p.ready('receiver-list');
    const row = p.page.locator(`tr.complaint-row[data-complaint-id="${id}"]`);
    assert.match(await row.innerText(), new RegExp(TO));
    // The receiver gets it afresh: received, its own 15 working days from today.
    assert.equal(await row.getAttribute('data-state'), 'received');
    await row.getByRole('link').click();
    await p.page.waitForURL(BASE + '/console/complaints/' + id);
    await p.ready('receiver-detail');
    assert.equal(await p.page.getByTestId('complaint-handler').innerText(), TO);
    assert.match(await p.page.locator('section[aria-labelledby="transfers-h"]').innerText(), new RegExp('由 杭州市民政局 转交 ' + TO + '：' + REASON));
    assert.equal(await p.page.getByTestId('complaint-state').innerText(), '已收到，待处理');
    // The receiver may act on it: accept and answer are offered.
    assert.equal(await p.page.getByTestId('complaint-accept').count(), 1);
    assert.equal(await p.page.getByTestId('complaint-answer').count(), 1);
    const c = await p.api('/complaints/' + id);
    assert.equal(c.transfers.length, 1);
    assert.equal(c.transfers[0].reason, REASON);
    assert.equal(c.handler_id, c.transfers[0].to_id);
    assert.equal(c.state, 'received');
  });
});
