//! Hostile input (issue 11): FIFOs, devices, huge and hidden files, invisible characters, dates
//! out of order, an applicant of another province stored by an earlier import, and an official
//! re-checking another province's folder. The binary is run as a user runs it, with a timeout
//! so that a regression fails instead of hanging.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use ratatui::crossterm::event::KeyCode;
use shifan::tui::app::{Msg, Screen, State};
use shifan::tui::lang::Lang;
use shifan::tui::screens::official::Mode;
use shifan::tui::testing::{ch, chars, key, render};

/// Long enough for a debug build under load; a FIFO that blocks would never return.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&std::ffi::OsStr]) -> Run {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_shifan"))
        .current_dir(common::root())
        .env_remove("SHIFAN_LANG")
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .expect("the binary runs");
    assert!(
        start.elapsed() < TIMEOUT,
        "shifan {args:?} took {:?}: it hung",
        start.elapsed()
    );
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

fn validate_en(path: &Path) -> Run {
    run(&[os("--lang"), os("en"), os("validate"), path.as_os_str()])
}

fn import_en(db: &Path, path: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        os("--lang"),
        os("en"),
        os("--db"),
        db.as_os_str(),
        os("import"),
        path.as_os_str(),
    ];
    args.extend(extra.iter().map(|a| os(a)));
    run(&args)
}

fn json(path: &Path) -> serde_json::Value {
    let r = run(&[os("validate"), os("--format"), os("json"), path.as_os_str()]);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// (code, file, message in English) of every finding of a JSON report.
fn findings(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
                f["message"]["en"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

fn stored_batches(db: &Path, province: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT COUNT(*) FROM batch WHERE province_key = ?1",
        [province],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn a_fifo_named_toml_in_a_province_folder_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "", |t| t.to_string());
    let fifo = dir.join("pipe.toml");
    mkfifo(&fifo);
    let r = validate_en(&dir);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("E-FILE-TYPE"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("{} is a FIFO (named pipe)", fifo.display())),
        "{}",
        r.stdout
    );
    let db = tmp.path().join("round.db");
    let r = import_en(&db, &dir, &[]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("E-FILE-TYPE"), "{}", r.stdout);
    assert!(r.stdout.contains("not imported"), "{}", r.stdout);
    assert_eq!(stored_batches(&db, "330000"), 0);
    // Named on its own too.
    let r = run(&[os("validate"), fifo.as_os_str()]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("是命名管道（FIFO），不是普通文件"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_symlink_to_dev_zero_is_refused_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "", |t| t.to_string());
    let link = dir.join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let r = validate_en(&dir);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!(
            "{} is a symbolic link to a character device, not a regular file",
            link.display()
        )),
        "{}",
        r.stdout
    );
    let db = tmp.path().join("round.db");
    let r = import_en(&db, &dir, &[]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("E-FILE-TYPE"), "{}", r.stdout);
    assert_eq!(stored_batches(&db, "330000"), 0);
    // And named directly.
    let r = run(&[os("validate"), link.as_os_str()]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("E-FILE-TYPE"), "{}", r.stdout);
}

#[test]
fn a_symlink_to_a_regular_dossier_is_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "", |t| t.to_string());
    let real = tmp.path().join("elsewhere.toml");
    std::fs::rename(dir.join("anji.toml"), &real).unwrap();
    std::os::unix::fs::symlink(&real, dir.join("anji.toml")).unwrap();
    let v = json(&dir);
    assert_eq!(v["errors"], 0, "{v}");
    assert_eq!(v["dossiers"], 2, "{v}");
}

#[test]
fn a_dossier_over_the_size_cap_is_an_error_naming_file_and_cap() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "", |t| t.to_string());
    let big = dir.join("big.toml");
    let mut text = std::fs::read_to_string(dir.join("anji.toml")).unwrap();
    text.push_str(&format!("# {}\n", "x".repeat(4 * 1024 * 1024)));
    std::fs::write(&big, &text).unwrap();
    let v = json(&dir);
    let f = findings(&v);
    let hit = f
        .iter()
        .find(|(c, _, _)| c == "E-FILE-SIZE")
        .unwrap_or_else(|| panic!("{f:?}"));
    assert_eq!(hit.1, big.display().to_string());
    assert!(
        hit.2.contains(&format!(
            "has {} bytes, over the limit of 4194304 bytes (4 MiB)",
            text.len()
        )),
        "{hit:?}"
    );
}

