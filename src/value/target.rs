//! Target values (SPEC §3.2): comparator, number, unit and metric of each
//! term of a cell, grades, ranges and placeholders. Vocabulary comes from
//! `vocab`; this module only reads.

use super::unit::{is_clause_break, tail_unit_len, unit_at, unit_len};
use super::{Number, Op};
use crate::vocab;
use regex::Regex;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::str::FromStr;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Quantitative,
    Qualitative,
    Empty,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Quantitative => "quantitative",
            TargetKind::Qualitative => "qualitative",
            TargetKind::Empty => "empty",
        }
    }
}

/// A parsed target value (SPEC §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub raw: String,
    pub kind: TargetKind,
    pub metric: Option<String>,
    pub op: Option<Op>,
    pub value: Option<Decimal>,
    pub unit: Option<String>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub grade: Option<&'static str>,
    /// Set only when the cell holds more than one target.
    pub terms: Vec<Term>,
}

impl Target {
    pub fn text(raw: &str, kind: TargetKind) -> Self {
        Target {
            raw: raw.to_string(),
            kind,
            metric: None,
            op: None,
            value: None,
            unit: None,
            min: None,
            max: None,
            grade: None,
            terms: Vec::new(),
        }
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Target", 10)?;
        st.serialize_field("raw", &self.raw)?;
        st.serialize_field("kind", &self.kind)?;
        match self.kind {
            TargetKind::Quantitative => {
                st.serialize_field("metric", &self.metric)?;
                st.serialize_field("op", &self.op)?;
                st.serialize_field("value", &self.value.map(Number))?;
                st.serialize_field("unit", &self.unit)?;
                if self.op == Some(Op::Range) {
                    st.serialize_field("min", &self.min.map(Number))?;
                    st.serialize_field("max", &self.max.map(Number))?;
                }
                if self.terms.len() > 1 {
                    st.serialize_field("terms", &self.terms)?;
                }
            }
            TargetKind::Qualitative | TargetKind::Empty => {
                if let Some(g) = self.grade {
                    st.serialize_field("grade", g)?;
                }
                if let Some(op) = self.op {
                    st.serialize_field("op", &op)?;
                }
                if let Some(u) = &self.unit {
                    st.serialize_field("unit", u)?;
                }
            }
        }
        st.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub metric: Option<String>,
    pub op: Op,
    pub value: Decimal,
    pub unit: Option<String>,
}

impl Serialize for Term {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Term", 4)?;
        st.serialize_field("metric", &self.metric)?;
        st.serialize_field("op", &self.op)?;
        st.serialize_field("value", &Number(self.value))?;
        st.serialize_field("unit", &self.unit)?;
        st.end()
    }
}

static RANGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(vocab::RANGE_PATTERN).expect("range regex"));

/// Cell text with full-width digits, signs and punctuation made ASCII, one
/// char for one char, so positions map back onto the raw text.
fn normalise(raw: &str) -> Vec<char> {
    raw.chars()
        .map(|c| match c {
            vocab::FULL_WIDTH_PERCENT => '%',
            _ => vocab::half_width(c),
        })
        .collect()
}

/// Whether a cell is blank or a placeholder such as — or /.
pub fn is_placeholder(raw: &str) -> bool {
    vocab::is_placeholder(raw)
}

