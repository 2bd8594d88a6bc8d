// Who did an act, as far as the reader may know it. People's names are
// personal data: GET /api/v1/people/{id} lets a reader see those of its own
// department (a reviewer or auditor its region, an admin all) and refuses the
// others, so an act by someone the reader may not see is shown by department
// only. The console never decides this itself: it asks, and shows what the
// API answers.
import { get } from './api.js';
import { h } from './dom.js';

/** personNames(ids) → Map id → display name, holding only the people the API lets this reader see. */
export async function personNames(ids) {
  const out = new Map();
  await Promise.all([...new Set(ids.filter(Boolean))].map((id) => get('/people/' + encodeURIComponent(id))
    .then((p) => { if (p.display_name) out.set(id, p.display_name); }, () => {})));
  return out;
}

/** personOrBlank(id) → the person's name, or '' when the API does not let this reader see them. */
export const personOrBlank = (id) => (id
  ? get('/people/' + encodeURIComponent(id)).then((p) => p.display_name || '', () => '')
  : Promise.resolve(''));

/** who(department, person) → "department · person", either left out when unknown ('' when both are). */
export const who = (department, person) => [department, person].filter(Boolean).join(' · ');

/** whoSpan(text) → the timeline's <span class="who">, or null when nobody can be named. */
export const whoSpan = (text) => (text ? h('span', { class: 'who' }, text) : null);
