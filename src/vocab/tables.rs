//! The vocabulary as data: every label, word and mark the forms use, and
//! the role each one plays. Only tables here; the lookups are in `vocab`.

use super::{Field, GoalPart, Match, Nature, Section, TaskField};
use crate::record::FormKind;
use crate::value::{ColumnKey, Op};

/// Money unit suffixes found in headers such as 预算金额（万元）.
pub const UNIT_SUFFIXES: &[&str] = &["万元", "元", "亿元", "千元", "单位：万元", "单位:万元", "单位：元"];

/// A title line: folded text containing one of these, no longer than 80 chars.
pub(super) const TITLE_MARKS: &[&str] = &[
    "绩效目标申报表",
    "绩效目标表",
    "绩效自评表",
    "执行监控表",
    "监控表",
    "绩效目标执行情况表",
    "支出绩效目标",
    "绩效目标申报",
];

/// Title keywords deciding the form kind, most specific first.
pub(super) const KIND_BY_TITLE: &[(&str, FormKind)] = &[
    ("监控", FormKind::Monitoring),
    ("自评", FormKind::SelfEvaluation),
    ("部门整体", FormKind::Department),
    ("整体支出", FormKind::Department),
    ("整体预算", FormKind::Department),
    ("整体绩效", FormKind::Department),
    ("项目", FormKind::Project),
    ("部门", FormKind::Department),
];

pub(super) const SECTIONS: &[(&str, Section)] = &[
    ("预算整体情况", Section::Budget),
    ("整体预算情况", Section::Budget),
    ("部门预算情况", Section::Budget),
    ("预算情况", Section::Budget),
    ("项目资金", Section::Budget),
    ("年度资金", Section::Budget),
    ("项目资金情况", Section::Budget),
    ("资金情况", Section::Budget),
    ("资金投入情况", Section::Budget),
    ("预算执行情况", Section::Budget),
    ("年度预算", Section::Budget),
    ("年度预算情况", Section::Budget),
    ("部门预算", Section::Budget),
    ("金额合计", Section::Budget),
    ("年度资金情况", Section::Budget),
    ("年度预算执行情况", Section::Budget),
    ("项目资金执行情况", Section::Budget),
    ("总体绩效目标", Section::Goal),
    ("总体目标", Section::Goal),
    ("年度总体目标", Section::Goal),
    ("整体绩效目标", Section::Goal),
    ("部门整体绩效目标", Section::Goal),
    ("年度绩效目标", Section::Goal),
    ("绩效目标", Section::Goal),
    ("年度目标", Section::Goal),
    ("总体目标完成情况", Section::Goal),
    ("年度总体目标完成情况", Section::Goal),
    ("年度重点工作任务", Section::KeyTasks),
    ("重点工作任务", Section::KeyTasks),
    ("年度主要任务", Section::KeyTasks),
    ("年度重点任务", Section::KeyTasks),
    ("部门年度重点工作任务", Section::KeyTasks),
    ("其他需完成的任务", Section::OtherTasks),
    ("其他任务", Section::OtherTasks),
    ("绩效指标", Section::Indicators),
    ("年度绩效指标", Section::Indicators),
    ("绩效指标及指标值", Section::Indicators),
    ("中长期绩效指标", Section::Indicators),
    ("绩效指标完成情况", Section::Indicators),
    ("年度绩效指标完成情况", Section::Indicators),
    ("基本信息", Section::BasicInfo),
    ("部门基本信息", Section::BasicInfo),
    ("单位基本信息", Section::BasicInfo),
];