/// Parses one target cell.
///
/// ```
/// let t = declx::parse_target("满意度不低于９０％");
/// assert_eq!((t.metric.as_deref(), t.op, t.unit.as_deref()), (Some("满意度"), Some(declx::Op::Ge), Some("%")));
/// assert_eq!(t.value.unwrap().to_string(), "90");
/// ```
pub fn parse_target(raw: &str) -> Target {
    let raw = raw.trim();
    if is_placeholder(raw) {
        return Target::text(raw, TargetKind::Empty);
    }
    let chars = normalise(raw);
    let norm: String = chars.iter().collect();
    let has_digit = chars.iter().any(char::is_ascii_digit);
    let has_range_mark = chars.iter().any(|c| vocab::RANGE_MARKS.chars().any(|m| m == *c));
    if has_digit && has_range_mark {
        if let Some(t) = parse_range(raw, &norm) {
            return t;
        }
    }
    let terms = if has_digit {
        find_terms(&raw.chars().collect::<Vec<_>>(), &chars)
    } else {
        Vec::new()
    };
    if let Some(first) = terms.first() {
        let mut t = Target::text(raw, TargetKind::Quantitative);
        t.metric.clone_from(&first.metric);
        t.op = Some(first.op);
        t.value = Some(first.value);
        t.unit.clone_from(&first.unit);
        if terms.len() > 1 {
            t.terms = terms;
        }
        return t;
    }
    let mut t = Target::text(raw, TargetKind::Qualitative);
    if let Some((grade, op)) = grade_of(&norm) {
        t.grade = Some(grade);
        t.op = Some(op);
    }
    t
}

/// `良好以上` → (良好, >=); a bare `优秀` → (优秀, =).
fn grade_of(norm: &str) -> Option<(&'static str, Op)> {
    let t = norm.trim().trim_end_matches(vocab::SENTENCE_ENDS);
    let t = vocab::GRADE_PREFIXES
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t);
    for &g in vocab::grades() {
        if let Some(rest) = t.strip_prefix(g) {
            if let Some(op) = vocab::grade_suffix(rest) {
                return Some((g, op));
            }
        }
    }
    None
}

fn parse_range(raw: &str, norm: &str) -> Option<Target> {
    let caps = RANGE.captures(norm)?;
    let prefix = caps.get(1).map_or("", |m| m.as_str()).trim();
    if vocab::ends_with_comparator(prefix) {
        return None;
    }
    let min = Decimal::from_str(&caps[2]).ok()?;
    let max = Decimal::from_str(&caps[4]).ok()?;
    if min > max {
        return None;
    }
    let unit_a = caps.get(3).map_or("", |m| m.as_str());
    let unit_b = caps.get(5).map_or("", |m| m.as_str());
    let unit_b_chars: Vec<char> = unit_b.chars().collect();
    // Anything but a unit after the second number means this is prose.
    if !unit_b.is_empty() && unit_len(&unit_b_chars, 0) != Some(unit_b_chars.len()) {
        return None;
    }
    let unit = [unit_b, unit_a].into_iter().find_map(|u| {
        let chars: Vec<char> = u.chars().collect();
        unit_len(&chars, 0).map(|n| chars[..n].iter().collect::<String>())
    });
    let mut t = Target::text(raw, TargetKind::Quantitative);
    t.op = Some(Op::Range);
    t.min = Some(min);
    t.max = Some(max);
    t.unit = unit;
    t.metric = metric_text(&raw.chars().collect::<Vec<_>>(), 0, prefix.chars().count());
    Some(t)
}

/// Words between `from` and `to` (char positions in the raw text), trimmed of
/// blanks and clause punctuation; None when nothing is left.
fn metric_text(raw: &[char], from: usize, to: usize) -> Option<String> {
    let trim = |c: &char| crate::cell::is_blank(*c) || is_clause_break(*c) || vocab::OPEN_PARENS.contains(c);
    let words = &raw[from.min(to)..to];
    let start = words.iter().position(|c| !trim(c))?;
    let end = words.iter().rposition(|c| !trim(c))? + 1;
    Some(words[start..end].iter().collect())
}

