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
