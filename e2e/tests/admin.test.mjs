// Administration and delivery set-up through the console (issue #6): a
// platform admin adds a division, a department and its office head and
// names the sharing office; an office head opens a staff account for its
// own department only; the working calendar shows its years, explains a
// deadline day by day and imports a year's notice; a person changes their
// password and issues, uses and revokes a personal API token; a consumer's
// office binds its system to a grant and registers a push endpoint, whose
// schedule the provider's office sets, and cancels it; the platform pushes
// to an endpoint the test runs, which refuses a page and then acknowledges
// it, and the subscription shows the cursor acknowledged; the provider's head
// approves with clear items and call limits, and the timeline names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import { withPerson, BASE, PASSWORD } from '../lib/harness.mjs';

const fieldError = (p, field) => p.page.locator(`.field-error[data-field="${field}"]`);

/** Follows a link in the navigation and waits for the page. */
async function nav(p, name) {
  await p.page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await p.ready();
}

/** Submits with the button named, then waits for the page the router renders next. */
async function submitAndWait(p, button, url) {
  await p.page.getByRole('button', { name: button, exact: true }).click();
  if (url) await p.page.waitForURL(url);
  await p.ready();
}

/**
 * A subscriber's push endpoint on this machine (docs/exchange.md, 推送):
 * every POST to it is kept, body and headers, until the test answers it
 * with answer(status), so that the test decides when the platform sees an
 * acknowledgement. next() resolves with the next push to arrive.
 */
