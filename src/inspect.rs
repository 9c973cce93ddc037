//! `declx inspect`: the reconstructed grid of a file, sheet by sheet, with
//! merged spans, the layout stage's re-alignments and the part of the record
//! each cell went to — what a user reads when a form comes out wrong.
//! Reads through the same stages as `extract`; changes nothing.

use crate::error::Error;
use crate::grid::CellRef;
use crate::read::{self, Limits};
use crate::{form, layout};
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
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let explained = form::explain(g, stem).unwrap_or_default();
        let part_of = |at: CellRef| {
            let unmapped = explained
                .iter()
                .any(|(r, _)| r.unmapped.iter().any(|u| u.cell == at.to_string()));
            match explained.iter().find_map(|(_, c)| c.part_of(at)) {
                Some(part) => part.as_str(),
                None if unmapped => "unmapped",
                // Repeats a claimed neighbour: a merge saved filled.
                None => "filled merge",
            }
        };
        for (n, form) in layout::split_forms(g).iter().enumerate() {
            let _ = writeln!(
                out,
                "-- form {} ({} rows{})",
                n + 1,
                form.rows.len(),
                if form.has_title { "" } else { ", no title" }
            );
            for w in &form.warnings {
                let cell = w.cell.map_or_else(|| "-".to_string(), |c| c.to_string());
                let _ = writeln!(out, "   {} {}: {}", w.code, cell, w.detail);
            }
            for row in &form.rows {
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| {
                        let t: String = c.text.replace('\n', "⏎").chars().take(40).collect();
                        let at = CellRef::new(row.index, c.col);
                        format!("{at}={t} [{}]", part_of(at))
                    })
                    .collect();
                let _ = writeln!(out, "   {}", cells.join(" | "));
            }
        }
        // Who each record is about, and why.
        for (n, (record, claims)) in explained.iter().enumerate() {
            let _ = writeln!(
                out,
                "-- record {}: form={} department={} unit={} project={} year={}",
                n + 1,
                record.form,
                record.department.as_deref().unwrap_or("-"),
                record.unit.as_deref().unwrap_or("-"),
                record.project.as_ref().and_then(|p| p.get("name")).unwrap_or("-"),
                record.year.map_or_else(|| "-".to_string(), |y| y.to_string()),
            );
            for why in &claims.why {
                let _ = writeln!(out, "   why {why}");
            }
        }
    }
    Ok(out)
}
