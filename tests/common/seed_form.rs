//! The seed form laid out as the real spreadsheet: the export's dropped
//! leading cells put back, and the merged regions of the printed form.

/// Export rows that lost leading empty cells, with how many (1-based line).
const SHIFTED: &[(u32, u32)] = &[(16, 1), (30, 3), (31, 3), (47, 1), (48, 1), (49, 1)];

/// Merged regions of the form, 1-based rows, 0-based columns:
/// (first row, first col, last row, last col).
pub const MERGES: &[(u32, u16, u32, u16)] = &[
    (3, 0, 3, 5),
    (5, 1, 5, 5),
    (6, 0, 11, 0),
    (12, 1, 12, 5),
    (13, 0, 16, 0),
    (13, 4, 13, 5),
    (14, 4, 14, 5),
    (15, 4, 15, 5),
    (16, 4, 16, 5),
    (17, 1, 17, 5),
    (18, 0, 31, 0),
    (19, 1, 31, 1),
    (19, 2, 31, 2),
    (33, 0, 51, 0),
    (33, 1, 39, 1),
    (33, 2, 37, 2),
    (38, 2, 39, 2),
    (41, 1, 49, 1),
    (42, 2, 47, 2),
    (50, 1, 51, 1),
    (50, 2, 51, 2),
];

/// A cell of the form: 1-based row, 0-based column, text.
#[derive(Debug, Clone)]
pub struct FormCell {
    pub row: u32,
    pub col: u16,
    pub text: String,
}

pub fn seed_text() -> String {
    std::fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap()
}

/// The seed's non-empty cells where the real form has them.
pub fn seed_cells() -> Vec<FormCell> {
    let mut out = Vec::new();
    for (i, line) in seed_text().split('\n').enumerate() {
        let row = i as u32 + 1;
        let shift = SHIFTED.iter().find(|(r, _)| *r == row).map_or(0, |(_, s)| *s);
        for (c, t) in line.split('\t').enumerate() {
            let t = t.trim();
            if !t.is_empty() {
                out.push(FormCell {
                    row,
                    col: c as u16 + shift as u16,
                    text: t.to_string(),
                });
            }
        }
    }
    out
}

/// The merged region whose top-left is (row, col), if any.
pub fn merge_at(row: u32, col: u16) -> Option<(u32, u16, u32, u16)> {
    MERGES.iter().copied().find(|m| m.0 == row && m.1 == col)
}

/// Whether (row, col) is covered by a merge without being its top-left.
pub fn covered(row: u32, col: u16) -> Option<(u32, u16, u32, u16)> {
    MERGES
        .iter()
        .copied()
        .find(|m| row >= m.0 && row <= m.2 && col >= m.1 && col <= m.3 && (row, col) != (m.0, m.1))
}

/// Amount cells as the numbers a workbook stores (4,972.33 → 4972.33).
pub fn as_amount(text: &str) -> Option<f64> {
    let t = text.replace(',', "");
    (t.contains('.') && t.parse::<f64>().is_ok()).then(|| t.parse().unwrap())
}
