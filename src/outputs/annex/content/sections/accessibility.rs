//! The accessibility statement the Public Sector Bodies Accessibility Regulations ask of a
//! council's published documents, and the list of the annex's data files.

use std::collections::BTreeMap;

use crate::model::Model;
use crate::outputs::annex::markdown::escape;
use crate::outputs::annex::{Item, Section, Table};

/// The accessibility statement, naming WCAG 2.2 AA and whom to contact.
pub(in crate::outputs::annex::content) fn accessibility(model: &Model, council: &str) -> Section {
    let contact = model
        .annex
        .contact
        .as_deref()
        .map_or_else(|| format!("contact {}", escape(council)), |c| format!("contact {}", escape(c)));
    let text = format!(
        "{council} wants as many people as possible to be able to use this annex. It is written to meet the Web \
         Content Accessibility Guidelines (WCAG) version 2.2 at level AA, as the Public Sector Bodies (Websites and \
         Mobile Applications) (No. 2) Accessibility Regulations 2018 require. Every chart and map has its figures \
         in a table, and every table is also in the workbook and as a CSV file.\n\n\
         If you find a problem using this annex, or need it in another format (large print, easy read, audio or \
         braille), {contact}: we will consider your request and reply within 10 working days. If you are not \
         happy with how we respond, contact the Equality Advisory and Support Service (EASS). The Equality and \
         Human Rights Commission enforces the accessibility regulations.\n",
        council = escape(council)
    );
    Section { id: "accessibility".into(), heading: "Accessibility statement".into(), items: vec![Item::Markdown(text)] }
}

/// The data files: the workbook, then each table's CSV file with its title.
pub(in crate::outputs::annex::content) fn data_files(tables: &[&Table]) -> Section {
    let mut text = String::from(
        "- [annex.xlsx](annex.xlsx): every table, a sheet each\n- [annex.md](annex.md): this annex as text, for a \
         committee report\n",
    );
    for t in tables {
        text.push_str(&format!("- [tables/{id}.csv](tables/{id}.csv): {}\n", escape(&t.title), id = t.id));
    }
    Section {
        id: "data-files".into(),
        heading: "Data files".into(),
        items: vec![
            Item::Paragraph(
                "The tables of this annex as files, to open in a spreadsheet: the workbook has them all; each CSV file \
                 has one."
                    .into(),
            ),
            Item::Markdown(text),
        ],
    }
}

/// The tables in the order the annex publishes them (for [`data_files`]).
pub(in crate::outputs::annex::content) fn in_order<'t>(
    sections: &'t [Section],
    tables: &'t BTreeMap<String, Table>,
) -> Vec<&'t Table> {
    sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| match i {
            Item::Table(t) => tables.get(&t.id),
            _ => None,
        })
        .collect()
}
