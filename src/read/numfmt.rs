//! Numbers as a spreadsheet shows them: through their number format
//! (`0.00`, `0%`), in General format, and serial dates as ISO dates.

use rust_decimal::Decimal;

pub fn builtin_format(id: u32) -> &'static str {
    match id {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        49 => "@",
        _ => "General",
    }
}

/// A number shown through its format code: fixed decimals and percentages
/// as Excel displays them (no thousands separators: digits only).
pub fn apply_format(f: f64, code: &str) -> Option<String> {
    // Only the first section (positive numbers) matters for the digits.
    let section = code.split(';').next().unwrap_or(code);
    let (mut plain, mut prefix, mut suffix) = (String::new(), String::new(), String::new());
    let mut quoted = false;
    let mut escaped = false;
    for c in section.chars() {
        let literal = if escaped {
            escaped = false;
            true
        } else if c == '\\' {
            escaped = true;
            continue;
        } else if c == '"' {
            quoted = !quoted;
            continue;
        } else {
            quoted
        };
        if literal {
            if plain.contains(['0', '#']) {
                suffix.push(c);
            } else {
                prefix.push(c);
            }
        } else if c != '_' && c != '*' && c != ' ' && !(c == '[' || c == ']') {
            plain.push(c);
        }
    }
    if plain.eq_ignore_ascii_case("general") || plain == "@" || plain.contains(['E', 'e', 'y', 'd', 'h', 's']) {
        return None;
    }
    if !plain.contains('0') && !plain.contains('#') {
        return None;
    }
    let percent = plain.contains('%');
    let decimals = plain.split_once('.').map_or(0, |(_, frac)| {
        frac.chars().take_while(|c| *c == '0' || *c == '#').count()
    });
    let v = if percent { f * 100.0 } else { f };
    let mut s = format!("{v:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s.remove(0);
    }
    if percent {
        s.push('%');
    }
    Some(format!("{prefix}{s}{suffix}"))
}

/// A float as Excel shows it in General format: 15 significant digits, no
/// binary noise (4972.330000000001 → 4972.33).
pub fn excel_number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let sci = format!("{f:.14e}");
    match Decimal::from_scientific(&sci) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => sci,
    }
}

/// An Excel serial date as an ISO date (with the time when it has one).
pub fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    // Serial 60 is Excel's phantom 1900-02-29; serials after it are one day ahead.
    let unix_days = if days > 60 { days - 25569 } else { days - 25568 };
    let (y, m, d) = civil_from_days(unix_days);
    let secs = ((serial - serial.floor()) * 86400.0).round() as i64;
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(excel_number(4972.330000000001), "4972.33");
        assert_eq!(excel_number(190.0), "190");
        assert_eq!(excel_number(0.1 + 0.2), "0.3");
        assert_eq!(excel_number(-12.5), "-12.5");
    }

    #[test]
    fn serial_dates() {
        assert_eq!(excel_date(45292.0), "2024-01-01");
        assert_eq!(excel_date(1.0), "1900-01-01");
        assert_eq!(excel_date(45292.5), "2024-01-01T12:00:00");
    }

    #[test]
    fn formats_show_excel_digits() {
        assert_eq!(apply_format(0.0, "0.00").as_deref(), Some("0.00"));
        assert_eq!(apply_format(4972.33, "#,##0.00").as_deref(), Some("4972.33"));
        assert_eq!(apply_format(0.9, "0%").as_deref(), Some("90%"));
        assert_eq!(apply_format(0.952, "0.0%").as_deref(), Some("95.2%"));
        assert_eq!(apply_format(12.0, "General"), None);
        assert_eq!(apply_format(45292.0, "yyyy-mm-dd"), None);
        assert_eq!(apply_format(3.0, "0\"人\"").as_deref(), Some("3人"));
    }
}