pub(super) const FIELDS: &[(&str, Field)] = &[
    ("部门名称", Field::Department),
    ("部门(单位)名称", Field::Department),
    ("单位名称", Field::Department),
    ("部门单位名称", Field::Department),
    ("主管部门", Field::ParentDepartment),
    ("主管部门及代码", Field::ParentDepartment),
    ("预算部门", Field::ParentDepartment),
    ("预算单位", Field::ParentDepartment),
    ("主管单位", Field::ParentDepartment),
    ("实施单位", Field::Unit),
    ("项目实施单位", Field::Unit),
    ("项目名称", Field::ProjectName),
    ("项目属性", Field::Project),
    ("项目期限", Field::Project),
    ("项目类型", Field::Project),
    ("项目类别", Field::Project),
    ("项目负责人", Field::Project),
    ("项目编码", Field::Project),
    ("项目代码", Field::Project),
    ("项目编号", Field::Project),
    ("计划开始日期", Field::Project),
    ("计划完成日期", Field::Project),
    ("项目起止时间", Field::Project),
    ("项目周期", Field::Project),
    ("实施期限", Field::Project),
    ("实施周期", Field::Project),
    ("项目开始时间", Field::Project),
    ("项目结束时间", Field::Project),
    ("财政供养人员数", Field::Info),
    ("下属二级单位数", Field::Info),
    ("联系人", Field::Info),
    ("联系电话", Field::Info),
    ("填报人", Field::Info),
    ("填报日期", Field::Info),
    ("填报单位", Field::Info),
    ("填表人", Field::Info),
    ("填表日期", Field::Info),
    ("单位负责人", Field::Info),
    ("部门负责人", Field::Info),
    ("财务负责人", Field::Info),
    ("审核人", Field::Info),
    ("编制人数", Field::Info),
    ("实有人数", Field::Info),
    ("自评等级", Field::Info),
    ("备注", Field::Info),
    ("单位", Field::Info),
    ("金额单位", Field::Info),
    ("年度", Field::Info),
    ("预算年度", Field::Info),
];

/// Total rows under a self-evaluation indicator table: their values go to `info`.
pub(super) const TOTAL_LABELS: &[&str] = &["总分", "自评得分", "自评总分", "总得分", "合计", "总计"];

/// Column headers of the indicator table that name the three levels.
pub(super) const LEVEL_HEADERS: &[(&str, usize)] = &[
    ("一级指标", 0),
    ("一级指标名称", 0),
    ("二级指标", 1),
    ("二级指标名称", 1),
    ("三级指标", 2),
    ("三级指标名称", 2),
    ("指标名称", 2),
    ("指标内容", 2),
    ("指标类型", 0),
    ("指标类别", 0),
    ("指标分类", 0),
    ("具体指标", 2),
];

/// 一级指标 categories (SPEC; plus variants seen in other provinces).
pub(super) const LEVEL1: &[&str] = &[
    "产出指标",
    "成本指标",
    "效益指标",
    "满意度指标",
    "预算执行情况",
    "预算执行率",
    "社会公众或服务对象满意度指标",
    // Written without 指标, or as 类指标 (产出类指标).
    "产出",
    "成本",
    "效益",
    "满意度",
    "产出类指标",
    "成本类指标",
    "效益类指标",
    "满意度类指标",
    "管理类指标",
];

/// 二级指标 categories.
pub(super) const LEVEL2: &[&str] = &[
    "数量指标",
    "质量指标",
    "时效指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "社会公众或服务对象满意度指标",
    "满意度指标",
    // Written without 指标 (产出数量, 服务对象满意度).
    "数量",
    "质量",
    "时效",
    "产出数量",
    "产出质量",
    "产出时效",
    "产出成本",
    "经济成本",
    "社会成本",
    "生态环境成本",
    "经济效益",
    "社会效益",
    "生态效益",
    "可持续影响",
    "服务对象满意度",
    "社会公众满意度",
    "社会公众或服务对象满意度",
];

