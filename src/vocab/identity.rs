//! Identity words: whether a value names an organisation, the organisation
//! a title starts with, and which header labels leave their role open or
//! name an amount. The words are data (`organisation_ends`,
//! `organisation_labels`, `header_amount_words`, `header_amount_stops`);
//! what a form does with the answers is the form stage's.

use super::active::tables as v;
use super::{fold, money_unit, split_paren};

/// Whether a value names an organisation (…局, …委员会, …街道办事处（本级）,
/// 615001-…人民政府): what decides the role of a label that leaves it open.
pub fn is_organisation(value: &str) -> bool {
    let f = fold(value);
    let mut t: &str = &f;
    // A trailing note: （本级）, (盖章).
    while let (base, Some(_)) = split_paren(t) {
        if base.is_empty() {
            return false;
        }
        t = base;
    }
    let n = t.chars().count();
    (2..=60).contains(&n)
        && !t.contains(['\n', ':', ';', '。'])
        && !t.is_ascii()
        && v().organisation_ends.iter().any(|e| t.ends_with(e))
}

/// The organisation a title starts with, before its year or its form
/// words: 某市统计局2023年部门整体支出绩效目标表 → 某市统计局. A place
/// (某市2023年…) is no organisation.
pub fn organisation_in_title(title: &str) -> Option<&str> {
    let t = title.trim();
    let year = t
        .char_indices()
        .find(|&(i, c)| {
            (c == '1' || c == '2') && t[i..].chars().take(4).all(|d| d.is_ascii_digit()) && t[i..].len() >= 4
        })
        .map(|(i, _)| i);
    let words = v()
        .title_marks
        .iter()
        .chain(TITLE_FORM_STARTS)
        .filter_map(|w| t.find(w))
        .min();
    let end = match (year, words) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let prefix = t[..end].trim_end_matches(['-', '—', ' ', '（', '(']).trim();
    is_organisation(prefix).then_some(prefix)
}

/// Words a form's name starts with in a title (…部门整体支出…, …项目支出…).
const TITLE_FORM_STARTS: &[&str] = &["部门整体", "整体支出", "项目支出", "部门预算", "预算项目", "单位整体"];

/// Whether a folded label names an organisation whose role (department or
/// unit) the form leaves open: 填报单位, 申报单位, 所属部门.
pub fn is_organisation_label(folded: &str) -> bool {
    let base = split_paren(folded).0;
    base.chars().count() <= 12 && v().organisation_labels.iter().any(|w| base.ends_with(w))
}

/// The money unit of a header field that names an amount (项目总金额（中期规划，
/// 万元）, 本年度项目金额（万元）, 当年预算), or "" when it names no unit;
/// None when the label names no amount.
pub fn header_amount_label(folded: &str) -> Option<&'static str> {
    let (base, _) = split_paren(folded);
    let t = v();
    if base.chars().count() > 16
        || !t.header_amount_words.iter().any(|w| base.contains(w))
        || t.header_amount_stops.iter().any(|w| base.ends_with(w))
    {
        return None;
    }
    Some(money_unit(folded).unwrap_or(""))
}
