// Chinese names of the codes the administration, calendar, account and
// subscription pages show (kept here, not in labels.js, so that these pages
// do not edit a file other helpers edit at the same time).

export const LEVELS = {
  national: '国家', provincial: '省级', municipal: '市级', county: '县级', township: '乡镇（街道）', village: '村（社区）',
};

/** The levels from the top down, as the API's org.Levels. */
export const LEVEL_ORDER = Object.keys(LEVELS);

export const DEPARTMENT_KINDS = {
  department: '政府部门', authority: '政务数据共享主管部门', other_state_organ: '其他国家机关',
};

export const DAY_KINDS = {
  workday: '工作日', weekend: '周末休息', holiday: '节假日休息', make_up_workday: '调休上班',
};

export const YEAR_SOURCES = { builtin: '内置', imported: '已导入' };

export const DELIVERY_OUTCOMES = {
  ok: '成功', 'exchange.push_rejected': '对方拒收', 'exchange.push_timeout': '对方超时未应答', 'exchange.push_unreachable': '无法连接对方接口',
};
export const DELIVERY_MODES = { pull: '拉取', push: '推送' };
export const DELIVERY_PHASES = { snapshot: '全量快照', changes: '增量变更' };
