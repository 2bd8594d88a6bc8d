// How a person reads dates and deadlines: 2026年10月8日, in Asia/Shanghai.

const zoned = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** formatDate('2026-10-08') or an RFC 3339 instant → '2026年10月8日'. */
export function formatDate(s) {
  if (!s) return '';
  const civil = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (civil) return `${+civil[1]}年${+civil[2]}月${+civil[3]}日`;
  const p = parts(s);
  return p ? `${p.year}年${p.month}月${p.day}日` : s;
}

/** formatDateTime('2026-10-08T06:05:00Z') → '2026年10月8日 14:05' (Beijing time). */
export function formatDateTime(s) {
  const p = parts(s);
  return p ? `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}` : s || '';
}

function parts(s) {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return null;
  const o = {};
  for (const { type, value } of zoned.formatToParts(d)) o[type] = value;
  return { year: +o.year, month: +o.month, day: +o.day, hour: o.hour, minute: o.minute };
}

/**
 * deadline(item) for a to-do item of GET /api/v1/todo →
 * {text, cls}: cls is 'deadline-overdue' (red) once overdue,
 * 'deadline-soon' (amber) with two working days or fewer left,
 * 'deadline-ok' otherwise and 'deadline-none' without a statutory deadline.
 */
export function deadline(item) {
  const n = item.working_days_left;
  if (item.overdue) {
    return { cls: 'deadline-overdue', text: n === undefined || n === null ? '已超期' : `已超期 ${-n} 个工作日` };
  }
  if (!item.due) return { cls: 'deadline-none', text: '暂无期限' };
  if (n === undefined || n === null) return { cls: 'deadline-ok', text: '—' };
  if (n === 0) return { cls: 'deadline-soon', text: '今日到期' };
  return { cls: n <= 2 ? 'deadline-soon' : 'deadline-ok', text: `剩余 ${n} 个工作日` };
}
