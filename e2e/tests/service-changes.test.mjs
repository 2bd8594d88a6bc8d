// Service changes (服务变更, Art. 27 ¶3) through the console: 浙江省卫生健康委员会's
// office head proposes, from the entry's page, to end the service of
// 医疗机构执业许可信息, on which 杭州市公安局 holds a grant; a missing reason is said beside the field. The
// consumer's head finds the consultation on its to-do list and answers (an
// objection without opinion is refused beside the field); the provider's head
// files the change; 浙江省数据局's reviewer finds the filing on its to-do list
// and acknowledges it, and the change takes effect at once (its effective
// date is today): the grant is terminated. The authority also returns the
// demo's filed change with reasons. Then 杭州市公安局's head withdraws the
// demo's acknowledged change before its effective date (a missing reason is
// said beside the field); the consumer's grant keeps running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson } from '../lib/harness.mjs';

const ENTRY = '医疗机构执业许可信息';

async function waitForState(p, text) {
  await p.page.getByTestId('sc-state').filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
  await p.ready();
}

async function openTodo(p, title) {
  await p.goto('/console/');
  await p.page.locator('tr.todo-item', { hasText: title }).getByRole('link', { name: title }).click();
  await p.page.waitForURL(/\/console\/service-changes\/[0-9a-f-]{36}$/);
  await p.ready();
}

const timelineActions = (p) => p.page.locator('[data-testid="timeline"] li').evaluateAll((lis) => lis.map((li) => li.dataset.action));

test('propose, answer, file and acknowledge a termination; the grant ends', (t) => withPerson(t, async (provider) => {
  // 1. The provider's head proposes from the list page.
  await provider.signIn('wjw.head');
  await provider.page.getByRole('navigation').getByRole('link', { name: '服务变更' }).click();
  await provider.ready();
  assert.ok(await provider.page.locator('tr.sc-row').count() >= 1, "the demo's change of this department is listed");
  await provider.page.getByTestId('sc-new').waitFor(); // the list offers a new proposal; here it starts from the entry's page
  const found = await provider.api('/catalog/entries?q=' + encodeURIComponent(ENTRY));
  const entry = found.items.find((e) => e.name === ENTRY);
  await provider.goto('/console/catalog/entries/' + entry.id);
  await provider.page.getByTestId('sc-propose-link').click();
  await provider.page.waitForURL(/\/console\/service-changes\/new\?entry_id=/);
  await provider.ready();
  assert.equal(await provider.page.getByLabel('数据目录').inputValue(), entry.id);
  await provider.page.getByLabel('类型').selectOption({ label: '终止共享服务' });
  await provider.page.getByRole('button', { name: '签发并发起协商' }).click();
  const err = provider.page.locator('.field-error[data-field="reason"]');
  await err.waitFor();
  assert.match(await err.innerText(), /正当理由/);
  await provider.page.getByLabel('终止或者变更的理由').fill('身份核验统一改由省一体化平台提供，本接口停止服务');
  await provider.page.getByRole('button', { name: '签发并发起协商' }).click();
  await provider.page.waitForURL(/\/console\/service-changes\/[0-9a-f-]{36}$/);
  await waitForState(provider, '协商中');
  const path = new URL(provider.page.url()).pathname;
  const consumers = provider.page.getByTestId('sc-consumers');
  assert.match(await consumers.innerText(), /杭州市公安局/);
  assert.equal(await provider.page.getByTestId('sc-position').first().innerText(), '待答复');
  await provider.page.getByTestId('sc-wait').waitFor(); // no filing while the consultation runs
  assert.equal(await provider.page.getByTestId('sc-file').count(), 0);
  const grantLink = await consumers.getByRole('link').first().getAttribute('href');
  const grantID = grantLink.split('/').pop();
  assert.equal((await provider.api('/grants/' + grantID)).state, 'active');

  // 2. The consumer's head answers from its to-do list.
  await withPerson(t, async (consumer) => {
    await consumer.signIn('hzga.head');
    await openTodo(consumer, '待答复的共享服务终止协商：' + ENTRY);
    await consumer.page.getByLabel('有异议').check();
    await consumer.page.getByRole('button', { name: '签发答复' }).click();
    await consumer.page.locator('.field-error[data-field="opinion"]').waitFor();
    await consumer.page.getByLabel('同意', { exact: true }).check();
    await consumer.page.getByLabel('意见', { exact: true }).fill('已对接省一体化平台接口，同意终止');
    await consumer.page.getByRole('button', { name: '签发答复' }).click();
    await consumer.page.getByTestId('sc-position').filter({ hasText: /^同意$/ }).waitFor();
    await consumer.ready();
    assert.equal(await consumer.page.getByTestId('sc-answer').count(), 0, 'one answer per consumer');
  });

  // 3. The provider's head files it with the authority.
  await provider.goto(path);
  await provider.page.getByLabel('报备说明（可选）').fill('附协商记录');
  await provider.page.getByRole('button', { name: '报备案' }).click();
  await waitForState(provider, '已报备案');
  assert.equal((await provider.api('/grants/' + grantID)).state, 'active', 'delivery continues until the change takes effect');

  // 4. The authority acknowledges; the effective date is today, so it takes effect.
  await withPerson(t, async (authority) => {
    await authority.signIn('zj.reviewer');
    await openTodo(authority, '待备案的共享服务终止：' + ENTRY);
    await authority.page.getByRole('button', { name: '予以备案' }).click();
    await waitForState(authority, '已生效');
    assert.match(await authority.page.getByTestId('sc-effect').innerText(), /终止共享授权 1 项/);
    // No grant was approved after the proposal, so none is left uncovered;
    // the page says that the entry itself stays published.
    assert.equal(await authority.page.getByTestId('sc-effect-not-covered').count(), 0);
    assert.match(await authority.page.getByTestId('sc-effect-entry').innerText(), /不下架目录/);
    assert.deepEqual(await timelineActions(authority), ['service_change.propose', 'service_change.answer', 'service_change.file',
      'service_change.acknowledge', 'service_change.effective']);

    // The demo's filed termination is returned with reasons.
    await authority.goto('/console/service-changes?state=consulting%2Cfiled%2Cacknowledged');
    await authority.page.locator('tr.sc-row[data-state="filed"]').getByRole('link').first().click();
    await authority.page.waitForURL(/\/console\/service-changes\/[0-9a-f-]{36}$/);
    await waitForState(authority, '已报备案');
    await authority.page.getByLabel('退回理由').fill('替代服务上线时间未明确');
    await authority.page.getByRole('button', { name: '退回', exact: true }).click();
    await waitForState(authority, '已退回');
    assert.match(await authority.page.getByTestId('sc-decision').innerText(), /退回/);
  });

  assert.equal((await provider.api('/grants/' + grantID)).state, 'terminated');
  await provider.goto(path);
  assert.equal(await provider.page.getByTestId('sc-withdraw').count(), 0, 'an effective change cannot be withdrawn');
}));

