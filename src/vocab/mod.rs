//! The vocabulary: lookups from folded label text to the role it plays
//! (title, section, field, column key, category …). The words themselves are
//! in `tables`; no other module holds form vocabulary.

mod fold;
mod tables;
mod units;
mod words;

pub use fold::{clean_label, fold, half_width, label, split_paren};
pub use tables::{
    AMOUNT_UNITS, CATEGORY_HEADER_HINTS, COMPARATORS, GRADES, MAX_PER_UNIT_CHARS, MONEY_UNITS, OPTIONS_SUFFIX,
    PER_MARKS, PLACEHOLDERS, PLAIN_VALUE_HEADER, TRAILING_COMPARATORS, UNIT_MULTIPLIERS,
};

pub use crate::record::FormKind;
use crate::value::{ColumnKey, Op};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::LazyLock;
use tables::*;
pub use units::UNITS;
pub use words::*;

/// A label table indexed for exact lookups, which run for every cell. A
/// label listed twice keeps its first entry, as a scan of the table would.
struct Lookup<V: 'static>(FxHashMap<&'static str, (usize, V)>);

impl<V: Clone> Lookup<V> {
    fn of(table: &'static [(&'static str, V)]) -> Self {
        let mut map = FxHashMap::default();
        for (i, (label, v)) in table.iter().enumerate() {
            map.entry(*label).or_insert((i, v.clone()));
        }
        Lookup(map)
    }

    fn get(&self, label: &str) -> Option<V> {
        self.0.get(label).map(|(_, v)| v.clone())
    }

    /// The entry, earliest in the table, that names any of `labels`.
    fn first_of(&self, labels: [&str; 2]) -> Option<V> {
        labels
            .iter()
            .filter_map(|l| self.0.get(l))
            .min_by_key(|(i, _)| *i)
            .map(|(_, v)| v.clone())
    }
}

fn label_set(table: &'static [&'static str]) -> FxHashSet<&'static str> {
    table.iter().copied().collect()
}

/// The money unit a folded header carries, if any: `预算金额(万元)` → 万元.
pub fn money_unit(folded: &str) -> Option<&'static str> {
    let (_, paren) = split_paren(folded);
    let hay = paren.unwrap_or(folded);
    MONEY_UNITS.iter().copied().find(|u| hay.contains(u))
}

/// Whether folded text reads as a form title (any template year).
pub fn is_title(folded: &str) -> bool {
    if NOTE_PREFIXES.iter().any(|p| folded.starts_with(p)) || CITATION_MARKS.iter().any(|c| folded.contains(c)) {
        // A note or a paragraph citing a form by name starts nothing.
        return false;
    }
    let n = folded.chars().count();
    (n <= 80 && TITLE_MARKS.iter().any(|m| folded.contains(m)))
        || (n <= SHORT_TITLE_CHARS && FORM_WORDS.iter().any(|w| split_paren(folded).0.ends_with(w)))
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

/// The section a label cell opens. Tolerates notes in brackets
/// (其他需完成的任务（可选填）, 项目资金（万元）) and weights (绩效指标（90分）).
pub fn section(folded: &str) -> Option<Section> {
    let (base, _) = split_paren(folded);
    let base = base.trim_end_matches(':');
    static BY_LABEL: LazyLock<Lookup<Section>> = LazyLock::new(|| Lookup::of(SECTIONS));
    BY_LABEL.get(base).or_else(|| by_rule(base, SECTION_RULES))
}

/// A role decided by the label's words when no table names it: the label
/// is short, and a rule's prefix, suffix or contained word matches it. The
/// first matching rule wins (the tables order them most specific first).
fn by_rule<V: Copy>(label: &str, rules: &[(Match, &str, V)]) -> Option<V> {
    if label.is_empty() || label.chars().count() > RULE_LABEL_CHARS {
        return None;
    }
    rules
        .iter()
        .find(|(how, word, _)| match how {
            Match::Prefix => label.starts_with(word),
            Match::Suffix => label.ends_with(word),
            Match::Contains => label.contains(word),
        })
        .map(|&(_, _, v)| v)
}

/// How a rule's word must sit in a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Prefix,
    Suffix,
    Contains,
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

/// The field a folded label cell names, if it is a known header label.
pub fn field(folded: &str) -> Option<Field> {
    let (base, _) = split_paren(folded);
    static BY_LABEL: LazyLock<Lookup<Field>> = LazyLock::new(|| Lookup::of(FIELDS));
    BY_LABEL.first_of([folded, base]).or_else(|| {
        // 项目主管部门, 资金名称 …: a known label behind a prefix, or a rule.
        let stripped = FIELD_PREFIXES
            .iter()
            .find_map(|p| base.strip_prefix(p))
            .filter(|s| !s.is_empty());
        stripped
            .and_then(|s| BY_LABEL.get(s))
            .or_else(|| by_rule(base, FIELD_RULES))
    })
}

pub fn is_total_label(folded: &str) -> bool {
    static SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| label_set(TOTAL_LABELS));
    SET.contains(folded)
}

