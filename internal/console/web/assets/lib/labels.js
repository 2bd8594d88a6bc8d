// Chinese names of the API's codes that a person reads. Unknown codes are
// shown as they are, so a new code is visible rather than hidden.

export const CATALOG_STATES = {
  draft: '草稿', submitted: '待审核', returned: '已退回', published: '已发布', superseded: '已被新版本替代',
};

export const GRADES = {
  core: '核心数据', important: '重要数据', general_l4: '一般数据（L4 敏感）',
  general_l3: '一般数据（L3 较敏感）', general_l2: '一般数据（L2 低敏感）', general_l1: '一般数据（L1 不敏感）',
};

export const SHARING_ATTRIBUTES = { unconditional: '无条件共享', conditional: '有条件共享', not_shareable: '不予共享' };

export const DELIVERY_METHODS = { service_interface: '服务接口', batch_exchange: '批量交换', file_download: '文件下载' };

export const DATA_TYPES = {
  C: '字符型', N: '数值型', Y: '货币型', D: '日期型', T: '日期时间型', L: '逻辑型',
  M: '备注型', G: '通用型', B: '双精度型', I: '整型', F: '浮点型',
};

/** To-do kinds of GET /api/v1/todo. */
export const TODO_KINDS = {
  'catalog.draft': '目录草稿待完善',
  'catalog.approve': '目录待负责人审批',
  'catalog.returned': '目录被退回待修改',
  'catalog.review': '目录待审核',
  'catalog.update': '目录待更新',
  'catalog.extension': '目录更新延期待审批',
  'application.draft': '共享申请草稿',
  'application.approve': '共享申请待负责人审批',
  'application.reply': '共享申请待答复',
  'application.reply_resubmitted': '补充材料后待答复',
  'application.supplement': '待补充材料',
  'application.extension': '延长答复期限待审批',
  'application.delivery': '待共享数据',
  'usage_record.missing': '待填写数据使用记录',
};

/** label(TABLE, code) → the Chinese name, or the code itself. */
export function label(table, code) {
  return table[code] || code || '';
}
