//! Every label the forms use, as data. Extend a table here to teach declx a
//! new template variant; no other module holds form vocabulary.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::sync::LazyLock;

/// Label text folded for matching: no blanks or line breaks, full-width
/// ASCII made half-width, no leading `*`, no trailing colon. Text longer than
/// any label folds to "" (it matches nothing), and clean text is borrowed.
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.len() > MAX_LABEL_BYTES {
        return Cow::Borrowed("");
    }
    if s.bytes().all(plainly_kept) || s.chars().all(|c| !crate::grid::is_blank(c) && half_width(c) == c) {
        return Cow::Borrowed(s.trim_start_matches('*').trim_end_matches(':'));
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if crate::grid::is_blank(c) {
            continue;
        }
        out.push(half_width(c));
    }
    out.truncate(out.trim_end_matches(':').len());
    let stars = out.len() - out.trim_start_matches('*').len();
    out.drain(..stars);
    Cow::Owned(out)
}

/// A cell's text folded as a label, computed once per cell.
pub fn label(cell: &crate::grid::Cell) -> &str {
    let folded = cell.label.get_or_init(|| match fold(&cell.text) {
        // A borrowed fold is a sub-slice of the text: equal when as long.
        Cow::Borrowed(f) if f.len() == cell.text.len() => None,
        f => Some(f.into_owned().into_boxed_str()),
    });
    folded.as_deref().unwrap_or(&cell.text)
}

/// Whether a byte can start no blank and no full-width form: ASCII other than
/// whitespace, UTF-8 continuation bytes, and the lead bytes of most CJK.
/// Checked before decoding, since nearly every cell passes.
fn plainly_kept(b: u8) -> bool {
    !(b.is_ascii_whitespace() || b == 0x0B || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF))
}

/// A label table indexed for exact lookups, which run for every cell. A
/// label listed twice keeps its first entry, as a scan of the table would.
struct Lookup<V: 'static>(FxHashMap<&'static str, (usize, V)>);

impl<V: Copy> Lookup<V> {
    fn of(table: &'static [(&'static str, V)]) -> Self {
        let mut map = FxHashMap::default();
        for (i, &(label, v)) in table.iter().enumerate() {
            map.entry(label).or_insert((i, v));
        }
        Lookup(map)
    }

    fn get(&self, label: &str) -> Option<V> {
        self.0.get(label).map(|&(_, v)| v)
    }

    /// The entry, earliest in the table, that names any of `labels`.
    fn first_of(&self, labels: [&str; 2]) -> Option<V> {
        labels
            .iter()
            .filter_map(|l| self.0.get(l))
            .min_by_key(|(i, _)| *i)
            .map(|&(_, v)| v)
    }
}

fn label_set(table: &'static [&'static str]) -> FxHashSet<&'static str> {
    table.iter().copied().collect()
}

/// Longer cell text is never a label or a title.
const MAX_LABEL_BYTES: usize = 320;

/// Full-width ASCII forms (！ to ～, 、 excluded) to ASCII.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '【' => '[',
        '】' => ']',
        _ => c,
    }
}

/// Splits a trailing parenthesised note off a folded label:
/// `预算金额(万元)` → (`预算金额`, Some(`万元`)).
pub fn split_paren(folded: &str) -> (&str, Option<&str>) {
    if let Some(stripped) = folded.strip_suffix(')') {
        if let Some(open) = stripped.rfind('(') {
            return (&folded[..open], Some(&stripped[open + 1..]));
        }
    }
    (folded, None)
}

