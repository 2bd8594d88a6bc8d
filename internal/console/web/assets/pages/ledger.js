// 账本核验: the latest signed checkpoint (GET /api/v1/ledger/checkpoint) and
// the node's public key; the auditor saves checkpoints (in this browser and
// as a file) and later asks a consistency proof from a saved one to the
// current one (GET /api/v1/ledger/proofs/consistency), which this page
// checks itself (lib/ledger-verify.js). Signatures are not checked here:
// the page says so and points to `govshare ledger verify` (docs/ledger.md).
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { showProblem, clearProblems } from '../lib/problems.js';
import {
  fetchCheckpoint, parseCheckpoint, savedCheckpoints, saveCheckpoint, forgetCheckpoint,
} from '../lib/records.js';
import { hasher, fromBase64, verifyConsistency } from '../lib/ledger-verify.js';

export const title = '账本核验';

const ALGORITHMS = { sm3: 'SM3（GB/T 32905）', sha256: 'SHA-256' };

export async function render(ctx) {
  const { main, session } = ctx;
  const [text, key] = await Promise.all([fetchCheckpoint(), get('/ledger/public-key')]);
  const cp = parseCheckpoint(text);
  if (!cp) throw new Error('checkpoint unreadable');
  const roles = session.person.roles || [];
  const verdict = h('div', { class: 'verdict', role: 'status', 'aria-live': 'polite', 'data-testid': 'consistency-verdict' });
  const savedList = h('div', { 'data-testid': 'saved-checkpoints' });

  const check = async (oldText, button) => {
    verdict.className = 'verdict';
    verdict.replaceChildren(h('p', {}, '正在核验…'));
    if (button) button.disabled = true;
    try {
      verdict.replaceChildren(...await consistency(oldText, key));
      verdict.classList.add(verdict.querySelector('[data-ok="true"]') ? 'verdict-ok' : 'verdict-bad');
    } catch (err) {
      verdict.classList.add('verdict-bad');
      verdict.replaceChildren(h('p', {}, '核验失败：' + (err.title || err.message)));
    } finally {
      if (button) button.disabled = false;
    }
  };

  const drawSaved = () => {
    const list = savedCheckpoints().map((s) => ({ ...s, cp: parseCheckpoint(s.text) })).filter((s) => s.cp);
    replace(savedList, list.length === 0
      ? h('p', { class: 'empty' }, '本浏览器中尚未保存检查点。')
      : h('table', {},
        h('caption', { class: 'visually-hidden' }, '本浏览器中保存的检查点'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '树大小'), h('th', { scope: 'col' }, '签署时间'), h('th', { scope: 'col' }, '根哈希'),
          h('th', { scope: 'col' }, '保存时间'), h('th', { scope: 'col' }, '操作'))),
        h('tbody', {}, list.slice().reverse().map((s) => h('tr', { class: 'saved-checkpoint', 'data-size': s.cp.size },
          h('td', {}, String(s.cp.size)),
          h('td', {}, formatDateTime(s.cp.time)),
          h('td', {}, h('code', { class: 'hash' }, s.cp.root)),
          h('td', {}, formatDateTime(s.saved_at)),
          h('td', { class: 'row-actions' },
            h('button', {
              type: 'button', 'aria-label': `核验树大小 ${s.cp.size} 的检查点与当前账本的一致性`,
              onclick: (e) => check(s.text, e.currentTarget),
            }, '核验一致性'),
            ' ',
            h('button', {
              type: 'button', class: 'button-quiet', 'aria-label': `从本浏览器删除树大小 ${s.cp.size} 的检查点`,
              onclick: () => { forgetCheckpoint(s.text); drawSaved(); },
            }, '删除')))))));
  };
  drawSaved();

  const status = h('p', { role: 'status', class: 'status', 'data-testid': 'save-status' });
  const saveButton = h('button', { type: 'button' }, '保存此检查点');
  saveButton.addEventListener('click', () => {
    saveCheckpoint(cp.text);
    status.textContent = `已在本浏览器中保存树大小为 ${cp.size} 的检查点。请同时下载检查点文件，存放在平台运维人员无法改动的地方。`;
    drawSaved();
  });
  const download = h('a', {
    href: URL.createObjectURL(new Blob([cp.text], { type: 'text/plain;charset=utf-8' })),
    download: `checkpoint-${cp.size}.txt`, class: 'download-link',
  }, '下载检查点文件');

  const paste = h('form', { class: 'paste-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'old-checkpoint' }, '已保存的检查点（粘贴检查点文件的全部内容）'),
      h('textarea', { id: 'old-checkpoint', name: 'checkpoint', rows: 6, class: 'mono', spellcheck: 'false' })),
    h('button', { type: 'submit' }, '核验一致性'));
  paste.addEventListener('submit', (e) => {
    e.preventDefault();
    clearProblems(paste);
    if (!parseCheckpoint(paste.checkpoint.value)) {
      showProblem(paste, { field: 'checkpoint', title: '这不是一个检查点：应依次为日志名称、树大小、根哈希和时间' });
      return;
    }
    check(paste.checkpoint.value, paste.querySelector('button'));
  });

  replace(main,
    h('h1', {}, '账本核验'),
    h('p', { class: 'lead' }, '平台记录的每一项操作都是防篡改账本中的一个条目。节点约每秒签署一个检查点（树大小、根哈希和时间）。保存检查点后，可以随时核验账本自那时起只增加、未被改动。'),
    h('section', { 'aria-labelledby': 'cp-heading' },
      h('h2', { id: 'cp-heading' }, '当前检查点'),
      h('dl', { class: 'facts', 'data-testid': 'checkpoint' },
        h('dt', {}, '日志名称'), h('dd', {}, cp.origin),
        h('dt', {}, '树大小'), h('dd', { 'data-testid': 'tree-size' }, `${cp.size}（共 ${cp.size} 个条目）`),
        h('dt', {}, '根哈希'), h('dd', {}, h('code', { class: 'hash', 'data-testid': 'root-hash' }, cp.root)),
        h('dt', {}, '签署时间'), h('dd', { 'data-testid': 'checkpoint-time' }, formatDateTime(cp.time)),
        h('dt', {}, '哈希算法'), h('dd', {}, ALGORITHMS[key.hash_algorithm] || key.hash_algorithm || '—'),
        h('dt', {}, '签名'), h('dd', {}, cp.signatures.join('、') || '—')),
      h('div', { class: 'form-actions' }, saveButton, download),
      status,
      h('details', {},
        h('summary', {}, '检查点原文与节点公钥'),
        h('h3', {}, '检查点原文'),
        h('pre', { class: 'mono' }, cp.text),
        h('h3', {}, '验证密钥（govshare ledger verify --key）'),
        h('pre', { class: 'mono' }, key.verifier_key),
        h('h3', {}, '公钥（PEM）'),
        h('pre', { class: 'mono' }, key.public_key_pem),
        h('p', {}, '请通过平台运维人员无法控制的渠道（例如正式函件）核对该公钥，并记入工作底稿。'))),
    h('section', { 'aria-labelledby': 'saved-heading' },
      h('h2', { id: 'saved-heading' }, '一致性核验'),
      h('p', {}, '选择以前保存的检查点，核验它是否仍是当前账本的开头部分：即此后的账本只增加了条目，以前的条目没有被改动、删除或调换。'),
      savedList,
      paste,
      verdict),
    h('section', { 'aria-labelledby': 'limits-heading' },
      h('h2', { id: 'limits-heading' }, '本页核验了什么'),
      h('ul', {},
        h('li', {}, '一致性证明由平台接口给出，本页在浏览器中按 RFC 6962 用',
          ALGORITHMS[key.hash_algorithm] || key.hash_algorithm, '独立重新计算，并与两个检查点的根哈希比对。'),
        h('li', {}, '本页不验证检查点的签名（SM2 或 Ed25519）。检查点的签名，以及每一个条目与账本的一致性，请在数据库副本上用命令独立核验：'),
        h('li', { class: 'no-bullet' }, h('code', {}, 'govshare ledger verify --db 副本/govshare.db --key \'验证密钥\' --checkpoint 已保存的检查点.txt')),
        h('li', {}, '详见《防篡改账本审计指南》（docs/ledger.md）。')),
      roles.includes('auditor') || roles.includes('platform_admin')
        ? h('p', {}, h('a', { href: '/console/ledger/entries' }, '查阅账本条目及其哈希')) : null));
}

