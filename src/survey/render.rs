//! The ranked labels as a table for a terminal, as JSON, and as a starter
//! vocabulary file with every label commented out beside its suggested role.

use super::{Label, Place};
use crate::vocab::Table;
use std::fmt::Write;

fn example(l: &Label) -> String {
    let mut s = l.example.file.clone();
    if let Some(sheet) = &l.example.sheet {
        let _ = write!(s, " [{sheet}]");
    }
    if let Some(cell) = &l.example.cell {
        let _ = write!(s, " {cell}");
    }
    s
}

fn suggestion(l: &Label) -> String {
    match &l.suggestion {
        Some(s) => format!("[{}] \"{}\" ({})", s.table, s.role, s.like),
        None => "-".into(),
    }
}

/// Display width of a text in a terminal: CJK characters take two columns.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// One line per label: files, cells, label, place, example, suggestion.
pub fn render_text(labels: &[Label], files: usize, failed: usize) -> String {
    let mut out = String::new();
    let lw = labels.iter().map(|l| width(&l.label)).max().unwrap_or(5).clamp(5, 40);
    let _ = writeln!(
        out,
        "{:>5} {:>5}  {}  {:<16} example  →  suggestion",
        "files",
        "cells",
        pad("label", lw),
        "part"
    );
    for l in labels {
        let _ = writeln!(
            out,
            "{:>5} {:>5}  {}  {:<16} {}  →  {}",
            l.files,
            l.cells,
            pad(&l.label, lw),
            l.place.as_str(),
            example(l),
            suggestion(l)
        );
    }
    let _ = writeln!(
        out,
        "{} label(s) not understood in {files} file(s){}",
        labels.len(),
        if failed > 0 {
            format!(", {failed} file(s) unreadable")
        } else {
            String::new()
        }
    );
    out
}

/// The labels as a JSON array, ranked.
pub fn render_json(labels: &[Label]) -> String {
    let mut s = serde_json::to_string_pretty(labels).expect("labels serialise");
    s.push('\n');
    s
}

/// A TOML string: JSON's escapes are TOML's basic-string escapes, and DEL
/// (which JSON leaves raw but TOML forbids) is escaped too.
fn quoted(s: &str) -> String {
    serde_json::to_string(s)
        .expect("a string serialises")
        .replace('\u{7f}', "\\u007F")
}

/// A starter vocabulary: each label commented out in the table its
/// suggestion names (or the one its place points to), with its role, the
/// files holding it and an example; uncomment, check, and pass with --vocab.
pub fn render_vocab(labels: &[Label], files: usize) -> String {
    let mut out = format!(
        "# Starter vocabulary written by `declx labels` over {files} file(s).\n\
         # Every label below was not understood. Uncomment the lines whose role is\n\
         # right (change the role where it is not: the allowed roles are in the\n\
         # comment above each table), then run declx with --vocab THIS_FILE.\n"
    );
    let table_of = |l: &Label| match &l.suggestion {
        Some(s) => s.table,
        None => match l.place {
            Place::IndicatorHeader => "columns",
            Place::Budget
            | Place::Goal
            | Place::KeyTasks
            | Place::OtherTasks
            | Place::Indicators
            | Place::SectionLabel => "sections",
            _ => "fields",
        },
    };
    for t in Table::ALL {
        let mine: Vec<&Label> = labels.iter().filter(|l| table_of(l) == t.name()).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = write!(out, "\n# Roles: {}\n[{}]\n", t.allowed(), t.name());
        for l in mine {
            let role = l.suggestion.as_ref().map_or(String::new(), |s| s.role.clone());
            let why = l
                .suggestion
                .as_ref()
                .map_or("no suggestion".to_string(), |s| s.like.clone());
            let note = format!("{} file(s), {}, e.g. {}; {why}", l.files, l.place.as_str(), example(l));
            // A file name with a line break must not end the comment.
            let note = note.replace(char::is_control, " ");
            let _ = writeln!(out, "# {} = {}    # {note}", quoted(&l.label), quoted(&role));
        }
    }
    out
}
