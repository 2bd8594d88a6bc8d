// Applications (共享申请) through the console, as the README's "Walk through
// an application" does with curl: 杭州市公安局's staff finds 浙江省公安厅's
// 机动车驾驶证信息 in the catalog and applies, its office head sends it,
// the provider's head asks for a supplement, the consumer's head supplies it,
// the provider's head approves; the timeline shows every step. Then the
// consumer's office registers an application system, issues a credential and
// calls the gateway under the new grant, and an auditor finds the call in the
// grant's trail (issue #6: the flow in one go). And a draft stays inside the
// consumer's office.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson, BASE } from '../lib/harness.mjs';
import { platformClock, signedPost } from '../lib/gateway.mjs';

const ENTRY = '机动车驾驶证信息';
const state = (p) => p.page.getByTestId('app-state');

/** Waits until the detail page shows the application in the state named (after an act). */
async function waitForState(p, text) {
  await p.page.getByTestId('app-state').filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
  await p.ready();
}

/** Finds entry through the catalog search and opens the application form from its page. */
async function openForm(p, query, entry) {
  await p.page.getByRole('navigation').getByRole('link', { name: '数据目录' }).click();
  await p.ready();
  await p.page.getByLabel('关键词').fill(query);
  await p.page.getByRole('button', { name: '搜索' }).click();
  await p.page.waitForURL(/\/console\/catalog\?q=/);
  await p.ready();
  await p.page.getByRole('link', { name: entry, exact: true }).click();
  await p.ready();
  await p.page.getByRole('link', { name: '申请共享' }).click();
  await p.page.waitForURL(/\/console\/applications\/new\?entry=/);
  await p.ready();
  assert.equal(await p.page.getByTestId('entry-name').innerText(), entry);
}

/** Fills the form (all but what skip names) and saves; returns the new application's path. */
async function fillAndSave(p, { items, basis, scenario, scope, method }) {
  for (const it of items) await p.page.getByLabel(it, { exact: true }).check();
  await p.page.getByLabel('依据').fill(basis);
  await p.page.getByLabel('应用场景').fill(scenario);
  await p.page.getByLabel('使用范围').fill(scope);
  await p.page.getByLabel('共享方式').selectOption({ label: method });
  await p.page.getByRole('button', { name: '保存申请草稿' }).click();
  await p.page.waitForURL(/\/console\/applications\/[0-9a-f-]{36}$/);
  await waitForState(p, '草稿');
  return new URL(p.page.url()).pathname;
}

/** Opens the to-do item titled title from the home page. */
async function openTodo(p, title) {
  await p.goto('/console/');
  const link = p.page.locator('tr.todo-item', { hasText: title }).getByRole('link', { name: title });
  await link.click();
  await p.page.waitForURL(/\/console\/applications\/[0-9a-f-]{36}$/);
  await p.ready();
}

const timelineActions = (p) => p.page.locator('[data-testid="timeline"] li').evaluateAll((lis) => lis.map((li) => li.dataset.action));

