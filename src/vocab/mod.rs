//! The vocabulary: lookups from folded label text to the role it plays
//! (title, section, field, column key, category …). The words themselves are
//! data, in `vocab/default.toml` and the user's `--vocab` files (read by
//! `load`, merged by `data`, chosen per thread by `active`); here is only
//! the code that asks them.

mod active;
mod data;
mod fold;
mod identity;
mod load;
mod role;
mod words;

pub use active::{read_sources, Vocabulary};
pub use fold::{clean_label, fold, half_width, label, split_paren};
pub use identity::{header_amount_label, is_organisation, is_organisation_label, organisation_in_title};
pub use load::{line_of, parse_toml, Match, VocabError};
pub use role::Table;
pub use words::*;

pub use crate::names::FormKind;
use crate::names::{ColumnKey, Op};
use active::tables as v;

/// The money unit a folded header carries, if any: `预算金额(万元)` → 万元.
pub fn money_unit(folded: &str) -> Option<&'static str> {
    let (_, paren) = split_paren(folded);
    let hay = paren.unwrap_or(folded);
    v().money_units.iter().copied().find(|u| hay.contains(u))
}

/// Whether a value is a money unit (万元, 元 …).
pub fn is_money_unit(text: &str) -> bool {
    v().money_units.contains(&text)
}

/// Whether folded text reads as a form title (any template year).
pub fn is_title(folded: &str) -> bool {
    let t = v();
    let n = folded.chars().count();
    let marked = (n <= TITLE_CHARS_MAX && t.title_marks.iter().any(|m| folded.contains(m)))
        || (n <= SHORT_TITLE_CHARS && t.form_words.iter().any(|w| split_paren(folded).0.ends_with(w)));
    // A note or a paragraph citing a form by name starts nothing; nor does a
    // numbered note or a sentence (1.本表为项目支出绩效目标申报表，…。) of a
    // 填报说明 page. Asked only of a line that names a form.
    marked
        && !NOTE_PREFIXES.iter().any(|p| folded.starts_with(p))
        && !t.citation_marks.iter().any(|c| folded.contains(c))
        && !is_sentence(folded)
}