async function pushEndpoint() {
  const arrived = [];
  const waiting = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const push = {
        method: req.method, path: req.url, headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')),
        answer: (status) => new Promise((resolve) => res.writeHead(status).end(resolve)),
      };
      if (waiting.length) waiting.shift()(push); else arrived.push(push);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/govshare/push`,
    // Bounded: a pusher that never comes fails the test instead of hanging it.
    next: () => (arrived.length ? Promise.resolve(arrived.shift()) : new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no push arrived within 60 s')), 60_000);
      waiting.push((push) => { clearTimeout(timer); resolve(push); });
    })),
    close: () => { server.closeAllConnections(); return new Promise((resolve) => server.close(resolve)); },
  };
}

/**
 * What a subscriber checks before it applies a page (docs/exchange.md): the
 * signature hex(HMAC-SM3(secret, body)) over the body as received, then the
 * checksum hex(SM3(record "\n" …)) over each record's bytes exactly as sent.
 */
function verifyPush(push, secret) {
  const signature = createHmac('sm3', secret).update(push.raw).digest('hex');
  assert.equal(push.headers['x-gs-signature'], signature, 'the push is signed with the subscription\'s secret');
  const text = push.raw.toString('utf8');
  const start = text.indexOf(',"rows":[') + ',"rows":['.length;
  const records = [];
  let depth = 0; let inString = false; let from = start;
  for (let i = start; ; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++; else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || (c === ']' && depth > 0)) depth--;
    else if (depth === 0 && (c === ',' || c === ']')) {
      if (i > from) records.push(text.slice(from, i));
      if (c === ']') break;
      from = i + 1;
    }
  }
  assert.equal(records.length, push.body.count);
  const sum = createHash('sm3');
  for (const r of records) sum.update(r + '\n');
  assert.equal(push.body.checksum, sum.digest('hex'), 'the checksum covers the records as sent');
  assert.equal(push.headers['x-gs-checksum'], push.body.checksum);
}

/** Reads path under /api/v1 until ok(answer) is truthy, and returns that; bounded like every wait. */
async function waitFor(p, path, ok) {
  const until = Date.now() + 60_000;
  for (;;) {
    const v = ok(await p.api(path));
    if (v) return v;
    if (Date.now() > until) throw new Error(`waited 60 s for ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The value beside a term of a facts list. */
const fact = (p, term) => p.page.getByTestId('subscription-facts').locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

test('a platform admin sets up a division, a department, its office and its head', (t) => withPerson(t, async (p) => {
  await p.signIn('admin');
  await nav(p, '机构与人员');
  const tree = p.page.getByTestId('division-tree');
  assert.ok(await tree.locator('li[data-code="330106"]').count() === 1, 'the tree shows 西湖区');
  assert.equal(await tree.locator('li[data-code="330100"] > ul > li[data-code="330106"] > span').innerText(), '西湖区');

  // A parent that does not enclose the code is refused beside the parent, and nothing is added.
  const divForm = p.page.getByTestId('division-form');
  await divForm.getByLabel('区划代码').fill('340102');
  await divForm.getByLabel('区划名称').fill('上城区');
  await divForm.getByLabel('层级').selectOption('county');
  await divForm.getByLabel('上级区划').selectOption('330100');
  await divForm.getByRole('button', { name: '新增区划' }).click();
  await fieldError(p, 'parent_code').waitFor();
  assert.equal(await divForm.getByLabel('上级区划').getAttribute('aria-invalid'), 'true');
  assert.equal(await tree.locator('li[data-code="340102"]').count(), 0);

  await divForm.getByLabel('区划代码').fill('330102');
  await divForm.getByRole('button', { name: '新增区划' }).click();
  await tree.locator('li[data-code="330102"]').waitFor();
  await p.ready();
  assert.equal(await p.page.locator('[data-testid="division-tree"] li[data-code="330100"] > ul > li[data-code="330102"] > span').innerText(), '上城区');

  // A department in it; the page of the new department opens.
  const deptForm = p.page.getByTestId('department-form');
  await deptForm.getByLabel('部门名称').fill('上城区民政局');
  await deptForm.getByLabel('所在行政区划').selectOption('330102');
  await deptForm.getByLabel('类型').selectOption('department');
  await deptForm.getByLabel('统一社会信用代码（可选）').fill('12345');
  await deptForm.getByRole('button', { name: '新增部门' }).click();
  await fieldError(p, 'credit_code').waitFor();
  await deptForm.getByLabel('统一社会信用代码（可选）').fill('');
  await submitAndWait(p, '新增部门', /\/console\/admin\/departments\/[0-9a-f-]{36}$/);
  assert.equal(await p.page.locator('h1').innerText(), '上城区民政局');
  assert.equal(await p.page.getByTestId('office-head').innerText(), '尚未指定');
  const deptPath = new URL(p.page.url()).pathname;

  // Its office head's account: a short password is refused beside it.
  const personForm = p.page.getByTestId('person-form');
  await personForm.getByLabel('用户名').fill('scmz.head');
  await personForm.getByLabel('姓名').fill('方主任');
  await personForm.getByLabel('共享工作机构负责人', { exact: true }).check();
  await personForm.getByLabel('初始密码').fill('short');
  await personForm.getByRole('button', { name: '开设账号' }).click();
  await fieldError(p, 'password').waitFor();
  await personForm.getByLabel('初始密码').fill('scmz-initial-2026');
  await submitAndWait(p, '开设账号', /\/console\/admin\/people\/[0-9a-f-]{36}$/);
  await p.page.getByTestId('notice').filter({ hasText: '账号已开设' }).waitFor();
  assert.equal(await p.page.locator('h1').innerText(), '方主任');
  assert.equal(await p.page.getByTestId('person-roles').innerText(), '共享工作机构负责人');
  const personPath = new URL(p.page.url()).pathname;

  // The department names its office and the new head.
  await p.goto(deptPath);
  const office = p.page.getByTestId('office-form');
  await office.getByLabel('工作机构名称').fill('信息科');
  await office.getByLabel('负责人').selectOption({ label: '方主任（scmz.head）' });
  await office.getByRole('button', { name: '保存' }).click();
  await p.page.getByTestId('office-head').filter({ hasText: '方主任' }).waitFor();
  await p.ready();
  assert.equal(await p.page.getByTestId('office-name').innerText(), '信息科');

  // The named head cannot be disabled before another head is named: said, nothing changes.
  await p.goto(personPath);
  const edit = p.page.getByTestId('person-edit');
  await edit.getByLabel(/停用该账号/).check();
  await edit.getByRole('button', { name: '保存修改' }).click();
  const alert = edit.locator('.form-error[role="alert"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /负责人/);
  // A new name is saved with the version read; the list shows it.
  await p.goto(personPath);
  await p.page.getByTestId('person-edit').getByLabel('姓名').fill('方芳');
  await p.page.getByTestId('person-edit').getByRole('button', { name: '保存修改' }).click();
  await p.page.getByTestId('notice').filter({ hasText: '修改已保存。' }).waitFor();
  await p.ready();
  assert.equal(await p.page.locator('h1').innerText(), '方芳');
  assert.equal(await p.page.getByTestId('person-status').innerText(), '正常');
  await p.page.getByTestId('person-unlock').getByRole('button', { name: '解除登录锁定' }).click();
  await p.page.getByTestId('notice').filter({ hasText: '已解除登录锁定。' }).waitFor();
  await p.ready();

  // The new head signs in with the initial password.
  await withPerson(t, async (head) => {
    await head.goto('/console/signin');
    await head.page.getByLabel('用户名').fill('scmz.head');
    await head.page.getByLabel('密码').fill('scmz-initial-2026');
    await head.page.getByRole('button', { name: '登录' }).click();
    await head.page.waitForURL(BASE + '/console/');
    await head.ready();
    assert.equal(await head.page.getByTestId('person-name').innerText(), '方芳');
    assert.equal(await head.page.getByTestId('person-department').innerText(), '上城区民政局');
  });
}));

test('an office head opens only office-staff accounts, only for its own department', (t) => withPerson(t, async (p) => {
  await p.signIn('rst.head');
  await nav(p, '机构与人员');
  // Another department's page offers neither the office nor an account form.
  await p.page.getByRole('link', { name: '浙江省公安厅', exact: true }).click();
  await p.ready();
  assert.equal(await p.page.getByTestId('office-form').count(), 0);
  assert.equal(await p.page.getByTestId('person-form').count(), 0);
  await nav(p, '机构与人员');
  await p.page.getByRole('link', { name: '浙江省人力资源和社会保障厅', exact: true }).click();
  await p.ready();
  const people = p.page.getByTestId('people');
  assert.deepEqual(await people.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.username).sort()), ['rst.head', 'rst.staff']);
  const form = p.page.getByTestId('person-form');
  assert.deepEqual(await form.locator('fieldset[name="roles"] label').allInnerTexts(), ['共享工作机构经办人']);
  await form.getByLabel('用户名').fill('rst.staff2');
  await form.getByLabel('姓名').fill('许经办');
  await form.getByLabel('初始密码').fill('rst-initial-2026');
  await submitAndWait(p, '开设账号', /\/console\/admin\/people\/[0-9a-f-]{36}$/);
  assert.equal(await p.page.getByTestId('person-roles').innerText(), '共享工作机构经办人');
  // The head may not give its staff another role: only office staff is offered.
  assert.deepEqual(await p.page.getByTestId('person-edit').locator('fieldset[name="roles"] label').allInnerTexts(), ['共享工作机构经办人']);
}));

