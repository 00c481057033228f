//! The glossary: every abbreviation and term the annex uses, each need code the model
//! declares with its full name.

use crate::model::Model;
use crate::outputs::annex::markdown::escape;
use crate::outputs::annex::{Item, Section, WITHHELD};

use crate::outputs::annex::content::words::NEED_NAMES;

/// Terms the annex uses, in alphabetical order, with what each means.
const TERMS: [(&str, &str); 17] = [
    (
        "Academy or free special school",
        "a special school funded directly by the Department for Education rather than by the council",
    ),
    (
        "Additional places required",
        "children who must be placed outside the borough because every suitable place in it is full, with \
         children who have no place available: the places the borough would need to meet their needs itself",
    ),
    ("Base year", "the first year of the annex: its counts are of children with plans now; later years are forecast"),
    (
        "EHC plan",
        "education, health and care plan: the legal document setting out a child's special educational needs and the support they must receive",
    ),
    ("Home area", "the locality of the borough a child lives in"),
    (
        "Independent special school",
        "a special school run privately or by a charity, where the council pays a fee for each child it places",
    ),
    ("LA", "local authority: the council"),
    ("Maintained special school", "a special school run by the council"),
    ("Non-maintained special school", "a special school run by a charity and approved by the Department for Education"),
    ("Occupancy", "children placed as a share of the places a setting has"),
    ("Phase", "early years, primary (reception to year 6), secondary (years 7 to 11) or post-16 (years 12 to 14)"),
    ("Primary need", "a child's main type of special educational need, as recorded by the council"),
    (
        "Resourced provision",
        "places for children with a particular need in a mainstream school, with specialist staff (also called an \
         SEN unit or resource base)",
    ),
    ("SEN", "special educational needs"),
    ("SEND", "special educational needs and disabilities"),
    ("Specialist post-16 institution", "a college for young people aged 16 to 25 with special educational needs"),
    (
        "UKRLP",
        "the UK Register of Learning Providers, which gives each provider of education and training a reference number",
    ),
];

/// The glossary section: the need codes the model uses, then the terms and `c`.
pub(in crate::outputs::annex::content) fn glossary(model: &Model) -> Section {
    let mut lines = Vec::new();
    for n in &model.needs {
        let name = NEED_NAMES
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(n))
            .map_or("a primary need the council records under this code", |(_, name)| name);
        lines.push(format!("- **{}**: {name} (a primary need)\n", escape(n)));
    }
    for (term, meaning) in TERMS {
        lines.push(format!("- **{term}**: {meaning}\n"));
    }
    lines.push(format!(
        "- **{WITHHELD}**: a number not shown to protect children's privacy (see \"Protecting children's privacy\" in \
         the method appendix)\n"
    ));
    Section {
        id: "glossary".into(),
        heading: "Glossary".into(),
        items: vec![
            Item::Paragraph("The abbreviations and terms this annex uses.".into()),
            Item::Markdown(lines.concat()),
        ],
    }
}
