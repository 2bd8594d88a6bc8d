// Writing a catalog entry (docs/catalog.md): a new one for the person's own
// department (/console/catalog/new, POST /api/v1/catalog/entries) or the
// working version of an existing one (/console/catalog/entries/:id/edit, PUT
// with the version last read; editing a published entry starts version N+1).
// A refusal appears beside the field it names, items[i].… included.
import { h, replace } from '../lib/dom.js';
import { get, post, put } from '../lib/api.js';
import { onSubmit } from '../lib/problems.js';
import { buildEntryForm, readDraft, formProblem } from '../lib/catalog-form.js';
import { keepDuplicates } from '../lib/catalog-acts.js';

export const title = '编制目录';

export async function render({ main, params, navigate }) {
  const e = params.id ? await get('/catalog/entries/' + encodeURIComponent(params.id)) : null;
  const entryHref = e ? '/console/catalog/entries/' + encodeURIComponent(e.id) : '';
  const heading = e ? `修改目录：${e.name}` : '新建目录';
  const back = e ? h('a', { href: entryHref }, '返回目录详情') : h('a', { href: '/console/catalog' }, '数据目录');

  if (e && e.state === 'submitted') {
    replace(main, h('p', { class: 'breadcrumb' }, back), h('h1', {}, heading),
      h('p', { class: 'form-error', role: 'alert' }, '该目录正在主管部门审核中，审核结束前不能修改。'));
    return;
  }

  const form = buildEntryForm(e);
  onSubmit(form, async () => {
    const body = readDraft(form);
    const saved = e
      ? await put('/catalog/entries/' + encodeURIComponent(e.id), { ...body, version: e.version })
      : await post('/catalog/entries', body);
    keepDuplicates(saved);
    navigate('/console/catalog/entries/' + encodeURIComponent(saved.id));
  }, formProblem);
  replace(main,
    h('p', { class: 'breadcrumb' }, back),
    h('h1', {}, heading),
    h('p', { class: 'lead' }, e && e.state === 'published'
      ? '修改已发布的目录将形成新版本草稿；新版本须重新评估、经负责人审批并报主管部门审核，发布前原版本继续有效。'
      : '保存后为本部门草稿。报送前须完成保密风险评估和个人信息保护影响评估，并经本部门共享工作机构负责人审批（第十三条）。'),
    form);
}