#[test]
fn hidden_files_and_nested_folders_are_reported_not_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "", |t| t.to_string());
    std::fs::copy(dir.join("anji.toml"), dir.join(".draft.toml")).unwrap();
    std::fs::create_dir(dir.join("old")).unwrap();
    std::fs::copy(dir.join("deqing.toml"), dir.join("old/deqing-v1.toml")).unwrap();
    let v = json(&dir);
    let f = findings(&v);
    let dir_s = dir.display().to_string();
    assert!(
        f.iter().any(|(c, file, m)| c == "W-HIDDEN-FILE"
            && *file == dir_s
            && m.contains("\".draft.toml\"")),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|(c, file, m)| c == "W-NESTED-FOLDER" && *file == dir_s && m.contains("\"old\"")),
        "{f:?}"
    );
    // Warnings: the batch itself stays importable.
    assert_eq!(v["errors"], 0, "{v}");
    assert_eq!(v["dossiers"], 2, "{v}");
}

#[test]
fn dossiers_without_submission_beside_a_subfolder_get_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "", |t| t.to_string());
    std::fs::remove_file(dir.join("submission.toml")).unwrap();
    std::fs::create_dir(dir.join("attachments")).unwrap();
    let r = validate_en(&dir);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(
        !r.stderr
            .contains("no submission folders or dossier files found"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("E-NO-SUBMISSION"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("the folder holds 2 dossiers but no submission.toml"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("W-NESTED-FOLDER"), "{}", r.stdout);

    // A set whose province folder holds its dossiers one level too deep: a usage error
    // naming the folders, in both languages.
    let deep = tmp.path().join("set");
    std::fs::create_dir_all(deep.join("330000/2026")).unwrap();
    std::fs::copy(
        common::fixture("valid/zhejiang/anji.toml"),
        deep.join("330000/2026/anji.toml"),
    )
    .unwrap();
    let r = validate_en(&deep);
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("no submission.toml or dossier .toml files in it or in its folders"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("set/330000"), "{}", r.stderr);
    let r = run(&[os("validate"), deep.as_os_str()]);
    assert!(
        r.stderr.contains("省份文件夹应直接存放报送函和申报书"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_reported_and_kept_byte_exact() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "", |t| t.to_string());
    // "北京" in GBK, as a Chinese Windows zip tool writes it: no valid UTF-8 in it.
    let name = std::ffi::OsStr::from_bytes(b"\xB1\xB1\xBE\xA9-anji.toml");
    let gbk = dir.join(name);
    std::fs::rename(dir.join("anji.toml"), &gbk).unwrap();
    let escaped = format!("{}/\\xB1\\xB1\\xBE\\xA9-anji.toml", dir.display());
    let v = json(&dir);
    let f = findings(&v);
    assert!(
        f.iter()
            .any(|(c, file, m)| c == "W-FILE-NAME" && *file == escaped && m.contains("not UTF-8")),
        "{f:?}"
    );
    assert_eq!(v["errors"], 0, "{v}");
    let db = tmp.path().join("round.db");
    let r = import_en(&db, &dir, &[]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let files: Vec<String> = conn
        .prepare("SELECT file FROM dossier ORDER BY file")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // Stored in the escaped form (never U+FFFD): the original bytes can be told back.
    assert_eq!(files, ["\\xB1\\xB1\\xBE\\xA9-anji.toml", "deqing.toml"]);
    assert!(!files.iter().any(|f| f.contains('\u{FFFD}')));
}

/// A set folder with two provinces: Zhejiang as in the fixture, and Jiangsu whose one dossier
/// is Deqing's under `name` (and without credit code).
fn two_provinces(tmp: &Path, name: &str) -> PathBuf {
    let set = tmp.join("set");
    std::fs::create_dir_all(&set).unwrap();
    common::edited_batch(&set, "", |t| t.to_string());
    let js = set.join("jiangsu");
    std::fs::create_dir_all(&js).unwrap();
    let sub = std::fs::read_to_string(common::fixture("valid/zhejiang/submission.toml")).unwrap();
    std::fs::write(js.join("submission.toml"), sub.replace("浙江省", "江苏省")).unwrap();
    let d = std::fs::read_to_string(common::fixture("valid/zhejiang/deqing.toml")).unwrap();
    let d = d
        .replace("province = \"浙江\"", "province = \"江苏\"")
        .replace("name = \"德清县农业农村局\"", &format!("name = \"{name}\""))
        .replace("credit_code = \"113305210026135675\"\n", "");
    std::fs::write(js.join("copy.toml"), d).unwrap();
    set
}

#[test]
fn invisible_characters_do_not_hide_a_duplicate_across_provinces() {
    for c in [
        '\u{200B}', '\u{200D}', '\u{2060}', '\u{00AD}', '\u{FEFF}', '\u{200E}', '\u{202E}',
        '\u{2066}',
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let hidden = format!("德清县{c}农业农村局");
        let set = two_provinces(tmp.path(), &hidden);
        let v = json(&set);
        let f = findings(&v);
        let u = format!("U+{:04X}", c as u32);
        let dups: Vec<_> = f
            .iter()
            .filter(|(code, _, _)| code == "E-DUP-APPLICANT")
            .collect();
        assert_eq!(dups.len(), 2, "{u}: {f:?}");
        assert!(
            f.iter().any(|(code, file, m)| code == "W-INVISIBLE-CHAR"
                && file.ends_with("jiangsu/copy.toml")
                && m.contains(&u)),
            "{u}: {f:?}"
        );
    }
}

#[test]
fn required_text_of_only_invisible_characters_is_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace(
            "rules = \"制定信息员管理办法、平台运维制度和信息发布审核制度。\"",
            "rules = \"\u{200B}\u{200D} \u{202E}\u{2066}\u{FEFF}\"",
        )
    });
    let v = json(&dir);
    let f = findings(&v);
    assert!(
        f.iter().any(|(c, file, m)| c == "E-EMPTY-TEXT"
            && file.ends_with("deqing.toml")
            && m.contains("\"team.rules\" holds only white space and invisible characters")),
        "{f:?}"
    );
    // The review opinion is checked the same way: only zero-width is no opinion.
    let dir = common::edited_batch(&tmp.path().join("b"), "deqing.toml", |t| {
        t.replace(
            "opinion = \"经审核，同意推荐。\"",
            "opinion = \"\u{200B}\u{2060}\"",
        )
    });
    let codes: Vec<String> = findings(&json(&dir)).into_iter().map(|f| f.0).collect();
    assert!(codes.contains(&"E-REVIEW-MISSING".to_string()), "{codes:?}");
}

#[test]
fn a_review_dated_after_the_batch_was_sent_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    // Sent 2026-05-28 (submission.toml); reviewed the day after.
    let dir = common::edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace("reviewed_on = 2026-05-20", "reviewed_on = 2026-05-29")
    });
    let v = json(&dir);
    let f = findings(&v);
    let hit = f
        .iter()
        .find(|(c, _, _)| c == "E-REVIEW-AFTER-SENT")
        .unwrap_or_else(|| panic!("{f:?}"));
    assert!(hit.1.ends_with("deqing.toml"));
    assert!(
        hit.2
            .contains("reviewed on 2026-05-29, after the batch was sent on 2026-05-28"),
        "{hit:?}"
    );
    let line = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "E-REVIEW-AFTER-SENT")
        .and_then(|f| f["line"].as_u64());
    assert_eq!(line, Some(46), "the line of reviewed_on");
    // The same day is fine.
    let dir = common::edited_batch(&tmp.path().join("b"), "deqing.toml", |t| {
        t.replace("reviewed_on = 2026-05-20", "reviewed_on = 2026-05-28")
    });
    assert_eq!(json(&dir)["errors"], 0);
}

