// Catalog editing, submission and review (目录编制与审核) through the console:
// 杭州市公安局's staff writes a new entry, meets a refusal beside the field
// it names, fixes it and records the two assessments of Art. 13; the office
// head approves and submits it to 杭州市数据资源管理局; a reviewer of 宁波
// cannot open it; the 杭州 reviewer returns it with reasons, which the office
// reads; the office fixes it, the head resubmits, the reviewer publishes it
// and it can be found in the catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson, BASE } from '../lib/harness.mjs';

const NAME = '杭州市犬只登记信息';

const stateText = (p) => p.page.getByTestId('catalog-state').innerText();

/** The signed-in person's display name, as the API has it. */
const myName = async (p) => (await p.api('/me')).person.display_name;

/** The entry's history: the row of its newest version. */
const newestVersion = (p) => p.page.getByTestId('versions').locator('tbody tr').first().innerText();

/** Waits until the entry page shows the state named (after an act reloaded it). */
async function waitForState(p, text) {
  await p.page.getByTestId('catalog-state').filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
  await p.ready();
}

/** Opens the to-do item titled NAME from the home page. */
async function openTodo(p, kind) {
  await p.goto('/console/');
  const row = p.page.locator(`tr.todo-item[data-kind="${kind}"]`, { hasText: NAME });
  await row.getByRole('link', { name: NAME }).click();
  await p.page.waitForURL(/\/console\/catalog\/entries\/[^/]+$/);
  await p.ready();
}

async function assess(p, name) {
  await p.page.getByLabel(`${name}结论`, { exact: true }).selectOption({ label: '通过' });
  await p.page.getByLabel(`${name}评估人或评估机构`, { exact: true }).fill('杭州市公安局保密办');
  await p.page.getByLabel(`${name}摘要`, { exact: true }).fill('经评估，不涉及国家秘密和工作秘密，个人信息处理符合规定。');
}