/// Label text with its unit suffix, leading 其中： and trailing colon removed,
/// otherwise as written (SPEC §3: labels are kept as written).
pub fn clean_label(text: &str) -> String {
    let mut t = text.trim();
    for p in ["其中：", "其中:", "其中"] {
        if let Some(rest) = t.strip_prefix(p) {
            if !rest.is_empty() {
                t = rest.trim_start();
                break;
            }
        }
    }
    let mut t = t.trim_end_matches([':', '：']).trim_end();
    // A bracketed money unit at the end: 预算金额（万元）.
    while let Some(inner) = t.strip_suffix('）').or_else(|| t.strip_suffix(')')) {
        let Some(open) = inner.rfind(['（', '(']) else { break };
        let note = &inner[open + inner[open..].chars().next().map_or(1, char::len_utf8)..];
        if !UNIT_SUFFIXES.contains(&note) {
            break;
        }
        t = inner[..open].trim_end();
    }
    t.trim_end_matches([':', '：']).trim_end().to_string()
}

/// Money unit suffixes found in headers such as 预算金额（万元）.
pub const UNIT_SUFFIXES: &[&str] = &["万元", "元", "亿元", "千元", "单位：万元", "单位:万元", "单位：元"];

/// The money unit a folded header carries, if any: `预算金额(万元)` → 万元.
pub fn money_unit(folded: &str) -> Option<&'static str> {
    let (_, paren) = split_paren(folded);
    let hay = paren.unwrap_or(folded);
    ["亿元", "万元", "千元", "元"].into_iter().find(|u| hay.contains(u))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    Department,
    Project,
    SelfEvaluation,
    Monitoring,
}

/// A title line: folded text containing one of these, no longer than 80 chars.
const TITLE_MARKS: &[&str] = &[
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
const KIND_BY_TITLE: &[(&str, FormKind)] = &[
    ("监控", FormKind::Monitoring),
    ("自评", FormKind::SelfEvaluation),
    ("部门整体", FormKind::Department),
    ("整体支出", FormKind::Department),
    ("整体预算", FormKind::Department),
    ("整体绩效", FormKind::Department),
    ("项目", FormKind::Project),
    ("部门", FormKind::Department),
];

/// Whether folded text reads as a form title (any template year).
pub fn is_title(folded: &str) -> bool {
    folded.chars().count() <= 80 && TITLE_MARKS.iter().any(|m| folded.contains(m))
}

/// The form kind a title names, if it names one.
pub fn kind_from_title(folded: &str) -> Option<FormKind> {
    KIND_BY_TITLE
        .iter()
        .find(|(k, _)| folded.contains(k))
        .map(|&(_, kind)| kind)
}

/// Labelled sections of a form: each owns the rows below its label until the
/// next section label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Budget,
    Goal,
    KeyTasks,
    OtherTasks,
    Indicators,
    BasicInfo,
}

impl Section {
    pub fn name(self) -> &'static str {
        match self {
            Section::Budget => "budget",
            Section::Goal => "overall_goal",
            Section::KeyTasks => "key_tasks",
            Section::OtherTasks => "other_tasks",
            Section::Indicators => "indicators",
            Section::BasicInfo => "info",
        }
    }
}

const SECTIONS: &[(&str, Section)] = &[
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

/// The section a label cell opens. Tolerates notes in brackets
/// (其他需完成的任务（可选填）, 项目资金（万元）) and weights (绩效指标（90分）).
pub fn section(folded: &str) -> Option<Section> {
    let (base, _) = split_paren(folded);
    let base = base.trim_end_matches(':');
    static BY_LABEL: LazyLock<Lookup<Section>> = LazyLock::new(|| Lookup::of(SECTIONS));
    BY_LABEL.get(base)
}

/// Where a labelled header field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// 部门名称 and its kin (department forms).
    Department,
    /// 主管部门 and its kin (project forms).
    ParentDepartment,
    /// 实施单位.
    Unit,
    /// 项目名称.
    ProjectName,
    /// Other project header fields, kept under `project`.
    Project,
    /// Known `info` fields.
    Info,
}

