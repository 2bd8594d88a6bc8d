// Corrections (数据校核, Art. 26) through the console: 杭州市市场监督管理局 marks
// the data of its 企业登记基本信息 grant doubtful and files a correction
// request (a missing description is shown beside its field, the provider's
// rules beside the form); 浙江省市场监督管理局's office sees it on its to-do
// list, fixes the row by uploading it to the hosted dataset, and answers
// corrected with the change number (an unknown change number is refused
// beside its field); the consumer reads the answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPerson } from '../lib/harness.mjs';

const ENTRY = '企业登记基本信息';
const CONSUMER = 'hzscjg.head';
const PROVIDER = 'scjg.staff';
const KEY = '统一社会信用代码 91330106MA2A000011';

test('a consumer files, the provider fixes the row and answers corrected, the consumer reads it', async (t) => {
  let requestPath = '';
  let entryId = '';
  await withPerson(t, async (p) => {
    await p.signIn(CONSUMER);
    const grants = await p.api('/grants?role=consumer&limit=100');
    const g = grants.items.find((x) => x.entry_name === ENTRY);
    assert.ok(g, 'the consumer holds a grant of ' + ENTRY);
    entryId = g.entry_id;
    await p.goto('/console/grants/' + g.id);
    const section = p.page.getByTestId('corrections-section');
    await section.waitFor();

    // A doubt needs its reason, shown beside the note.
    await section.getByLabel('使用状态').selectOption('doubtful');
    await section.getByRole('button', { name: '记录使用状态' }).click();
    await section.locator('.field-error[data-field="note"]').waitFor();
    await section.getByLabel('说明').fill('窗口核验发现个别企业法定代表人与营业执照不一致');
    await section.getByRole('button', { name: '记录使用状态' }).click();
    await p.page.getByTestId('usage-status').filter({ hasText: '存疑待核' }).waitFor();
    await p.ready('grant-status');

    await p.page.getByTestId('correction-new').click();
    await p.page.waitForURL(/\/console\/corrections\/new\?grant=/);
    await p.ready('correction-new');
    assert.match(await p.page.getByTestId('provider-rules').innerText(), /信息中心数据管理科/);
    const form = p.page.getByTestId('correction-form');
    await form.getByLabel('有问题的数据记录').fill(KEY);
    await form.getByLabel('法定代表人').check();
    await form.getByRole('button', { name: '提交校核申请' }).click();
    // Without a description the request is refused, the message beside the field.
    const err = form.locator('.field-error[data-field="description"]');
    await err.waitFor();
    assert.match(await err.innerText(), /问题描述不能为空/);
    assert.equal(await form.getByLabel('问题描述').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('问题描述').fill('该企业已变更法定代表人，共享数据仍为变更前的姓名');
    await form.getByRole('button', { name: '提交校核申请' }).click();
    await p.page.waitForURL(/\/console\/corrections\/[0-9a-f-]{36}$/);
    await p.ready('correction');
    requestPath = new URL(p.page.url()).pathname;
    assert.equal(await p.page.getByTestId('correction-state').innerText(), '待核实反馈');
    assert.match(await p.page.getByTestId('correction-due').innerText(), /^\d{4}年\d{1,2}月\d{1,2}日/);
  });

  await withPerson(t, async (p) => {
    await p.signIn(PROVIDER);
    // The request waits on the provider's to-do list with 10 working days left.
    const id = requestPath.split('/').pop();
    const item = p.page.locator(`tr.todo-item[data-kind="correction.answer"]`, { has: p.page.locator(`a[href="${requestPath}"]`) });
    await item.waitFor();
    assert.equal(await item.locator('.deadline').innerText(), '剩余 10 个工作日');

    // Fix the row in the hosted dataset.
    await p.goto('/console/datasets/' + entryId);
    const row = [{ 统一社会信用代码: '91330106MA2A000011', 企业名称: '杭州西湖数智科技有限公司', 法定代表人: '沈二鸣', 注册资本: 500,
      成立日期: '2019-03-12', 住所: '杭州市西湖区文三路1号', 登记状态: '存续' }];
    await p.page.getByLabel('数据文件（CSV、XLSX 或 JSON）').setInputFiles({ name: '更正.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(row)) });
    await p.page.getByRole('button', { name: '上传并载入' }).click();
    assert.match(await p.page.getByTestId('load-ok').innerText(), /更新 1 行/);
    const ds = await p.api('/datasets/' + entryId);
    const seq = String(ds.last_change);

    await p.goto(requestPath);
    const form = p.page.getByTestId('correction-answer');
    await form.getByLabel('处理说明').fill('经核对变更登记档案，已更正法定代表人');
    // An unknown change number is refused beside its field.
    await form.getByLabel('托管数据变更序号').fill(String(ds.last_change + 1000));
    await form.getByRole('button', { name: '反馈处理结果' }).click();
    await form.locator('.field-error[data-field="changes"]').waitFor();
    await form.getByLabel('托管数据变更序号').fill(seq);
    await form.getByRole('button', { name: '反馈处理结果' }).click();
    await p.page.getByTestId('correction-state').filter({ hasText: /^已更正$/ }).waitFor();
    await p.ready('answered');
    assert.equal(await p.page.getByTestId('correction-changes').innerText(), seq);
    assert.equal(await p.page.getByTestId('correction-answer').count(), 0, 'no second answer is offered');
    assert.ok(id);
  });

  await withPerson(t, async (p) => {
    await p.signIn(CONSUMER);
    await p.goto(requestPath);
    assert.equal(await p.page.getByTestId('correction-outcome').innerText(), '已更正');
    assert.match(await p.page.getByTestId('correction-answer-view').innerText(), /已更正法定代表人/);
    assert.equal(await p.page.getByTestId('timeline').locator('li').count(), 2);
    // The list shows it answered.
    await p.goto('/console/corrections?role=consumer');
    const listed = p.page.locator(`tr.correction-row[data-correction-id="${requestPath.split('/').pop()}"]`);
    assert.equal(await listed.getAttribute('data-state'), 'corrected');
  });
});

// 浙江省教育厅's office head states a new version of its correction rules and
// channel on the rules page (a bad phone is refused beside its field); the
// page and the API show version 2 as current, with version 1 in the history.
test('an office head states a new version of its correction rules and channel', (t) => withPerson(t, async (p) => {
  await p.signIn('jyt.head');
  const me = (await p.api('/me')).person;
  const before = await p.api('/departments/' + me.department_id + '/correction-rules');
  assert.equal(before.items[0].version, 1);
  await p.goto('/console/corrections/rules');
  const form = p.page.getByTestId('rules-form');
  assert.match(await form.getByLabel('校核纠错规则').inputValue(), /学信网/);
  const RULES = '学历学位信息以学位授予单位报送数据为准。\n校核申请请注明证书编号，本厅5个工作日内转学位授予单位核实。';
  await form.getByLabel('校核纠错规则').fill(RULES);
  await form.getByLabel('纠错联系人或机构').fill('省教育厅数据管理中心');
  await form.getByLabel('联系电话').fill('电话见官网');
  await form.getByRole('button', { name: '公布' }).click();
  await form.locator('.field-error[data-field="phone"]').waitFor();
  await form.getByLabel('联系电话').fill('0571-8800 1234');
  await form.getByRole('button', { name: '公布' }).click();
  await p.page.getByTestId('notice').filter({ hasText: '已公布新版本' }).waitFor();
  await p.ready('rules-v2');
  const own = p.page.getByTestId('own-rules');
  assert.match(await own.innerText(), /省教育厅数据管理中心，电话 0571-8800 1234/);
  assert.match(await own.innerText(), /第 2 版/);
  await own.locator('details summary').click();
  assert.match(await own.locator('details ol').innerText(), /第 1 版.*省教育厅信息化处/s);
  const row = p.page.getByTestId('all-rules').locator(`tr[data-department-id="${me.department_id}"]`);
  assert.match(await row.innerText(), /本厅5个工作日内转学位授予单位核实[\s\S]*省教育厅数据管理中心，0571-8800 1234[\s\S]*第 2 版/);
  const after = await p.api('/departments/' + me.department_id + '/correction-rules');
  assert.deepEqual(after.items.map((r) => r.version), [2, 1]);
  assert.equal(after.items[0].rules, RULES);
  assert.equal(after.items[0].contact, '省教育厅数据管理中心');
}));

// 浙江省教育厅 answers the demo's open request of 浙江省人力资源和社会保障厅
// "not corrected": without reasons it is refused beside the field; with
// them the request is closed, and the consumer reads the outcome and reasons.
test('the provider answers not corrected with reasons, the consumer reads them', async (t) => {
  const REASON = '经浙江大学核实学位档案，该生所学专业为计算机科学与技术，共享数据无误';
  let path = '';
  await withPerson(t, async (p) => {
    await p.signIn('jyt.head');
    const page = await p.api('/corrections?role=provider&limit=100');
    const open = page.items.find((r) => r.state === 'open' && r.entry_name === '学历学位信息');
    assert.ok(open, 'the demo leaves an open request on 学历学位信息');
    path = '/console/corrections/' + open.id;
    await p.goto(path);
    const form = p.page.getByTestId('correction-answer');
    await form.getByLabel('经核实未更正').check();
    assert.equal(await form.getByLabel('托管数据变更序号').isHidden(), true);
    await form.getByLabel('处理说明').fill('已转学位授予单位核实');
    await form.getByRole('button', { name: '反馈处理结果' }).click();
    await form.locator('.field-error[data-field="reasons"]').waitFor();
    await form.getByLabel('未更正的理由').fill(REASON);
    await form.getByRole('button', { name: '反馈处理结果' }).click();
    await p.page.getByTestId('correction-state').filter({ hasText: '未更正' }).waitFor();
    await p.ready('not-corrected');
    assert.equal(await p.page.getByTestId('correction-outcome').innerText(), '经核实未更正');
    assert.equal(await p.page.getByTestId('correction-answer').count(), 0, 'no second answer is offered');
    const r = await p.api('/corrections/' + open.id);
    assert.equal(r.state, 'not_corrected');
    assert.equal(r.answer.outcome, 'not_corrected');
    assert.deepEqual(r.answer.reasons, [REASON]);
    assert.deepEqual(r.answer.changes ?? [], []);
  });

  await withPerson(t, async (p) => {
    await p.signIn('rst.head');
    await p.goto(path);
    assert.equal(await p.page.getByTestId('correction-outcome').innerText(), '经核实未更正');
    const view = await p.page.getByTestId('correction-answer-view').innerText();
    assert.match(view, new RegExp(REASON));
    assert.match(view, /已转学位授予单位核实/);
    assert.equal(await p.page.getByTestId('correction-answer-view').getByTestId('correction-changes').count(), 0);
    assert.equal(await p.page.getByTestId('timeline').locator('li[data-action="correction.answer"]').count(), 1);
    await p.goto('/console/corrections?role=consumer');
    const listed = p.page.locator(`tr.correction-row[data-correction-id="${path.split('/').pop()}"]`);
    assert.equal(await listed.getAttribute('data-state'), 'not_corrected');
  });
});
