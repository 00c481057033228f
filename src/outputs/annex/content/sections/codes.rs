//! Primary needs in tables by their short codes (ASD, SEMH, MLD/SpLD), with a key under the
//! table: a row of a need group is "MLD/SpLD", not "Moderate and specific learning
//! difficulties (MLD, SpLD)", so tables stay narrow enough to read whole.

use crate::outputs::annex::Value;

use crate::outputs::annex::content::draft::{Cell, Draft};
use crate::outputs::annex::content::words::NEED_NAMES;

/// A need's or need group's label as a code: a group "Name (A, B)" as "A/B", a need's own
/// code as it is.
pub(super) fn need_code(label: &str) -> String {
    match label.strip_suffix(')').and_then(|l| l.rsplit_once(" (")) {
        Some((_, codes)) => codes.split(", ").collect::<Vec<_>>().join("/"),
        None => label.to_string(),
    }
}

/// "Need codes: ASD autistic spectrum disorder; MLD/SpLD moderate and specific learning
/// difficulties." for the needs and groups among `labels` (others left out).
pub(super) fn need_key<'a>(labels: impl IntoIterator<Item = &'a str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for label in labels {
        let code = need_code(label);
        let name = match label.strip_suffix(')').and_then(|l| l.rsplit_once(" (")) {
            Some((name, _)) => name.to_lowercase(),
            None => match NEED_NAMES.iter().find(|(c, _)| c.eq_ignore_ascii_case(label)) {
                Some((_, name)) => (*name).to_string(),
                None => continue,
            },
        };
        let part = format!("{code} {name}");
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() { String::new() } else { format!("Need codes: {}.", parts.join("; ")) }
}

/// The table's need labels in `column` as codes, with the key added to its note.
pub(super) fn with_need_codes(t: &mut Draft, column: usize) {
    let mut labels = Vec::new();
    for row in &mut t.rows {
        if let Some(Cell::Value(Value::Text(label))) = row.get_mut(column) {
            labels.push(label.clone());
            *label = need_code(label);
        }
    }
    add_key(t, &labels);
}

/// The key to the need codes among `labels`, added to the table's note.
pub(super) fn add_key(t: &mut Draft, labels: &[String]) {
    let key = need_key(labels.iter().map(String::as_str));
    if !key.is_empty() {
        t.note = if t.note.is_empty() { key } else { format!("{} {key}", t.note) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_its_codes_and_the_key_names_it() {
        assert_eq!(need_code("Moderate and specific learning difficulties (MLD, SpLD)"), "MLD/SpLD");
        assert_eq!(need_code("ASD"), "ASD");
        assert_eq!(need_code("All needs"), "All needs");
        assert_eq!(
            need_key(["ASD", "Sensory, physical and other needs (HI, VI, MSI, PD, OTH)", "All needs", "ASD"]),
            "Need codes: ASD autistic spectrum disorder; HI/VI/MSI/PD/OTH sensory, physical and other needs."
        );
        assert_eq!(need_key(["All needs"]), "");
    }
}
