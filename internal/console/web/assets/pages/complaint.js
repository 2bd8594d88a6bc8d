// The public complaint form (投诉举报, Art. 37), open without signing in:
// a citizen, legal person or other organisation complains that government
// data sharing infringed their lawful rights. The answer shows the receipt
// code once, with a clear instruction to keep it; the platform cannot show
// it again.
import { h, replace } from '../lib/dom.js';
import { get, post } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { attempt } from '../lib/problems.js';
import { COMPLAINANT_KINDS, area, input, select } from '../lib/complaint.js';

export const title = '投诉举报';

export async function render({ main }) {
  const deps = await get('/public/departments');
  const form = h('form', { class: 'act complaint-form', 'data-testid': 'complaint-form', novalidate: true },
    select('complainant_kind', '投诉人类型', Object.entries(COMPLAINANT_KINDS), '请选择'),
    input('name', '姓名或单位名称', { autocomplete: 'name', maxlength: 100 }),
    input('contact', '联系方式', { autocomplete: 'tel', maxlength: 100 }, '手机号、固定电话或电子邮箱，仅供办理部门联系您。'),
    select('department_id', '被投诉部门', deps.items.map((d) => [d.id, d.name]), '请选择部门'),
    area('facts', '事情经过', '在政务数据共享中发生了什么：时间、事项、涉及的数据。', 6, { maxlength: 2000 }),
    area('rights', '受侵犯的合法权益', '例如：个人信息权益、企业商业秘密。', 3, { maxlength: 2000 }),
    input('reference', '相关编号（选填）', { maxlength: 100 }, '如办事编号、共享申请编号。'),
    h('button', { type: 'submit' }, '提交投诉举报'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (n) => form.querySelector(`[name="${n}"]`).value;
    attempt(form, async () => {
      const r = await post('/public/complaints', {
        complainant_kind: v('complainant_kind'), name: v('name'), contact: v('contact'), department_id: v('department_id'),
        facts: v('facts'), rights: v('rights'), reference: v('reference'),
      });
      receipt(main, r);
    });
  });
  replace(main,
    h('section', { class: 'public-page' },
      h('h1', {}, '政务数据共享投诉举报'),
      h('p', { class: 'lead' }, '公民、法人和其他组织有权对政务数据共享过程中侵犯其合法权益的行为进行投诉、举报，接到投诉、举报的政府部门应当按照规定及时处理（《政务数据共享条例》第三十七条）。'),
      h('p', {}, '无需登录。被投诉部门自收到之日起15个工作日内答复；不属于其处理的，转交有权处理的部门。您的姓名和联系方式仅办理部门及其上级主管部门可见。'),
      h('p', {}, '已经提交过？', h('a', { href: '/console/complaint/lookup' }, '凭查询码查询办理进度')),
      form));
}

// receipt shows the code once. It is not kept anywhere on this page after
// the person leaves it.
function receipt(main, r) {
  replace(main,
    h('section', { class: 'public-page' },
      h('h1', {}, '投诉举报已提交'),
      h('div', { class: 'receipt', role: 'status' },
        h('p', {}, '您的查询码：'),
        h('p', { class: 'receipt-code', 'data-testid': 'receipt-code' }, r.receipt_code),
        h('p', { class: 'receipt-warning' }, h('strong', {}, '请立即抄写或保存此查询码。'),
          '查询码只显示这一次，平台不保存查询码本身，遗失后无法找回；凭查询码可以查询办理进度和答复。')),
      h('dl', { class: 'facts' },
        h('dt', {}, '被投诉部门'), h('dd', {}, r.department_name),
        h('dt', {}, '提交时间'), h('dd', {}, formatDate(r.filed_at)),
        h('dt', {}, '答复期限'), h('dd', { 'data-testid': 'receipt-due' }, r.due ? formatDate(r.due) + '前（15个工作日）' : '自收到之日起15个工作日')),
      h('p', {}, h('a', { href: '/console/complaint/lookup' }, '查询办理进度'), ' · ', h('a', { href: '/console/signin' }, '工作人员登录'))));
}
