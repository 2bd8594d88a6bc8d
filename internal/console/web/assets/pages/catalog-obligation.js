// One update obligation of a catalog entry (Art. 17): the change that opened
// it, its deadline, the extension asked and decided, and the acts of the
// person: the provider's office asks for 5 more working days (or starts the
// new version that fulfils it), the same-level authority grants or refuses.
// Reached from the to-do list (catalog.update, catalog.extension) and from
// the entry's page; read with GET /catalog/obligations/{id}, which names the
// entry.
import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { deadline } from '../lib/format.js';
import { notice } from '../lib/problems.js';
import { names } from '../lib/records.js';
import { personOrBlank } from '../lib/people.js';
import { obligationHref, obligationActs, obligationFacts, obligationForms } from '../lib/catalog-obligations.js';

export const title = '目录更新';

export async function render({ main, params, session, navigate }) {
  // Not found, or not this person's to see (404 either way): the router
  // shows its not-found page. The to-do item, while there is one, adds the
  // working days left.
  const [o, todo, cal] = await Promise.all([
    get('/catalog/obligations/' + encodeURIComponent(params.id)),
    get('/todo').catch(() => ({ items: [] })),
    get('/calendar').catch(() => ({})),
  ]);
  const item = (todo.items || []).find((it) => it.object_type === 'catalog_obligation' && it.object_id === o.id);
  const people = await names([o.recorded_by, o.extension && o.extension.requested_by, o.extension && o.extension.decided_by], personOrBlank);
  const acts = obligationActs(session.person, o, cal.today || '');
  // After an act the page is read again at its own address.
  const url = obligationHref(o);
  const done = async (text) => {
    await navigate(url, { replaceState: true });
    notice(main, text);
  };
  document.title = `${o.entry_name} · ${document.title}`;
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/catalog' }, '数据目录'), ' / ',
      h('a', { href: '/console/catalog/entries/' + encodeURIComponent(o.entry_id) }, o.entry_name), ' / 目录更新'),
    h('h1', {}, `目录更新：${o.entry_name}`),
    obligationFacts(o, people, item && item.due ? deadline(item) : null),
    obligationForms(o, acts, done));
}
