//! README's dashboard key table against the one key map: every key a tab binds of its own
//! (not the keys every screen shares: moving, tabs, help, language, quitting) is named in the
//! tab's row, in backticks, so the README cannot drift from what the keys do.

mod common;

use shifan::tui::keymap::{Action, Context, KEYMAP};

/// The README row of each dashboard tab (its first cell's start) and the contexts it covers.
const ROWS: &[(&str, &[Context])] = &[
    ("| 概况 Overview", &[Context::Dashboard]),
    ("| 分配 Assignment", &[Context::Assignment]),
    ("| 排名 Ranking", &[Context::Ranking]),
    (
        "| 会评 Panel",
        &[Context::Panel, Context::PanelReadOnly, Context::Stats],
    ),
    ("| 遴选 Selection", &[Context::Selection]),
    ("| 公示 Publicity", &[Context::Publicity]),
    ("| 文书 Documents", &[Context::Documents]),
];

/// The words inside the backticks of a row: `` `p`/`t` `` gives p and t, `` `PgUp PgDn` ``
/// gives PgUp and PgDn.
fn quoted(row: &str) -> Vec<String> {
    row.split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|span| {
            span.split([' ', '/'])
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_tab_key_of_the_key_map_is_in_the_readme_table() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    for (start, contexts) in ROWS {
        let row = readme
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("README has a row {start}"));
        let words = quoted(row);
        for b in KEYMAP.iter().filter(|b| {
            b.contexts.iter().any(|c| contexts.contains(c))
                // Shared by every list and home screen: described once above the table.
                && !b.contexts.contains(&Context::ExpertList)
                && !matches!(b.action, Action::NextTab | Action::PrevTab)
        }) {
            for k in b.keys {
                let label = k.label();
                assert!(
                    words.contains(&label),
                    "README's row {start} does not name `{label}` ({}): {row}",
                    b.en
                );
            }
        }
    }
}