/// Whether folded text reads as a sentence or a numbered note rather than a
/// heading: it ends in 。, holds a comma, or starts with 1. / 1、 / 一、 / (1).
fn is_sentence(folded: &str) -> bool {
    if folded.ends_with('。') || split_paren(folded).0.contains(',') {
        return true;
    }
    let rest = folded.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() < folded.len() {
        return rest.starts_with(['.', '、']);
    }
    let rest = folded.trim_start_matches(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']);
    if rest.len() < folded.len() && rest.starts_with('、') {
        return true;
    }
    folded.strip_prefix('(').is_some_and(|r| {
        r.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(')')
            && r.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The form kind a title names, if it names one.
pub fn kind_from_title(folded: &str) -> Option<FormKind> {
    v().titles
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
    let t = v();
    if t.sections.drops(base) {
        return None;
    }
    t.sections.get(base).or_else(|| by_rule(base, &t.section_rules))
}

/// A role decided by the label's words when no table names it: the label
/// is short, and a rule's prefix, suffix or contained word matches it. The
/// first matching rule wins (the tables order them most specific first).
fn by_rule<V: Copy>(label: &str, rules: &data::Rules<V>) -> Option<V> {
    if label.is_empty() || label.chars().count() > RULE_LABEL_CHARS {
        return None;
    }
    rules.find(label)
}

/// Where a labelled header field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// 部门名称 and its kin (department forms).
    Department,
    /// 主管部门 and its kin (project forms).
    ParentDepartment,
    /// 中央主管部门 of a transfer payment: kept in `info`; the department
    /// only when the form names no other.
    CentralDepartment,
    /// 实施单位.
    Unit,
    /// 年度, 预算年度: the year, when the title gives none.
    Year,
    /// 项目名称.
    ProjectName,
    /// Other project header fields, kept under `project` by their label.
    Project,
    /// A project header field kept under the key a vocabulary file gives.
    ProjectKey(&'static str),
    /// Known `info` fields.
    Info,
}

/// The field a folded label cell names, if it is a known header label.
pub fn field(folded: &str) -> Option<Field> {
    let (base, _) = split_paren(folded);
    let t = v();
    if t.fields.drops(folded) || t.fields.drops(base) {
        return None;
    }
    t.fields.first_of([folded, base]).or_else(|| {
        // 项目主管部门, 资金名称 …: a known label behind a prefix, or a rule.
        let stripped = t
            .field_prefixes
            .iter()
            .find_map(|p| base.strip_prefix(p))
            .filter(|s| !s.is_empty());
        stripped
            .and_then(|s| t.fields.get(s))
            .or_else(|| by_rule(base, &t.field_rules))
    })
}

pub fn is_total_label(folded: &str) -> bool {
    v().totals.contains(folded)
}

/// Which level (0, 1, 2 for 一级, 二级, 三级) a folded header names.
pub fn level_header(folded: &str) -> Option<usize> {
    v().levels.get(split_paren(folded).0)
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
    v().level1.contains(category_base(folded))
}

pub fn is_level2(folded: &str) -> bool {
    v().level2.contains(category_base(folded))
}

/// Whether a header row cell starts like a category column's header (指标类型, 指标类别).
pub fn is_category_header_hint(text: &str) -> bool {
    v().category_header_hints.iter().any(|h| text.starts_with(h))
}

/// The stable key of an indicator column header; `指标值` alone is `annual`
/// when no other header claims `annual`, decided by the caller.
pub fn column_key(folded: &str) -> Option<ColumnKey> {
    let t = v();
    if t.columns.drops(folded) || t.columns.drops(split_paren(folded).0) {
        return None;
    }
    t.columns
        .get(folded)
        .or_else(|| t.columns.get(split_paren(folded).0))
        .or_else(|| target_key_by_words(split_paren(folded).0))
}

/// Target headers not in the table, by their words: 预期年度目标值 → annual,
/// 实施期预期指标值 → period, 全年实际完成值 → actual.
fn target_key_by_words(h: &str) -> Option<ColumnKey> {
    let t = v();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&t.actual_words) {
        Some(ColumnKey::Actual)
    } else if has(&t.target_words) {
        if has(&t.period_words) {
            Some(ColumnKey::Period)
        } else if has(&t.annual_words) {
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
    let t = v();
    if t.block_period_words.iter().any(|k| folded.contains(k)) {
        Some(ColumnKey::Period)
    } else if t.block_annual_words.iter().any(|k| folded.contains(k)) {
        Some(ColumnKey::Annual)
    } else {
        None
    }
}

/// Headers that are the plain 指标值 (the only target column in some templates).
pub fn is_plain_value_header(folded: &str) -> bool {
    v().plain_value_headers.contains(folded)
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
    v().task_columns.first_of([folded, base])
}

/// Column headers of a budget table that only announce "amounts go here".
pub fn is_amount_header(folded: &str) -> bool {
    let base = split_paren(folded).0;
    let t = v();
    t.amount_headers.contains(base)
        || (money_unit(folded).is_some() && t.amount_words.iter().any(|w| base.ends_with(w)))
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
    let base = split_paren(folded).0;
    let t = v();
    if t.goal_parts.drops(base) {
        return None;
    }
    // 总体目标（跨年度） is the period's goal, 总体目标 no part.
    t.goal_parts
        .get(folded)
        .or_else(|| t.goal_parts.get(base))
        .or_else(|| by_rule(base, &t.goal_part_rules))
}

pub fn is_budget_column(folded: &str) -> bool {
    v().budget_columns.contains(split_paren(folded).0) || is_amount_header(folded)
}

pub fn is_tick_group(folded: &str) -> bool {
    v().tick_groups.contains(split_paren(folded).0)
}

/// Marks that tick an option.
pub fn is_tick(text: &str) -> bool {
    v().tick_marks.contains(text.trim())
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
    v().natures.get(folded)
}

/// Whether a value cell writes its own comparator (≥, 不低于, 以上 …).
pub fn writes_comparator(raw: &str) -> bool {
    let t = v();
    raw.chars().any(|c| COMPARATOR_MARKS.contains(c))
        || t.comparators
            .iter()
            .any(|(w, _)| w.chars().count() > 1 && raw.contains(w))
        || t.trailing_comparators.iter().any(|(w, _)| raw.contains(w))
}

/// The comparator of the words after a grade (良好**以上**), if they give one.
pub fn grade_suffix(rest: &str) -> Option<Op> {
    GRADE_SUFFIXES.iter().find(|(w, _)| *w == rest).map(|&(_, op)| op)
}

/// Whether a folded label starts a footer row (说明, 备注, 审核意见 …).
pub fn is_footer(folded: &str) -> bool {
    v().footers.iter().any(|p| folded.starts_with(p)) || is_footer_label(folded)
}

/// A short label ending as a footer does (主管部门审核意见): a footer even
/// inside a table's columns, where a word it merely starts with is not.
pub fn is_footer_label(folded: &str) -> bool {
    folded.chars().count() <= FOOTER_LABEL_CHARS && v().footer_ends.iter().any(|e| folded.ends_with(e))
}

/// A footer named by its ending (主管部门审核意见) is a short label.
const FOOTER_LABEL_CHARS: usize = 12;

/// Whether a cell holds a template's prompt rather than content.
pub fn is_prompt(text: &str) -> bool {
    v().prompts.iter().any(|m| text.contains(m))
}

/// Whether a budget column holds shares of the total (占比), not amounts.
pub fn is_share_header(folded: &str) -> bool {
    v().share_words.iter().any(|w| folded.contains(w))
}

/// Whether a budget header names the column of item labels (资金来源项目,
/// 支出明细) rather than a block of its own.
pub fn is_label_column_header(folded: &str) -> bool {
    folded.chars().count() <= RULE_LABEL_CHARS && v().label_column_words.iter().any(|w| folded.ends_with(w))
}

/// Whether a field's value is only a stamp or signature placeholder.
pub fn is_stamp_placeholder(value: &str) -> bool {
    let f = fold(value);
    let f = f.trim_start_matches('(').trim_end_matches(')');
    v().stamp_words.contains(f)
}

/// Whether a text asks for a stamp or a signature (单位公章, 负责人签字):
/// a sign-off row's, never an indicator's.
pub fn mentions_stamp(text: &str) -> bool {
    v().stamp_words.iter().any(|w| text.contains(w))
}

/// Whether a cell is blank or a placeholder such as — or /.
pub fn is_placeholder(raw: &str) -> bool {
    let t = raw.trim();
    t.is_empty() || v().placeholders.contains(t)
}

/// Grades a qualitative target may name, in table order.
pub fn grades() -> &'static [&'static str] {
    &v().grades
}

/// A comparator word as chars, and the comparator it writes.
pub type ComparatorChars = (Vec<char>, Op);

/// The comparator tables as chars: those before a number, those after it.
pub fn comparator_chars() -> (&'static [ComparatorChars], &'static [ComparatorChars]) {
    let t = v();
    (&t.comparator_chars, &t.trailing_comparator_chars)
}

/// Whether text ends with a comparator word (a range after it is no range).
pub fn ends_with_comparator(text: &str) -> bool {
    v().comparators.iter().any(|(w, _)| text.ends_with(w))
}

/// Known units starting with `first`, longest first.
pub fn units_starting(first: char) -> Option<&'static [&'static str]> {
    v().units_by_first.get(&first).map(Vec::as_slice)
}

/// The unit an amount cell's suffix stands for, and the text before it: `250万` → (250, 万元).
pub fn amount_unit(text: &str) -> Option<(&str, &'static str)> {
    v().amount_units
        .iter()
        .find_map(|&(written, meant)| text.strip_suffix(written).map(|rest| (rest, meant)))
}

/// Whether a bracketed note after a label is a money unit (预算金额（万元）).
pub fn is_unit_suffix(note: &str) -> bool {
    v().unit_suffixes.contains(note)
}

/// Every label of a role table with its role's name, highest rank first
/// (what `declx labels` compares an unknown label with). Tables of marks
/// and units give none.
pub fn labels_of(table: Table) -> Vec<(&'static str, String)> {
    let t = v();
    match table {
        Table::Fields => named(&t.fields, role::field_name),
        Table::Sections => named(&t.sections, |s| s.name().to_string()),
        Table::Columns => named(&t.columns, |c| c.as_str().to_string()),
        Table::TaskColumns => named(&t.task_columns, |x| role::task_name(x).to_string()),
        Table::GoalParts => named(&t.goal_parts, |g| role::goal_part_name(g).to_string()),
        Table::Levels => named(&t.levels, |l| (l + 1).to_string()),
        _ => Vec::new(),
    }
}

fn named<V: Clone>(l: &data::Lookup<V>, name: impl Fn(V) -> String) -> Vec<(&'static str, String)> {
    l.entries().into_iter().map(|(k, v)| (k, name(v))).collect()
}

/// The role a rule of `table` gives a label of any length, with the rule's
/// word: what a rule would say of a label too long for rules.
pub fn rule_role(table: Table, label: &str) -> Option<(String, &'static str)> {
    let t = v();
    let hit = |how: &Match, word: &str| match how {
        Match::Prefix => label.starts_with(word),
        Match::Suffix => label.ends_with(word),
        Match::Contains => label.contains(word),
    };
    match table {
        Table::Fields => t
            .field_rules
            .all
            .iter()
            .find(|(h, w, _)| hit(h, w))
            .map(|(_, w, f)| (role::field_name(*f), *w)),
        Table::Sections => t
            .section_rules
            .all
            .iter()
            .find(|(h, w, _)| hit(h, w))
            .map(|(_, w, s)| (s.name().to_string(), *w)),
        Table::GoalParts => t
            .goal_part_rules
            .all
            .iter()
            .find(|(h, w, _)| hit(h, w))
            .map(|(_, w, g)| (role::goal_part_name(*g).to_string(), *w)),
        _ => None,
    }
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