#[test]
fn a_submission_sent_before_the_application_period_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "submission.toml", |t| {
        t.replace("sent_on = 2026-05-28", "sent_on = 2025-05-28")
    });
    let v = json(&dir);
    let f = findings(&v);
    assert!(
        f.iter().any(|(c, _, m)| c == "W-SENT-EARLY"
            && m.contains(
                "sent on 2025-05-28, before the round's application period opens on 2026-04-20"
            )),
        "{f:?}"
    );
    // Both reviews are now after the date sent: errors.
    assert_eq!(
        f.iter()
            .filter(|(c, _, _)| c == "E-REVIEW-AFTER-SENT")
            .count(),
        2,
        "{f:?}"
    );
}

#[test]
fn over_long_names_and_texts_are_errors_with_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    // 4 million characters (ASCII, so the file stays under the 4 MiB read cap).
    let dir = common::edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace(
            "name = \"德清县农业农村局\"",
            &format!("name = \"{}\"", "A".repeat(4_000_000)),
        )
    });
    let start = Instant::now();
    let v = json(&dir);
    let f = findings(&v);
    assert!(
        f.iter().any(|(c, _, m)| c == "E-TEXT-LENGTH"
            && m == "\"applicant.name\" has 4000000 characters, over the limit of 64"),
        "{:?}",
        f.iter()
            .map(|x| (&x.0, x.2.chars().take(200).collect::<String>()))
            .collect::<Vec<_>>()
    );
    // The name is not quoted back in any other message.
    assert!(f.iter().all(|(_, _, m)| m.len() < 1000));
    assert!(start.elapsed() < TIMEOUT);
    let db = tmp.path().join("round.db");
    let r = import_en(&db, &dir, &[]);
    assert_eq!(r.code, Some(1));
    assert_eq!(stored_batches(&db, "330000"), 0);

    // Over Excel's cell limit (32,767) in a text: refused at 5,000.
    let dir = common::edited_batch(&tmp.path().join("b"), "deqing.toml", |t| {
        t.replace(
            "content = \"三年内实现农业生产、经营、管理、服务全链条数字化。\"",
            &format!("content = \"{}\"", "数".repeat(32_768)),
        )
    });
    let f = findings(&json(&dir));
    assert!(
        f.iter().any(|(c, _, m)| c == "E-TEXT-LENGTH"
            && m.contains("\"work_plan.content\" has 32768 characters, over the limit of 5000")),
        "{f:?}"
    );
}

