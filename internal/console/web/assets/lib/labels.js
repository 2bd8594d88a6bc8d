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
  'grant.rectify': '共享授权暂停，待限期整改',
  'grant.rectify_review': '暂停的共享授权待核查整改',
  'grant.disposal_due': '共享数据待妥善处置',
  'grant.disposal_watch': '需求部门尚未处置共享数据',
  'service_change.answer': '服务变更待答复协商',
  'service_change.file': '服务变更待报备案',
  'service_change.acknowledge': '服务变更待备案',
  'service_change.apply': '服务变更待实施',
  'service_change.not_covered': '服务变更未覆盖的授权',
  'correction.answer': '校核申请待核实反馈',
  'correction.overdue': '校核申请逾期未反馈',
  'dispute.negotiate': '共享争议待协商',
  'dispute.coordinate': '共享争议待协调处理',
  'dispute.decision': '共享争议待登记政府决定',
  'complaint.handle': '投诉举报待处理答复',
  'complaint.overdue': '投诉举报逾期未答复',
};

// A grant's life after delivery (Art. 27): why it is suspended, how its data
// is disposed of, and why an active grant's data is disposed of early.
export const SUSPEND_GROUNDS = {
  beyond_scope: '擅自超出使用范围使用', beyond_purpose: '擅自超出共享目的使用', third_party: '擅自提供给第三方', other: '其他',
};
export const DISPOSAL_METHODS = { delete: '删除销毁', return: '退回提供部门', archive: '封存归档' };
export const DISPOSAL_REASONS = {
  purpose_met: '共享目的已实现', purpose_impossible: '共享目的无法实现', purpose_unnecessary: '为实现共享目的不再必要',
};

// Catalog updates (Art. 17): what changed, and where a request for more time stands.
export const CHANGE_KINDS = { law: '法律调整', regulation: '行政法规调整', decision: '国务院决定调整', duty: '职责变化' };
export const EXTENSION_STATES = { requested: '待主管部门决定', granted: '已同意延长', refused: '未同意延长' };

// Ledger and records area: the acts of GET /api/v1/events as a person reads
// them in an object's trail, and the object types they concern.
export const EVENT_ACTIONS = {
  'division.create': '新建行政区划', 'department.create': '新建部门', 'department.office_update': '指定共享工作机构',
  'person.create': '开设账号', 'person.update': '修改账号', 'auth.sign_in': '登录', 'auth.sign_in_failed': '登录失败',
  'auth.sign_in_locked': '登录被锁定', 'auth.sign_out': '退出登录', 'auth.unlock': '解除锁定', 'auth.password_change': '修改密码',
  'auth.token_create': '创建接口令牌', 'auth.token_revoke': '吊销接口令牌', 'calendar.import': '导入工作日历',
  'catalog.create': '新建目录', 'catalog.update': '修改目录', 'catalog.assess': '登记安全评估', 'catalog.submit': '负责人审批并提交审核',
  'catalog.publish': '审核通过并发布', 'catalog.return': '退回目录', 'catalog.change_record': '登记目录变更',
  'catalog.change_fulfil': '完成目录更新', 'catalog.extension_request': '申请延期更新', 'catalog.extension_decide': '决定延期更新',
  'catalog.source_designate': '指定数据源部门',
  'application.create': '起草共享申请', 'application.edit': '修改共享申请', 'application.submit': '提交负责人审批',
  'application.send': '负责人同意并发送申请', 'application.supplement_request': '要求补充材料', 'application.resubmit': '补充材料后重新提交',
  'application.extension_request': '申请延长答复期限', 'application.extension_decide': '决定延长答复期限',
  'application.reply': '答复共享申请', 'application.withdraw': '撤回共享申请', 'application.deliver': '首次共享数据',
  'grant.create': '生成共享授权', 'grant.suspend': '暂停共享授权', 'grant.resume': '恢复共享授权', 'grant.terminate': '终止共享授权',
  'grant.consent': '同意向第三方提供', 'grant.events_read': '查阅操作与访问记录',
  'grant.rectification': '报告整改情况', 'grant.disposal_requirement': '提出处置要求', 'grant.dispose': '妥善处置共享数据',
  'gateway.query': '接口查询数据', 'gateway.verify': '接口核验数据', 'gateway.refuse': '拒绝接口请求',
  'gateway.file_list': '查看可下载文件', 'gateway.file_link': '获取下载链接', 'gateway.file_download': '下载文件',
  'gateway.file_download_start': '开始下载文件',
  'file.link': '人员获取下载链接', 'file.download_start': '人员开始下载文件', 'file.download': '人员下载文件',
  'exchange.pull': '批量拉取数据', 'exchange.push': '推送数据', 'exchange.subscribe': '订阅批量交换', 'exchange.cancel': '取消订阅',
  'exchange.end': '结束订阅', 'exchange.schedule': '安排推送',
  'file.upload': '上传文件', 'file.delete': '删除文件', 'dataset.load': '载入数据', 'dataset.delete': '删除数据',
  'system.register': '登记应用系统', 'system.credential_issue': '签发系统凭据', 'system.credential_rotate': '轮换系统凭据',
  'system.credential_revoke': '吊销系统凭据', 'system.disable': '停用应用系统', 'system.bind_grants': '绑定共享授权',
  'upstream.register': '登记上游服务', 'upstream.disable': '停用上游服务',
  'usage_record.create': '填写使用记录', 'usage_record.revise': '修订使用记录', 'usage_record.read': '查阅使用记录',
  'usage_record.purge': '清理到期使用记录', 'inspection.export': '监督检查导出', 'ledger.purge': '清理到期账本条目',
  'service_change.propose': '提出服务变更', 'service_change.answer': '答复服务变更协商', 'service_change.file': '服务变更报备案',
  'service_change.acknowledge': '服务变更予以备案', 'service_change.return': '退回服务变更备案', 'service_change.withdraw': '撤回服务变更',
  'service_change.effective': '服务变更生效', 'grant.service_change': '因服务变更调整共享授权',
  'correction.file': '提出校核申请', 'correction.answer': '反馈校核处理结果', 'correction.usage_status': '记录数据使用状态',
  'correction.rules': '公布校核纠错规则',
  'dispute.open': '发起共享争议', 'dispute.position': '陈述争议意见', 'dispute.propose_agreement': '提出争议协议', 'dispute.confirm_agreement': '确认争议协议', 'dispute.reject_agreement': '不同意争议协议',
  'dispute.request_coordination': '争议申请协调处理', 'dispute.coordinate': '协调处理争议', 'dispute.decide': '登记争议的政府决定',
  'complaint.file': '收到投诉举报', 'complaint.accept': '受理投诉举报', 'complaint.answer': '答复投诉举报', 'complaint.transfer': '转交投诉举报',
};

export const OBJECT_TYPES = {
  division: '行政区划', department: '部门', person: '人员', catalog_entry: '数据目录', source_designation: '数据源指定',
  application: '共享申请', grant: '共享授权', system: '应用系统', exchange_subscription: '批量交换订阅', file: '文件',
  dataset: '数据集', upstream: '上游服务', usage_record: '使用记录', calendar_year: '工作日历',
  service_change: '服务变更',
  correction: '校核申请', correction_rules: '校核纠错规则',
  dispute: '共享争议',
  complaint: '投诉举报',
};

/** label(TABLE, code) → the Chinese name, or the code itself. */
export function label(table, code) {
  return table[code] || code || '';
}
