// A grant's life after delivery (Art. 27, issue #7 points 2 and 3), on the
// demo's approved service-interface grant (学历学位信息, 浙江省教育厅 →
// 浙江省人力资源和社会保障厅) and the demo's grants of 不动产登记信息:
// the provider suspends with a deadline for rectification, and the
// consumer's signed gateway call is refused at once; the consumer reports its
// rectification; the provider restores, and the call works again. The
// authority terminates another grant; its consumer finds the disposal due in
// its to-do list and the grants list, and records the disposal. Last, the
// provider requires the 学历学位信息 grant's data back, and its consumer
// disposes of it early by returning it, as required.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson } from '../lib/harness.mjs';
import { platformClock, signedPost } from '../lib/gateway.mjs';

const CONSUMER_OFFICE = 'rst.head'; // 浙江省人力资源和社会保障厅: its head does the office's work
const PROVIDER_HEAD = 'jyt.head'; // 浙江省教育厅
const ENTRY = '学历学位信息';

// What one test learns for the next: the tests of a file run in order on one platform.
const shared = {};

const call = () => signedPost('/gateway/v1/query', shared.query, shared.keyId, shared.secret, shared.clock());

/** The signed-in person's display name, as the API has it. */
const myName = async (p) => (await p.api('/me')).person.display_name;

/** The text of the grant history's row for action (the latest one when there are several). */
const historyRow = (p, action) => p.page.getByTestId('grant-history').locator(`tbody tr[data-action="${action}"]`).last().innerText();

/** Submits the act form with testid and waits for the page to say it was done. */
async function act(p, testid, fill, button) {
  const form = p.page.getByTestId(testid);
  await fill(form);
  // A notice of an earlier act would satisfy the wait before this act is done.
  await p.page.evaluate(() => document.querySelectorAll('[data-testid="notice"]').forEach((n) => n.remove()));
  await form.getByRole('button', { name: button }).click();
  await p.page.getByTestId('notice').waitFor();
  await p.ready(testid);
}

test('the consumer office has a system that calls the gateway on the grant', (t) => withPerson(t, async (p) => {
  await p.signIn(CONSUMER_OFFICE);
  await p.goto('/console/grants');
  await p.page.locator('tr.grant-row', { hasText: ENTRY }).getByRole('link', { name: ENTRY }).click();
  await p.page.waitForURL(/\/console\/grants\/[^/]+$/);
  await p.ready('grant');
  const grantId = decodeURIComponent(new URL(p.page.url()).pathname.split('/').pop());
  const grant = await p.api('/grants/' + encodeURIComponent(grantId));
  assert.equal(grant.state, 'active');
  // The consumer is offered disposal, never suspension.
  assert.equal(await p.page.getByTestId('act-dispose').count(), 1);
  assert.equal(await p.page.getByTestId('act-suspend').count(), 0);

  await p.goto('/console/systems');
  await p.page.getByLabel('系统名称').fill('职称评审学历核验系统');
  await p.page.getByLabel('系统用途说明').fill('职称评审时核验学历');
  await p.page.getByRole('button', { name: '登记' }).click();
  await p.page.waitForURL(/\/console\/systems\/[^/]+$/);
  await p.ready('system');
  const systemId = decodeURIComponent(new URL(p.page.url()).pathname.split('/').pop());
  await p.page.getByRole('button', { name: '签发访问密钥' }).click();
  await p.page.getByTestId('secret-panel').waitFor();
  const issuedAt = Date.now();
  const keyId = await p.page.getByLabel('访问密钥 ID（X-Gs-Key）').inputValue();
  const secret = await p.page.getByLabel('密钥（Secret）').inputValue();
  const system = await p.api('/systems/' + encodeURIComponent(systemId));
  const created = Date.parse(system.credentials.find((c) => c.key_id === keyId).created_at);
  Object.assign(shared, {
    grantId, keyId, secret, clock: platformClock({ created, issuedAt }),
    query: JSON.stringify({ grant_id: grantId, purpose: grant.purpose.scenario, items: ['姓名', '学历层次'], where: { 证书编号: '103351202605001234' } }),
  });
  const res = await call();
  assert.equal(res.status, 200, await res.text());
}));

