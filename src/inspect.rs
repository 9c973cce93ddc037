//! `declx inspect`: the reconstructed grid of a file, sheet by sheet, with
//! merged spans and the layout stage's re-alignments — what a user reads
//! when a form comes out wrong.

use crate::error::Error;
use crate::grid::CellRef;
use crate::layout;
use crate::read::{self, Limits};
use std::fmt::Write;
use std::path::Path;

pub fn render(path: &Path, sheet: Option<&str>, limits: &Limits) -> Result<String, Error> {
    let grids = read::read_file(path, limits)?;
    let mut out = String::new();
    for g in &grids {
        if sheet.is_some() && g.source.sheet.as_deref() != sheet {
            continue;
        }
        let _ = writeln!(
            out,
            "== {} sheet={} format={} encoding={} cells={} spans={}",
            path.display(),
            g.source.sheet.as_deref().unwrap_or("-"),
            g.source.format,
            g.source.encoding.as_deref().unwrap_or("-"),
            g.cell_count(),
            g.spans.len()
        );
        for s in &g.spans {
            let _ = writeln!(out, "   merged {}:{}", s.first, s.last);
        }
        for (n, form) in layout::split_forms(g).iter().enumerate() {
            let _ = writeln!(
                out,
                "-- form {} ({} rows{})",
                n + 1,
                form.rows.len(),
                if form.has_title { "" } else { ", no title" }
            );
            for w in &form.warnings {
                let _ = writeln!(out, "   {} {}: {}", w.code, w.cell.as_deref().unwrap_or("-"), w.detail);
            }
            for row in &form.rows {
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| {
                        let t: String = c.text.replace('\n', "⏎").chars().take(40).collect();
                        format!("{}={t}", CellRef::new(row.index, c.col))
                    })
                    .collect();
                let _ = writeln!(out, "   {}", cells.join(" | "));
            }
        }
    }
    Ok(out)
}
