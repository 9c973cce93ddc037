//! Folding: how a cell's text is compared with a label (no blanks, half-width
//! ASCII, no leading `*` or trailing colon), and how a label is cleaned for
//! output. Knows no label itself; the unit suffixes it strips are in the vocabulary.

use std::borrow::Cow;

/// Label text folded for matching: no blanks or line breaks, full-width
/// ASCII made half-width, no leading `*`, no trailing colon. Text longer than
/// any label folds to "" (it matches nothing), and clean text is borrowed.
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.len() > MAX_LABEL_BYTES {
        return Cow::Borrowed("");
    }
    if s.bytes().all(plainly_kept) || s.chars().all(|c| !crate::cell::is_blank(c) && half_width(c) == c) {
        return Cow::Borrowed(s.trim_start_matches('*').trim_end_matches(':'));
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if crate::cell::is_blank(c) {
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
        if !super::is_unit_suffix(note) {
            break;
        }
        t = inner[..open].trim_end();
    }
    t.trim_end_matches([':', '：']).trim_end().to_string()
}

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
                .filter(|c| !crate::cell::is_blank(*c))
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