/// Which level (0, 1, 2 for 一级, 二级, 三级) a folded header names.
pub fn level_header(folded: &str) -> Option<usize> {
    let base = split_paren(folded).0;
    static BY_LABEL: LazyLock<Lookup<usize>> = LazyLock::new(|| Lookup::of(LEVEL_HEADERS));
    BY_LABEL.get(base)
}

/// Folded category label without its weight: `产出指标(50分)` → `产出指标`.
pub fn category_base(folded: &str) -> &str {
    let (base, paren) = split_paren(folded);
    match paren {
        Some(p) if p.ends_with(POINTS_CHAR) || p.ends_with('%') => base,
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

/// The stable key of an indicator column header; `指标值` alone is `annual`
/// when no other header claims `annual`, decided by the caller.
pub fn column_key(folded: &str) -> Option<ColumnKey> {
    static BY_LABEL: LazyLock<Lookup<ColumnKey>> = LazyLock::new(|| Lookup::of(COLUMN_KEYS));
    BY_LABEL
        .get(folded)
        .or_else(|| BY_LABEL.get(split_paren(folded).0))
        .or_else(|| target_key_by_words(split_paren(folded).0))
}

/// Target headers not in the table, by their words: 预期年度目标值 → annual,
/// 实施期预期指标值 → period, 全年实际完成值 → actual.
fn target_key_by_words(h: &str) -> Option<ColumnKey> {
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(ACTUAL_WORDS) {
        Some(ColumnKey::Actual)
    } else if has(TARGET_WORDS) {
        if has(PERIOD_WORDS) {
            Some(ColumnKey::Period)
        } else if has(ANNUAL_WORDS) {
            Some(ColumnKey::Annual)
        } else {
            None
        }
    } else {
        None
    }
}

/// A block label's hint for a plain 指标值 column: 中长期绩效指标 → period.
pub fn block_hint(folded: &str) -> Option<ColumnKey> {
    if BLOCK_PERIOD_WORDS.iter().any(|k| folded.contains(k)) {
        Some(ColumnKey::Period)
    } else if folded.contains(BLOCK_ANNUAL_WORD) {
        Some(ColumnKey::Annual)
    } else {
        None
    }
}

/// Headers that are the plain 指标值 (the only target column in some templates).
pub fn is_plain_value_header(folded: &str) -> bool {
    PLAIN_VALUE_HEADERS.contains(&folded)
}

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
    AMOUNT_HEADERS.contains(&base) || (money_unit(folded).is_some() && base.ends_with(AMOUNT_WORD))
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
    static BY_LABEL: LazyLock<Lookup<GoalPart>> = LazyLock::new(|| Lookup::of(GOAL_PARTS));
    let base = split_paren(folded).0;
    BY_LABEL.get(base).or_else(|| by_rule(base, GOAL_PART_RULES))
}

pub fn is_budget_column(folded: &str) -> bool {
    let base = split_paren(folded).0;
    static SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| label_set(BUDGET_COLUMNS));
    SET.contains(base) || is_amount_header(folded)
}

pub fn is_tick_group(folded: &str) -> bool {
    TICK_GROUPS.contains(&split_paren(folded).0)
}

/// Marks that tick an option.
pub fn is_tick(text: &str) -> bool {
    TICK_MARKS.contains(&text.trim())
}

/// What a 指标性质 cell says of the row's targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    Op(Op),
    /// 定性: the targets are qualitative.
    Qualitative,
}

/// The comparator (or 定性) a folded 指标性质 cell gives.
pub fn nature(folded: &str) -> Option<Nature> {
    static BY_LABEL: LazyLock<Lookup<Nature>> = LazyLock::new(|| Lookup::of(NATURES));
    BY_LABEL.get(folded)
}

/// Whether a value cell writes its own comparator (≥, 不低于, 以上 …).
pub fn writes_comparator(raw: &str) -> bool {
    raw.chars().any(|c| COMPARATOR_MARKS.contains(c))
        || COMPARATORS
            .iter()
            .any(|(w, _)| w.chars().count() > 1 && raw.contains(w))
        || TRAILING_COMPARATORS.iter().any(|(w, _)| raw.contains(w))
}

