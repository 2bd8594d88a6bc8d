// Disputes (共享争议, Art. 28) through the console: 西湖区民政局's office
// opens a dispute against 杭州市公安局 (a missing matter is said beside the
// field); the coordinating authority is 杭州市数据资源管理局, the lowest
// authority above both. 杭州市公安局's head finds the negotiation on its to-do
// list, states its position and proposes an agreement; the opener, who alone
// may answer it, does not agree; negotiation failing, the head applies for
// coordination (offered only now that both parties have spoken). The city authority's reviewer finds it on its to-do list,
// records that coordination failed and refers it to 杭州市人民政府, then
// records the government's decision: the dispute is decided, every stage and
// act is on its page, and no act is offered any more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson } from '../lib/harness.mjs';

const MATTER = '低保家庭成员户籍信息的共享字段';

async function waitForState(p, text) {
  await p.page.getByTestId('dispute-state').filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
  await p.ready();
}

async function openTodo(p, title) {
  await p.goto('/console/');
  await p.page.locator('tr.todo-item', { hasText: title }).getByRole('link', { name: title }).click();
  await p.page.waitForURL(/\/console\/disputes\/[0-9a-f-]{36}$/);
  await p.ready();
}

const stageOutcomes = (p) => p.page.locator('[data-testid="dispute-stages"] li').evaluateAll((lis) =>
  lis.map((li) => li.dataset.stage + ':' + (li.querySelector('[data-testid="stage-outcome"]')?.textContent || '')));

test('open, negotiation fails, the common authority coordinates, referral and decision', (t) => withPerson(t, async (opener) => {
  // 1. The consumer's office opens the dispute from the list page.
  await opener.signIn('xhmz.staff');
  await opener.page.getByRole('navigation').getByRole('link', { name: '共享争议' }).click();
  await opener.ready();
  await opener.page.getByTestId('dispute-new').click();
  await opener.page.waitForURL(/\/console\/disputes\/new$/);
  await opener.ready();
  await opener.page.getByLabel('对方部门').selectOption({ label: '杭州市公安局' });
  await opener.page.getByLabel('本部门身份').selectOption('consumer');
  await opener.page.getByLabel('本方主张').fill('核定低保需核验家庭成员户籍，请求共享户主关系字段');
  await opener.page.getByRole('button', { name: '发起争议' }).click();
  await opener.page.locator('.field-error[data-field="matter"]').waitFor();
  await opener.page.getByLabel('争议事项').fill(MATTER);
  await opener.page.getByRole('button', { name: '发起争议' }).click();
  await opener.page.waitForURL(/\/console\/disputes\/[0-9a-f-]{36}$/);
  await waitForState(opener, '协商中');
  const path = new URL(opener.page.url()).pathname;
  assert.match(await opener.page.getByTestId('dispute-authority').innerText(), /杭州市数据资源管理局[\s\S]*共同的上级/);
  assert.match(await opener.page.getByTestId('dispute-deadline').innerText(), /\d{4}年\d+月\d+日/);
  assert.equal(await opener.page.getByTestId('act-coordinate').count(), 0, 'a party does not coordinate');
  await opener.page.getByTestId('coordination-not-yet').waitFor();
  assert.equal(await opener.page.getByTestId('act-request-coordination').count(), 0, 'no coordination before the respondent has spoken');

  // 2. The respondent's head states its position, then applies for coordination.
  await withPerson(t, async (respondent) => {
    await respondent.signIn('hzga.head');
    await openTodo(respondent, '待协商的共享争议：' + MATTER);
    assert.equal(new URL(respondent.page.url()).pathname, path);
    await respondent.page.getByTestId('act-position').getByLabel('本方意见').fill('户主关系字段涉及个人信息，须经安全评估');
    await respondent.page.getByTestId('act-position').getByRole('button', { name: '提交' }).click();
    await respondent.page.locator('[data-testid="dispute-record"] li[data-kind="position"]').waitFor();
    await respondent.ready();
    const propose = respondent.page.getByTestId('act-propose');
    await propose.getByLabel('协议内容').fill('安全评估通过后共享户主关系字段');
    await propose.getByRole('button', { name: '提出协议' }).click();
    await respondent.page.getByTestId('dispute-proposal').waitFor();
    await respondent.ready();
    assert.equal(await respondent.page.getByTestId('dispute-state').innerText(), '协商中', 'a proposal alone resolves nothing');
    assert.equal(await respondent.page.getByTestId('act-confirm').count(), 0, 'the proposer does not confirm its own proposal');

    // The opener does not agree: the proposal lapses, negotiation goes on.
    await opener.goto(path);
    await waitForState(opener, '协商中');
    assert.match(await opener.page.getByTestId('dispute-proposal').innerText(), /安全评估通过后共享户主关系字段/);
    assert.equal(await opener.page.getByTestId('act-propose').count(), 0, 'the other party answers before proposing');
    const reject = opener.page.getByTestId('act-reject');
    await reject.getByRole('button', { name: '不同意' }).click();
    await reject.locator('.field-error[data-field="text"]').waitFor(); // the reason is required
    await reject.getByLabel('不同意的理由').fill('评估期限不确定，低保核定不能等待');
    await reject.getByRole('button', { name: '不同意' }).click();
    await opener.page.locator('[data-testid="dispute-record"] li[data-kind="rejection"]').waitFor();
    await opener.ready();
    assert.equal(await opener.page.getByTestId('dispute-proposal').count(), 0);

    await respondent.goto(path);
    await waitForState(respondent, '协商中');
    await respondent.page.getByLabel('协商情况及未能达成一致的原因').fill('经两次协商，双方对共享字段范围仍有分歧');
    await respondent.page.getByRole('button', { name: '申请协调处理' }).click();
    await waitForState(respondent, '协调处理中');
    assert.equal(await respondent.page.getByTestId('act-request-coordination').count(), 0);
  });

  // 3. The common authority coordinates without agreement and refers it to the government.
  await withPerson(t, async (authority) => {
    await authority.signIn('hz.reviewer');
    await openTodo(authority, '待协调处理的共享争议：' + MATTER);
    const form = authority.page.getByTestId('act-coordinate');
    await form.getByLabel('协调意见').fill('需求部门履职依据充分，提供部门的安全顾虑亦属合理');
    await form.getByLabel(/仍未达成一致/).check();
    await form.getByRole('button', { name: '提交协调结果' }).click();
    await form.locator('.field-error[data-field="referral"]').waitFor(); // the referral is required
    await form.getByLabel('报请本级人民政府决定的情况').fill('经协调仍未达成一致，报杭州市人民政府决定');
    await form.getByRole('button', { name: '提交协调结果' }).click();
    await waitForState(authority, '已报本级人民政府决定');

    // 4. The government's decision is recorded.
    const today = (await authority.api('/calendar')).today;
    const decide = authority.page.getByTestId('act-decide');
    await decide.getByLabel('决定内容').fill('提供部门在安全评估后15个工作日内共享户主关系字段');
    await decide.getByLabel('决定文号').fill('杭政办函〔2026〕21号');
    await decide.getByLabel('决定日期').fill(today);
    await decide.getByRole('button', { name: '登记决定' }).click();
    await waitForState(authority, '人民政府已决定');
    assert.match(await authority.page.getByTestId('dispute-decision').innerText(), /杭政办函〔2026〕21号/);
    assert.deepEqual(await stageOutcomes(authority), ['negotiation:未达成一致', 'coordination:未达成一致', 'decision:已作出决定']);
    assert.equal(await authority.page.locator('section.acts').count(), 0, 'nothing follows a decision');
    assert.equal(await authority.page.locator('[data-testid="dispute-events"] tbody tr').count(), 7);
  });

  // The opener sees the decision too; a third department does not find the dispute.
  await opener.goto(path);
  await waitForState(opener, '人民政府已决定');
  await withPerson(t, async (other) => {
    await other.signIn('gat.head');
    await other.goto(path); // waits until the page is shown, not merely loading
    assert.equal(await other.page.locator('h1').innerText(), '未找到或无权访问');
  });
}));

