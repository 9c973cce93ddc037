//! The indicator table's sub-header under a group header, and a category's
//! weight (产出指标(50分)). Which columns hold the 一级 / 二级 / 三级 names is
//! the table stage's (`crate::table`); this file does not read level columns.

use crate::grid::Row;
use crate::value;
use crate::vocab;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The row right under a header that names sub-columns only.
pub(super) fn is_subheader(row: &Row, header: &Row, first_l3: u32) -> bool {
    row.index == header.index + 1
        && !row.cells.is_empty()
        && row
            .cells
            .iter()
            .all(|c| c.col > first_l3 && !value::looks_numeric(&c.text) && !vocab::is_tick(&c.text))
}

/// Name as written without a weight suffix, and the weight: 产出指标(50分).
pub(super) fn name_and_weight(text: &str) -> (String, Option<Decimal>) {
    let t = text.trim();
    for (open, close) in vocab::PAREN_PAIRS {
        if let Some(inner) = t.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                let w = inner[i + open.len_utf8()..].trim();
                let num = w.trim_end_matches(vocab::POINTS_CHAR).trim_end_matches('%').trim();
                if w.ends_with(vocab::POINTS_CHAR) || w.ends_with('%') {
                    if let Ok(d) = Decimal::from_str(num) {
                        return (inner[..i].trim().to_string(), Some(d));
                    }
                }
            }
        }
    }
    (t.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_split_off_names() {
        assert_eq!(
            name_and_weight("产出指标(50分)"),
            ("产出指标".to_string(), Some(Decimal::from(50)))
        );
        assert_eq!(name_and_weight("绩效指标（90分）").0, "绩效指标");
        assert_eq!(name_and_weight("专职人民调解员配置数量（人）").1, None);
    }
}