/// Stable keys for indicator value columns (SPEC §3.1), matched on folded headers.
pub(super) const COLUMN_KEYS: &[(&str, ColumnKey)] = &[
    ("实施周期指标值", ColumnKey::Period),
    ("实施周期目标值", ColumnKey::Period),
    ("实施期指标值", ColumnKey::Period),
    ("实施期目标值", ColumnKey::Period),
    ("中长期指标值", ColumnKey::Period),
    ("中长期目标", ColumnKey::Period),
    ("中期指标值", ColumnKey::Period),
    ("长期指标值", ColumnKey::Period),
    ("年度指标值", ColumnKey::Annual),
    ("年度目标值", ColumnKey::Annual),
    ("本年度指标值", ColumnKey::Annual),
    ("绩效目标值", ColumnKey::Annual),
    ("当年预期实现值", ColumnKey::Annual),
    ("指标值及单位", ColumnKey::Annual),
    ("目标值", ColumnKey::Annual),
    ("实际完成值", ColumnKey::Actual),
    ("完成值", ColumnKey::Actual),
    ("全年实际值", ColumnKey::Actual),
    ("实际完成情况", ColumnKey::Actual),
    ("分值", ColumnKey::Weight),
    ("指标分值", ColumnKey::Weight),
    ("权重", ColumnKey::Weight),
    ("权重(%)", ColumnKey::Weight),
    ("指标权重", ColumnKey::Weight),
    ("得分", ColumnKey::Score),
    ("偏差原因分析及改进措施", ColumnKey::DeviationNote),
    ("未完成原因分析", ColumnKey::DeviationNote),
    ("未完成原因和改进措施", ColumnKey::DeviationNote),
    ("指标性质", ColumnKey::Nature),
    ("指标方向", ColumnKey::Nature),
    ("指标方向性", ColumnKey::Nature),
    ("指标值类型", ColumnKey::ValueType),
    ("指标值类型(定量/定性)", ColumnKey::ValueType),
    ("计量单位", ColumnKey::MeasureUnit),
    ("度量单位", ColumnKey::MeasureUnit),
    ("绩效标准", ColumnKey::Standard),
    ("评分标准", ColumnKey::Standard),
    ("评(扣)分标准", ColumnKey::Standard),
    ("评价标准", ColumnKey::Standard),
    ("指标解释", ColumnKey::Explanation),
    ("1-7月执行数", ColumnKey::ExecutedToDate),
    ("1-6月执行数", ColumnKey::ExecutedToDate),
    ("1-7月执行情况", ColumnKey::ExecutedToDate),
    ("全年预计执行数", ColumnKey::ExpectedFullYear),
    ("全年预计完成情况", ColumnKey::ExpectedFullYear),
];

/// Key task table headers → key task field.
pub const TASK_COLUMNS: &[(&str, TaskField)] = &[
    ("名称", TaskField::Name),
    ("任务名称", TaskField::Name),
    ("重点工作任务", TaskField::Name),
    ("工作任务", TaskField::Name),
    ("任务", TaskField::Name),
    ("主要实施内容", TaskField::Content),
    ("实施内容", TaskField::Content),
    ("主要内容", TaskField::Content),
    ("工作内容", TaskField::Content),
    ("任务内容", TaskField::Content),
    ("拟投入的资金", TaskField::Funds),
    ("拟投入资金", TaskField::Funds),
    ("投入资金", TaskField::Funds),
    ("资金", TaskField::Funds),
    ("预算金额", TaskField::Funds),
    ("金额", TaskField::Funds),
    ("期望达到的目标", TaskField::Goal),
    ("期望达到的目标(概述)", TaskField::Goal),
    ("预期目标", TaskField::Goal),
    ("预期达到的目标", TaskField::Goal),
    ("目标", TaskField::Goal),
];

/// Column headers of budget tables with several amount columns.
pub(super) const BUDGET_COLUMNS: &[&str] = &[
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "预算数",
    "执行数",
    "分值",
    "执行率",
    "得分",
    "1-7月执行数",
    "1-7月执行率",
    "1-6月执行数",
    "全年预计执行数",
    "实施期",
    "年度",
    "实施期资金总额",
    "中期资金总额",
    "年度资金总额",
    "实施期金额",
    "年度金额",
    "金额",
    "预算金额",
];

