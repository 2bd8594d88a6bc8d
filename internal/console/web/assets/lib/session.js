// Who is signed in: the person from GET /api/v1/me and their department from
// GET /api/v1/departments/{id}. Loaded once per page load and handed to
// every page as ctx.session.
import { get } from './api.js';

/** → {person, department|null}; throws Problem (401 when not signed in). */
export async function loadSession() {
  const { person } = await get('/me');
  let department = null;
  if (person.department_id) department = await get('/departments/' + encodeURIComponent(person.department_id));
  return { person, department };
}