// The demo's negotiating dispute waits on 浙江省市场监督管理局's answer to
// 浙江省公安厅's proposal: its office finds it on the to-do list and
// confirms it, and the dispute is resolved with the proposal as the
// agreement.
test('the other party confirms a proposed agreement', (t) => withPerson(t, async (p) => {
  const matter = '企业法定代表人身份核验接口的每日调用上限';
  await p.signIn('scjg.staff');
  await openTodo(p, '待确认对方拟议协议的共享争议：' + matter);
  await waitForState(p, '协商中');
  const text = await p.page.getByTestId('dispute-proposal').locator('p').first().innerText();
  await p.page.getByTestId('act-confirm').getByRole('button', { name: '确认协议' }).click();
  await waitForState(p, '已达成一致');
  assert.equal(await p.page.getByTestId('dispute-agreement').locator('p').first().innerText(), text);
  assert.deepEqual(await stageOutcomes(p), ['negotiation:达成一致']);
  assert.equal(await p.page.locator('section.acts').count(), 0, 'nothing follows an agreement');
}));

// The demo's dispute between two provincial departments (浙江省教育厅 and
// 浙江省人力资源和社会保障厅) waits on the same-level authority, 浙江省数据局:
// its reviewer finds it on the to-do list and records that coordination
// brought agreement (the agreement itself is required, said beside the
// field); the dispute is resolved at the coordination stage.
test('the same-level authority coordinates two provincial departments to agreement', (t) => withPerson(t, async (p) => {
  const matter = '毕业生就业登记数据的共享范围';
  const agreement = '人社厅在就业登记数据中增加用人单位统一社会信用代码字段，仅用于核对毕业生就业真实性';
  await p.signIn('zj.reviewer');
  await openTodo(p, '待协调处理的共享争议：' + matter);
  await waitForState(p, '协调处理中');
  assert.match(await p.page.getByTestId('dispute-authority').innerText(), /浙江省数据局[\s\S]*同级政务数据共享主管部门/);
  const id = new URL(p.page.url()).pathname.split('/').pop();
  assert.equal((await p.api('/disputes/' + id)).authority.tier, 'same_level');

  const form = p.page.getByTestId('act-coordinate');
  await form.getByLabel('协调意见').fill('核对就业真实性确需用人单位代码，按最小必要原则仅共享该字段');
  assert.ok(await form.getByLabel('经协调达成一致').isChecked());
  await form.getByRole('button', { name: '提交协调结果' }).click();
  await form.locator('.field-error[data-field="agreement"]').waitFor(); // the agreement is required
  assert.equal((await p.api('/disputes/' + id)).state, 'coordinating');
  await form.getByLabel('双方达成一致的内容').fill(agreement);
  await form.getByRole('button', { name: '提交协调结果' }).click();
  await waitForState(p, '已达成一致');

  const shown = p.page.getByTestId('dispute-agreement');
  assert.equal(await shown.locator('p').first().innerText(), agreement);
  assert.match(await shown.innerText(), /主管部门协调处理阶段/);
  assert.deepEqual(await stageOutcomes(p), ['negotiation:未达成一致', 'coordination:达成一致']);
  assert.equal(await p.page.locator('section.acts').count(), 0, 'nothing follows an agreement');
  assert.equal(await p.page.getByTestId('dispute-deadline').count(), 0, 'a resolved dispute has no deadline');
  const d = await p.api('/disputes/' + id);
  assert.equal(d.state, 'resolved');
  assert.equal(d.agreement.stage, 'coordination');
  assert.equal(d.agreement.text, agreement);

  // Both parties see the agreement; the coordination is off the reviewer's to-do list.
  await withPerson(t, async (party) => {
    await party.signIn('rst.head');
    await party.goto('/console/disputes/' + id);
    await waitForState(party, '已达成一致');
    assert.equal(await party.page.getByTestId('dispute-agreement').locator('p').first().innerText(), agreement);
  });
  await p.goto('/console/');
  assert.equal(await p.page.locator('tr.todo-item', { hasText: matter }).count(), 0);
}));