const FIELDS: &[(&str, Field)] = &[
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

/// The field a folded label cell names, if it is a known header label.
pub fn field(folded: &str) -> Option<Field> {
    let (base, _) = split_paren(folded);
    static BY_LABEL: LazyLock<Lookup<Field>> = LazyLock::new(|| Lookup::of(FIELDS));
    BY_LABEL.first_of([folded, base])
}

/// Total rows under a self-evaluation indicator table: their values go to `info`.
const TOTAL_LABELS: &[&str] = &["总分", "自评得分", "自评总分", "总得分", "合计", "总计"];

pub fn is_total_label(folded: &str) -> bool {
    static SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| label_set(TOTAL_LABELS));
    SET.contains(folded)
}

/// Column headers of the indicator table that name the three levels.
const LEVEL_HEADERS: &[(&str, usize)] = &[
    ("一级指标", 0),
    ("一级指标名称", 0),
    ("二级指标", 1),
    ("二级指标名称", 1),
    ("三级指标", 2),
    ("三级指标名称", 2),
    ("指标名称", 2),
    ("具体指标", 2),
];

/// Which level (0, 1, 2 for 一级, 二级, 三级) a folded header names.
pub fn level_header(folded: &str) -> Option<usize> {
    let base = split_paren(folded).0;
    static BY_LABEL: LazyLock<Lookup<usize>> = LazyLock::new(|| Lookup::of(LEVEL_HEADERS));
    BY_LABEL.get(base)
}

/// 一级指标 categories (SPEC; plus variants seen in other provinces).
const LEVEL1: &[&str] = &[
    "产出指标",
    "成本指标",
    "效益指标",
    "满意度指标",
    "预算执行情况",
    "预算执行率",
    "社会公众或服务对象满意度指标",
];

/// 二级指标 categories.
const LEVEL2: &[&str] = &[
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
];

/// Folded category label without its weight: `产出指标(50分)` → `产出指标`.
pub fn category_base(folded: &str) -> &str {
    let (base, paren) = split_paren(folded);
    match paren {
        Some(p) if p.ends_with('分') || p.ends_with('%') => base,
        _ => folded,
    }
}

pub fn is_level1(folded: &str) -> bool {
    static SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| label_set(LEVEL1));
    SET.contains(category_base(folded))
}

pub fn is_level2(folded: &str) -> bool {
    static SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| label_set(LEVEL2));
    SET.contains(category_base(folded))
}

/// Stable keys for indicator value columns (SPEC §3.1), matched on folded headers.
const COLUMN_KEYS: &[(&str, &str)] = &[
    ("实施周期指标值", "period"),
    ("实施周期目标值", "period"),
    ("实施期指标值", "period"),
    ("实施期目标值", "period"),
    ("中长期指标值", "period"),
    ("中长期目标", "period"),
    ("中期指标值", "period"),
    ("长期指标值", "period"),
    ("年度指标值", "annual"),
    ("年度目标值", "annual"),
    ("本年度指标值", "annual"),
    ("绩效目标值", "annual"),
    ("当年预期实现值", "annual"),
    ("指标值及单位", "annual"),
    ("目标值", "annual"),
    ("实际完成值", "actual"),
    ("完成值", "actual"),
    ("全年实际值", "actual"),
    ("实际完成情况", "actual"),
    ("分值", "weight"),
    ("指标分值", "weight"),
    ("权重", "weight"),
    ("权重(%)", "weight"),
    ("得分", "score"),
    ("偏差原因分析及改进措施", "deviation_note"),
    ("未完成原因分析", "deviation_note"),
    ("未完成原因和改进措施", "deviation_note"),
    ("指标性质", "nature"),
    ("指标方向", "nature"),
    ("指标方向性", "nature"),
    ("指标值类型", "value_type"),
    ("指标值类型(定量/定性)", "value_type"),
    ("计量单位", "measure_unit"),
    ("度量单位", "measure_unit"),
    ("绩效标准", "standard"),
    ("评分标准", "standard"),
    ("评(扣)分标准", "standard"),
    ("指标解释", "explanation"),
    ("1-7月执行数", "executed_to_date"),
    ("1-6月执行数", "executed_to_date"),
    ("1-7月执行情况", "executed_to_date"),
    ("全年预计执行数", "expected_full_year"),
    ("全年预计完成情况", "expected_full_year"),
];

