//! Units of a target's term: where a unit starts after the number and how
//! far it runs — a known unit, compound units through /, 每, · and a
//! bracketed unit, a bare term's whole tail — and the text helpers that
//! decide it. The unit words are the vocabulary's; what a target is, is
//! `target`'s.

use crate::vocab;

pub(super) fn is_clause_break(c: char) -> bool {
    vocab::CLAUSE_BREAKS.contains(&c)
}

/// The longest unit starting at `at`.
pub(super) fn unit_at(chars: &[char], at: usize) -> Option<(String, usize)> {
    let rest = &chars[at.min(chars.len())..];
    let candidates = vocab::units_starting(*rest.first()?)?;
    candidates
        .iter()
        .find(|u| starts_with_chars(rest, u))
        .map(|u| (u.to_string(), u.chars().count()))
}

/// How many chars of a known unit start at `at`: a unit of the vocabulary,
/// perhaps behind a multiplier (万张), then what a rate divides by after
/// `/` or 每, parts joined by `·` or `.` (元/户·年, 户/人.月, 元每人每月), and
/// a bracketed unit (万头(只)).
pub(super) fn unit_len(c: &[char], at: usize) -> Option<usize> {
    let mut n = match unit_at(c, at) {
        Some((_, n)) => n,
        None => {
            let m = *c.get(at)?;
            let (_, base) = unit_at(c, at + 1).filter(|_| vocab::UNIT_MULTIPLIERS.contains(&m))?;
            1 + base
        }
    };
    for _ in 0..3 {
        let Some(&mark) = c.get(at + n) else { break };
        if !(vocab::PER_MARKS.contains(&mark) || vocab::UNIT_JOINERS.contains(&mark)) {
            break;
        }
        let k = unit_part_len(&c[at + n + 1..]);
        if k == 0 {
            break;
        }
        n += 1 + k;
    }
    Some(n + bracketed_unit_len(&c[at + n..]))
}

/// The part of a compound unit after a `/`, 每, `·` or `.`: up to
/// `MAX_PER_UNIT_CHARS` unit characters, stopping where a trailing
/// comparator word (以上, 以内) starts.
fn unit_part_len(rest: &[char]) -> usize {
    let k = rest
        .iter()
        .take_while(|&&x| is_unit_char(x))
        .take(vocab::MAX_PER_UNIT_CHARS)
        .count();
    (0..k).find(|&j| starts_trailing_comparator(&rest[j..])).unwrap_or(k)
}

/// `(只)` or `（只）` right after a unit: a bracket holding a known unit.
fn bracketed_unit_len(rest: &[char]) -> usize {
    if !rest.first().is_some_and(|c| vocab::OPEN_PARENS.contains(c)) {
        return 0;
    }
    let inner = rest[1..]
        .iter()
        .take_while(|&&x| is_unit_char(x))
        .take(vocab::MAX_PER_UNIT_CHARS)
        .count();
    let closed = rest
        .get(1 + inner)
        .is_some_and(|c| vocab::PAREN_PAIRS.iter().any(|(_, close)| c == close));
    if inner > 0 && closed && unit_at(rest, 1).is_some() {
        inner + 2
    } else {
        0
    }
}

fn starts_trailing_comparator(rest: &[char]) -> bool {
    vocab::comparator_chars().1.iter().any(|(w, _)| rest.starts_with(w))
}

/// The unit of a bare term — nothing but a comparator before its number
/// (`≥50公斤`, `3万一年`, `≥100百分比`): everything after the number to the
/// end of the term (a clause mark, a blank, a digit, a trailing comparator
/// such as 以上), when that is short, all unit characters, brackets closed,
/// and the term ends the cell or another number follows. `known` chars of
/// it are a unit already. None when the tail is words.
pub(super) fn tail_unit_len(c: &[char], at: usize, known: usize) -> Option<usize> {
    let end = (at..c.len())
        .find(|&k| is_clause_break(c[k]) || crate::cell::is_blank(c[k]) || c[k].is_ascii_digit())
        .unwrap_or(c.len());
    let cut = (at + known..end)
        .find(|&k| starts_trailing_comparator(&c[k..]))
        .unwrap_or(end);
    let after_cut = &c[cut..end];
    let comparator_only = after_cut.is_empty()
        || vocab::comparator_chars()
            .1
            .iter()
            .any(|(w, _)| after_cut == w.as_slice());
    let mut n = cut - at;
    while n > known && vocab::UNIT_JOINERS.contains(&c[at + n - 1]) {
        n -= 1;
    }
    let words = &c[at + known..at + n];
    let unit_like = words
        .iter()
        .all(|&x| is_unit_char(x) || vocab::UNIT_JOINERS.contains(&x) || vocab::PER_MARKS.contains(&x) || is_paren(x));
    let rest = &c[end..];
    let ends_cell = rest
        .iter()
        .all(|&x| is_clause_break(x) || crate::cell::is_blank(x) || vocab::SENTENCE_ENDS.contains(&x))
        || rest.iter().any(char::is_ascii_digit);
    (n > known && n <= vocab::MAX_UNIT_CHARS && comparator_only && unit_like && balanced(words) && ends_cell)
        .then_some(n)
}

fn is_paren(x: char) -> bool {
    vocab::PAREN_PAIRS.iter().any(|&(open, close)| x == open || x == close)
}

/// Whether every bracket opened in `words` is closed, in order.
fn balanced(words: &[char]) -> bool {
    let mut depth = 0i32;
    for &x in words {
        if vocab::OPEN_PARENS.contains(&x) {
            depth += 1;
        } else if is_paren(x) {
            depth -= 1;
            if depth < 0 {
                return false;
            }
        }
    }
    depth == 0
}

/// A char that may be part of what a unit divides by: a CJK character
/// (not a 每), or a letter.
fn is_unit_char(x: char) -> bool {
    x.is_ascii_alphabetic() || (('\u{4e00}'..='\u{9fff}').contains(&x) && !vocab::PER_MARKS.contains(&x))
}

fn starts_with_chars(hay: &[char], word: &str) -> bool {
    let mut it = hay.iter();
    word.chars().all(|w| it.next() == Some(&w))
}