test('apply, send, supplement, resubmit and approve through the console', (t) => withPerson(t, async (staff) => {
  // 1. 杭州市公安局's staff searches the catalog and applies.
  await staff.signIn('hzga.staff');
  await openForm(staff, '驾驶证', ENTRY);
  // A missing field is said beside it, and nothing is saved.
  await staff.page.getByLabel('驾驶证号', { exact: true }).check();
  await staff.page.getByRole('button', { name: '保存申请草稿' }).click();
  const err = staff.page.locator('.field-error[data-field="legal_basis"]');
  await err.waitFor();
  assert.equal(await err.innerText(), '必填项不能为空');
  assert.equal(await staff.page.getByLabel('依据').getAttribute('aria-invalid'), 'true');
  assert.match(staff.page.url(), /\/console\/applications\/new\?entry=/);

  const path = await fillAndSave(staff, {
    items: ['姓名', '准驾车型'],
    basis: '《中华人民共和国道路交通安全法》第十九条',
    scenario: '办理网约车驾驶员从业资格审核',
    scope: '杭州市公安局交通管理部门',
    method: '服务接口',
  });
  assert.equal(await staff.page.getByTestId('app-items').innerText(), '驾驶证号、姓名、准驾车型');
  assert.equal(await staff.page.getByTestId('app-method').innerText(), '服务接口');
  assert.equal(await staff.page.getByTestId('app-time-limit').innerText(), '自同意之日起 12 个月');
  // Staff cannot send: they ask their head.
  assert.equal(await staff.page.getByRole('button', { name: '同意并发送' }).count(), 0);
  await staff.page.getByRole('button', { name: '提交本部门负责人审批' }).click();
  await waitForState(staff, '待负责人审批');
  await staff.goto('/console/applications');
  const mine = staff.page.locator('tr.application-row', { hasText: ENTRY });
  assert.equal(await mine.count(), 1);
  assert.match(await mine.innerText(), /待负责人审批/);

  // 2. Its office head approves and sends it from the to-do list.
  await withPerson(t, async (head) => {
    await head.signIn('hzga.head');
    await openTodo(head, '待本部门负责人审批的共享申请：' + ENTRY);
    assert.equal(new URL(head.page.url()).pathname, path);
    await head.page.getByRole('button', { name: '同意并发送' }).click();
    await waitForState(head, '待答复');
  });

  // 3. The provider's office head asks for a supplement. The deadline the
  // page counts is the one the to-do list (counted by the server) shows.
  await withPerson(t, async (provider) => {
    await provider.signIn('gat.head');
    const todo = provider.page.locator('tr.todo-item', { hasText: '待答复的共享申请：' + ENTRY });
    const left = await todo.locator('.deadline').innerText();
    assert.match(left, /^剩余 \d+ 个工作日$/);
    await openTodo(provider, '待答复的共享申请：' + ENTRY);
    assert.equal(await provider.page.getByTestId('app-deadline').innerText(), left);
    await provider.page.getByLabel('第 1 项：事项').fill('使用依据');
    await provider.page.getByLabel('第 1 项：需补充的内容').fill('请提供网约车驾驶员从业资格审核的职责依据文件');
    await provider.page.getByRole('button', { name: '发送补充材料通知' }).click();
    await waitForState(provider, '待补充材料');
    assert.equal(await provider.page.getByTestId('app-deadline').innerText(), '答复期限暂停（待补充材料）');
    // Only one supplement request: the form is gone.
    assert.equal(await provider.page.getByTestId('act-supplement').count(), 0);
  });

  // 4. The consumer's staff sees the request; its head signs the supplement.
  await staff.goto(path);
  assert.match(await staff.page.locator('.acts').innerText(), /负责人签发/);
  await withPerson(t, async (head) => {
    await head.signIn('hzga.head');
    await openTodo(head, '提供部门要求补充材料：' + ENTRY);
    await head.page.getByLabel('使用依据：请提供网约车驾驶员从业资格审核的职责依据文件')
      .fill('《网络预约出租汽车经营服务管理暂行办法》第十四条，已附公安机关协助审核的职责文件');
    await head.page.getByRole('button', { name: '签发并重新提交' }).click();
    await waitForState(head, '已补充材料待答复');
  });

  // 5. The provider's head approves, with conditions of use.
  await withPerson(t, async (provider) => {
    await provider.signIn('gat.head');
    await openTodo(provider, '已补充材料、待答复的共享申请：' + ENTRY);
    assert.equal(await provider.page.getByLabel('同意共享', { exact: true }).isChecked(), true);
    await provider.page.getByLabel('使用条件（可选）').fill('仅用于从业资格审核，查询日志留存三年');
    await provider.page.getByRole('button', { name: '提交答复' }).click();
    await waitForState(provider, '已同意共享');
    assert.equal(await provider.page.getByTestId('reply-conditions').innerText(), '仅用于从业资格审核，查询日志留存三年');
  });

  // The consumer's staff reads the whole history on the timeline.
  await staff.goto(path);
  assert.equal(await state(staff).innerText(), '已同意共享');
  assert.deepEqual(await timelineActions(staff), [
    'application.create', 'application.submit', 'application.send',
    'application.supplement_request', 'application.resubmit', 'application.approve',
  ]);
  const steps = await staff.page.locator('[data-testid="timeline"] li').allInnerTexts();
  const words = ['起草申请', '提交本部门负责人审批', '本部门负责人同意并发送', '提供部门要求补充材料', '补充材料后重新提交', '提供部门同意共享'];
  steps.forEach((s, i) => {
    assert.match(s, /^2026年6月15日 \d\d:\d\d/, 'dated as 2026年6月15日');
    assert.ok(s.includes(words[i]), `step ${i + 1} reads ${words[i]}: ${s}`);
  });
  assert.ok(steps[3].includes('浙江省公安厅') && steps[4].includes('杭州市公安局'), 'each step names the department that acted');
  assert.match(await staff.page.locator('table.supplement').innerText(), /网络预约出租汽车经营服务管理暂行办法/);

  // 6. The approval made a grant: the application names it.
  const application = await staff.api('/applications/' + path.split('/').pop());
  const grantId = application.reply.grant.id;
  assert.ok(grantId, 'the approved application names no grant');
  const grant = await staff.api('/grants/' + encodeURIComponent(grantId));
  assert.equal(grant.state, 'active');
  assert.equal(grant.delivery_method, 'service_interface');
  assert.deepEqual([...grant.items].sort(), ['准驾车型', '姓名', '驾驶证号'].sort());
  assert.equal(grant.purpose.scenario, '办理网约车驾驶员从业资格审核');

  // 7. The consumer's office (staff may, docs/access.md) registers an
  // application system and issues its credential; the secret is shown once.
  await staff.goto('/console/systems');
  await staff.page.getByLabel('系统名称').fill('网约车驾驶员资格审核系统');
  await staff.page.getByLabel('系统用途说明').fill('网约车驾驶员从业资格审核时核验驾驶证');
  await staff.page.getByRole('button', { name: '登记' }).click();
  await staff.page.waitForURL(/\/console\/systems\/[^/]+$/);
  await staff.ready('system');
  const systemId = decodeURIComponent(new URL(staff.page.url()).pathname.split('/').pop());
  await staff.page.getByRole('button', { name: '签发访问密钥' }).click();
  await staff.page.getByTestId('secret-panel').waitFor();
  const issuedAt = Date.now();
  const keyId = await staff.page.getByLabel('访问密钥 ID（X-Gs-Key）').inputValue();
  const secret = await staff.page.getByLabel('密钥（Secret）').inputValue();
  assert.match(keyId, /^gsk_[0-9a-f]{24}$/);
  assert.match(secret, /^gsc_[A-Za-z0-9_-]{43}$/);
  const system = await staff.api('/systems/' + encodeURIComponent(systemId));
  const created = Date.parse(system.credentials.find((c) => c.key_id === keyId).created_at);

  // 8. A signed call under the grant, for its purpose, by the entry's key
  // (驾驶证号). The demo hosts no rows of this entry: the platform answers
  // 200 with no rows, and counts and records the call all the same.
  const body = JSON.stringify({
    grant_id: grantId, purpose: grant.purpose.scenario, items: ['姓名', '准驾车型'],
    where: { 驾驶证号: '330106199001011234' },
  });
  const res = await signedPost('/gateway/v1/query', body, keyId, secret, platformClock({ created, issuedAt })());
  const answer = await res.json();
  assert.equal(res.status, 200, JSON.stringify(answer));
  assert.deepEqual(answer.rows, []);
  const usage = await staff.api(`/grants/${encodeURIComponent(grantId)}/usage`);
  const today = usage.days.find((d) => d.day === usage.to);
  assert.ok(today, `no usage counted on ${usage.to}: ${JSON.stringify(usage.days)}`);
  assert.equal(today.calls, 1);
  assert.equal(today.rows, 0);

  // 9. An auditor finds the call in the grant's record and on its trail page.
  await withPerson(t, async (auditor) => {
    await auditor.signIn('audit');
    const events = await auditor.api(`/grants/${encodeURIComponent(grantId)}/events?limit=500`);
    const calls = (events.items || []).filter((e) => e.action === 'gateway.query');
    assert.deepEqual(calls.map((e) => [e.actor_id, e.object_id]), [[systemId, grantId]]);
    await auditor.goto('/console/records/trail/grant/' + encodeURIComponent(grantId));
    const shown = auditor.page.locator('tr.trail-event[data-action="gateway.query"]');
    assert.equal(await shown.count(), 1);
    assert.match(await shown.innerText(), new RegExp(`${systemId}|网约车驾驶员资格审核系统`));
    assert.match(await shown.innerText(), /杭州市公安局/);
  });
}));

