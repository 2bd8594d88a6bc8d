// 存在性证明: the RFC 6962 audit path of one entry in the tree of the
// latest checkpoint (GET /api/v1/ledger/proofs/inclusion), folded up to the
// checkpoint's root in the browser (lib/ledger-verify.js). The leaf hash is
// the server's; recomputing it from the entry's bytes, and checking the
// checkpoint's signature, is for `govshare ledger verify` (docs/ledger.md).
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { fetchCheckpoint, parseCheckpoint } from '../lib/records.js';
import { hasher, fromBase64, verifyInclusion } from '../lib/ledger-verify.js';

export const title = '存在性证明';

export async function render({ main, params }) {
  const seq = parseInt(params.seq, 10);
  if (!(seq >= 1)) throw Object.assign(new Error('bad seq'), { notFoundOrForbidden: true });
  const [text, key] = await Promise.all([fetchCheckpoint(), get('/ledger/public-key')]);
  const cp = parseCheckpoint(text);
  const proof = await get('/ledger/proofs/inclusion' + qs({ seq, tree_size: cp.size }));
  const H = hasher(key.hash_algorithm);
  const ok = H ? await verifyInclusion(H, proof.leaf_index, proof.tree_size, fromBase64(proof.leaf_hash), fromBase64(cp.root),
    proof.hashes.map(fromBase64)) : null;
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/ledger' }, '账本核验'), ' / 存在性证明'),
    h('h1', {}, `第 ${seq} 条的存在性证明`),
    h('div', { class: 'verdict ' + (ok === false ? 'verdict-bad' : 'verdict-ok'), role: 'status', 'data-testid': 'inclusion-verdict' },
      ok === null
        ? h('p', {}, h('strong', {}, '平台已给出证明'), `，但本浏览器不支持 ${key.hash_algorithm}，未能重新计算；请用 govshare ledger verify 核验。`)
        : ok
          ? h('p', {}, h('strong', {}, '已包含'), `：第 ${seq} 条在树大小为 ${cp.size} 的账本中，本页已在浏览器中把审计路径重新计算到检查点的根哈希。`)
          : h('p', {}, h('strong', {}, '不符'), '：审计路径算不出检查点的根哈希。请用 govshare ledger verify 核查并报告。')),
    h('dl', { class: 'facts' },
      h('dt', {}, '条目序号'), h('dd', {}, String(proof.seq)),
      h('dt', {}, '叶序号'), h('dd', {}, String(proof.leaf_index)),
      h('dt', {}, '树大小'), h('dd', {}, String(proof.tree_size)),
      h('dt', {}, '检查点时间'), h('dd', {}, formatDateTime(cp.time)),
      h('dt', {}, '根哈希'), h('dd', {}, h('code', { class: 'hash' }, cp.root)),
      h('dt', {}, '叶哈希'), h('dd', {}, h('code', { class: 'hash' }, proof.leaf_hash))),
    h('h2', {}, `审计路径（${proof.hashes.length} 个哈希）`),
    proof.hashes.length === 0 ? h('p', { class: 'empty' }, '树中只有这一个条目，叶哈希即根哈希。')
      : h('ol', { class: 'hash-list' }, proof.hashes.map((x) => h('li', {}, h('code', { class: 'hash' }, x)))),
    h('p', {}, '本页未从条目内容重新计算叶哈希，也未验证检查点签名；请在数据库副本上用 ',
      h('code', {}, 'govshare ledger verify'), ' 独立核验（docs/ledger.md）。'));
}
