//! End to end: the built binary in a detached tmux session, keys sent as a person would type
//! them, then the database checked with rusqlite. Skips, saying so, without tmux.

mod common;
#[path = "common/tmux.rs"]
mod tmux;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use tmux::Tmux;

#[test]
fn an_expert_scores_one_criterion_in_the_real_terminal() {
    if !tmux::available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the tmux end-to-end test did not run"
        );
        return;
    }
    let s = tui_setup::setup();
    let code = s.assigned[0].clone();
    let db = s.db.clone();
    drop(s.store);
    let bin = env!("CARGO_BIN_EXE_shifan");
    let criteria = common::root().join("criteria");
    let tmux = Tmux::new("expert");
    let cmd = format!(
        "'{bin}' --criteria '{}' tui --db '{}'",
        criteria.display(),
        db.display()
    );
    tmux.start("tui", 100, 30, &[], &cmd);
    tmux.wait_for("tui", &["登录"]);
    tmux.type_text("tui", "e01");
    tmux.send("tui", &["Tab"]);
    tmux.type_text("tui", tui_setup::PASSWORD);
    tmux.send("tui", &["Enter"]);
    let list = tmux.wait_for("tui", &["我的申报书"]);
    assert!(list.contains(&code), "{list}");
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["评分项 1/12"]);
    tmux.type_text("tui", "8.5");
    tmux.send("tui", &["Enter"]);
    let saved = tmux.wait_for("tui", &["已保存"]);
    assert!(saved.contains("评分项 2/12"), "{saved}");
    // Back to the list, then quit (asked first, y leaves).
    tmux.type_text("tui", "q");
    tmux.wait_for("tui", &["我的申报书"]);
    tmux.type_text("tui", "q");
    tmux.wait_for("tui", &["退出 shifan？"]);
    tmux.type_text("tui", "y");
    assert!(
        tmux.wait_gone("tui"),
        "the TUI quit on q:\n{}",
        tmux.screen("tui")
    );

    let conn = rusqlite::Connection::open(&db).expect("db opens");
    let first = &common::criteria().rubric.criteria[0].id;
    let points: f64 = conn
        .query_row(
            "SELECT points FROM score WHERE dossier_code = ?1 AND expert_id = 'E01' AND criterion = ?2",
            [&code, first],
            |r| r.get(0),
        )
        .expect("the score is stored");
    assert_eq!(points, 8.5);
}

/// The provincial official of a batch refused at the national import sees, in the real terminal
/// at 80×24, that it was refused and why (file, line, field, fix), in Chinese and in English.
#[test]
fn an_official_reads_why_the_batch_was_refused_in_the_real_terminal() {
    if !tmux::available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the tmux end-to-end test did not run"
        );
        return;
    }
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let tmux = Tmux::new("official");
    let cmd = format!(
        "'{}' --criteria '{}' tui --db '{}'",
        env!("CARGO_BIN_EXE_shifan"),
        common::root().join("criteria").display(),
        db.display()
    );
    tmux.start("tui", 80, 24, &[], &cmd);
    tmux.wait_for("tui", &["登录"]);
    tmux.type_text("tui", "official-beijing");
    tmux.send("tui", &["Tab"]);
    tmux.type_text("tui", tui_setup::DEMO_PASSWORD);
    tmux.send("tui", &["Enter"]);
    let home = tmux.wait_for("tui", &["被拒收", "按 r 查看拒收原因"]);
    assert!(home.contains("E-DUP-APPLICANT"), "{home}");
    tmux.type_text("tui", "r");
    let why = tmux.wait_for("tui", &["全国导入拒收", "字段：applicant.name", "改法："]);
    assert!(why.contains("dossier-02.toml:7"), "{why}");
    assert!(why.contains("130000-hebei/dossier-07.toml"), "{why}");
    tmux.type_text("tui", "L");
    tmux.wait_for("tui", &["Refused at import", "Code", "Problem"]);
    tmux.send("tui", &["Escape"]);
    tmux.wait_for(
        "tui",
        &["refused at the national import", "press r for the reasons"],
    );
    tmux.type_text("tui", "q");
    tmux.wait_for("tui", &["Quit shifan?"]);
    tmux.type_text("tui", "y");
    assert!(
        tmux.wait_gone("tui"),
        "the TUI quit:\n{}",
        tmux.screen("tui")
    );
}