test('the working calendar: years, a deadline explained day by day, importing a notice', (t) => withPerson(t, async (p) => {
  await p.signIn('admin');
  await nav(p, '工作日历');
  const years = await p.page.getByTestId('calendar-years').locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.year));
  assert.deepEqual(years, ['2025', '2026']);
  // June 2026: no warning yet, but the page says 2027 is still to come.
  assert.match(await p.page.getByTestId('calendar-warnings').innerText(), /2027年的通知/);

  // 3 working days from Friday 18 September 2026: Sunday the 20th is a make-up
  // working day (国庆节), so the period ends on Tuesday the 22nd, not the 23rd.
  const calc = p.page.getByTestId('calculator');
  await calc.getByLabel('收到日期').fill('2026-09-18');
  await calc.getByLabel('工作日数').fill('3');
  await submitAndWait(p, '计算', /\/console\/admin\/calendar\?from=2026-09-18&days=3$/);
  assert.equal(await p.page.getByTestId('due').innerText(), '2026年9月22日');
  const kinds = await p.page.locator('[data-testid="explanation"] tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.kind));
  assert.deepEqual(kinds, ['weekend', 'make_up_workday', 'workday', 'workday']);
  // The same answer as the API's.
  const due = await p.api('/calendar/due?from=2026-09-18&days=3');
  assert.equal(due.due, '2026-09-22');
  // A period running into an unknown year is refused and said.
  await calc.getByLabel('收到日期').fill('2026-12-20');
  await calc.getByLabel('工作日数').fill('30');
  await submitAndWait(p, '计算', /days=30$/);
  assert.match(await p.page.getByTestId('calculator').locator('.field-error').innerText(), /2027/);

  // The 2026 page: holidays and make-up days of the notice.
  await p.page.getByRole('link', { name: '2026年', exact: true }).click();
  await p.ready();
  assert.equal(await p.page.getByTestId('holidays').locator('tbody tr').count(), 7);
  assert.ok((await p.page.getByTestId('make-up-days').innerText()).includes('2026年9月20日'));

  // Importing: a make-up day on a weekday is refused beside the text, naming its path.
  await nav(p, '工作日历');
  const form = p.page.getByTestId('calendar-import');
  const notice = (makeUp) => JSON.stringify({
    year: 2027, notice: '测试用：2027年部分节假日安排（仅元旦）',
    holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], make_up_working_days: makeUp,
  });
  await form.getByLabel('通知内容（JSON）').fill(notice([{ name: '元旦', date: '2027-01-04' }]));
  await form.getByRole('button', { name: '导入' }).click();
  await fieldError(p, 'body').waitFor();
  assert.match(await fieldError(p, 'body').innerText(), /make_up_working_days\[0\]\.date/);
  await form.getByLabel('通知内容（JSON）').fill(notice([]));
  await submitAndWait(p, '导入', /\/console\/admin\/calendar\/2027$/);
  assert.equal(await p.page.locator('h1').innerText(), '2027年节假日安排');
  await p.page.getByTestId('notice').filter({ hasText: '2027年的节假日安排已导入' }).waitFor();
  await nav(p, '工作日历');
  assert.match(await p.page.locator('[data-testid="calendar-years"] tr[data-year="2027"]').innerText(), /已导入/);
}));