#[test]
fn implausible_figures_are_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace("households_served = 52000", "households_served = 520000000")
            .replace("staff_count = 26", "staff_count = 260000")
    });
    let v = json(&dir);
    let f = findings(&v);
    let ranges: Vec<_> = f.iter().filter(|(c, _, _)| c == "W-FIGURE-RANGE").collect();
    assert_eq!(ranges.len(), 2, "{f:?}");
    assert!(
        ranges.iter().any(|(_, _, m)| m.contains(
            "\"foundation.figures.households_served\" is 520000000, above the plausible 30000000"
        )),
        "{ranges:?}"
    );
    assert!(
        ranges
            .iter()
            .any(|(_, _, m)| m.contains("\"team.staff_count\" is 260000")),
        "{ranges:?}"
    );
    assert_eq!(v["errors"], 0, "warnings only: {v}");
}

/// One province folder (submission + one dossier from the Deqing fixture) under `root`.
fn province_folder(
    root: &Path,
    folder: &str,
    province: &str,
    name: &str,
    code: Option<&str>,
) -> PathBuf {
    let dir = root.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    let sub = std::fs::read_to_string(common::fixture("valid/zhejiang/submission.toml")).unwrap();
    std::fs::write(dir.join("submission.toml"), sub.replace("浙江省", province)).unwrap();
    let d = std::fs::read_to_string(common::fixture("valid/zhejiang/deqing.toml")).unwrap();
    let d = d
        .replace("province = \"浙江\"", &format!("province = \"{province}\""))
        .replace("name = \"德清县农业农村局\"", &format!("name = \"{name}\""))
        .replace(
            "credit_code = \"113305210026135675\"\n",
            &code.map_or_else(String::new, |c| format!("credit_code = \"{c}\"\n")),
        );
    std::fs::write(dir.join("dossier-01.toml"), d).unwrap();
    dir
}

