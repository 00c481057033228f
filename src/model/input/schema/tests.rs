use super::*;

/// The column list models/README.md gives for table `key`: after the table's place in the
/// README (`` `key`: `` or `` `key.csv` is `` in the text, else its heading `### key`), the
/// first list written `a,b,c` in backticks, or the first column of the first table
/// (`| column | meaning |`), whichever comes first.
fn readme_columns(readme: &str, key: &str) -> Vec<String> {
    let heading = readme.lines().find(|l| {
        l.strip_prefix("### ")
            .and_then(|rest| rest.strip_prefix(key))
            .is_some_and(|after| after.is_empty() || after.starts_with(' '))
    });
    let at = [format!("`{key}`: `"), format!("`{key}.csv` is")]
        .iter()
        .find_map(|anchor| readme.find(anchor.as_str()))
        .or_else(|| heading.and_then(|h| readme.find(h)))
        .unwrap_or_else(|| panic!("models/README.md does not describe table {key}"));
    let rest = &readme[at..];
    let list = rest.split('`').enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, span)| span).find(|span| {
        span.contains(',') && span.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == ',')
    });
    let list_at = list.and_then(|l| rest.find(&format!("`{l}`")));
    let table_at = rest.find("| column | meaning |");
    match (list_at, table_at) {
        (Some(l), t) if t.is_none_or(|t| l < t) => list.unwrap().split(',').map(str::to_string).collect(),
        (_, Some(t)) => rest[t..]
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .flat_map(|l| l.split('|').nth(1).unwrap_or("").split(',').map(|c| c.trim().trim_matches('`').to_string()))
            .collect(),
        _ => panic!("models/README.md gives no columns for table {key}"),
    }
}

#[test]
fn the_readme_lists_exactly_the_columns_of_every_table() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/README.md"))
        .expect("models/README.md");
    for table in TABLES {
        let schema: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(readme_columns(&readme, table.key), schema, "models/README.md, table {}", table.key);
    }
}

#[test]
fn the_readme_reader_finds_lists_and_tables() {
    let readme = "### one (optional)\n\nText `not a list` then `a,b_2,c`.\n\n`two.csv` is\n`x,y`\n\n### three\n\n\
                  | column | meaning |\n| --- | --- |\n| `p` | it |\n| `q`, `r` | them |\n\nAfter `s,t`.\n";
    assert_eq!(readme_columns(readme, "one"), ["a", "b_2", "c"]);
    assert_eq!(readme_columns(readme, "two"), ["x", "y"]);
    assert_eq!(readme_columns(readme, "three"), ["p", "q", "r"]);
}

#[test]
fn each_table_requires_the_columns_its_reader_needs() {
    // Written out by hand from models/README.md.
    assert_eq!(table("demand").required(false), ["locality", "need", "phase", "children"]);
    assert_eq!(table("demand").required(true), ["year", "locality", "need", "phase", "children"]);
    assert_eq!(table("demand").optional(), ["provision"]);
    assert_eq!(table("road_nodes").required(false), ["id", "latitude", "longitude"]);
    assert_eq!(table("road_nodes").optional(), ["name"]);
    assert_eq!(table("schemes").required(false), ["id", "name", "opens", "capital_cost"]);
    assert_eq!(table("settings").optional(), ["urn", "ukprn"]);
    assert_eq!(table("market").required(false), ["id", "name", "needs", "phases", "cost_per_place", "journey_minutes"]);
    assert!(find("no_such_table").is_none());
}

#[test]
fn keys_and_ids_are_unique_and_every_id_is_a_column() {
    for (i, t) in TABLES.iter().enumerate() {
        assert!(TABLES[..i].iter().all(|u| u.key != t.key && u.sheet != t.sheet), "{} twice", t.key);
        assert!(t.columns.iter().any(|c| c.name == t.id), "{}: id column {} is not a column", t.key, t.id);
        for (j, c) in t.columns.iter().enumerate() {
            assert!(t.columns[..j].iter().all(|d| d.name != c.name), "{}: {} twice", t.key, c.name);
        }
    }
}