// A dispute about a catalog entry: the API names no subject for an entry, so
// the console reads the entry's name as the reader may read it; the list and
// the page show it. The record names the person who opened the dispute only
// to readers the API lets see them (their own department), the department
// to everyone.
test('a dispute about a catalog entry shows the entry\'s name, and who opened it as far as the reader may know', (t) => withPerson(t, async (p) => {
  const entryName = '杭州市居住证信息';
  const matter = '居住证信息目录的共享属性';
  await p.signIn('xhmz.staff');
  const found = await p.api('/catalog/entries?q=' + encodeURIComponent(entryName));
  const entry = (found.items || []).find((e) => e.name === entryName);
  assert.ok(entry, 'the demo publishes ' + entryName);
  const opener = (await p.api('/me')).person.display_name;
  assert.ok(opener, 'the opener has a display name');

  await p.goto('/console/disputes/new');
  await p.page.getByLabel('对方部门').selectOption({ label: '杭州市公安局' });
  await p.page.getByLabel('争议对象（可选）').selectOption({ label: '数据目录' });
  await p.page.getByLabel('争议对象编号').fill(entry.id);
  await p.page.getByLabel('争议事项').fill(matter);
  await p.page.getByLabel('本方主张').fill('居住证信息应列为有条件共享，以便核定低保时核验居住情况');
  await p.page.getByRole('button', { name: '发起争议' }).click();
  await p.page.waitForURL(/\/console\/disputes\/[0-9a-f-]{36}$/);
  await waitForState(p, '协商中');
  const path = new URL(p.page.url()).pathname;
  assert.equal((await p.api(path.replace('/console', ''))).subject.type, 'catalog_entry');
  const subject = p.page.getByTestId('dispute-subject');
  assert.equal(await subject.innerText(), '数据目录：' + entryName);
  assert.equal(await subject.getByRole('link').getAttribute('href'), '/console/catalog/entries/' + encodeURIComponent(entry.id));
  const claim = () => p.page.locator('[data-testid="dispute-record"] li[data-kind="claim"]').innerText();
  assert.ok((await claim()).includes('西湖区民政局 · ' + opener), 'the opener is named to its own department');

  await p.goto('/console/disputes');
  const row = p.page.locator('tr.dispute-row', { hasText: matter });
  assert.equal(await row.getByTestId('dispute-subject').innerText(), '数据目录：' + entryName);

  // The respondent reads the entry's name too, and the opener's department but not their person.
  await withPerson(t, async (r) => {
    await r.signIn('hzga.head');
    await r.goto(path);
    await waitForState(r, '协商中');
    assert.equal(await r.page.getByTestId('dispute-subject').innerText(), '数据目录：' + entryName);
    const text = await r.page.locator('[data-testid="dispute-record"] li[data-kind="claim"]').innerText();
    assert.match(text, /西湖区民政局/);
    assert.ok(!text.includes(opener), 'a person of another department is not named');
  });
}));
