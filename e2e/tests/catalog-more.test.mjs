// The rest of the catalog through the console (issue #6): an entry's
// versions and what changed between them; update obligations after a legal
// change (Art. 17) — the provider asks for 5 more working days from its
// to-do list, the authority grants them from its own, the office records a
// new change; source departments (Art. 19), designated by the authority and
// read by offices; and the catalog as an XLSX workbook, exported with the
// search's filter and imported as drafts, a bad file reported cell by cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { withPerson, BASE } from '../lib/harness.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The ID of the published entry named name, read with p's session. */
async function entryID(p, name) {
  const found = await p.api('/catalog/entries?q=' + encodeURIComponent(name));
  const e = found.items.find((x) => x.name === name);
  assert.ok(e, `${name} is in the published catalog`);
  return e.id;
}

/** Opens, from the home page, the to-do item of kind titled title. */
async function openTodo(p, kind, title) {
  await p.goto('/console/');
  const row = p.page.locator(`tr.todo-item[data-kind="${kind}"]`, { hasText: title });
  await row.getByRole('link', { name: title }).click();
  await p.page.waitForURL(/\/console\/catalog\/obligations\/[^/?]+$/);
  await p.ready();
}

test('versions: the history on the entry page and what changed since the version before', (t) => withPerson(t, async (office) => {
  const NAME = '社会保险参保信息';
  await office.signIn('rst.head');
  const id = await entryID(office, NAME);
  const href = '/console/catalog/entries/' + id;
  await office.goto(href);
  const f = office.page;
  assert.equal(await f.getByTestId('versions').locator('tbody tr').count(), 1, 'published once: one version');

  // A new version: a longer abstract, one item fewer, one more.
  await f.getByRole('link', { name: '编制新版本' }).click();
  await f.waitForURL(BASE + href + '/edit');
  await office.ready();
  await f.getByLabel('摘要', { exact: true }).fill('职工与城乡居民基本养老、医疗、失业、工伤、生育保险参保信息');
  await f.getByRole('button', { name: '删除第 6 个数据项' }).click(); // 缴费基数
  await f.getByRole('button', { name: '添加数据项' }).click();
  await f.getByLabel('第 6 个数据项的数据项名称').fill('参保日期');
  await f.getByLabel('第 6 个数据项的数据类型').selectOption({ label: '日期型' });
  await f.getByLabel('第 6 个数据项的分级').selectOption({ label: '一般数据（L1 不敏感）' });
  await f.getByRole('button', { name: /^保存/ }).click();
  await f.waitForURL(BASE + href);
  await f.getByTestId('catalog-state').filter({ hasText: /^草稿$/ }).waitFor();
  await office.ready();

  const rows = f.getByTestId('versions').locator('tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /第 2 版.*草稿/s);
  assert.match(await rows.nth(1).innerText(), /第 1 版.*已发布/s);
  await rows.nth(0).getByRole('link', { name: '第 2 版' }).click();
  await f.waitForURL(BASE + href + '/versions/2');
  await office.ready();
  assert.equal(await f.locator('h1').innerText(), `${NAME}（第 2 版）`);
  const fields = await f.getByTestId('diff-fields').innerText();
  assert.match(fields, /摘要\s+职工与城乡居民基本养老、医疗、失业、工伤保险参保信息\s+职工与城乡居民基本养老、医疗、失业、工伤、生育保险参保信息/);
  assert.ok(!fields.includes('目录名称'), 'unchanged fields are not listed');
  assert.match(await f.getByTestId('diff-added').innerText(), /^参保日期（日期型，一般数据（L1 不敏感））$/);
  assert.match(await f.getByTestId('diff-removed').innerText(), /^缴费基数（货币型/);
  assert.equal(await f.getByTestId('diff-changed').count(), 0, 'no item kept its name with other fields');

  // Version 1, reached with the keyboard from version 2, is the first: nothing to compare.
  await f.getByRole('link', { name: '← 第 1 版' }).focus();
  await f.keyboard.press('Enter');
  await f.waitForURL(BASE + href + '/versions/1');
  await office.ready();
  assert.equal(await f.getByTestId('diff-none').innerText(), '这是第 1 版，没有上一版本。');
  assert.equal(await f.getByTestId('version-state').innerText(), '已发布');

  // Another department reads the published version only; the draft is not found.
  await withPerson(t, async (other) => {
    await other.signIn('gat.staff');
    await other.goto(href);
    const theirs = other.page.getByTestId('versions').locator('tbody tr');
    assert.equal(await theirs.count(), 1);
    assert.match(await theirs.nth(0).innerText(), /第 1 版.*已发布/s);
    await other.goto(href + '/versions/2');
    assert.equal(await other.page.locator('h1').innerText(), '未找到或无权访问');
  });
}));

test('update obligations: ask for more time, the authority grants it, record a new change', (t) => withPerson(t, async (office) => {
  await office.signIn('rst.head');
  const f = office.page;

  // An obligation past its due date: too late to ask for more time; only the new version is offered.
  await openTodo(office, 'catalog.update', '养老金发放信息');
  assert.equal(await f.getByTestId('obligation-state').innerText(), '已超期未更新');
  assert.equal(await f.getByTestId('act-extension').count(), 0);
  assert.equal(await f.getByRole('link', { name: '编制新版本' }).count(), 1);

  // One changed today: the office asks for 5 more working days; a reason is required.
  await openTodo(office, 'catalog.update', '就业失业登记信息');
  const obligationPath = new URL(f.url()).pathname;
  assert.equal(await f.locator('h1').innerText(), '目录更新：就业失业登记信息');
  assert.equal(await f.getByTestId('obligation-state').innerText(), '待更新');
  const dueBefore = await f.getByTestId('obligation-due').innerText();
  await f.getByRole('button', { name: '提交延长申请' }).click();
  await f.locator('.field-error[data-field="reason"]').waitFor();
  assert.equal(await f.getByLabel('延长理由').getAttribute('aria-invalid'), 'true');
  await f.getByLabel('延长理由').fill('新条例涉及数据项较多，需与经办系统同步调整');
  await f.getByRole('button', { name: '提交延长申请' }).click();
  await f.getByTestId('notice').filter({ hasText: '已提交延长申请' }).waitFor();
  assert.equal(new URL(f.url()).pathname, obligationPath, 'read again at its own address');
  assert.equal(await f.getByTestId('extension-state').innerText(), '待主管部门决定');
  assert.equal(await f.getByTestId('act-extension').count(), 0, 'asked once');

  // The provincial authority decides from its to-do list: a choice is required.
  await withPerson(t, async (reviewer) => {
    await reviewer.signIn('zj.reviewer');
    await openTodo(reviewer, 'catalog.extension', '就业失业登记信息');
    assert.equal(new URL(reviewer.page.url()).pathname, obligationPath, 'the same obligation');
    const r = reviewer.page;
    await r.getByRole('button', { name: '提交决定' }).click();
    await r.locator('.field-error[data-field="grant"]').waitFor();
    await r.getByLabel('同意延长5个工作日').check();
    await r.getByRole('button', { name: '提交决定' }).click();
    await r.getByTestId('notice').filter({ hasText: /^已同意延长，更新期限延至/ }).waitFor();
    assert.equal(await r.getByTestId('extension-state').innerText(), '已同意延长');
    assert.notEqual(await r.getByTestId('obligation-due').innerText(), dueBefore, 'the deadline moved');
    assert.equal(await r.getByTestId('act-extension-decision').count(), 0, 'decided once');
  });

  // The office records a new change on another entry, from the entry's page.
  await office.goto('/console/catalog/entries/' + await entryID(office, '社会保障卡信息'));
  await f.getByText('登记法律法规调整或职责变化', { exact: true }).first().click(); // opens the folded form
  await f.getByRole('button', { name: '登记变更' }).click();
  await f.locator('.field-error[data-field="changed_on"]').waitFor();
  const { today } = await office.api('/calendar');
  await f.getByLabel('发生日期').fill(today);
  await f.getByLabel('说明').fill('人社部门职责调整，社会保障卡发放改由市级经办');
  await f.getByRole('button', { name: '登记变更' }).click();
  await f.locator('.field-error[data-field="kind"]').waitFor();
  await f.getByLabel('变化类型').selectOption({ label: '职责变化' });
  await f.getByRole('button', { name: '登记变更' }).click();
  await f.waitForURL(/\/console\/catalog\/obligations\/[^/?]+$/);
  await f.getByTestId('notice').filter({ hasText: /^已登记变更，应于.*前完成目录更新。$/ }).waitFor();
  assert.equal(await f.getByTestId('obligation-state').innerText(), '待更新');

  // Another department's office sees no obligations on the entry.
  await withPerson(t, async (other) => {
    await other.signIn('gat.staff');
    await other.goto('/console/catalog/entries/' + await entryID(other, '社会保障卡信息'));
    assert.ok(!(await other.page.locator('main').innerText()).includes('目录更新（第十七条）'));
    // Nor, at its address, the obligation (404 from the API).
    await other.goto(obligationPath);
    assert.equal(await other.page.locator('h1').innerText(), '未找到或无权访问');
  });
}));

test('source departments: the authority designates, offices read', (t) => withPerson(t, async (reviewer) => {
  await reviewer.signIn('zj.reviewer');
  const r = reviewer.page;
  await r.locator('main').getByRole('link', { name: /^目录编审/ }).click();
  await reviewer.ready();
  await r.getByRole('link', { name: /^数据源部门/ }).click();
  await r.waitForURL(BASE + '/console/catalog/sources');
  await reviewer.ready();
  assert.match(await r.getByTestId('designations').innerText(), /居民身份证号码\s+浙江省公安厅\s+浙江省数据局/);

  await r.getByRole('button', { name: '指定', exact: true }).click();
  await r.locator('.field-error[data-field="data_name"]').waitFor();
  await r.getByLabel('数据名称（与目录数据项名称一致）').fill('社会保障号码');
  await r.getByLabel('数据源部门', { exact: true }).selectOption({ label: '浙江省人力资源和社会保障厅' });
  await r.getByRole('button', { name: '指定', exact: true }).click();
  await r.getByTestId('notice').filter({ hasText: '已指定浙江省人力资源和社会保障厅为“社会保障号码”的数据源部门。' }).waitFor();
  assert.match(r.url(), /data_name=/);
  assert.match(await r.getByTestId('designations').innerText(), /社会保障号码\s+浙江省人力资源和社会保障厅/);

  await withPerson(t, async (office) => {
    await office.signIn('gat.staff');
    await office.page.getByRole('navigation').getByRole('link', { name: '数据目录' }).click();
    await office.ready();
    await office.page.getByRole('link', { name: '数据源部门' }).click();
    await office.ready();
    assert.equal(await office.page.getByTestId('act-designate').count(), 0, 'offices only read');
    await office.page.getByLabel('数据名称').fill('社会保障号码');
    await office.page.keyboard.press('Enter');
    await office.page.waitForURL(/data_name=/);
    await office.ready();
    const rows = office.page.getByTestId('designations').locator('tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.innerText(), /社会保障号码\s+浙江省人力资源和社会保障厅/);
  });
}));

test('XLSX: export the search results, import a workbook (refused cell by cell, then as drafts)', (t) => withPerson(t, async (staff) => {
  await staff.signIn('hzga.staff');
  const f = staff.page;
  await staff.goto('/console/catalog?q=' + encodeURIComponent('身份证'));
  const link = f.getByTestId('catalog-export');
  assert.equal(new URL(await link.getAttribute('href'), BASE).search, '?q=' + encodeURIComponent('身份证'), 'the search goes with the export');
  const [download] = await Promise.all([f.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^govshare-catalog-\d{8}\.xlsx$/);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip: an XLSX workbook');

  await f.getByRole('navigation').getByRole('link', { name: '目录编审' }).click();
  await staff.ready();
  await f.getByRole('link', { name: '从 XLSX 导入' }).click();
  await f.waitForURL(BASE + '/console/catalog/import');
  await staff.ready();
  const file = f.getByLabel('目录文件（XLSX）');

  // Not a workbook: refused beside the file input.
  await file.setInputFiles({ name: '目录.xlsx', mimeType: XLSX, buffer: Buffer.from('这不是工作簿') });
  await f.getByRole('button', { name: '上传并导入' }).click();
  await f.locator('.field-error[data-field="file"]').filter({ hasText: '文件不是 XLSX 格式' }).waitFor();

  // Two bad cells: each reported at its row and column; nothing imported.
  await file.setInputFiles({ name: '目录.xlsx', mimeType: XLSX, buffer: workbook([row({ frequency: '每小时' }), row({ frequency: '每小时', item: '犬只芯片号', type: 'X' })]) });
  await f.getByRole('button', { name: '上传并导入' }).click();
  const report = f.getByTestId('import-report');
  await report.waitFor();
  assert.match(await report.locator('h2').innerText(), /^未导入：发现 2 处错误/);
  const errors = (await report.locator('tbody tr').allInnerTexts()).join('\n');
  assert.match(errors, /第 2 行\s+G 更新周期\s+更新频率无效\s+可填写：实时、每日/);
  assert.match(errors, /第 3 行\s+S 数据类型\s+数据类型无效\s+可填写：C、N、Y/); // S: the file's own column
  const before = (await staff.api('/todo')).items.filter((it) => it.kind === 'catalog.draft').length;

  // Put right: one entry of two items, created as a draft of 杭州市公安局.
  await file.setInputFiles({ name: '目录.xlsx', mimeType: XLSX, buffer: workbook([row({}), row({ item: '犬只芯片号' })]) });
  await f.getByRole('button', { name: '上传并导入' }).click();
  const created = f.getByTestId('import-created');
  await created.waitFor();
  assert.match(await created.locator('h2').innerText(), /^已导入：1 个目录草稿（共 2 行）/);
  assert.equal((await staff.api('/todo')).items.filter((it) => it.kind === 'catalog.draft').length, before + 1);
  await created.getByRole('link', { name: '杭州市犬只登记信息' }).click();
  await f.waitForURL(/\/console\/catalog\/entries\/[^/]+$/);
  await staff.ready();
  assert.equal(await f.getByTestId('catalog-state').innerText(), '草稿');
  assert.equal(await f.locator('main table').first().locator('tbody tr').count(), 2);
}));

// --- A minimal XLSX writer: the catalog's import columns, inline strings, stored zip. ---

const HEADERS = ['资源代码', '信息资源名称', '摘要', '资源分类代码', '数据格式分类', '具体格式', '更新周期', '共享属性', '共享方式',
  '共享范围', '使用用途', '不予共享理由', '不予共享依据类别', '不予共享依据名称', '不予共享依据条款', '开放属性', '开放条件',
  '数据项名称', '数据类型', '长度', '是否主键', '是否必填', '描述', '分级'];

/** One row of the entry 杭州市犬只登记信息: its first item unless item is named. */
function row({ frequency = '每日', item = '犬只登记证号', type = 'C' }) {
  return ['309902/000001', '杭州市犬只登记信息', '杭州市养犬登记与年检信息', '309902', '数据库', 'PostgreSQL', frequency, '无条件共享', '服务接口',
    '', '', '', '', '', '', '不予开放', '', item, type, '20', item === '犬只登记证号' ? '是' : '否', '否', '', '一般数据L1'];
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const col = (i) => String.fromCharCode(65 + i);

function workbook(rows) {
  const sheetRows = [HEADERS, ...rows].map((cells, r) => `<row r="${r + 1}">${cells.map((v, c) => (v === ''
    ? '' : `<c r="${col(c)}${r + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('')}</row>`).join('');
  const ns = 'http://schemas.openxmlformats.org';
  return zip({
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types">`
      + `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`
      + `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`
      + `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships">`
      + `<Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships">`
      + '<sheets><sheet name="信息资源目录" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships">`
      + `<Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`,
  });
}

/** zip({name: text}) → a zip file of stored (uncompressed) UTF-8 entries. */
function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const n = Buffer.from(name);
    const data = Buffer.from(text);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt32LE(crc, 16); dir.writeUInt32LE(data.length, 20); dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(n.length, 28); dir.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(dir, n);
    offset += local.length + n.length + data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  const count = Object.keys(files).length;
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(count, 8); end.writeUInt16LE(count, 10);
  end.writeUInt32LE(dirBytes.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}