// The verdict on oldText against the checkpoint current now.
async function consistency(oldText, key) {
  const old = parseCheckpoint(oldText);
  const cur = parseCheckpoint(await fetchCheckpoint());
  const line = (ok, text) => h('p', { 'data-ok': String(ok) }, h('strong', {}, ok ? '一致' : '不一致'), '：', text);
  if (!old || !cur) return [line(false, '检查点无法读取。')];
  if (old.origin !== cur.origin) {
    return [line(false, `已保存的检查点属于日志“${old.origin}”，当前节点是“${cur.origin}”。`)];
  }
  if (old.size > cur.size) {
    return [line(false, `已保存的检查点有 ${old.size} 个条目，当前账本只有 ${cur.size} 个：账本被截短。请立即用 govshare ledger verify 核查并报告。`)];
  }
  const proof = await get('/ledger/proofs/consistency' + qs({ from: old.size, to: cur.size }));
  const H = hasher(key.hash_algorithm);
  const facts = h('p', { class: 'verdict-facts' },
    `从树大小 ${old.size}（${formatDateTime(old.time)}）到 ${cur.size}（${formatDateTime(cur.time)}），证明含 ${proof.hashes.length} 个哈希。`);
  if (!H) {
    return [h('p', { 'data-ok': 'true' }, h('strong', {}, '平台已给出一致性证明'),
      `，但本浏览器不支持 ${key.hash_algorithm}，未能在浏览器中重新计算；请用 govshare ledger verify 核验。`), facts];
  }
  const ok = await verifyConsistency(H, old.size, cur.size, fromBase64(old.root), fromBase64(cur.root), proof.hashes.map(fromBase64));
  const grown = cur.size === old.size ? '此后没有新增条目，根哈希相同。' : `此后只增加了 ${cur.size - old.size} 个条目。`;
  return [ok
    ? line(true, `树大小为 ${old.size} 的账本仍是当前账本（${cur.size} 个条目）的开头部分，${grown}本页已在浏览器中重新计算证明。`)
    : line(false, '证明与检查点的根哈希对不上：账本自保存检查点以来可能被改动。请立即用 govshare ledger verify 核查并报告。'),
  facts];
}