/// The end of the number starting at `i`: digits, optional `,ddd` groups
/// (each followed by a non-digit), optional `.digits`.
fn number_end(c: &[char], i: usize) -> usize {
    let digits_from = |mut j: usize| {
        while j < c.len() && c[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let mut end = digits_from(i);
    if end - i <= 3 {
        while end + 3 < c.len() + 1 && c.get(end) == Some(&',') && digits_from(end + 1) == end + 4 {
            end += 4;
        }
    }
    if c.get(end) == Some(&'.') && c.get(end + 1).is_some_and(char::is_ascii_digit) {
        end = digits_from(end + 1);
    }
    end
}

/// The targets of a cell: `raw_chars` as written, `c` normalised char for char.
fn find_terms(raw_chars: &[char], c: &[char]) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut prev_end = 0usize;
    let mut i = 0usize;
    while i < c.len() {
        if !c[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let (start, end) = (i, number_end(c, i));
        i = end;
        // Digits glued to letters (A1), part of a date or version, or a year
        // (2023年) are not targets.
        if start > 0 && (c[start - 1].is_ascii_alphabetic() || c[start - 1] == '.') {
            continue;
        }
        if start > 1 && c[start - 1] == '-' && c[start - 2].is_ascii_digit() {
            continue;
        }
        if end - start == 4 && c.get(end).is_some_and(|x| vocab::YEAR_SUFFIXES.contains(x)) {
            continue;
        }
        let digits: String = c[start..end].iter().filter(|&&d| d != ',').collect();
        let Ok(value) = Decimal::from_str(&digits) else {
            continue;
        };
        let clause_start = (prev_end..start)
            .rev()
            .find(|&k| is_clause_break(c[k]))
            .map_or(prev_end, |k| k + 1);
        let mut before_end = start;
        while before_end > clause_start && c[before_end - 1] == ' ' {
            before_end -= 1;
        }
        let before = &c[clause_start..before_end];
        let mut op = None;
        let mut metric_end = before_end;
        if let Some((word, sym)) = vocab::comparator_chars().0.iter().find(|(w, _)| before.ends_with(w)) {
            op = Some(*sym);
            metric_end -= word.len();
        }
        let mut pos = end;
        while pos < c.len() && c[pos] == ' ' {
            pos += 1;
        }
        let metric = metric_text(raw_chars, clause_start, metric_end);
        let known = unit_len(c, pos);
        // A bare term whose tail is no vocabulary unit (公斤, 万一年, 百分比)
        // keeps the tail; after a vocabulary unit (100%完成, 3个乡镇) words stop.
        let bare = (metric.is_none() && unit_at(c, pos).is_none())
            .then(|| tail_unit_len(c, pos, known.unwrap_or(0)))
            .flatten();
        let unit = bare.or(known).map(|n| {
            let u: String = raw_chars[pos..pos + n].iter().collect();
            pos += n;
            vocab::fold(&u).replace(vocab::FULL_WIDTH_PERCENT, "%")
        });
        if let Some((word, sym)) = vocab::comparator_chars()
            .1
            .iter()
            .find(|(w, _)| c[pos..].starts_with(w))
        {
            if op.is_none() {
                op = Some(*sym);
            }
            pos += word.len();
        }
        terms.push(Term {
            metric,
            op: op.unwrap_or(Op::Eq),
            value,
            unit,
        });
        prev_end = pos;
        i = i.max(pos);
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(raw: &str) -> (Option<&'static str>, Option<String>, Option<String>, Option<String>) {
        let t = parse_target(raw);
        assert_eq!(t.kind, TargetKind::Quantitative, "{raw}");
        (t.op.map(Op::as_str), t.value.map(|v| v.to_string()), t.unit, t.metric)
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn comparators_symbols_and_words() {
        assert_eq!(q("≥8个"), (Some(">="), s("8"), s("个"), None));
        assert_eq!(q("≧90%"), (Some(">="), s("90"), s("%"), None));
        assert_eq!(q(">=3次"), (Some(">="), s("3"), s("次"), None));
        assert_eq!(q("≤5天"), (Some("<="), s("5"), s("天"), None));
        assert_eq!(q("≦5天"), (Some("<="), s("5"), s("天"), None));
        assert_eq!(q("<=5天"), (Some("<="), s("5"), s("天"), None));
        assert_eq!(q("＞95%"), (Some(">"), s("95"), s("%"), None));
        assert_eq!(q("＜2%"), (Some("<"), s("2"), s("%"), None));
        assert_eq!(q("≥９０％"), (Some(">="), s("90"), s("%"), None));
        assert_eq!(q("满意度不低于90%"), (Some(">="), s("90"), s("%"), s("满意度")));
        for (w, op) in [
            ("不少于", ">="),
            ("大于等于", ">="),
            ("至少", ">="),
            ("不高于", "<="),
            ("不超过", "<="),
            ("不多于", "<="),
            ("小于等于", "<="),
            ("大于", ">"),
            ("超过", ">"),
            ("高于", ">"),
            ("小于", "<"),
            ("低于", "<"),
        ] {
            assert_eq!(q(&format!("{w}10人")).0, Some(op), "{w}");
        }
        assert_eq!(q("90%以上"), (Some(">="), s("90"), s("%"), None));
        assert_eq!(q("3天以内"), (Some("<="), s("3"), s("天"), None));
        assert_eq!(q("5%以下"), (Some("<="), s("5"), s("%"), None));
    }

    #[test]
    fn plain_numbers_units_and_metrics() {
        assert_eq!(q("1次"), (Some("="), s("1"), s("次"), None));
        assert_eq!(q("≥21场次"), (Some(">="), s("21"), s("场次"), None));
        assert_eq!(q("完成率100%"), (Some("="), s("100"), s("%"), s("完成率")));
        assert_eq!(
            q("完成上级下发的创建要求，创建率100%。"),
            (Some("="), s("100"), s("%"), s("创建率"))
        );
        assert_eq!(
            q("每年组织2次评估，项目评估达标。"),
            (Some("="), s("2"), s("次"), s("每年组织"))
        );
        assert_eq!(q("1,250.50万元"), (Some("="), s("1250.50"), s("万元"), None));
        assert_eq!(q("0.00"), (Some("="), s("0.00"), None, None));
    }

    #[test]
    fn several_terms() {
        let t = parse_target("公职人员统一学法考试参考率不低于85%，及格率不低于85%。");
        assert_eq!(t.terms.len(), 2);
        assert_eq!(t.terms[0].metric.as_deref(), Some("公职人员统一学法考试参考率"));
        assert_eq!(t.terms[1].metric.as_deref(), Some("及格率"));
        assert_eq!(t.terms[1].op, Op::Ge);
        assert_eq!(t.metric.as_deref(), Some("公职人员统一学法考试参考率"));
    }

    #[test]
    fn grades_qualitative_and_placeholders() {
        let t = parse_target("良好以上");
        assert_eq!(
            (t.kind, t.grade, t.op),
            (TargetKind::Qualitative, Some("良好"), Some(Op::Ge))
        );
        let t = parse_target("优秀");
        assert_eq!((t.grade, t.op), (Some("优秀"), Some(Op::Eq)));
        let t = parse_target("符合规范");
        assert_eq!((t.kind, t.grade), (TargetKind::Qualitative, None));
        let t = parse_target("项目运行良好，评估达标。");
        assert_eq!((t.kind, t.grade), (TargetKind::Qualitative, None));
        for p in ["", "—", "-", "/", "*", " "] {
            assert_eq!(parse_target(p).kind, TargetKind::Empty, "{p:?}");
        }
    }

    #[test]
    fn ranges() {
        let t = parse_target("90%-95%");
        assert_eq!(t.op, Some(Op::Range));
        assert_eq!(t.min.unwrap().to_string(), "90");
        assert_eq!(t.max.unwrap().to_string(), "95");
        assert_eq!(t.unit.as_deref(), Some("%"));
        let t = parse_target("90～95%");
        assert_eq!((t.op, t.unit.as_deref()), (Some(Op::Range), Some("%")));
    }

    #[test]
    fn units_run_to_the_end_of_the_term() {
        assert_eq!(q("≥180元每人每月"), (Some(">="), s("180"), s("元每人每月"), None));
        assert_eq!(q("7万张"), (Some("="), s("7"), s("万张"), None));
        assert_eq!(q("不低于60户/人.月"), (Some(">="), s("60"), s("户/人.月"), None));
        assert_eq!(q("≥10元/亩"), (Some(">="), s("10"), s("元/亩"), None));
        assert_eq!(q("约5.5万人次"), (Some("="), s("5.5"), s("万人次"), None));
        assert_eq!(q("》90%"), (Some(">="), s("90"), s("%"), None));
        // No rate mark: the unit stops at the known unit.
        assert_eq!(q("每年组织2次评估，项目评估达标。").2, s("次"));
        let t = parse_target("1600人、200人");
        assert_eq!(t.terms.len(), 2);
        assert_eq!(t.terms[1].value.to_string(), "200");
    }

    #[test]
    fn compound_units_run_on_through_slashes_dots_and_brackets() {
        assert_eq!(q("≥5元/户·年"), (Some(">="), s("5"), s("元/户·年"), None));
        assert_eq!(q("≤2元/人·次"), (Some("<="), s("2"), s("元/人·次"), None));
        assert_eq!(q("≤7.5元/平方米·月"), (Some("<="), s("7.5"), s("元/平方米·月"), None));
        assert_eq!(q("100万平方米/年"), (Some("="), s("100"), s("万平方米/年"), None));
        assert_eq!(q("10万头(只)"), (Some("="), s("10"), s("万头(只)"), None));
        // Full-width brackets are written half-width, as labels are.
        assert_eq!(q("10万头（只）"), (Some("="), s("10"), s("万头(只)"), None));
        // With words before the number the compound unit still runs on.
        assert_eq!(
            q("补助标准不低于5元/户·年"),
            (Some(">="), s("5"), s("元/户·年"), s("补助标准"))
        );
        assert_eq!(q("存栏10万头(只)"), (Some("="), s("10"), s("万头(只)"), s("存栏")));
    }

    #[test]
    fn a_bare_term_keeps_its_whole_tail_as_the_unit() {
        assert_eq!(q("≥50公斤"), (Some(">="), s("50"), s("公斤"), None));
        assert_eq!(q("3万一年"), (Some("="), s("3"), s("万一年"), None));
        assert_eq!(q("≥100百分比"), (Some(">="), s("100"), s("百分比"), None));
        assert_eq!(q("50公斤以上"), (Some(">="), s("50"), s("公斤"), None));
        assert_eq!(q("≥50公斤。"), (Some(">="), s("50"), s("公斤"), None));
        let t = parse_target("50公斤、30公斤");
        assert_eq!((t.terms.len(), t.terms[1].unit.as_deref()), (2, Some("公斤")));
    }

    #[test]
    fn words_after_a_vocabulary_unit_or_after_a_metric_are_not_unit() {
        assert_eq!(q("100%完成").2, s("%"));
        assert_eq!(q("3个乡镇").2, s("个"));
        assert_eq!(q("每年组织2次评估，项目评估达标。").2, s("次"));
        // A tail that is a sentence is no unit.
        assert_eq!(q("3项工作全部按计划推进完成").2, s("项"));
        assert_eq!(q("50公斤以上的生猪").2, None);
        // A trailing comparator word ends the term, after a rate too.
        assert_eq!(q("2次/年以上"), (Some(">="), s("2"), s("次/年"), None));
    }

    #[test]
    fn ranges_take_compound_units() {
        let t = parse_target("5-10元/户·年");
        assert_eq!((t.op, t.unit.as_deref()), (Some(Op::Range), Some("元/户·年")));
        assert_eq!(
            (t.min.unwrap().to_string(), t.max.unwrap().to_string()),
            ("5".into(), "10".into())
        );
        // Words after the second number are prose, not a range.
        assert_ne!(parse_target("1-3个月内完成验收").op, Some(Op::Range));
    }
}