#[test]
fn an_applicant_stored_for_another_province_by_an_earlier_import_is_an_error_naming_both() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("round.db");
    // 北京 first.
    let bj = province_folder(
        tmp.path(),
        "bj",
        "北京市",
        "德清县农业农村局",
        Some("113305210026135675"),
    );
    let r = import_en(&db, &bj, &[]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);

    // 河北 the next day, by name (with a zero-width space inside).
    let hb = province_folder(tmp.path(), "hb", "河北省", "德清县\u{200B}农业农村局", None);
    let r = import_en(&db, &hb, &[]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("E-DUP-STORED"), "{}", r.stdout);
    // The batch's line points down to the finding printed under it.
    assert!(
        r.stdout.contains("not imported: 1 error(s), see below"),
        "{}",
        r.stdout
    );
    let hb_file = hb.join("dossier-01.toml").display().to_string();
    assert!(
        r.stdout
            .contains("is already stored for Beijing: dossier 110000-01 (file dossier-01.toml")
            && r.stdout.contains(&format!("{hb_file} cannot apply again")),
        "{}",
        r.stdout
    );
    assert_eq!(stored_batches(&db, "130000"), 0, "nothing of Hebei stored");

    // By credit code, another name; JSON carries the finding with the import result.
    let hb2 = province_folder(
        tmp.path(),
        "hb2",
        "河北省",
        "定州市人民政府",
        Some("113305210026135675"),
    );
    let r = run(&[
        os("--db"),
        db.as_os_str(),
        os("import"),
        hb2.as_os_str(),
        os("--format"),
        os("json"),
    ]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let res = &v["import"][0];
    assert_eq!(res["outcome"], "rejected", "{v}");
    let f = &res["findings"][0];
    assert_eq!(f["code"], "E-DUP-STORED", "{v}");
    assert_eq!(f["field"], "applicant.credit_code", "{v}");
    assert!(
        f["message"]["zh"]
            .as_str()
            .unwrap()
            .contains("已由北京市申报并入库：申报书 110000-01"),
        "{f}"
    );
    assert_eq!(stored_batches(&db, "130000"), 0);

    // A third province with another applicant is imported as usual.
    let tj = province_folder(tmp.path(), "tj", "天津市", "天津市农业农村委员会", None);
    let r = import_en(&db, &tj, &[]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);

    // Beijing replacing its own batch is not a duplicate of itself.
    std::fs::write(
        bj.join("dossier-01.toml"),
        std::fs::read_to_string(bj.join("dossier-01.toml"))
            .unwrap()
            .replace("三年内", "五年内"),
    )
    .unwrap();
    let r = import_en(&db, &bj, &["--replace"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("replaced"), "{}", r.stdout);
    assert_eq!(stored_batches(&db, "110000"), 2);
}

fn official(s: &mut tui_setup::Setup) -> State {
    let mut state = State::new(s.criteria.clone(), Lang::En, &s.store);
    let mut keys = chars("official");
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(tui_setup::PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    assert!(
        matches!(state.screen, Screen::Official(_)),
        "{:?}",
        state.env.message
    );
    state
}

fn recheck(state: &mut State, store: &mut shifan::store::Store, folder: &Path) {
    send(state, store, [ch('f')]);
    // The field starts with the folder checked last: empty it first.
    send(state, store, vec![key(KeyCode::Backspace); 400]);
    send(state, store, [Msg::Paste(folder.display().to_string())]);
    send(state, store, [key(KeyCode::Enter)]);
}

#[test]
fn an_official_cannot_recheck_another_provinces_folder() {
    let mut s = tui_setup::setup();
    assert_eq!(s.province, "330000");
    let mut state = official(&mut s);
    let samples = common::root().join("sample-applications");

    for folder in [samples.join("110000-beijing"), samples.clone()] {
        recheck(&mut state, &mut s.store, &folder);
        let (text, error) = state
            .env
            .message
            .as_ref()
            .map(|m| (m.text.en.clone(), m.error))
            .unwrap_or_default();
        assert!(error, "{text}");
        assert!(text.starts_with("cannot check: "), "{text}");
        assert!(text.contains("not Zhejiang"), "{text}");
        match &state.screen {
            Screen::Official(o) => {
                assert!(o.findings.is_empty(), "{:?}", o.findings);
                assert!(o.notes.is_empty());
                assert_ne!(o.mode, Mode::Findings);
            }
            other => panic!("{other:?}"),
        }
        let rows = render(&state, 100, 30).join("\n");
        assert!(!rows.contains("E-DUP-APPLICANT"), "{rows}");
        assert!(!rows.contains("北京市农林科学院"), "{rows}");
    }

    // At 80×24 the refusal is read whole, what to do included: the message wraps. (A folder
    // at a short path of known length: a path is one unbreakable word, and the checkout's
    // own path could be of any length.)
    let short = tempfile::tempdir().unwrap();
    let beijing = short.path().join("bj");
    std::fs::create_dir(&beijing).unwrap();
    for e in std::fs::read_dir(samples.join("110000-beijing")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), beijing.join(e.file_name())).unwrap();
    }
    recheck(&mut state, &mut s.store, &beijing);
    let rows = render(&state, 80, 24).join("");
    let flat: String = rows.split_whitespace().collect();
    assert!(
        flat.contains("Anofficialchecksonlytheownprovince'sfiles"),
        "{}",
        render(&state, 80, 24).join("\n")
    );

    // Zhejiang's own submission with a Beijing dossier linked into it: refused as well.
    let tmp = tempfile::tempdir().unwrap();
    let own = common::edited_batch(tmp.path(), "", |t| t.to_string());
    std::os::unix::fs::symlink(
        samples.join("110000-beijing/dossier-01.toml"),
        own.join("borrowed.toml"),
    )
    .unwrap();
    recheck(&mut state, &mut s.store, &own);
    let text = state
        .env
        .message
        .as_ref()
        .map(|m| m.text.en.clone())
        .unwrap_or_default();
    assert!(text.contains("borrowed.toml belongs to Beijing"), "{text}");
    match &state.screen {
        Screen::Official(o) => assert!(o.findings.is_empty()),
        other => panic!("{other:?}"),
    }

    // The own province's folder is checked as before.
    std::fs::remove_file(own.join("borrowed.toml")).unwrap();
    recheck(&mut state, &mut s.store, &samples.join("330000-zhejiang"));
    match &state.screen {
        Screen::Official(o) => assert_eq!(o.mode, Mode::Findings, "{:?}", state.env.message),
        other => panic!("{other:?}"),
    }
    let text = state
        .env
        .message
        .as_ref()
        .map(|m| m.text.en.clone())
        .unwrap_or_default();
    assert!(text.starts_with("checked: 10 dossiers"), "{text}");
}

