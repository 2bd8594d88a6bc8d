// The answer to an object that does not exist or is not for this person.
// The API says 404 for both where an object's existence is itself not for
// the caller (docs/access.md, "Not found rather than forbidden"); the console
// says the same for 403 too, and shows nothing of the object.
import { h, replace } from '../lib/dom.js';

export const title = '未找到或无权访问';

export async function render({ main }) {
  replace(main,
    h('section', { class: 'not-found' },
      h('h1', {}, title),
      h('p', {}, '您要打开的内容不存在，或者您无权查看。'),
      h('p', {}, '如果您认为应当可以查看，请联系本部门共享工作机构。'),
      h('p', {}, h('a', { href: '/console/' }, '返回首页'))));
}