test('write, assess, submit, return, fix, resubmit and publish a catalog entry', (t) => withPerson(t, async (staff) => {
  await staff.signIn('hzga.staff');
  await staff.page.locator('main').getByRole('link', { name: /^目录编审/ }).click(); // from home
  await staff.ready();
  await staff.page.getByRole('link', { name: '新建目录' }).click();
  await staff.page.waitForURL(BASE + '/console/catalog/new');
  await staff.ready();

  const f = staff.page;
  await f.getByLabel('目录名称').fill(NAME);
  await f.getByLabel('摘要', { exact: true }).fill('杭州市养犬登记与年检信息');
  await f.getByLabel('信息资源代码').fill('309901/000001');
  await f.getByLabel('类（1位）').fill('3');
  await f.getByLabel('项（2位）').fill('09');
  await f.getByLabel('目（3位）').fill('901');
  await f.getByLabel('第 1 个数据项的数据项名称').fill('犬只登记证号');
  await f.getByLabel('第 1 个数据项的数据类型').selectOption({ label: '字符型' });
  // No length: a character item needs one, and the API says so about items[0].length.
  await f.getByLabel('第 1 个数据项的主键').check();
  await f.getByLabel('第 1 个数据项的分级').selectOption({ label: '一般数据（L1 不敏感）' });
  await f.getByRole('button', { name: '添加数据项' }).click();
  await f.getByLabel('第 2 个数据项的数据项名称').fill('犬主姓名');
  await f.getByLabel('第 2 个数据项的数据类型').selectOption({ label: '字符型' });
  await f.getByLabel('第 2 个数据项的长度').fill('50');
  await f.getByLabel('第 2 个数据项的分级').selectOption({ label: '一般数据（L3 较敏感）' });
  // An item 浙江省公安厅 already shares: told (Art. 19), not refused.
  await f.getByRole('button', { name: '添加数据项' }).click();
  await f.getByLabel('第 3 个数据项的数据项名称').fill('居民身份证号码');
  await f.getByLabel('第 3 个数据项的数据类型').selectOption({ label: '字符型' });
  await f.getByLabel('第 3 个数据项的长度').fill('18');
  await f.getByLabel('第 3 个数据项的分级').selectOption({ label: '一般数据（L4 敏感）' });
  await f.getByLabel('数据格式分类').selectOption({ label: '数据库' });
  await f.getByLabel('数据格式', { exact: true }).fill('PostgreSQL');
  await f.getByLabel('更新频率').selectOption({ label: '每日' });
  await f.getByLabel('共享属性').selectOption({ label: '有条件共享' });
  await f.getByLabel('服务接口').check();
  await f.getByLabel('共享范围').fill('杭州市各级政府部门');
  await f.getByLabel('使用用途').fill('养犬管理与城市管理执法');
  await f.getByLabel('开放属性').selectOption({ label: '不予开放' });
  await f.getByRole('button', { name: '保存草稿' }).click();

  const lengthError = f.locator('.field-error[data-field="items[0].length"]');
  await lengthError.waitFor();
  assert.equal(await f.getByLabel('第 1 个数据项的长度').getAttribute('aria-invalid'), 'true');
  assert.match(await lengthError.innerText(), /长度/);
  assert.equal(new URL(f.url()).pathname, '/console/catalog/new', 'nothing saved, still on the form');

  await f.getByLabel('第 1 个数据项的长度').fill('20');
  await f.getByRole('button', { name: '保存草稿' }).click();
  await f.waitForURL(/\/console\/catalog\/entries\/[^/]+$/);
  await waitForState(staff, '草稿');
  const href = new URL(f.url()).pathname;
  assert.equal(await f.locator('h1').innerText(), NAME);
  assert.match(await f.getByTestId('duplicates').innerText(), /居民身份证号码：常住人口基本信息（浙江省公安厅/);
  assert.equal(await f.getByTestId('assessment-secrecy').innerText(), '尚未评估');
  // Staff may not approve: only the head is offered that.
  assert.equal(await f.getByTestId('act-submit').count(), 0);

  await assess(staff, '保密风险评估');
  await assess(staff, '个人信息保护影响评估');
  await f.getByRole('button', { name: '保存评估' }).click();
  await f.getByTestId('assessment-personal_information').filter({ hasText: /^通过/ }).waitFor();
  await staff.ready();

  // The office head finds it in the to-do list, ready for approval, and submits it.
  await withPerson(t, async (head) => {
    await head.signIn('hzga.head');
    await openTodo(head, 'catalog.approve');
    assert.equal(new URL(head.page.url()).pathname, href);
    await head.page.getByRole('button', { name: '审批同意并报送主管部门' }).click();
    await waitForState(head, '待审核');
    assert.equal(await head.page.getByTestId('act-submit').count(), 0, 'submitted: nothing more to approve');
  });

  // A reviewer of another region: the entry under review is not found.
  await withPerson(t, async (other) => {
    await other.signIn('nb.reviewer');
    await other.goto(href);
    assert.equal(await other.page.locator('h1').innerText(), '未找到或无权访问');
    assert.ok(!(await other.page.locator('main').innerText()).includes(NAME), 'nothing of the entry is shown');
  });

  // The same-level reviewer finds it in the review queue and returns it: reasons are required.
  await withPerson(t, async (reviewer) => {
    await reviewer.signIn('hz.reviewer');
    await reviewer.page.locator('main').getByRole('link', { name: /^目录编审/ }).click(); // from home
    await reviewer.ready();
    await reviewer.page.getByTestId('review-queue-table').getByRole('link', { name: NAME }).click();
    await reviewer.page.waitForURL(BASE + href);
    await reviewer.ready();
    await reviewer.page.getByRole('button', { name: '退回', exact: true }).click();
    await reviewer.page.locator('.field-error[data-field="reasons"]').waitFor();
    assert.equal(await reviewer.page.getByLabel('退回理由（必填）').getAttribute('aria-invalid'), 'true');
    await reviewer.page.getByLabel('退回理由（必填）').fill('摘要未说明数据覆盖范围，请补充');
    await reviewer.page.getByRole('button', { name: '退回', exact: true }).click();
    await waitForState(reviewer, '已退回');
  });

  // The office reads the reasons, fixes the abstract; the head resubmits.
  await openTodo(staff, 'catalog.returned');
  assert.equal(await f.getByTestId('return-reasons').innerText(), '摘要未说明数据覆盖范围，请补充');
  await f.getByRole('link', { name: '修改目录' }).click();
  await f.waitForURL(BASE + href + '/edit');
  await staff.ready();
  await f.getByLabel('摘要', { exact: true }).fill('杭州市全市范围内养犬登记与年检信息');
  await f.getByRole('button', { name: '保存修改' }).click();
  await f.waitForURL(BASE + href);
  await waitForState(staff, '草稿');

  let submitter = '';
  let reviewerName = '';
  await withPerson(t, async (head) => {
    await head.signIn('hzga.head');
    await openTodo(head, 'catalog.approve');
    await head.page.getByRole('button', { name: '审批同意并报送主管部门' }).click();
    await waitForState(head, '待审核');
    // The history names who submitted: the department, and the person to a reader the API lets see them.
    submitter = await myName(head);
    assert.ok(submitter, 'the office head has a display name');
    assert.ok((await newestVersion(head)).includes('杭州市公安局 · ' + submitter), 'the submitter is named');
  });

  await withPerson(t, async (reviewer) => {
    await reviewer.signIn('hz.reviewer');
    await openTodo(reviewer, 'catalog.review');
    await reviewer.page.getByLabel('审核意见（可选）').fill('同意发布');
    await reviewer.page.getByRole('button', { name: '审核通过并发布' }).click();
    await waitForState(reviewer, '已发布');
    // A reviewer may read the people of its region: both acts name their person.
    reviewerName = await myName(reviewer);
    const row = await newestVersion(reviewer);
    assert.ok(row.includes('杭州市公安局 · ' + submitter), 'the submitter is named to the reviewer');
    assert.ok(row.includes('杭州市数据资源管理局 · ' + reviewerName), 'the reviewer who published is named');
  });

  // Published: anyone may find it in the catalog.
  await withPerson(t, async (reader) => {
    await reader.signIn('scjg.staff');
    await reader.goto('/console/catalog?q=' + encodeURIComponent('犬只登记'));
    await reader.page.getByRole('link', { name: NAME, exact: true }).click();
    await reader.ready();
    assert.equal(await stateText(reader), '已发布');
    // People of other departments are personal data the API does not let this reader see: departments only.
    const row = await newestVersion(reader);
    assert.match(row, /杭州市公安局[\s\S]*杭州市数据资源管理局/);
    assert.ok(!row.includes(submitter) && !row.includes(reviewerName), 'no person of another department is named');
  });
}));
