//! Row-level value rules: 指标性质 / 度量单位 columns feeding the row's
//! targets, and tick groups giving the ticked option's name.

use crate::diag::{warn, WarningCode, Warnings};
use crate::form::Claims;
use crate::grid::{CellRef, Row};
use crate::record::Values;
use crate::value::{self, Op, Target, TargetKind};
use crate::vocab::{self, fold, Nature};

/// The name of the ticked option of a tick group; other text is kept raw.
pub(super) fn ticked_option(row: &Row, options: &[(u32, String)], claims: &mut Claims) -> Target {
    let mut picked: Vec<&str> = Vec::new();
    for (col, name) in options {
        if let Some(t) = row.get(*col) {
            claims.take(row, *col);
            picked.push(if vocab::is_tick(t) { name.as_str() } else { t });
        }
    }
    if picked.is_empty() {
        Target::text("", TargetKind::Empty)
    } else {
        Target::text(&picked.join(vocab::LIST_SEPARATOR), TargetKind::Qualitative)
    }
}

/// 指标性质 gives `op` (定性 makes the target qualitative) and 度量单位 gives
/// `unit` to the row's targets; a comparator written in the value wins.
pub(super) fn apply_nature(
    values: &mut Values,
    nature: Option<(String, u32)>,
    measure: Option<String>,
    row: &Row,
    warnings: &mut Warnings,
) {
    let nature_of = nature.as_ref().and_then(|(n, _)| vocab::nature(&fold(n)));
    let measure = measure.filter(|m| !value::is_placeholder(m));
    for (key, t) in values.0.iter_mut() {
        // SPEC §3.1: 指标性质 and 计量单位 feed the targets, never 权重 or 实际完成值.
        let applies = key.is_target();
        if !applies || t.kind == TargetKind::Empty {
            continue;
        }
        match nature_of {
            Some(Nature::Qualitative) => {
                let raw = t.raw.clone();
                *t = Target::text(&raw, TargetKind::Qualitative);
                continue;
            }
            Some(Nature::Op(op)) => {
                let col = nature.as_ref().map_or(0, |(_, c)| *c);
                set_op(t, op, row.at(col), warnings);
            }
            None => {}
        }
        if let Some(m) = &measure {
            if t.unit.is_none() {
                t.unit = Some(m.clone());
            }
        }
    }
}

/// The 指标性质 comparator for one target, unless the value writes its own.
fn set_op(t: &mut Target, op: Op, at: CellRef, warnings: &mut Warnings) {
    if t.kind == TargetKind::Quantitative && vocab::writes_comparator(&t.raw) {
        if t.op != Some(op) {
            warn(
                warnings,
                WarningCode::NatureConflict,
                Some(at),
                format!(
                    "{} says {op} but the value {:?} says {}; the value wins",
                    vocab::NATURE_HEADER,
                    t.raw,
                    t.op.unwrap_or(Op::Eq)
                ),
            );
        }
    } else {
        t.op = Some(op);
        if let Some(first) = t.terms.first_mut() {
            first.op = op;
        }
    }
}