test('the consumer office staff is not offered the early disposal of an active grant', (t) => withPerson(t, async (p) => {
  assert.ok(shared.grantId, 'the first test did not find the grant');
  await p.signIn('rst.staff');
  await p.goto('/console/grants/' + encodeURIComponent(shared.grantId));
  await p.ready('grant-staff');
  // Disposing of an active grant ends delivery for good: the office head's act.
  assert.match(await p.page.getByTestId('grant-facts').innerText(), /有效/);
  assert.equal(await p.page.getByTestId('act-dispose').count(), 0);
}));

test('the provider suspends with a deadline, and the signed call is refused at once', (t) => withPerson(t, async (p) => {
  assert.ok(shared.grantId, 'the previous test did not get as far as the call');
  await p.signIn(PROVIDER_HEAD);
  await p.goto('/console/grants/' + encodeURIComponent(shared.grantId));
  // Evidence is required: refused beside the field, nothing changes.
  const form = p.page.getByTestId('act-suspend');
  await form.getByLabel('暂停依据').selectOption('beyond_purpose');
  await form.getByLabel('暂停理由（每行一条）').fill('将学历信息用于职称评审以外的人才统计');
  await form.getByLabel('自今日起的工作日数').fill('10');
  await form.getByRole('button', { name: '暂停' }).click();
  await form.locator('[aria-invalid="true"][name="evidence"]').waitFor();
  assert.equal((await p.api('/grants/' + encodeURIComponent(shared.grantId))).state, 'active');

  await act(p, 'act-suspend', (f) => f.getByLabel('证据材料').fill('调用日志摘录（6月共 12 次非评审用途调用）'), '暂停');
  assert.match(await p.page.getByTestId('notice').innerText(), /已暂停/);
  assert.match(await p.page.getByTestId('grant-facts').innerText(), /已暂停/);
  const section = await p.page.getByTestId('grant-suspension').innerText();
  assert.match(section, /擅自超出共享目的使用/);
  assert.match(section, /整改期限\s*\d{4}年\d{1,2}月\d{1,2}日/);
  // The history names who suspended: the department and, to a reader of the same department, the person.
  shared.suspender = await myName(p);
  assert.ok(shared.suspender, 'the provider head has a display name');
  assert.ok((await historyRow(p, 'grant.suspend')).includes('浙江省教育厅 · ' + shared.suspender), 'the suspender is named');
  // The suspender is offered the restoration; the consumer's report is not its to make.
  assert.equal(await p.page.getByTestId('act-resume').count(), 1);
  assert.equal(await p.page.getByTestId('act-rectify').count(), 0);

  const res = await call();
  assert.equal(res.status, 403);
  assert.equal((await res.json()).code, 'grant.suspended');
}));