/// Group headers whose sub-columns are options ticked with ✔.
pub(super) const TICK_GROUPS: &[&str] = &["完成目标可能性", "完成可能性", "目标完成可能性"];

/// Placeholders meaning "no target".
pub const PLACEHOLDERS: &[&str] = &[
    "—", "-", "/", "*", "——", "--", "---", "－", "／", "＊", "–", "无", "\\", "……", "…",
];

/// Comparators, longest first so 大于等于 wins over 大于.
pub const COMPARATORS: &[(&str, Op)] = &[
    ("大于等于", Op::Ge),
    ("小于等于", Op::Le),
    ("不低于", Op::Ge),
    ("不少于", Op::Ge),
    ("不小于", Op::Ge),
    ("不高于", Op::Le),
    ("不超过", Op::Le),
    ("不多于", Op::Le),
    ("不大于", Op::Le),
    ("至少", Op::Ge),
    ("≥", Op::Ge),
    ("≧", Op::Ge),
    (">=", Op::Ge),
    ("≤", Op::Le),
    ("≦", Op::Le),
    ("<=", Op::Le),
    ("大于", Op::Gt),
    ("超过", Op::Gt),
    ("高于", Op::Gt),
    ("小于", Op::Lt),
    ("低于", Op::Lt),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("=", Op::Eq),
    // A full-width 》 typed for ≥, and 约 (about): the number is the target.
    ("》=", Op::Ge),
    ("》", Op::Ge),
    ("约", Op::Eq),
];

/// Trailing words after a number that set the comparator.
pub const TRAILING_COMPARATORS: &[(&str, Op)] = &[
    ("及以上", Op::Ge),
    ("以上", Op::Ge),
    ("及以下", Op::Le),
    ("以下", Op::Le),
    ("以内", Op::Le),
];

/// Grades a qualitative target may name.
pub const GRADES: &[&str] = &["优秀", "良好", "合格", "达标", "及格"];

/// Money units, longest first where one contains another.
pub const MONEY_UNITS: &[&str] = &["亿元", "万元", "千元", "元"];

/// Units an amount cell may carry after its number (`250万`, `95.2%`), and
/// the unit each stands for.
pub const AMOUNT_UNITS: &[(&str, &str)] = &[
    ("万元", "万元"),
    ("亿元", "亿元"),
    ("元", "元"),
    ("万", "万元"),
    ("%", "%"),
];

/// Headers that only announce "amounts go here" in a budget table.
pub(super) const AMOUNT_HEADERS: &[&str] = &["预算金额", "金额", "预算数", "资金", "金额(万元)", "预算金额(万元)"];

/// The word a money header ends with when it carries a unit: 金额（万元）.
pub(super) const AMOUNT_WORD: &str = "金额";

/// Headers that are the plain 指标值 (the only target column in some templates).
pub(super) const PLAIN_VALUE_HEADERS: &[&str] = &["指标值", "*指标值", "指标值(包含数字及文字描述)"];

/// The header assumed for a table's only value column when it has none.
pub const PLAIN_VALUE_HEADER: &str = "指标值";

/// Words of target headers not in `COLUMN_KEYS`: 预期年度目标值 → annual,
/// 实施期预期指标值 → period, 全年实际完成值 → actual.
pub(super) const ACTUAL_WORDS: &[&str] = &["完成值", "实际值", "实际完成"];
pub(super) const TARGET_WORDS: &[&str] = &["指标值", "目标值"];
pub(super) const PERIOD_WORDS: &[&str] = &["实施期", "实施周期", "中长期", "中期", "长期", "周期"];
pub(super) const ANNUAL_WORDS: &[&str] = &["年度", "本年", "当年", "全年"];

