//! The exports after sealing carry what the publicity made of each unit: a demo round sealed with
//! open sheets, published, an objection upheld (a unit removed, another promoted and published in
//! a supplementary period), confirmed, then `shifan export` read back as CSV, XLSX and JSON.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use assert_cmd::Command;
use common::*;
use serde_json::Value;

/// The scripted round runs in summer 2026: every `--on` date is before this day.
const TODAY: &str = "2026-08-31";

fn shifan(db: &Path, lang: &str) -> Command {
    let mut c = Command::cargo_bin("shifan").unwrap();
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env("SHIFAN_TODAY", TODAY)
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_CRITERIA")
        .args(["--lang", lang, "--db"])
        .arg(db);
    c
}

/// Run as ministry staff, expect success, return stdout.
fn run(db: &Path, lang: &str, args: &[&str]) -> String {
    let out = shifan(db, lang)
        .args(["--user", "ministry"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{args:?}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn status(db: &Path) -> Value {
    serde_json::from_str(&run(db, "en", &["publicity", "status", "--format", "json"])).unwrap()
}

/// ranking.csv as records keyed by dossier code: (outcome, reason), the last two columns.
fn outcomes(dir: &Path) -> BTreeMap<String, (String, String)> {
    let bytes = std::fs::read(dir.join("ranking.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let mut csv = csv::Reader::from_reader(&bytes[3..]);
    let headers = csv.headers().unwrap().clone();
    assert!(
        headers
            .iter()
            .any(|h| h == "标准化值" || h == "standardised"),
        "{headers:?}"
    );
    assert!(!headers.iter().any(|h| h == "标准化分"), "{headers:?}");
    csv.records()
        .map(Result::unwrap)
        .map(|r| {
            let n = r.len();
            (
                r[1].to_string(),
                (r[n - 2].to_string(), r[n - 1].to_string()),
            )
        })
        .collect()
}

/// The rows of the workbook's first sheet as the strings their cells show (shared strings
/// resolved; numbers as written).
fn sheet_rows(path: &Path) -> Vec<Vec<String>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let shared = read("xl/sharedStrings.xml");
    let sheet = read("xl/worksheets/sheet1.xml");
    let strings: Vec<String> = shared
        .split("<si>")
        .skip(1)
        .map(|si| {
            let t = si.split("</t>").next().unwrap_or("");
            t.rsplit('>').next().unwrap_or("").to_string()
        })
        .collect();
    sheet
        .split("<row ")
        .skip(1)
        .map(|row| {
            row.split("<c ")
                .skip(1)
                .map(|c| {
                    let v = c
                        .split("<v>")
                        .nth(1)
                        .and_then(|v| v.split("</v>").next())
                        .unwrap_or("");
                    if c.contains("t=\"s\"") {
                        strings[v.parse::<usize>().unwrap()].clone()
                    } else {
                        v.to_string()
                    }
                })
                .collect()
        })
        .collect()
}

fn export(db: &Path, lang: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let printed = run(db, lang, &["export", "--out", out.path().to_str().unwrap()]);
    for f in ["ranking.csv", "scores.csv", "round.xlsx", "round.json"] {
        assert!(printed.contains(f), "{printed}");
    }
    out
}

fn round_json(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("round.json")).unwrap()).unwrap()
}

fn codes(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn after_an_upheld_objection_the_exports_show_the_removal_the_promotion_and_the_confirmed_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let out = shifan(&db, "en").arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Before sealing: the current selection, with places on the reserve and reasons.
    let before = export(&db, "zh");
    let rows = outcomes(before.path());
    let count = |rows: &BTreeMap<String, (String, String)>, o: &str| {
        rows.values().filter(|(x, _)| x == o).count()
    };
    assert_eq!(count(&rows, "入选"), 100);
    assert_eq!(count(&rows, "备选第1位"), 1);
    assert!(
        rows.values()
            .any(|(o, why)| o == "未入选" && !why.is_empty()),
        "an exclusion reason: {rows:?}"
    );
    let json = round_json(before.path());
    assert_eq!(json["phase"], "review");
    assert!(json["list_hash"].is_null() && json["sealed"].is_null());
    assert!(json["confirmed"].is_null());
    assert_eq!(json["selected"].as_array().unwrap().len(), 100);

    // Seal with the demo's open sheets, publish, object, uphold, confirm after both periods.
    run(
        &db,
        "en",
        &[
            "publicity",
            "propose",
            "--on",
            "2026-07-31",
            "--accept-incomplete",
            "演示数据：部分评分表按设计未完成",
        ],
    );
    // Sealed: the reserve reads 备选 with its place, from the sealed reserve.
    let sealed_out = export(&db, "zh");
    let sealed_rows = outcomes(sealed_out.path());
    let s = status(&db);
    let reserve = codes(&s["reserve"]);
    assert_eq!(
        sealed_rows[&reserve[0]],
        ("备选".to_string(), "备选第1位".to_string())
    );
    assert_eq!(count(&sealed_rows, "入选"), 100);
    assert_eq!(round_json(sealed_out.path())["phase"], "sealed");

    run(&db, "en", &["publicity", "start", "--on", "2026-08-03"]);
    let victim = codes(&s["current_list"])[17].clone();
    run(
        &db,
        "en",
        &[
            "publicity",
            "object",
            "--dossier",
            &victim,
            "--by",
            "李四",
            "--summary",
            "服务数据不实",
            "--on",
            "2026-08-05",
        ],
    );
    let resolved = run(
        &db,
        "en",
        &[
            "publicity",
            "resolve",
            "--id",
            "1",
            "--upheld",
            "--note",
            "经核实，数据不实",
            "--on",
            "2026-08-07",
        ],
    );
    // Decided on Friday: the promoted unit is published from Monday for 5 working days.
    assert!(
        resolved.contains("supplementary publicity of the promoted unit: 2026-08-10 to 2026-08-14"),
        "{resolved}"
    );
    run(&db, "en", &["publicity", "confirm", "--on", "2026-08-17"]);
    let s = status(&db);
    assert_eq!(s["state"]["phase"], "confirmed");
    let promoted = s["changes"][0]["promoted"].as_str().unwrap().to_string();
    assert_ne!(promoted, victim);
    let head = run(&db, "en", &["audit", "head"]).trim().to_string();
    // A reserve unit that stayed on the reserve.
    let kept = reserve.iter().find(|c| **c != promoted).unwrap().clone();

    let after = export(&db, "zh");

    // ranking.csv (zh): the publicity's outcomes, never a fresh selection.
    let rows = outcomes(after.path());
    let (o, why) = &rows[&victim];
    assert_eq!(o, "异议成立撤销");
    assert!(
        why.contains("异议 #1 成立") && why.contains("经核实，数据不实"),
        "{why}"
    );
    let (o, why) = &rows[&promoted];
    assert_eq!(o, "递补");
    assert!(why.contains(&victim) && why.contains("补充公示期"), "{why}");
    assert_eq!(count(&rows, "入选"), 99);
    assert_eq!(count(&rows, "递补"), 1);
    assert_eq!(count(&rows, "异议成立撤销"), 1);
    assert_eq!(
        count(&rows, "备选"),
        reserve.iter().filter(|c| **c != promoted).count()
    );
    assert!(!rows.values().any(|(o, _)| o.starts_with("备选第")));
    assert!(
        rows.values()
            .all(|(o, _)| ["入选", "递补", "异议成立撤销", "备选", "未入选"].contains(&o.as_str()))
    );

    // The workbook's ranking sheet says the same, row by row.
    let sheet = sheet_rows(&after.path().join("round.xlsx"));
    assert!(sheet[0].iter().any(|h| h == "遴选结果"), "{:?}", sheet[0]);
    assert!(sheet[0].iter().any(|h| h == "标准化值"), "{:?}", sheet[0]);
    let outcome_in_sheet = |code: &str| {
        let row = sheet
            .iter()
            .find(|r| r.get(1).map(String::as_str) == Some(code))
            .unwrap_or_else(|| panic!("{code} not in the sheet"));
        row[row.len() - 2].clone()
    };
    assert_eq!(outcome_in_sheet(&victim), "异议成立撤销");
    assert_eq!(outcome_in_sheet(&promoted), "递补");
    assert_eq!(outcome_in_sheet(&kept), "备选");

    // round.json: the lists, the seal, the objection and the change, the head when exported.
    let json = round_json(after.path());
    assert_eq!(json["phase"], "confirmed");
    assert_eq!(json["list_hash"], s["status"]["list_hash"]);
    assert!(json["list_hash"].as_str().is_some_and(|h| h.len() == 64));
    let confirmed = codes(&json["confirmed"]);
    assert_eq!(confirmed.len(), 100);
    assert!(!confirmed.contains(&victim));
    assert!(confirmed.contains(&promoted));
    assert_eq!(codes(&json["current"]), confirmed);
    let sealed = codes(&json["sealed"]);
    assert_eq!(sealed.len(), 100);
    assert!(sealed.contains(&victim) && !sealed.contains(&promoted));
    let mut selected: Vec<String> = json["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    selected.sort();
    let mut sorted = confirmed.clone();
    sorted.sort();
    assert_eq!(selected, sorted, "selected: the list as it stands");
    assert!(
        !json["reserve"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == &promoted)
    );
    let objection = &json["objections"][0];
    assert_eq!(json["objections"].as_array().unwrap().len(), 1);
    assert_eq!(objection["code"], victim.as_str());
    assert_eq!(objection["objector"], "李四");
    assert_eq!(objection["resolution"]["decision"], "upheld");
    assert_eq!(objection["resolved_on"], "2026-08-07");
    let change = &json["changes"][0];
    assert_eq!(change["removed"], victim.as_str());
    assert_eq!(change["promoted"], promoted.as_str());
    assert_eq!(change["objection"], 1);
    let periods = json["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 2);
    assert_eq!(periods[0]["kind"], "main");
    assert_eq!(periods[1]["kind"], "supplementary");
    assert_eq!(periods[1]["code"], promoted.as_str());
    assert_eq!(periods[1]["start"], "2026-08-10");
    assert_eq!(periods[1]["end"], "2026-08-14");
    assert_eq!(json["audit_head"], head.as_str());
    assert_eq!(json["inputs_hash"], s["ranking_hash"]);
    for key in ["constraints", "ranking", "scores"] {
        assert!(!json[key].is_null(), "{key}");
    }
    let ranked = json["ranking"].as_array().unwrap();
    let victim_row = ranked
        .iter()
        .find(|r| r["code"] == victim.as_str())
        .unwrap();
    assert_eq!(victim_row["outcome"], "异议成立撤销");

    // In English the same outcomes, in English words.
    let en = export(&db, "en");
    let rows = outcomes(en.path());
    assert_eq!(rows[&victim].0, "removed (objection upheld)");
    assert_eq!(rows[&promoted].0, "promoted");
    assert_eq!(rows[&kept].0, "reserve");
    assert_eq!(rows.values().filter(|(o, _)| o == "selected").count(), 99);
    assert!(rows.values().any(|(o, _)| o == "not selected"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// ranking.csv as its header and records (after the byte-order mark).
fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let mut csv = csv::Reader::from_reader(&bytes[3..]);
    let headers = csv.headers().unwrap().iter().map(String::from).collect();
    let rows = csv
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

const FORMULA: &str = r#"=HYPERLINK("http://x","y")"#;

#[test]
fn a_formula_in_an_applicant_name_is_text_in_csv_and_xlsx_and_numbers_stay_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let samples = dir.path().join("samples");
    copy_dir(&root().join("sample-applications"), &samples);
    let dossier = samples.join("330000-zhejiang/dossier-01.toml");
    let text = std::fs::read_to_string(&dossier).unwrap();
    // The applicant's name replaced by the formula, whole.
    let (head, tail) = text.split_once("[applicant]\nname = \"").unwrap();
    let (_, rest) = tail.split_once('"').unwrap();
    let edited = format!(
        "{head}[applicant]\nname = \"{}\"{rest}",
        FORMULA.replace('"', "\\\"")
    );
    assert_ne!(text, edited);
    std::fs::write(&dossier, edited).unwrap();
    let db = dir.path().join("round.db");
    let out = shifan(&db, "en")
        .args(["demo", "--samples"])
        .arg(&samples)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for lang in ["zh", "en"] {
        let exported = export(&db, lang);
        let (headers, rows) = csv_table(&exported.path().join("ranking.csv"));
        let col = |zh: &str, en: &str| {
            headers
                .iter()
                .position(|h| h == zh || h == en)
                .unwrap_or_else(|| panic!("{zh}/{en} in {headers:?}"))
        };
        let applicant = col("申报单位", "applicant");
        let named: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r[applicant].contains("HYPERLINK"))
            .collect();
        assert_eq!(named.len(), 1, "{lang}");
        assert_eq!(named[0][applicant], format!("'{FORMULA}"), "{lang}");
        // No text cell anywhere starts a formula.
        for r in &rows {
            for (i, c) in r.iter().enumerate() {
                if c.starts_with(['=', '+', '@', '\t', '\r']) {
                    panic!("{lang}: column {} holds {c:?}", headers[i]);
                }
            }
        }
        // Numbers stay numbers (no apostrophe): every numeric column parses. (A negative
        // number keeps its sign: see the unit test in src/export.rs; the round has none.)
        for (zh, en) in [
            ("标准化值", "standardised"),
            ("排名依据分", "aggregate"),
            ("名次", "rank"),
        ] {
            let c = col(zh, en);
            for r in &rows {
                assert!(r[c].parse::<f64>().is_ok(), "{en}: {:?}", r[c]);
            }
        }
        // Flags read 是/否 in Chinese, yes/no in English.
        let flagged = col("需讨论", "flagged");
        let allowed = if lang == "zh" {
            ["是", "否"]
        } else {
            ["yes", "no"]
        };
        assert!(
            rows.iter().all(|r| allowed.contains(&r[flagged].as_str())),
            "{lang}: {:?}",
            rows.iter().map(|r| &r[flagged]).collect::<Vec<_>>()
        );
        let (sh, srows) = csv_table(&exported.path().join("scores.csv"));
        let submitted = sh
            .iter()
            .position(|h| h == "已提交" || h == "submitted")
            .unwrap();
        assert!(
            srows
                .iter()
                .all(|r| allowed.contains(&r[submitted].as_str()))
        );
        // A sheet with no points totals 0, never "-0".
        assert!(srows.iter().all(|r| !r.iter().any(|c| c == "-0")));

        // The workbook: the name is a shared string, as written, with no formula anywhere.
        let xlsx = exported.path().join("round.xlsx");
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        assert!(
            !sheet.contains("<f>") && !sheet.contains("<f "),
            "no formula"
        );
        drop(zip);
        let cells = sheet_rows(&xlsx);
        assert!(
            cells.iter().any(|r| r[applicant] == FORMULA),
            "{lang}: the name as text"
        );
        // round.json keeps the name as it is.
        let json = round_json(exported.path());
        assert!(
            json["ranking"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["applicant"] == FORMULA)
        );
    }
}

#[test]
fn an_opinion_over_the_excel_cell_limit_is_cut_in_the_spreadsheets_and_whole_in_round_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let out = shifan(&db, "en").arg("demo").output().unwrap();
    assert!(out.status.success());
    let mine: Value = serde_json::from_slice(
        &shifan(&db, "en")
            .args(["--user", "expert01", "mine", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let open = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["submitted"] == false)
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    // 40,000 characters, the last ones marking the end.
    let long = format!("{}END", "意".repeat(39_997));
    let out = shifan(&db, "en")
        .args([
            "--user",
            "expert01",
            "opinion",
            "--dossier",
            &open,
            "--text",
            &long,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let exported = export(&db, "zh");
    let (headers, rows) = csv_table(&exported.path().join("scores.csv"));
    let opinion = headers.iter().position(|h| h == "评审意见").unwrap();
    let cut: Vec<&String> = rows
        .iter()
        .map(|r| &r[opinion])
        .filter(|o| o.starts_with("意意意"))
        .collect();
    assert_eq!(cut.len(), 1);
    assert!(cut[0].ends_with("…[截断/truncated]"), "marked");
    assert!(!cut[0].contains("END"));
    assert!(cut[0].encode_utf16().count() <= 32_767);
    assert!(cut[0].encode_utf16().count() > 32_700, "cut near the limit");
    // The workbook was written (it used to fail as a whole), with the cut text.
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(exported.path().join("round.xlsx")).unwrap())
            .unwrap();
    let mut shared = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut shared)
        .unwrap();
    assert!(shared.contains("…[截断/truncated]"));
    assert!(!shared.contains("END"));
    // round.json has the whole text.
    let json = round_json(exported.path());
    assert!(
        json["scores"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["opinion"] == long.as_str())
    );
}

/// An applicant name over the limit (admitted by older rounds; the importer may now refuse
/// one): the ranking table on a real round, cut in CSV and XLSX, whole in JSON.
#[test]
fn an_applicant_name_over_the_cell_limit_does_not_fail_the_ranking_export() {
    use shifan::domain::selection::Constraints;
    use shifan::export::{CUT_MARKER, ranking_table, xlsx};
    let dir = tempfile::tempdir().unwrap();
    let criteria = criteria();
    let mut store = shifan::store::Store::open(&dir.path().join("round.db")).unwrap();
    shifan::demo::build(
        &criteria,
        &mut store,
        &root().join("sample-applications"),
        1,
    )
    .unwrap();
    let ministry = store.login("ministry", "demo").unwrap();
    let constraints = Constraints::from_criteria(&criteria);
    let mut selected = store
        .selection(&criteria, &ministry, &constraints, false)
        .unwrap();
    let code = selected.round.ranking.rows[0].code.clone();
    let long = format!("{}尾", "名".repeat(39_999));
    selected.round.applicants.insert(code.clone(), long.clone());
    let table = ranking_table(&criteria, &selected, None, "zh");
    let bytes = table.csv().unwrap();
    let mut csv = csv::Reader::from_reader(&bytes[3..]);
    let first = csv.records().next().unwrap().unwrap();
    assert_eq!(&first[1], code.as_str());
    assert!(first[4].ends_with(CUT_MARKER));
    assert!(first[4].encode_utf16().count() <= 32_767);
    assert!(xlsx(&[&table]).is_ok(), "the workbook is written");
    assert_eq!(table.json()[0]["applicant"], long.as_str());
}