/// The comparator of the words after a grade (良好**以上**), if they give one.
pub fn grade_suffix(rest: &str) -> Option<Op> {
    GRADE_SUFFIXES.iter().find(|(w, _)| *w == rest).map(|&(_, op)| op)
}

/// Whether a folded label starts a footer row (说明, 备注, 审核意见 …).
pub fn is_footer(folded: &str) -> bool {
    FOOTER_PREFIXES.iter().any(|p| folded.starts_with(p))
}

/// Whether a cell holds a template's prompt rather than content.
pub fn is_prompt(text: &str) -> bool {
    PROMPT_MARKS.iter().any(|m| text.contains(m))
}

/// Whether a budget column holds shares of the total (占比), not amounts.
pub fn is_share_header(folded: &str) -> bool {
    SHARE_WORDS.iter().any(|w| folded.contains(w))
}

/// Whether a budget header names the column of item labels (资金来源项目,
/// 支出明细) rather than a block of its own.
pub fn is_label_column_header(folded: &str) -> bool {
    folded.chars().count() <= RULE_LABEL_CHARS && LABEL_COLUMN_WORDS.iter().any(|w| folded.ends_with(w))
}

/// Whether a field's value is only a stamp or signature placeholder.
pub fn is_stamp_placeholder(value: &str) -> bool {
    let f = fold(value);
    let f = f.trim_start_matches('(').trim_end_matches(')');
    STAMP_WORDS.contains(&f)
}

/// The ticked option of a row of options with boxes (`1.部门项目 □ 2.公共项目
/// □√`, `☑是 □否`), its numbering dropped; `None` when nothing is ticked or
/// the text has no boxes.
pub fn ticked_choice(value: &str) -> Option<String> {
    if !value.chars().any(|c| EMPTY_BOXES.contains(&c)) {
        return None;
    }
    // Runs of text and groups of marks (□√ is one group, ticked).
    let mut runs: Vec<(String, Option<bool>)> = Vec::new();
    for c in value.chars() {
        let mark = EMPTY_BOXES.contains(&c) || TICKED_MARKS.contains(&c);
        match (runs.last_mut(), mark) {
            (Some((_, Some(t))), true) => *t |= TICKED_MARKS.contains(&c),
            (_, true) => runs.push((String::new(), Some(TICKED_MARKS.contains(&c)))),
            (Some((s, None)), false) => s.push(c),
            (_, false) => runs.push((c.to_string(), None)),
        }
    }
    runs.retain(|(s, m)| m.is_some() || !s.trim().is_empty());
    // Marks after their options (选项 □) or before them (☑选项).
    let marks_after = matches!(runs.first(), Some((_, None)));
    let mut picked = Vec::new();
    for (i, (_, m)) in runs.iter().enumerate() {
        if *m != Some(true) {
            continue;
        }
        let option = if marks_after { i.checked_sub(1) } else { Some(i + 1) };
        if let Some((text, None)) = option.and_then(|j| runs.get(j)) {
            let name = text
                .trim()
                .trim_start_matches(|c: char| c.is_ascii_digit() || OPTION_NUMBERING.contains(&c))
                .trim();
            if !name.is_empty() {
                picked.push(name.to_string());
            }
        }
    }
    (!picked.is_empty()).then(|| picked.join(LIST_SEPARATOR))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_options_give_the_option_name() {
        assert_eq!(
            ticked_choice("1.部门项目 □          2.公共项目 □√").as_deref(),
            Some("公共项目")
        );
        assert_eq!(ticked_choice("☑是 □否").as_deref(), Some("是"));
        assert_eq!(ticked_choice("□新增项目 ■延续项目").as_deref(), Some("延续项目"));
        assert_eq!(ticked_choice("□是 □否"), None);
        assert_eq!(ticked_choice("经常性项目"), None);
    }

    #[test]
    fn short_labels_get_roles_by_their_words() {
        assert_eq!(field("项目主管部门"), Some(Field::ParentDepartment));
        assert_eq!(field("项目执行单位"), Some(Field::Unit));
        assert_eq!(field("项目支出名称"), Some(Field::ProjectName));
        assert_eq!(field("资金名称"), Some(Field::ProjectName));
        assert_eq!(section("项目绩效总目标"), Some(Section::Goal));
        assert_eq!(section("项目年度绩效指标"), Some(Section::Indicators));
        assert_eq!(goal_part("全年目标实际完成情况"), Some(GoalPart::Actual));
        // Long text is never a label, whatever its words.
        assert_eq!(field("本单位负责人对本表所填内容的真实性负责并承担责任"), None);
        assert!(is_title("2020年项目申报表"));
        assert!(!is_title("备注:1.表中标黑部分须与《项目支出绩效目标申报表》一致"));
    }
}