/// A block label's hint for a plain 指标值 column: 中长期绩效指标 → period.
pub(super) const BLOCK_PERIOD_WORDS: &[&str] = &["中长期", "中期", "长期", "实施期", "实施周期"];
pub(super) const BLOCK_ANNUAL_WORD: &str = "年度";

/// Parts of a goal section, by their sub-label.
pub(super) const GOAL_PARTS: &[(&str, GoalPart)] = &[
    ("实施期目标", GoalPart::Period),
    ("中期目标", GoalPart::Period),
    ("长期目标", GoalPart::Period),
    ("中长期目标", GoalPart::Period),
    ("实施期绩效目标", GoalPart::Period),
    ("实施周期目标", GoalPart::Period),
    ("年度目标", GoalPart::Annual),
    ("年度绩效目标", GoalPart::Annual),
    ("本年度目标", GoalPart::Annual),
    ("预期目标", GoalPart::Expected),
    ("年初设定目标", GoalPart::Expected),
    ("目标", GoalPart::Expected),
    ("实际完成情况", GoalPart::Actual),
    ("全年实际完成情况", GoalPart::Actual),
    ("实际完成值", GoalPart::Actual),
    ("年度目标实际完成情况", GoalPart::Actual),
];

/// Marks that tick an option.
pub(super) const TICK_MARKS: &[&str] = &["✔", "✓", "√", "☑", "✅", "●", "■", "是"];

/// 指标性质 cells: the comparator they give the row's targets.
pub(super) const NATURES: &[(&str, Nature)] = &[
    ("≥", Nature::Op(Op::Ge)),
    (">=", Nature::Op(Op::Ge)),
    ("≧", Nature::Op(Op::Ge)),
    ("正向", Nature::Op(Op::Ge)),
    ("正向指标", Nature::Op(Op::Ge)),
    ("大于等于", Nature::Op(Op::Ge)),
    ("≤", Nature::Op(Op::Le)),
    ("<=", Nature::Op(Op::Le)),
    ("≦", Nature::Op(Op::Le)),
    ("反向", Nature::Op(Op::Le)),
    ("反向指标", Nature::Op(Op::Le)),
    ("小于等于", Nature::Op(Op::Le)),
    ("=", Nature::Op(Op::Eq)),
    ("等于", Nature::Op(Op::Eq)),
    (">", Nature::Op(Op::Gt)),
    ("大于", Nature::Op(Op::Gt)),
    ("<", Nature::Op(Op::Lt)),
    ("小于", Nature::Op(Op::Lt)),
    ("定性", Nature::Qualitative),
];

/// Rules decide roles only for labels this short (in characters).
pub(super) const RULE_LABEL_CHARS: usize = 14;

/// A title is also a short line ending in one of these (2020年项目申报表).
pub(super) const FORM_WORDS: &[&str] = &["申报表", "目标表", "自评表", "监控表", "评价表", "绩效表"];
pub(super) const SHORT_TITLE_CHARS: usize = 40;
/// Marks of a citation: a paragraph quoting a form's name is no title.
pub(super) const CITATION_MARKS: &[&str] = &["《", "》", "<<"];

/// Words before a header label that do not change its role: 项目主管部门 is
/// 主管部门, 资金名称 is 名称 of the project.
pub(super) const FIELD_PREFIXES: &[&str] = &["项目", "资金", "专项资金", "专项"];

/// Header-field roles by the label's words.
pub(super) const FIELD_RULES: &[(Match, &str, Field)] = &[
    (Match::Suffix, "主管部门", Field::ParentDepartment),
    (Match::Suffix, "主管单位", Field::ParentDepartment),
    (Match::Suffix, "实施单位", Field::Unit),
    (Match::Suffix, "执行单位", Field::Unit),
    (Match::Suffix, "承担单位", Field::Unit),
    (Match::Suffix, "项目名称", Field::ProjectName),
    (Match::Suffix, "资金名称", Field::ProjectName),
    (Match::Suffix, "支出名称", Field::ProjectName),
    (Match::Suffix, "部门名称", Field::Department),
    (Match::Suffix, "单位名称", Field::Department),
    (Match::Suffix, "联系人", Field::Info),
    (Match::Suffix, "联系电话", Field::Info),
    (Match::Suffix, "负责人", Field::Info),
];