/// The clerk, in the real terminal at 80×24: chooses an output folder, generates every document
/// of the phase in one step, reads the files written (full paths), is warned before a second run
/// overwrites them, and finds the generation in the audit log with each file's hash.
#[test]
fn a_clerk_generates_the_documents_into_a_chosen_folder_in_the_real_terminal() {
    if !tmux::available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the tmux end-to-end test did not run"
        );
        return;
    }
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    let out = demo.dir.path().join("out");
    drop(demo.store);
    let tmux = Tmux::new("clerk");
    let cmd = format!(
        "'{}' --criteria '{}' tui --db '{}'",
        env!("CARGO_BIN_EXE_shifan"),
        common::root().join("criteria").display(),
        db.display()
    );
    tmux.start("tui", 80, 24, &[("SHIFAN_TODAY", "2026-06-20")], &cmd);
    tmux.wait_for("tui", &["登录"]);
    tmux.type_text("tui", "clerk");
    tmux.send("tui", &["Tab"]);
    tmux.type_text("tui", tui_setup::DEMO_PASSWORD);
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["概况", "文书"]);
    tmux.send("tui", &["Tab"]);
    tmux.wait_for("tui", &["可生成的文书", "输出文件夹"]);
    tmux.type_text("tui", "f");
    tmux.wait_for("tui", &["文书输出文件夹"]);
    tmux.send("tui", &["C-u"]);
    tmux.type_text("tui", &out.display().to_string());
    tmux.send("tui", &["Enter"]);
    tmux.type_text("tui", "g");
    tmux.wait_for("tui", &["请确认"]);
    tmux.type_text("tui", "y");
    let written = tmux.wait_for("tui", &["已写入的文件", "个文件"]);
    assert!(
        written.contains("publicity-notice-draft.pdf"),
        "the list names the files:\n{written}"
    );
    let files: Vec<_> = std::fs::read_dir(&out)
        .expect("the chosen folder exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written.contains(&format!("{} 个文件", files.len())),
        "the screen counts the {} files written:\n{written}",
        files.len()
    );
    assert!(
        files.iter().any(|f| f == "score-sheet-E01.pdf"),
        "{files:?}"
    );

    // A second run into the same folder warns first; n leaves the files as they were.
    tmux.send("tui", &["Escape"]);
    tmux.wait_for("tui", &["可生成的文书"]);
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["已有", "替换"]);
    tmux.type_text("tui", "n");
    tmux.type_text("tui", "L");
    tmux.wait_for("tui", &["Output folder"]);
    tmux.type_text("tui", "q");
    tmux.wait_for("tui", &["Quit shifan?"]);
    tmux.type_text("tui", "y");
    assert!(
        tmux.wait_gone("tui"),
        "the TUI quit:\n{}",
        tmux.screen("tui")
    );

    let conn = rusqlite::Connection::open(&db).expect("db opens");
    let (n, detail): (i64, String) = conn
        .query_row(
            "SELECT COUNT(*), MAX(detail) FROM audit WHERE action = 'documents.generate'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("audit query");
    assert_eq!(
        n, 1,
        "one generation, one audit entry (the refused overwrite wrote none)"
    );
    assert!(detail.contains(&out.display().to_string()), "{detail}");
    assert!(detail.contains("score-sheet-E01.pdf"), "{detail}");
}

/// Ministry staff watch the overview in the real terminal while an expert submits a sheet
/// through the CLI in another process: the count changes without logging in again (live
/// refresh). Then the import refusals (`r`), and the assignment tab's swap list.
#[test]
fn the_ministry_sees_another_process_submit_in_the_real_terminal() {
    if !tmux::available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the tmux end-to-end test did not run"
        );
        return;
    }
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    let (dossier, expert): (String, String) = demo
        .store
        .connection()
        .query_row(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an open sheet");
    let (submitted, assigned): (i64, i64) = demo
        .store
        .connection()
        .query_row(
            "SELECT SUM(h.submitted_at IS NOT NULL), COUNT(*) FROM assignment a
             LEFT JOIN sheet h ON h.assignment_id = a.id WHERE a.ended_at IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counts");
    drop(demo.store);
    let tmux = Tmux::new("ministry");
    let cmd = format!(
        "'{}' --criteria '{}' tui --db '{}'",
        env!("CARGO_BIN_EXE_shifan"),
        common::root().join("criteria").display(),
        db.display()
    );
    // Before the review deadline (2026-06-30): open sheets are not yet overdue.
    tmux.start("tui", 80, 24, &[("SHIFAN_TODAY", "2026-06-20")], &cmd);
    tmux.wait_for("tui", &["登录"]);
    tmux.type_text("tui", "ministry");
    tmux.send("tui", &["Tab"]);
    tmux.type_text("tui", tui_setup::DEMO_PASSWORD);
    tmux.send("tui", &["Enter"]);
    let before = format!("已提交评分表 {submitted}/{assigned}");
    let home = tmux.wait_for("tui", &[&before, "导入时拒收 6 批"]);
    assert!(home.contains("概况"), "{home}");

    // The expert (account expertNN) fills and submits the sheet through the CLI.
    let account = format!("expert{}", expert.trim_start_matches('E'));
    let today = "2026-06-20";
    for c in &common::criteria().rubric.criteria {
        common::shifan_as(&db, &account, today)
            .args([
                "score",
                "--dossier",
                &dossier,
                "--criterion",
                &c.id,
                "--points",
            ])
            .arg(c.max.to_string())
            .assert()
            .success();
    }
    common::shifan_as(&db, &account, today)
        .args([
            "opinion",
            "--dossier",
            &dossier,
            "--text",
            "材料翔实，成效明显",
            "--recommend",
            "yes",
        ])
        .assert()
        .success();
    common::shifan_as(&db, &account, today)
        .args(["submit", "--dossier", &dossier])
        .assert()
        .success();
    // Within a few ticks the overview shows it, nobody logged in again.
    let after = format!("已提交评分表 {}/{assigned}", submitted + 1);
    tmux.wait_for("tui", &[&after]);

    // The batches refused at import, with their reasons.
    tmux.type_text("tui", "r");
    tmux.wait_for("tui", &["导入时拒收的批次 6", "→"]);
    tmux.send("tui", &["Escape"]);
    tmux.wait_for("tui", &["导入时拒收 6 批：r 查看原因"]);
    // The assignment tab: progress per expert, and the swap list with its reasons.
    tmux.send("tui", &["Tab"]);
    tmux.wait_for("tui", &["申报书与评审专家", "专家进度"]);
    tmux.wait_for("tui", &["o 重开评分表"]);
    // The first dossier's experts have all submitted: the list says so before anything is
    // typed, and Enter on one gives the reason and the way forward in the message line.
    tmux.type_text("tui", "w");
    tmux.wait_for("tui", &["选择调出的专家", "已提交  ✗"]);
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["的评分表已提交，不能调出；如需调换，先按 o 重开"]);
    tmux.send("tui", &["Escape"]);
    tmux.wait_for("tui", &["a 分配专家"]);
    tmux.type_text("tui", "q");
    tmux.wait_for("tui", &["退出 shifan？"]);
    tmux.type_text("tui", "y");
    assert!(
        tmux.wait_gone("tui"),
        "the TUI quit:\n{}",
        tmux.screen("tui")
    );
}