test("the consumer's draft is not found by the provider's staff", (t) => withPerson(t, async (owner) => {
  await owner.signIn('hzga.staff');
  await openForm(owner, '出入境', '出入境证件信息');
  const path = await fillAndSave(owner, {
    items: ['证件号码', '姓名'],
    basis: '《中华人民共和国出境入境管理法》第六条',
    scenario: '核验出入境证件办理相关治安业务',
    scope: '杭州市公安局出入境管理支队',
    method: '服务接口',
  });

  await withPerson(t, async (other) => {
    await other.signIn('gat.staff');
    await other.goto(path);
    assert.equal(await other.page.locator('h1').innerText(), '未找到或无权访问');
    const text = await other.page.locator('main').innerText();
    assert.ok(!text.includes('出入境证件信息') && !text.includes('出境入境管理法'), 'nothing of the draft is shown');
    // Nor is it listed among those 浙江省公安厅 must answer.
    await other.goto('/console/applications?view=provider');
    assert.ok(!(await other.page.locator('main').innerText()).includes('出入境证件信息'));
  });
  // The owner still reads it.
  await owner.goto(path);
  assert.equal(await owner.page.locator('h1').innerText(), '出入境证件信息');
  assert.equal(await state(owner).innerText(), '草稿');
  assert.equal(BASE + path, owner.page.url());
  // …and edits it: the form comes back filled in, and the change is on the timeline.
  await owner.page.getByRole('link', { name: '修改申请' }).click();
  await owner.page.waitForURL(BASE + path + '/edit');
  await owner.ready();
  assert.equal(await owner.page.getByLabel('证件号码', { exact: true }).isChecked(), true);
  await owner.page.getByLabel('使用范围').fill('杭州市公安局出入境管理支队签证科');
  await owner.page.getByRole('button', { name: '保存修改' }).click();
  await owner.page.waitForURL(BASE + path);
  await owner.page.getByTestId('app-scope').filter({ hasText: '签证科' }).waitFor();
  await owner.ready();
  assert.deepEqual(await timelineActions(owner), ['application.create', 'application.edit']);
}));