/// Section roles by the label's words.
pub(super) const SECTION_RULES: &[(Match, &str, Section)] = &[
    (Match::Suffix, "绩效指标", Section::Indicators),
    (Match::Suffix, "总目标", Section::Goal),
    (Match::Suffix, "绩效目标", Section::Goal),
    (Match::Suffix, "总体目标", Section::Goal),
    (Match::Suffix, "预算执行情况", Section::Budget),
    (Match::Suffix, "资金来源", Section::Budget),
    (Match::Suffix, "测算依据", Section::Budget),
    (Match::Suffix, "资金情况", Section::Budget),
    (Match::Suffix, "重点工作任务", Section::KeyTasks),
    (Match::Suffix, "重点任务", Section::KeyTasks),
];

/// Parts of a goal section by their words: 全年目标实际完成情况 is what was
/// achieved, 全年绩效目标 the goal itself.
pub(super) const GOAL_PART_RULES: &[(Match, &str, GoalPart)] = &[
    (Match::Contains, "实际完成", GoalPart::Actual),
    (Match::Contains, "完成情况", GoalPart::Actual),
    (Match::Prefix, "预期", GoalPart::Expected),
    (Match::Prefix, "全年", GoalPart::Expected),
    (Match::Prefix, "实施期", GoalPart::Period),
    (Match::Prefix, "中长期", GoalPart::Period),
];

/// How a category column's header starts (指标类型, 指标类别): a header row
/// holding one is looked at even without 级.
pub const CATEGORY_HEADER_HINTS: &[&str] = &["指标类"];

/// Rows under a table that start so are footers, never nodes or items.
pub(super) const FOOTER_PREFIXES: &[&str] = &[
    "说明",
    "备注",
    "注:",
    "注：",
    "审核意见",
    "审核情况",
    "评价结论",
    "存在问题",
    "改进措施",
    "主要问题",
    "整改措施",
];

/// Units: a multiplier before a known unit (万张), and the marks of a rate
/// (户/人.月, 元每人每月) after which the unit goes on.
pub const UNIT_MULTIPLIERS: &[char] = &['万', '千', '亿', '百'];
pub const PER_MARKS: &[char] = &['/', '每'];
pub const MAX_PER_UNIT_CHARS: usize = 4;

/// Words of a template's prompt left in a cell: "对照年度目标，说明…(100字以内)".
pub(super) const PROMPT_MARKS: &[&str] = &["字以内", "请在此处", "请填写", "请简要", "请根据", "请对照", "此处填写"];

/// Budget column headers holding shares of the total, not amounts.
pub(super) const SHARE_WORDS: &[&str] = &["占比", "比重", "所占比例"];

/// Budget headers ending so name the column of item labels.
pub(super) const LABEL_COLUMN_WORDS: &[&str] = &["来源项目", "明细", "名称", "内容", "科目", "项目名称", "支出项目"];

/// Stamp and signature placeholders in a field's value: (盖章), 签字.
pub(super) const STAMP_WORDS: &[&str] = &["盖章", "签章", "签字", "公章", "签名", "盖章处"];
/// Boxes of an option row: empty ones, and the marks that tick one.
pub(super) const EMPTY_BOXES: &[char] = &['□', '☐'];
pub(super) const TICKED_MARKS: &[char] = &['√', '✓', '✔', '☑', '■', '▣', '☒'];
/// Numbering before an option: 1. 2、 (3).
pub(super) const OPTION_NUMBERING: &[char] = &['.', '、', '．', '(', ')', '（', '）'];

/// The `info` key suffix under which a row of ticked options is kept as written.
pub const OPTIONS_SUFFIX: &str = "（选项）";