/// An expert at home: `shifan --package FILE` asks for the one-time code, opens their list
/// with no database and no account password, and a point typed in the scoring screen is in
/// the file when they quit; the ministry's import then stores it.
#[test]
fn an_expert_scores_in_a_package_offline_in_the_real_terminal() {
    if !tmux::available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the tmux end-to-end test did not run"
        );
        return;
    }
    let mut s = tui_setup::setup();
    let code = s.assigned[0].clone();
    let admin = shifan::domain::access::User {
        name: "admin".into(),
        role: shifan::domain::access::Role::Ministry,
    };
    let files = shifan::input::criteria::read_criteria_files(&common::root().join("criteria"))
        .expect("criteria files");
    let issued = s
        .store
        .issue_package(&admin, &files, "E01")
        .expect("package issued");
    let file = s.dir.path().join("E01.shifan");
    std::fs::write(&file, &issued.bytes).unwrap();
    let bin = env!("CARGO_BIN_EXE_shifan");
    let tmux = Tmux::new("package");
    let cmd = format!(
        "cd '{}' && '{bin}' --lang en --package E01.shifan",
        s.dir.path().display()
    );
    tmux.start("tui", 80, 24, &[], &cmd);
    tmux.wait_for("tui", &["one-time code"]);
    tmux.type_text("tui", &issued.code.to_lowercase());
    tmux.send("tui", &["Enter"]);
    let list = tmux.wait_for("tui", &["My dossiers"]);
    assert!(list.contains(&code) && list.contains("e01"), "{list}");
    assert!(
        list.contains("package E01.shifan"),
        "the status bar names the package: {list}"
    );
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["Criterion 1/12"]);
    tmux.type_text("tui", "8.5");
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["Criterion 2/12"]);
    tmux.type_text("tui", "q");
    tmux.wait_for("tui", &["My dossiers"]);
    // Logged out, the expert logs back in with the code, typed however it reads.
    tmux.type_text("tui", "u");
    tmux.wait_for("tui", &["Log in", "package E01.shifan"]);
    tmux.type_text("tui", &issued.account);
    tmux.send("tui", &["Tab"]);
    tmux.type_text("tui", &issued.code.to_lowercase().replace('-', " "));
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["My dossiers"]);
    tmux.type_text("tui", "q");
    tmux.wait_for("tui", &["Quit shifan?"]);
    tmux.type_text("tui", "y");
    assert!(tmux.wait_gone("tui"), "{}", tmux.screen("tui"));

    let back = s
        .store
        .return_package(
            &s.criteria,
            &admin,
            "E01.shifan",
            std::fs::read(&file).unwrap(),
        )
        .expect("the return is taken");
    assert_eq!(back.merged, vec![code.clone()]);
    let first = &s.criteria.rubric.criteria[0].id;
    let points: f64 = s
        .store
        .connection()
        .query_row(
            "SELECT points FROM score WHERE dossier_code = ?1 AND expert_id = 'E01' AND criterion = ?2",
            [&code, first],
            |r| r.get(0),
        )
        .expect("the score is stored");
    assert_eq!(points, 8.5);
}
