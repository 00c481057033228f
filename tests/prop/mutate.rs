//! Changes to a file's text that the property tests make: lines deleted, duplicated or
//! swapped, a field set to a value worth trying, bytes that break CSV and text inserted, the
//! file cut short. Shared by the loaders' and the readers' property tests.

use proptest::prelude::*;
use proptest::sample::{Index, select};

/// Bytes that break CSV and text: separators, quotes, line ends, controls, a byte-order
/// mark, Windows-1252 and stray UTF-8 bytes.
pub const NASTY: [&[u8]; 16] = [
    b",",
    b"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b";",
    b"\0",
    b"\x1b",
    b"\xef\xbb\xbf",
    b"\x92",
    b"\xc3",
    b"\xc3\xa9",
    b"\t",
    b"\"\"",
    b",,",
    b"\n\n",
];

/// Cell values worth trying: blanks, codes and ids of the fixture, numbers at the edges,
/// years, words the tables use.
pub const WORDS: [&str; 44] = [
    "",
    " ",
    "all",
    "yes",
    "no",
    "y",
    "0",
    "1",
    "-1",
    "0.5",
    "2.5",
    "1e308",
    "-1e308",
    "1e9",
    "1000000001",
    "NaN",
    "inf",
    "£1,250",
    "1,2,3",
    "2,5",
    "crewe",
    "nantwich",
    "stoke",
    "near",
    "unit",
    "indep",
    "ASD",
    "SEMH",
    "SLCN",
    "primary",
    "secondary",
    "post-16",
    "2025/26",
    "2026/27",
    "2027/28",
    "2099/00",
    "R",
    "7",
    "14",
    "central",
    "high",
    "framework",
    "block",
    "semh-base",
];

/// A cell: a word from [`WORDS`], any text, or a number.
pub fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(&WORDS[..]).prop_map(str::to_string),
        2 => any::<String>(),
        1 => any::<f64>().prop_map(|v| v.to_string()),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        1 => prop::collection::vec(select(&[",", "\"", ";", "\n", "a", "1", " ", "."][..]), 0..6)
            .prop_map(|v| v.concat()),
    ]
}

/// One change to a file's text.
#[derive(Debug, Clone)]
pub enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    /// Sets field `column` of line `line` (split on commas, or for a model file the value
    /// after `=`).
    SetField(Index, Index, String),
    Insert(Index, Vec<u8>),
    Truncate(Index),
    /// Inserts a whole line before line `at` (made by the model files' tests only).
    #[allow(dead_code)]
    InsertLine(Index, Vec<u8>),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::DeleteLine),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        6 => (any::<Index>(), any::<Index>(), cell()).prop_map(|(l, c, v)| Mutation::SetField(l, c, v)),
        2 => (any::<Index>(), select(&NASTY[..]).prop_map(<[u8]>::to_vec)).prop_map(|(at, b)| Mutation::Insert(at, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

/// Applies `m` to `bytes`; in a model file a field is the value after `=`.
pub fn apply(bytes: &mut Vec<u8>, m: &Mutation, toml: bool) {
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let n = lines.len();
    match m {
        Mutation::DeleteLine(i) => {
            lines.remove(i.index(n));
        }
        Mutation::DuplicateLine(i) => {
            let line = lines[i.index(n)].clone();
            lines.insert(i.index(n), line);
        }
        Mutation::SwapLines(a, b) => lines.swap(a.index(n), b.index(n)),
        Mutation::InsertLine(at, line) => lines.insert(at.index(n + 1), line.clone()),
        Mutation::SetField(l, c, value) => {
            if toml {
                // The value of one of the `key = value` lines.
                let assigned: Vec<usize> = (0..n).filter(|&i| lines[i].contains(&b'=')).collect();
                if let Some(&i) = assigned.get(l.index(assigned.len().max(1))) {
                    let line = &mut lines[i];
                    let eq = line.iter().position(|&b| b == b'=').unwrap_or(0);
                    line.truncate(eq + 1);
                    line.push(b' ');
                    line.extend(value.as_bytes());
                }
            } else {
                let line = &mut lines[l.index(n)];
                let mut fields: Vec<Vec<u8>> = line.split(|&b| b == b',').map(<[u8]>::to_vec).collect();
                let k = fields.len();
                fields[c.index(k)] = value.as_bytes().to_vec();
                *line = fields.join(&b","[..]);
            }
        }
        Mutation::Insert(at, b) => {
            let mut joined = lines.join(&b"\n"[..]);
            let at = at.index(joined.len() + 1);
            joined.splice(at..at, b.iter().copied());
            *bytes = joined;
            return;
        }
        Mutation::Truncate(at) => {
            let mut joined = lines.join(&b"\n"[..]);
            joined.truncate(at.index(joined.len() + 1));
            *bytes = joined;
            return;
        }
    }
    *bytes = lines.join(&b"\n"[..]);
}

/// Applies `changes` to a table's text.
pub fn mutated(original: &[u8], changes: &[Mutation]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for m in changes {
        apply(&mut bytes, m, false);
    }
    bytes
}