test('the provider withdraws an acknowledged change before it takes effect', (t) => withPerson(t, async (provider) => {
  await provider.signIn('hzga.head');
  await provider.goto('/console/service-changes?state=consulting%2Cfiled%2Cacknowledged');
  const row = provider.page.locator('tr.sc-row[data-state="acknowledged"]', { hasText: '杭州市户籍迁移信息' });
  assert.match(await row.innerText(), /已备案待生效/);
  await row.getByRole('link').first().click();
  await provider.page.waitForURL(/\/console\/service-changes\/[0-9a-f-]{36}$/);
  await waitForState(provider, '已备案待生效');
  const grantLink = await provider.page.getByTestId('sc-consumers').getByRole('link').first().getAttribute('href');
  const grantID = grantLink.split('/').pop();

  const form = provider.page.getByTestId('sc-withdraw');
  await form.getByRole('button', { name: '撤回服务变更' }).click();
  await form.locator('.field-error[data-field="reason"]').waitFor();
  await waitForState(provider, '已备案待生效'); // refused: nothing changed
  await form.getByLabel('撤回理由').fill('每周交换无法满足低保动态核查需要，维持每日交换');
  await form.getByRole('button', { name: '撤回服务变更' }).click();
  await waitForState(provider, '已撤回');
  assert.equal(await provider.page.getByTestId('sc-withdraw').count(), 0, 'a withdrawn change cannot be withdrawn again');
  const actions = await timelineActions(provider);
  assert.equal(actions.at(-1), 'service_change.withdraw');
  assert.ok(actions.includes('service_change.acknowledge'), 'the history keeps the acknowledgment');
  assert.equal((await provider.api('/grants/' + grantID)).state, 'active', 'a withdrawn change leaves the grant running');
}));