test('my account: a personal API token shown once, used and revoked; the password changed', (t) => withPerson(t, async (p) => {
  await p.signIn('rst.staff');
  await p.page.getByRole('link', { name: /我的账号/ }).click();
  await p.page.waitForURL(BASE + '/console/account');
  await p.ready();
  assert.equal(await p.page.getByTestId('tokens').count(), 0);
  const tokenForm = p.page.getByTestId('token-form');
  await tokenForm.getByRole('button', { name: '签发令牌' }).click();
  await fieldError(p, 'name').waitFor();
  await tokenForm.getByLabel('令牌名称').fill('每日对账脚本');
  await tokenForm.getByRole('button', { name: '签发令牌' }).click();
  const panel = p.page.getByTestId('secret-panel');
  await panel.waitFor();
  const secret = await panel.getByLabel('令牌', { exact: true }).inputValue();
  assert.ok(secret.length > 20);
  // The token acts as its person.
  let res = await fetch(BASE + '/api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).person.username, 'rst.staff');
  // Shown once: a reload shows the token without its secret.
  await p.goto('/console/account');
  assert.equal(await p.page.getByTestId('secret-panel').count(), 0);
  const row = p.page.getByTestId('tokens').locator('tbody tr');
  assert.match(await row.innerText(), /每日对账脚本[\s\S]*有效/);
  await row.getByRole('button', { name: '吊销令牌 每日对账脚本' }).click();
  await row.filter({ hasText: '已吊销' }).waitFor();
  await p.ready();
  res = await fetch(BASE + '/api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
  assert.equal(res.status, 401);

  // The password: a wrong current one, then two new ones that differ, each said beside its field.
  const pw = p.page.getByTestId('password-form');
  await pw.getByLabel('当前密码').fill('not-the-password');
  await pw.getByLabel('新密码', { exact: true }).fill('rst-staff-new-2026');
  await pw.getByLabel('再次输入新密码').fill('rst-staff-new-2026');
  await pw.getByRole('button', { name: '修改密码' }).click();
  await fieldError(p, 'current_password').waitFor();
  await pw.getByLabel('当前密码').fill(PASSWORD);
  await pw.getByLabel('再次输入新密码').fill('something-else-2026');
  await pw.getByRole('button', { name: '修改密码' }).click();
  await fieldError(p, 'new_password_again').waitFor();
  await pw.getByLabel('再次输入新密码').fill('rst-staff-new-2026');
  await pw.getByRole('button', { name: '修改密码' }).click();
  await p.page.getByTestId('password-changed').waitFor();
  // Every session ended; the new password signs in.
  res = await p.page.request.get(BASE + '/api/v1/me');
  assert.equal(res.status(), 401);
  await p.page.getByRole('link', { name: '重新登录' }).click();
  await p.page.waitForURL(/\/console\/signin/);
  await p.ready();
  await p.page.getByLabel('用户名').fill('rst.staff');
  await p.page.getByLabel('密码').fill('rst-staff-new-2026');
  await p.page.getByRole('button', { name: '登录' }).click();
  await p.page.waitForURL(BASE + '/console/');
  await p.ready();
}));

test('a system bound to a grant; a push subscription registered, scheduled and cancelled', (t) => withPerson(t, async (consumer) => {
  await consumer.signIn('hzscjg.head');
  await nav(consumer, '应用系统');
  await consumer.page.getByRole('link', { name: '杭州市企业信用监管系统' }).click();
  await consumer.ready();
  const binding = consumer.page.getByTestId('binding-form');
  const batch = binding.locator('tr', { hasText: '企业登记基本信息' });
  const grantID = await batch.getAttribute('data-grant');
  await batch.getByRole('checkbox').check();
  await binding.getByRole('button', { name: '保存绑定' }).click();
  await consumer.page.getByTestId('system-facts').locator(`a[href="/console/grants/${grantID}"]`).waitFor();
  await consumer.ready();
  const sys = await consumer.api(new URL(consumer.page.url()).pathname.replace('/console', ''));
  assert.deepEqual(sys.grants, [grantID]);

  // Its push subscriptions, from the grant's row.
  await consumer.page.getByTestId('binding-form').locator(`tr[data-grant="${grantID}"]`).getByRole('link', { name: '推送订阅' }).click();
  await consumer.page.waitForURL(/\/console\/subscriptions\?grant_id=/);
  await consumer.ready();
  const form = consumer.page.getByTestId('subscribe-form');
  assert.equal(await form.getByLabel('共享授权').inputValue(), grantID);
  await form.getByLabel('接收地址').fill('ftp://jieshou.example.gov.cn/push');
  await form.getByRole('button', { name: '登记' }).click();
  await fieldError(consumer, 'endpoint_url').waitFor();
  await form.getByLabel('接收地址').fill('https://jieshou.example.gov.cn/govshare/push');
  await form.getByRole('button', { name: '登记' }).click();
  const panel = consumer.page.getByTestId('secret-panel');
  await panel.waitFor();
  assert.ok((await panel.getByLabel('签名密钥').inputValue()).length > 20);
  const subID = await panel.getByLabel('订阅编号').inputValue();
  assert.equal(await consumer.page.locator(`tr[data-subscription="${subID}"]`).count(), 1);

  // The provider's office sets the schedule; the consumer's cannot.
  await consumer.goto('/console/subscriptions/' + subID);
  assert.equal(await consumer.page.getByTestId('schedule-form').count(), 0);
  assert.equal(await consumer.page.getByTestId('subscription-interval').innerText(), '有新数据即推送');
  await withPerson(t, async (provider) => {
    await provider.signIn('scjg.staff');
    await nav(provider, '推送订阅');
    await provider.page.locator(`tr[data-subscription="${subID}"] a`).click();
    await provider.ready();
    assert.equal(await provider.page.getByTestId('cancel-form').count(), 0);
    await provider.page.getByTestId('schedule-form').getByLabel('推送间隔').selectOption({ label: '每 1 小时' });
    await provider.page.getByRole('button', { name: '保存推送频率' }).click();
    await provider.page.getByTestId('notice').filter({ hasText: '推送频率已保存。' }).waitFor();
    await provider.ready();
    assert.equal(await provider.page.getByTestId('subscription-interval').innerText(), '每 1 小时');
  });

  // The consumer cancels, after confirming; a stale page would be refused by version.
  await consumer.goto('/console/subscriptions/' + subID);
  assert.equal(await consumer.page.getByTestId('subscription-interval').innerText(), '每 1 小时');
  const cancel = consumer.page.getByTestId('cancel-form');
  await cancel.getByLabel('理由（可选）').fill('接收系统迁移');
  await cancel.getByRole('button', { name: '取消订阅' }).click();
  await cancel.getByRole('button', { name: '确认取消订阅' }).click();
  await consumer.page.getByTestId('notice').filter({ hasText: '订阅已取消。' }).waitFor();
  await consumer.ready();
  assert.equal(await consumer.page.getByTestId('subscription-state').innerText(), '已取消');
  assert.equal(await consumer.page.getByTestId('cancel-form').count(), 0);
}));

test('a push endpoint refuses a page, then acknowledges it; the subscription shows the cursor it acknowledged', (t) => withPerson(t, async (consumer) => {
  const hook = await pushEndpoint();
  t.after(() => hook.close());
  // The consumer's office registers its endpoint for its batch-exchange grant
  // (the test above cancelled the grant's first subscription).
  await consumer.signIn('hzscjg.head');
  await nav(consumer, '推送订阅');
  const form = consumer.page.getByTestId('subscribe-form');
  const grantID = await form.getByLabel('共享授权').locator('option', { hasText: '企业登记基本信息' }).getAttribute('value');
  await form.getByLabel('共享授权').selectOption(grantID);
  await form.getByLabel('接收地址').fill(hook.url);
  await form.getByRole('button', { name: '登记' }).click();
  const panel = consumer.page.getByTestId('secret-panel');
  await panel.waitFor();
  const secret = await panel.getByLabel('签名密钥').inputValue();
  const subID = await panel.getByLabel('订阅编号').inputValue();

  // The platform's pusher sends the snapshot; the endpoint holds it unanswered,
  // so nothing is acknowledged or logged yet.
  const first = await hook.next();
  assert.equal(first.method, 'POST');
  assert.equal(first.path, '/govshare/push');
  assert.equal(first.headers['x-gs-subscription'], subID);
  verifyPush(first, secret);
  assert.equal(first.body.subscription_id, subID);
  assert.equal(first.body.grant_id, grantID);
  assert.equal(first.body.cursor, '', 'the first page starts a new snapshot');
  assert.equal(first.body.phase, 'snapshot');
  assert.ok(first.body.count > 0, 'the demo hosts rows of 企业登记基本信息');
  assert.ok(first.body.next_cursor, 'the page says where the next one starts');
  await consumer.goto('/console/subscriptions/' + subID);
  assert.equal(await fact(consumer, '进度').innerText(), '从全量快照开始');
  assert.equal(await consumer.page.getByTestId('subscription-cursor').count(), 0, 'no cursor before an acknowledgement');
  assert.equal(await consumer.page.getByTestId('deliveries-empty').count(), 1);

  // A refusal is logged and leaves the cursor where it was.
  await first.answer(503);
  const refused = await waitFor(consumer, `/exchange/subscriptions/${subID}/deliveries`, (log) => log.items.length > 0 && log);
  assert.equal(refused.items[0].outcome, 'exchange.push_rejected');
  await consumer.goto('/console/subscriptions/' + subID);
  assert.equal(await fact(consumer, '进度').innerText(), '从全量快照开始');
  assert.equal(await consumer.page.getByTestId('subscription-cursor').count(), 0, 'a refused page moves no cursor');
  assert.match(await consumer.page.getByTestId('deliveries').innerText(), /对方拒收（HTTP 503）/);

  // After the back-off the same page comes again, from the same cursor; the endpoint applies it and acknowledges.
  const again = await hook.next();
  verifyPush(again, secret);
  assert.equal(again.body.cursor, '');
  assert.equal(again.body.checksum, first.body.checksum, 'the same page is sent again');
  assert.notEqual(again.body.delivery_id, first.body.delivery_id);
  await again.answer(200);
  const acked = again.body.next_cursor;
  const sub = await waitFor(consumer, '/exchange/subscriptions/' + subID, (s) => s.progress.cursor && s);
  assert.equal(sub.progress.cursor, acked, 'the subscription moved to the acknowledged page\'s next_cursor');

  // The page shows the cursor the endpoint acknowledged, and the delivery.
  await consumer.goto('/console/subscriptions/' + subID);
  const cursor = consumer.page.getByTestId('subscription-cursor');
  assert.equal(await cursor.innerText(), acked);
  assert.equal(await fact(consumer, '批量游标').getAttribute('data-testid'), 'subscription-cursor');
  assert.equal(await fact(consumer, '进度').innerText(), '已确认接收到游标位置，下次从此继续');
  assert.equal(await fact(consumer, '已交付').innerText(), `${again.body.count} 行`);
  const log = consumer.page.getByTestId('deliveries');
  assert.equal(await log.locator('tbody tr').count(), 2);
  assert.match(await log.locator('tbody tr').nth(0).innerText(), /全量快照\s+\d+\s+1\s+.*HTTP 503/);
  assert.match(await log.locator('tbody tr').nth(1).innerText(), new RegExp(`全量快照\\s+${again.body.count}\\s+2\\s+成功（HTTP 200）`));

  // The provider's office sees the same cursor on its page of the subscription.
  await withPerson(t, async (provider) => {
    await provider.signIn('scjg.staff');
    await provider.goto('/console/subscriptions/' + subID);
    assert.equal(await provider.page.getByTestId('subscription-cursor').innerText(), acked);
  });
}));

test('the provider approves with clear items and call limits; the timeline names who acted', (t) => withPerson(t, async (p) => {
  await p.signIn('gat.head');
  const apps = await p.api('/applications?role=provider&state=sent&limit=200');
  const app = apps.items.find((a) => a.entry_name === '居民身份信息核验' && a.state === 'sent');
  assert.ok(app, 'the demo has 居民身份信息核验 waiting for 浙江省公安厅\'s reply');
  await p.goto('/console/applications/' + app.id);
  const form = p.page.getByTestId('act-reply');
  // Only the sensitive item is offered in clear, once the grades are read.
  await form.locator('.choice[data-item="姓名"][hidden]').waitFor({ state: 'attached' });
  assert.match(await form.locator('.choice[data-item="居民身份证号码"]').innerText(), /L4 敏感/);
  await form.getByLabel(/^居民身份证号码/).check();
  await form.getByLabel('每日调用上限（可选）').fill('2000000000');
  await form.getByRole('button', { name: '提交答复' }).click();
  await fieldError(p, 'limits.per_day').waitFor();
  await form.getByLabel('每秒调用上限（可选）').fill('5');
  await form.getByLabel('每日调用上限（可选）').fill('2000');
  await form.getByRole('button', { name: '提交答复' }).click();
  await p.page.getByTestId('app-state').filter({ hasText: /^已同意共享$/ }).waitFor();
  await p.ready();
  const grants = await p.api('/grants?application_id=' + app.id);
  assert.equal(grants.items.length, 1);
  assert.deepEqual(grants.items[0].clear_items, ['居民身份证号码']);
  assert.deepEqual(grants.items[0].limits, { per_second: 5, per_day: 2000 });
  // The reply is the head's own act: the timeline names the person (of the reader's department).
  const reply = p.page.locator('[data-testid="timeline"] li[data-action="application.approve"] .who');
  assert.equal(await reply.innerText(), '浙江省公安厅 · 王处长');
  // The consumer's acts are named by department only: their people are not the provider's to read.
  const sent = p.page.locator('[data-testid="timeline"] li[data-action="application.send"] .who');
  assert.equal(await sent.innerText(), '浙江省市场监督管理局');
}));