test('the consumer reports its rectification', (t) => withPerson(t, async (p) => {
  await p.signIn(CONSUMER_OFFICE);
  // The suspension is on the consumer's to-do list, with its deadline.
  const item = p.page.locator('tr.todo-item[data-kind="grant.rectify"]', { hasText: ENTRY });
  assert.match(await item.locator('.deadline').innerText(), /剩余 \d+ 个工作日/);
  await item.getByRole('link').click();
  await p.page.waitForURL(/\/console\/grants\//);
  await p.ready('grant-suspended');
  await act(p, 'act-rectify', async (f) => {
    await f.getByLabel('整改措施和结果').fill('已停止人才统计中的调用，删除统计库中的学历字段');
    await f.getByLabel('证明材料').fill('整改报告及数据删除记录');
  }, '提交整改报告');
  assert.equal(await p.page.getByTestId('rectification-reports').locator('tbody tr').count(), 1);
  // Its own act names its own person; the provider's person is personal data
  // the API does not let the consumer read, so that act shows the department only.
  assert.ok((await historyRow(p, 'grant.rectification')).includes('浙江省人力资源和社会保障厅 · ' + await myName(p)), 'the reporter is named');
  assert.ok(shared.suspender, 'the suspension test did not record the suspender');
  const suspended = await historyRow(p, 'grant.suspend');
  assert.match(suspended, /浙江省教育厅/);
  assert.ok(!suspended.includes(shared.suspender), 'another department\'s person is not named');
}));

test('the provider restores the grant, and the call works again', (t) => withPerson(t, async (p) => {
  await p.signIn(PROVIDER_HEAD);
  await p.goto('/console/grants/' + encodeURIComponent(shared.grantId));
  await act(p, 'act-resume', (f) => f.getByLabel('恢复理由（每行一条）').fill('整改到位'), '恢复');
  assert.match(await p.page.getByTestId('grant-facts').innerText(), /有效/);
  assert.match(await p.page.getByTestId('grant-suspension').innerText(), /已恢复/);
  const res = await call();
  assert.equal(res.status, 200, await res.text());

  // The provider's head records consent to a third party (Art. 25), naming it from a list.
  await act(p, 'act-consent', async (f) => {
    await f.getByLabel('第三方部门').selectOption({ label: '浙江省民政厅' });
    await f.getByLabel('用途').fill('困难家庭学生资助资格联审');
  }, '记录同意');
  assert.equal((await p.api('/grants/' + encodeURIComponent(shared.grantId))).consents.length, 1);
}));

test('the authority terminates another grant', (t) => withPerson(t, async (p) => {
  await p.signIn('zj.reviewer');
  await p.goto('/console/grants');
  await p.page.locator('tr.grant-row', { hasText: '杭州市民政局' }).filter({ hasText: '不动产登记信息' })
    .getByRole('link', { name: '不动产登记信息' }).click();
  await p.page.waitForURL(/\/console\/grants\/[^/]+$/);
  await p.ready('hz-grant');
  shared.terminated = decodeURIComponent(new URL(p.page.url()).pathname.split('/').pop());
  await act(p, 'act-terminate', async (f) => {
    await f.getByLabel('终止理由（每行一条）').fill('监督检查发现将不动产信息用于低保核查以外的用途');
    await f.getByLabel('证据材料').fill('浙江省数据局监督检查记录');
  }, '终止共享');
  assert.match(await p.page.getByTestId('grant-facts').innerText(), /已终止/);
  assert.match(await p.page.getByTestId('disposal-due').innerText(), /\d{4}年\d{1,2}月\d{1,2}日/);
}));

test('the consumer finds the disposal due and records it', (t) => withPerson(t, async (p) => {
  assert.ok(shared.terminated, 'the previous test did not terminate the grant');
  await p.signIn('hzmz.head');
  const item = p.page.locator('tr.todo-item[data-kind="grant.disposal_due"]', { hasText: '不动产登记信息' });
  assert.match(await item.innerText(), /共享数据待妥善处置/);
  assert.match(await item.locator('.deadline').innerText(), /剩余 \d+ 个工作日/);

  // The grants list's tab of grants awaiting disposal holds it.
  await p.goto('/console/grants');
  await p.page.getByTestId('grant-tab-due').click();
  await p.page.waitForURL(/disposal=due/);
  await p.ready('due-tab');
  const row = p.page.locator(`tr.grant-row[data-grant-id="${shared.terminated}"]`);
  assert.match(await row.innerText(), /已终止/);

  await row.getByRole('link').click();
  await p.page.waitForURL(/\/console\/grants\/[^/?]+$/);
  await p.ready('terminated-grant');
  await act(p, 'act-dispose', async (f) => {
    await f.getByLabel('处置情况（做了什么）').fill('删除救助系统中的不动产核查结果及备份');
    await f.getByLabel('证明材料').fill('杭州市民政局数据销毁记录第1号');
  }, '登记处置');
  assert.match(await p.page.getByTestId('grant-facts').innerText(), /已处置/);
  assert.match(await p.page.getByTestId('grant-disposal').innerText(), /删除销毁/);
  assert.equal(await p.page.getByTestId('act-dispose').count(), 0);

  await p.goto('/console/');
  assert.equal(await p.page.locator('tr.todo-item[data-kind="grant.disposal_due"]', { hasText: '不动产登记信息' }).count(), 0);
}));

// The provider's office states its disposal requirement (Art. 27 ¶1) on the
// active 学历学位信息 grant: the grant page shows it, and the consumer's
// disposal form offers that method and refuses any other beside the field.
test('the provider requires disposal by return, and the consumer disposes of the data that way', (t) => withPerson(t, async (p) => {
  assert.ok(shared.grantId, 'the first test did not find the grant');
  const path = '/grants/' + encodeURIComponent(shared.grantId);
  const requirement = '数据退回省教育厅信息化处，并出具退回回执';
  await p.signIn(PROVIDER_HEAD);
  await p.goto('/console' + path);
  assert.match(await p.page.getByTestId('grant-disposal').innerText(), /未提出（按平台默认：删除销毁）/);
  await act(p, 'act-require-disposal', async (f) => {
    await f.getByLabel('处置方式').selectOption({ label: '退回提供部门' });
    await f.getByLabel('具体要求（可选）').fill(requirement);
  }, '保存处置要求');
  assert.match(await p.page.getByTestId('notice').innerText(), /处置要求已保存/);
  assert.match(await p.page.getByTestId('grant-disposal').innerText(), new RegExp('提供部门的处置要求\\s*退回提供部门：' + requirement));
  // The form now amends the requirement it shows.
  const again = p.page.getByTestId('act-require-disposal');
  assert.match(await again.locator('h3').innerText(), /修改处置要求/);
  assert.equal(await again.getByLabel('处置方式').inputValue(), 'return');
  const held = (await p.api(path)).disposal_requirement;
  assert.equal(held.method, 'return');
  assert.equal(held.text, requirement);

  await withPerson(t, async (c) => {
    await c.signIn(CONSUMER_OFFICE);
    await c.goto('/console' + path);
    assert.match(await c.page.getByTestId('grant-disposal').innerText(), /退回提供部门/);
    const form = c.page.getByTestId('act-dispose');
    const method = form.getByLabel('处置方式');
    assert.equal(await method.inputValue(), 'return', 'the form offers the required method');
    const hint = await form.locator('small.rule', { hasText: '提供部门要求' }).innerText();
    assert.match(hint, /提供部门要求：退回提供部门$/);
    // Any other method is refused beside the field, and nothing changes.
    await method.selectOption('delete');
    await form.getByLabel('处置情况（做了什么）').fill('职称评审已结束，学历核验数据整体退回省教育厅');
    await form.getByLabel('证明材料').fill('省教育厅数据退回回执第3号');
    await form.getByLabel('处置理由').selectOption({ label: '共享目的已实现' });
    await form.getByLabel('理由说明').fill('本年度职称评审学历核验已全部完成');
    await form.getByRole('button', { name: '登记处置' }).click();
    await form.locator('[aria-invalid="true"][name="method"]').waitFor();
    assert.equal((await c.api(path)).state, 'active');

    await act(c, 'act-dispose', (f) => f.getByLabel('处置方式').selectOption('return'), '登记处置');
    assert.match(await c.page.getByTestId('grant-facts').innerText(), /已处置/);
    assert.match(await c.page.getByTestId('grant-disposal').innerText(), /处置方式\s*退回提供部门/);
    assert.equal(await c.page.getByTestId('act-dispose').count(), 0);
    const g = await c.api(path);
    assert.equal(g.state, 'disposed');
    assert.equal(g.disposal.method, 'return');
    assert.equal(g.disposal.reason, 'purpose_met');
  });
}));