/// The stable key of an indicator column header; `指标值` alone is `annual`
/// when no other header claims `annual`, decided by the caller.
pub fn column_key(folded: &str) -> Option<&'static str> {
    static BY_LABEL: LazyLock<Lookup<&str>> = LazyLock::new(|| Lookup::of(COLUMN_KEYS));
    BY_LABEL
        .get(folded)
        .or_else(|| BY_LABEL.get(split_paren(folded).0))
        .or_else(|| target_key_by_words(split_paren(folded).0))
}

/// Target headers not in the table, by their words: 预期年度目标值 → annual,
/// 实施期预期指标值 → period, 全年实际完成值 → actual.
fn target_key_by_words(h: &str) -> Option<&'static str> {
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["完成值", "实际值", "实际完成"]) {
        Some("actual")
    } else if has(&["指标值", "目标值"]) {
        if has(&["实施期", "实施周期", "中长期", "中期", "长期", "周期"]) {
            Some("period")
        } else if has(&["年度", "本年", "当年", "全年"]) {
            Some("annual")
        } else {
            None
        }
    } else {
        None
    }
}

/// Headers that are the plain 指标值 (the only target column in some templates).
pub fn is_plain_value_header(folded: &str) -> bool {
    matches!(folded, "指标值" | "*指标值" | "指标值(包含数字及文字描述)")
}

/// Columns whose cells are targets or numbers (parsed), not free text.
pub fn is_numeric_key(key: &str) -> bool {
    matches!(
        key,
        "period" | "annual" | "actual" | "weight" | "score" | "executed_to_date" | "expected_full_year"
    )
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskField {
    Name,
    Content,
    Funds,
    Goal,
}

pub fn task_field(folded: &str) -> Option<TaskField> {
    let base = split_paren(folded).0;
    static BY_LABEL: LazyLock<Lookup<TaskField>> = LazyLock::new(|| Lookup::of(TASK_COLUMNS));
    BY_LABEL.first_of([folded, base])
}

/// Column headers of a budget table that only announce "amounts go here".
pub fn is_amount_header(folded: &str) -> bool {
    let base = split_paren(folded).0;
    matches!(
        base,
        "预算金额" | "金额" | "预算数" | "资金" | "金额(万元)" | "预算金额(万元)"
    ) || (money_unit(folded).is_some() && base.ends_with("金额"))
}

/// Parts of a goal section: sub-labels of project and self-evaluation forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalPart {
    /// 实施期目标, 中期目标 …
    Period,
    /// 年度目标 …
    Annual,
    /// 预期目标: the goal itself, in self-evaluation forms.
    Expected,
    /// 实际完成情况: what was achieved, kept in `info`.
    Actual,
}

pub fn goal_part(folded: &str) -> Option<GoalPart> {
    match split_paren(folded).0 {
        "实施期目标" | "中期目标" | "长期目标" | "中长期目标" | "实施期绩效目标" | "实施周期目标" => {
            Some(GoalPart::Period)
        }
        "年度目标" | "年度绩效目标" | "本年度目标" => Some(GoalPart::Annual),
        "预期目标" | "年初设定目标" | "目标" => Some(GoalPart::Expected),
        "实际完成情况" | "全年实际完成情况" | "实际完成值" | "年度目标实际完成情况" => {
            Some(GoalPart::Actual)
        }
        _ => None,
    }
}

/// Column headers of budget tables with several amount columns.
const BUDGET_COLUMNS: &[&str] = &[
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

pub fn is_budget_column(folded: &str) -> bool {
    let base = split_paren(folded).0;
    static SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| label_set(BUDGET_COLUMNS));
    SET.contains(base) || is_amount_header(folded)
}

/// Group headers whose sub-columns are options ticked with ✔.
const TICK_GROUPS: &[&str] = &["完成目标可能性", "完成可能性", "目标完成可能性"];

