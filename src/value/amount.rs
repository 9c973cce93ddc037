//! Money amounts: `4,972.33`, `0.00`, `250万`, `95.2%`, parsed exactly with
//! rust_decimal. Knows nothing of where an amount sits on a form.

use super::target::is_placeholder;
use crate::vocab;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A parsed money amount: the number and the unit written inside the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub value: Decimal,
    /// A unit written in the cell itself (`250万`, `90万元`, `95.2%`).
    pub unit: Option<&'static str>,
}

/// Parses `4,972.33`, `0.00`, `250万`, `95.2%`; `Ok(None)` for blank or a
/// placeholder, `Err(())` for text that is not an amount.
///
/// ```
/// let a = declx::parse_amount("4,972.33").unwrap().unwrap();
/// assert_eq!(a.value.to_string(), "4972.33");
/// assert_eq!(declx::parse_amount("—"), Ok(None));
/// ```
#[allow(clippy::result_unit_err)]
pub fn parse_amount(raw: &str) -> Result<Option<Amount>, ()> {
    if is_placeholder(raw) {
        return Ok(None);
    }
    // Most cells asked are labels and prose: no digit, no amount.
    if !raw.chars().any(|c| vocab::half_width(c).is_ascii_digit()) {
        return Err(());
    }
    let folded: String = vocab::fold(raw).replace(vocab::FULL_WIDTH_PERCENT, "%");
    let mut t = folded.as_str();
    let mut unit = None;
    if let Some((rest, meant)) = vocab::amount_unit(t) {
        unit = Some(meant);
        t = rest;
    }
    let t = t.replace(',', "");
    let t = t.strip_prefix('+').unwrap_or(&t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') {
        return Err(());
    }
    Decimal::from_str(t)
        .map(|value| Some(Amount { value, unit }))
        .map_err(|_| ())
}

/// Whether a cell reads as an amount (used to tell value cells from labels).
pub fn looks_numeric(raw: &str) -> bool {
    matches!(parse_amount(raw), Ok(Some(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_digits() {
        assert_eq!(parse_amount("4,972.33").unwrap().unwrap().value.to_string(), "4972.33");
        assert_eq!(parse_amount("0.00").unwrap().unwrap().value.to_string(), "0.00");
        assert_eq!(parse_amount("250万").unwrap().unwrap().unit, Some("万元"));
        assert_eq!(parse_amount("95.2%").unwrap().unwrap().value.to_string(), "95.2");
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("见附件"), Err(()));
    }
}
