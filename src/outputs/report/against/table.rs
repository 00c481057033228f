//! What every comparison's text shares: its heading, and the model's figure beside the
//! DfE's with their difference and shares.

use crate::model::Model;
use crate::model::input::sen2::Authority;
use crate::outputs::report::text::{children, grid, with_sign};

use super::Line;

/// A figure, or `c` where the published one is missing.
pub(super) fn shown(v: Option<f64>) -> String {
    v.map_or_else(|| "c".to_string(), children)
}

/// The January a heading names.
pub(super) fn january_text(january: u16, asked: u16) -> String {
    if january == asked {
        format!("{january} (the base year's January)")
    } else {
        format!("{january} (the latest in the file up to the base year's January, {asked})")
    }
}

/// The heading lines of a comparison, as the caseload's.
pub(super) fn heading(model: &Model, title: &str, file: &str, a: &Authority, what: &str, basis: &str) -> String {
    format!(
        "{} — base year {} against {title}\n\
         Published: {file}, {} ({}, {}), January {}, {what}; suppressed figures (c, x, z) are missing, never 0.\n\
         Model: {basis}.\n\
         Difference = model − published; % of published.\n",
        model.name,
        model.planning_year,
        a.la_name,
        a.old_la_code,
        a.new_la_code,
        january_text(a.january, a.asked),
    )
}

/// The model's figure, the DfE's, their difference and the difference as a % of the DfE's;
/// `-` where either side has none, `any number` for a model's unlimited places.
pub(super) fn cells(m: Option<f64>, p: Option<f64>) -> [String; 4] {
    let model = match m {
        Some(v) if v.is_infinite() => "any number".to_string(),
        Some(v) => children(v),
        None => "-".to_string(),
    };
    let (diff, pc) = match m.filter(|v| v.is_finite()) {
        Some(m) => difference(m, p),
        None => ("-".into(), "-".into()),
    };
    [model, shown(p), diff, pc]
}

/// The model's figure `m` less the DfE's `p`, and that as a % of the DfE's; `-` where the
/// DfE's is missing (and the % where it is nil).
pub(super) fn difference(m: f64, p: Option<f64>) -> (String, String) {
    match p {
        Some(p) => {
            let d = m - p;
            let pc = if p > 0.0 {
                let pc = 100.0 * d / p;
                format!("{}%", with_sign(format!("{:.1}", pc.abs()), pc))
            } else {
                "-".into()
            };
            (with_sign(children(d.abs()), d), pc)
        }
        None => ("-".into(), "-".into()),
    }
}

/// A table of `lines`, a line a row: its name (headed `head`), the model's figure, the DfE's,
/// their difference and the difference as a % of the DfE's.
pub(super) fn lines_table(lines: &[Line], head: &str) -> String {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            let [m, p, d, pc] = cells(l.model, l.published);
            vec![l.name.clone(), m, p, d, pc]
        })
        .collect();
    grid(&[head, "model", "published", "difference", "%"], &rows, &[false, true, true, true, true])
}

/// A share of a total, as a percentage to one decimal place; `-` where unknown.
pub(super) fn share(v: Option<f64>, total: Option<f64>) -> String {
    match (v, total) {
        (Some(v), Some(t)) if t > 0.0 => format!("{:.1}%", 100.0 * v / t),
        _ => "-".to_string(),
    }
}