test("the provider's head refuses with reasons, which the form asks for", (t) => withPerson(t, async (p) => {
  // 浙江省人力资源和社会保障厅 applied for 死亡医学证明信息; 浙江省卫生健康委员会 answers.
  await p.signIn('wjw.head');
  await p.page.getByRole('navigation').getByRole('link', { name: '共享申请' }).click();
  await p.ready();
  await p.page.getByRole('link', { name: '发给本部门的申请' }).click();
  await p.ready();
  const row = p.page.locator('tr.application-row', { hasText: '死亡医学证明信息' });
  assert.match(await row.innerText(), /待答复/);
  assert.match(await row.locator('.deadline').innerText(), /^剩余 \d+ 个工作日$/);
  await row.getByRole('link').click();
  await p.ready();
  await p.page.getByLabel('不同意共享', { exact: true }).check();
  await p.page.getByLabel('理由类别').selectOption({ label: '申请范围超出必要限度' });
  await p.page.getByRole('button', { name: '提交答复' }).click();
  const err = p.page.locator('.field-error[data-field="reasons"]');
  await err.waitFor();
  assert.equal(await err.innerText(), '不同意共享的，应当说明理由');
  assert.equal(await state(p).innerText(), '待答复', 'nothing changed');
  await p.page.getByLabel('不同意的理由').fill('死亡日期以外的数据项超出待遇资格认证的必要范围');
  await p.page.getByRole('button', { name: '提交答复' }).click();
  await waitForState(p, '不同意共享');
  assert.equal(await p.page.getByTestId('reply-decision').innerText(), '不同意共享');
  assert.deepEqual((await timelineActions(p)).slice(-1), ['application.refuse']);
}));

test('the same-level authority grants an extension the provider asked for', (t) => withPerson(t, async (p) => {
  // 宁波市卫生健康委员会 asked 宁波市大数据发展管理局 for 5 more working days.
  await p.signIn('nb.reviewer');
  await p.goto('/console/applications?view=extension');
  const row = p.page.locator('tr.application-row', { hasText: '宁波市预防接种信息' });
  await row.getByRole('link').click();
  await p.ready();
  const before = await p.page.getByTestId('app-deadline').innerText();
  assert.equal(await p.page.getByTestId('extension-status').innerText(), '待主管部门审批');
  await p.page.getByLabel('同意延长', { exact: true }).check();
  await p.page.getByLabel('审批意见（可选）').fill('涉及未成年人个人信息，同意延长');
  await p.page.getByRole('button', { name: '提交审批意见' }).click();
  await p.page.getByTestId('extension-status').filter({ hasText: '已同意延长' }).waitFor();
  await p.ready();
  assert.equal(await state(p).innerText(), '待答复');
  const after = await p.page.getByTestId('app-deadline').innerText();
  const n = (s) => Number(/剩余 (\d+) 个工作日/.exec(s)[1]);
  assert.equal(n(after), n(before) + 5, `${before} → ${after}`);
  assert.deepEqual((await timelineActions(p)).slice(-1), ['application.extension_grant']);
  // Decided: it no longer waits for this authority.
  await p.goto('/console/applications?view=extension');
  assert.equal(await p.page.locator('tr.application-row', { hasText: '宁波市预防接种信息' }).count(), 0);
}));
