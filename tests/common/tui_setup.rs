//! A real store in a temp dir for the TUI tests: samples imported, roster, accounts, assignments.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use shifan::domain::Criteria;
use shifan::domain::access::{Role, User};
use shifan::input::experts::read_roster;
use shifan::store::Store;
use shifan::validation::validate_paths;

pub const PASSWORD: &str = "pw-2026";

pub struct Setup {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub store: Store,
    pub criteria: Criteria,
    /// Dossiers assigned to E01, in code order.
    pub assigned: Vec<String>,
    /// The province whose official account is `official`.
    pub province: String,
}

pub fn setup() -> Setup {
    let criteria = crate::common::criteria();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("tui.db");
    let mut store = Store::open(&db).expect("store opens");
    let samples = crate::common::root().join("sample-applications");
    let report = validate_paths(&criteria, std::slice::from_ref(&samples)).expect("samples exist");
    store
        .import(&criteria, &report, false, None)
        .expect("import");
    store
        .add_account(None, "admin", &Role::Ministry, PASSWORD, true)
        .expect("first account");
    let admin = User {
        name: "admin".into(),
        role: Role::Ministry,
    };
    let roster = read_roster(&criteria, &samples.join("experts.toml")).expect("roster");
    store
        .import_experts(&admin, &roster)
        .expect("roster import");
    let province = "330000".to_string();
    let accounts = [
        (
            "e01",
            Role::Expert {
                expert_id: "E01".into(),
            },
        ),
        (
            "e02",
            Role::Expert {
                expert_id: "E02".into(),
            },
        ),
        (
            "official",
            Role::Official {
                province_key: province.clone(),
            },
        ),
        ("clerk", Role::Clerk),
    ];
    for (name, role) in &accounts {
        store
            .add_account(Some(&admin), name, role, PASSWORD, true)
            .expect("account");
    }
    let assigned: Vec<String> = {
        let conn = store.connection();
        let mut stmt = conn
            .prepare(
                "SELECT d.code FROM dossier d JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
                 WHERE d.province_key = ?1 ORDER BY d.code LIMIT 3",
            )
            .expect("query");
        stmt.query_map([&province], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("codes")
    };
    assert_eq!(assigned.len(), 3, "the sample province is imported");
    for code in &assigned {
        for expert in ["E01", "E02"] {
            store
                .connection()
                .execute(
                    "INSERT INTO assignment (dossier_code, expert_id, assigned_at, reason, origin) VALUES (?1, ?2, '2026-06-01T00:00:00Z', 'test', 'plan')",
                    [code.as_str(), expert],
                )
                .expect("assignment");
        }
    }
    Setup {
        dir,
        db,
        store,
        criteria,
        assigned,
        province,
    }
}

pub fn reopen(db: &Path) -> Store {
    Store::open(db).expect("store reopens")
}

/// A store holding the whole demo round (`shifan demo`): samples, roster, demo accounts
/// (password `demo`), assignment and plausible scores.
pub struct DemoSetup {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub store: Store,
    pub criteria: Criteria,
}

pub const DEMO_PASSWORD: &str = "demo";

pub fn demo_setup() -> DemoSetup {
    let criteria = crate::common::criteria();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    let mut store = Store::open(&db).expect("store opens");
    let samples = crate::common::root().join("sample-applications");
    shifan::demo::build(&criteria, &mut store, &samples, 1).expect("demo round");
    DemoSetup {
        dir,
        db,
        store,
        criteria,
    }
}

/// Feed messages to the app through `update`, as the runner does; stops at a quit.
pub fn send(
    state: &mut shifan::tui::app::State,
    store: &mut Store,
    msgs: impl IntoIterator<Item = shifan::tui::app::Msg>,
) -> shifan::tui::app::Command {
    let mut last = shifan::tui::app::Command::None;
    for m in msgs {
        last = shifan::tui::app::update(state, m, store);
        if last == shifan::tui::app::Command::Quit {
            break;
        }
    }
    last
}