pub fn is_tick_group(folded: &str) -> bool {
    TICK_GROUPS.contains(&split_paren(folded).0)
}

/// Marks that tick an option.
pub fn is_tick(text: &str) -> bool {
    matches!(text.trim(), "✔" | "✓" | "√" | "☑" | "✅" | "●" | "■" | "是")
}

/// Placeholders meaning "no target".
pub const PLACEHOLDERS: &[&str] = &[
    "—", "-", "/", "*", "——", "--", "---", "－", "／", "＊", "–", "无", "\\", "……", "…",
];

/// Comparators, longest first so 大于等于 wins over 大于.
pub const COMPARATORS: &[(&str, &str)] = &[
    ("大于等于", ">="),
    ("小于等于", "<="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不多于", "<="),
    ("不大于", "<="),
    ("至少", ">="),
    ("≥", ">="),
    ("≧", ">="),
    (">=", ">="),
    ("≤", "<="),
    ("≦", "<="),
    ("<=", "<="),
    ("大于", ">"),
    ("超过", ">"),
    ("高于", ">"),
    ("小于", "<"),
    ("低于", "<"),
    (">", ">"),
    ("<", "<"),
    ("=", "="),
];

/// Trailing words after a number that set the comparator.
pub const TRAILING_COMPARATORS: &[(&str, &str)] = &[
    ("及以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
];

/// Grades a qualitative target may name.
pub const GRADES: &[&str] = &["优秀", "良好", "合格", "达标", "及格"];

/// Units recognised right after a number, longest first.
pub const UNITS: &[&str] = &[
    "万人次",
    "平方公里",
    "平方米",
    "立方米",
    "个工作日",
    "工作日",
    "个百分点",
    "百分点",
    "人次",
    "场次",
    "户次",
    "件次",
    "万人",
    "万元",
    "亿元",
    "千元",
    "公里",
    "小时",
    "分钟",
    "个月",
    "课时",
    "学时",
    "批次",
    "架次",
    "车次",
    "元/人",
    "km",
    "m²",
    "㎡",
    "%",
    "‰",
    "个",
    "次",
    "人",
    "场",
    "元",
    "天",
    "日",
    "月",
    "年",
    "家",
    "件",
    "项",
    "份",
    "户",
    "名",
    "所",
    "套",
    "台",
    "册",
    "篇",
    "期",
    "批",
    "条",
    "米",
    "亩",
    "吨",
    "门",
    "本",
    "张",
    "辆",
    "座",
    "处",
    "间",
    "只",
    "株",
    "棵",
    "分",
    "周",
    "轮",
    "类",
    "种",
    "支",
    "队",
    "起",
    "宗",
    "部",
    "位",
    "班",
    "节",
    "例",
    "箱",
    "盒",
    "册",
    "台次",
    "校",
    "村",
    "片",
    "块",
    "段",
    "级",
    "星",
    "倍",
    "秒",
    "页",
    "字",
    "首",
    "集",
    "组",
    "床",
    "层",
    "栋",
    "幢",
    "头",
    "尾",
    "枚",
    "把",
    "辆次",
    "公顷",
    "万亩",
    "千米",
    "KM",
    "GB",
    "TB",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level shortcut in `fold` agrees with folding char by char,
    /// over every character in the planes the forms use.
    #[test]
    fn fold_shortcut_misses_no_blank_or_full_width_form() {
        let slow = |s: &str| -> String {
            let kept: String = s
                .chars()
                .filter(|c| !crate::grid::is_blank(*c))
                .map(half_width)
                .collect();
            kept.trim_start_matches('*').trim_end_matches(':').to_string()
        };
        for c in (0u32..0x3_0000).filter_map(char::from_u32) {
            let s = format!("*数{c}量:");
            assert_eq!(fold(&s), slow(&s), "U+{:04X}", c as u32);
        }
        assert_eq!(fold("　一 级\n指标："), "一级指标");
        assert_eq!(fold("【产出】"), "[产出]");
    }
}