#[test]
fn a_fifo_named_as_the_roster_is_refused_not_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("experts.toml");
    mkfifo(&fifo);
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let r = shifan::input::experts::read_roster(&common::criteria(), &path);
        let _ = tx.send(r.map(|e| e.len()).map_err(|e| e.to_string()));
    });
    let got = rx
        .recv_timeout(TIMEOUT)
        .expect("read_roster returned: it did not hang");
    let err = got.expect_err("a FIFO is no roster");
    assert!(
        err.contains("is a FIFO (named pipe), not a regular file"),
        "{err}"
    );
}

#[test]
fn a_roster_that_cannot_be_used_is_named_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("round.db");
    let demo = run(&[os("demo"), os("--db"), db.as_os_str()]);
    assert_eq!(demo.code, Some(0), "{}", demo.stderr);
    let roster = tmp.path().join("experts.toml");
    std::fs::write(
        &roster,
        "[[expert]]\nid = \"E01\"\nname = \"甲\"\naffiliation = \"x\"\nprovince = \"北京\"\n\
         [[expert]]\nid = \"E01\"\nname = \"乙\"\naffiliation = \"y\"\nprovince = \"北京\"\n",
    )
    .unwrap();
    for (lang, want) in [
        ("zh", "有误：专家编号「E01」出现两次"),
        ("en", "cannot be used: expert id \"E01\" appears twice"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_shifan"))
            .current_dir(common::root())
            .env("SHIFAN_PASSWORD", "demo")
            .env_remove("SHIFAN_LANG")
            .args(["--lang", lang, "--user", "ministry", "--db"])
            .arg(&db)
            .args(["experts", "import"])
            .arg(&roster)
            .timeout(TIMEOUT)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(want), "{lang}: {err}");
        assert!(err.contains("experts.toml"), "{lang}: {err}");
    }
}
