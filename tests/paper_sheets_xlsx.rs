//! Paper score sheets keyed in Excel workbooks (.xlsx) on the demo round: the template holds
//! one row per open sheet under the header the reader takes; one clerk keys XLSX, the other
//! CSV, and what both agree on is stored while the mismatch is listed (with hostile text shown
//! harmless); a bad cell is refused naming file, worksheet, row, column letter and field, and
//! nothing is stored. The workbooks are real files written with rust_xlsxwriter.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use std::path::Path;

use calamine::{Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Format, Workbook};

/// A cell to write: a number, a text, or a number shown as a date.
enum V<'a> {
    N(f64),
    T(&'a str),
    Date(f64),
}

fn write_xlsx(path: &Path, header: &[String], rows: &[Vec<V>]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("评分表").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                V::N(n) => sheet.write_number(r, c, *n).unwrap(),
                V::T(t) => sheet.write_string(r, c, *t).unwrap(),
                V::Date(n) => sheet.write_number_with_format(r, c, *n, &date).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

/// Expert and dossier of the open sheets (assigned, not submitted; with `unscored`, nothing
/// scored yet either).
fn open_sheets(db: &Path, unscored: bool) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).expect("db");
    let mut stmt = conn
        .prepare(
            "SELECT a.expert_id, a.dossier_code FROM assignment a
             LEFT JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL
               AND (?1 = 0 OR NOT EXISTS (SELECT 1 FROM score s WHERE s.assignment_id = a.id))
             ORDER BY a.expert_id, a.dossier_code",
        )
        .expect("query");
    stmt.query_map([unscored], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

fn scores(db: &Path, expert: &str, dossier: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("db");
    conn.query_row(
        "SELECT COUNT(*) FROM score s JOIN assignment a ON a.id = s.assignment_id
         WHERE a.ended_at IS NULL AND a.expert_id = ?1 AND a.dossier_code = ?2",
        [expert, dossier],
        |r| r.get(0),
    )
    .expect("count")
}

fn submitted_total(db: &Path, expert: &str, dossier: &str) -> Option<f64> {
    let conn = rusqlite::Connection::open(db).expect("db");
    conn.query_row(
        "SELECT (SELECT SUM(points) FROM score s WHERE s.assignment_id = a.id)
         FROM assignment a JOIN sheet h ON h.assignment_id = a.id
         WHERE a.ended_at IS NULL AND h.submitted_at IS NOT NULL
           AND a.expert_id = ?1 AND a.dossier_code = ?2",
        [expert, dossier],
        |r| r.get(0),
    )
    .ok()
}

fn import(db: &Path, first: &Path, second: &Path) -> std::process::Output {
    common::shifan_as(db, "clerk", "2026-06-20")
        .args(["scores", "import", "--first"])
        .arg(first)
        .arg("--second")
        .arg(second)
        .output()
        .expect("runs")
}

/// The points of one sheet: 12 criteria, then the type standard (total 82 with 12.5).
const POINTS: [f64; 12] = [8.0, 7.5, 8.0, 9.0, 6.0, 5.0, 5.0, 6.0, 5.0, 6.0, 4.0, 12.5];

fn xlsx_row<'a>(e: &'a str, d: &'a str, last: f64, opinion: &'a str) -> Vec<V<'a>> {
    let mut row = vec![V::T(e), V::T(d)];
    row.extend(POINTS[..11].iter().map(|p| V::N(*p)));
    row.extend([V::N(last), V::T("是"), V::T(opinion)]);
    row
}

#[test]
fn the_template_lists_every_open_sheet_under_the_readers_header() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let out = demo.dir.path().join("keying.xlsx");
    let run = || {
        common::shifan_as(&db, "clerk", "2026-06-20")
            .args(["scores", "template", "--out"])
            .arg(&out)
            .output()
            .expect("runs")
    };
    let r = run();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let open = open_sheets(&db, false);
    assert!(
        String::from_utf8_lossy(&r.stdout).contains(&format!("{} open sheets", open.len())),
        "{}",
        String::from_utf8_lossy(&r.stdout)
    );
    let mut book: Xlsx<_> = open_workbook(&out).expect("a workbook");
    assert_eq!(book.sheet_names(), vec!["评分表".to_string()]);
    let range = book.worksheet_range("评分表").expect("sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let criteria = common::criteria();
    let mut header = vec!["专家".to_string(), "申报书".to_string()];
    header.extend(criteria.rubric.criteria.iter().map(|c| c.name_zh.clone()));
    header.extend(["是否推荐".to_string(), "评审意见".to_string()]);
    assert_eq!(rows[0], header);
    let listed: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(
        listed, open,
        "one row per open sheet, by expert then dossier"
    );
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[2..].iter().all(String::is_empty)),
        "only the ids are filled in"
    );
    // Not overwritten without --force; an expert with nothing to key is named.
    let again = run();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let none = common::shifan_as(&db, "clerk", "2026-06-20")
        .args(["scores", "template", "--expert", "E99", "--out"])
        .arg(demo.dir.path().join("e99.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("E99: no sheet to key"));
    assert!(!demo.dir.path().join("e99.xlsx").exists());

    // The template as it is, keyed by nobody, stores nothing and lists nothing.
    let r = import(&db, &out, &out);
    let text = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.status.code(), Some(0), "{text}");
    assert!(text.contains("0 sheets stored and submitted, 0 already stored; 0 fields held back"));
}

#[test]
fn one_clerk_keys_xlsx_the_other_csv_and_only_agreement_is_stored() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let open = open_sheets(&db, true);
    let ((e1, d1), (e2, d2)) = (open[0].clone(), open[1].clone());
    let criteria = common::criteria();
    let mut header = vec!["专家".to_string(), "申报书".to_string()];
    header.extend(criteria.rubric.criteria.iter().map(|c| c.name_zh.clone()));
    header.extend(["是否推荐".to_string(), "评审意见".to_string()]);
    let dir = demo.dir.path();
    let (a, b) = (dir.join("first.xlsx"), dir.join("second.csv"));
    write_xlsx(
        &a,
        &header,
        &[
            xlsx_row(&e1, &d1, 12.5, "材料翔实 建议推荐"),
            xlsx_row(&e2, &d2, 11.0, "材料翔实\u{1b}[2J 建议推荐"),
        ],
    );
    let csv_row = |e: &str, d: &str, last: &str| {
        format!("{e},{d},8,7.5,8,9,6,5,5,6,5,6,4,{last},是,材料翔实 建议推荐")
    };
    let ids = "expert,dossier,infrastructure,technology,resource_integration,service_results,leadership_organisation,staff_stability,work_rules,plan_content,local_features,measures_feasibility,outlook,type_standard,recommend,opinion";
    std::fs::write(
        &b,
        format!(
            "{ids}\n{}\n{}\n",
            csv_row(&e1, &d1, "12.5"),
            csv_row(&e2, &d2, "1.1")
        ),
    )
    .unwrap();
    let out = import(&db, &a, &b);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("1 sheets stored and submitted"), "{text}");
    assert!(
        text.contains(&format!("{e2} {d2} Meets the type standard; demonstration value: first keying (row 3) `11`, second (row 3) `1.1`")),
        "expert, dossier, criterion and both values:\n{text}"
    );
    assert!(
        text.contains("材料翔实␛[2J 建议推荐") && !text.contains('\u{1b}'),
        "a control character in a cell is shown, never sent:\n{text:?}"
    );
    assert_eq!(submitted_total(&db, &e1, &d1), Some(82.0));
    assert_eq!(scores(&db, &e2, &d2), 0, "nothing of the mismatched sheet");

    // The second clerk corrects the keying, now in a workbook too: the rest is stored.
    let b2 = dir.join("second.xlsx");
    write_xlsx(
        &b2,
        &header,
        &[
            xlsx_row(&e1, &d1, 12.5, "材料翔实 建议推荐"),
            xlsx_row(&e2, &d2, 11.0, "材料翔实\u{1b}[2J 建议推荐"),
        ],
    );
    let out = import(&db, &a, &b2);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("1 sheets stored and submitted, 1 already stored"),
        "{text}"
    );
    assert_eq!(submitted_total(&db, &e2, &d2), Some(80.5));
    let verify = common::shifan_as(&db, "ministry", "2026-06-20")
        .args(["audit", "verify"])
        .output()
        .expect("runs");
    assert!(verify.status.success());
}

#[test]
fn a_bad_cell_is_refused_by_row_and_column_letter_and_nothing_is_stored() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let open = open_sheets(&db, true);
    let ((e1, d1), (e2, d2)) = (open[0].clone(), open[1].clone());
    let criteria = common::criteria();
    let header: Vec<String> = ["expert", "dossier"]
        .into_iter()
        .map(String::from)
        .chain(criteria.rubric.criteria.iter().map(|c| c.id.clone()))
        .chain(["recommend".into(), "opinion".into()])
        .collect();
    let dir = demo.dir.path();
    let good = dir.join("good.xlsx");
    let rows = [
        xlsx_row(&e1, &d1, 12.5, "好"),
        xlsx_row(&e2, &d2, 12.0, "好"),
    ];
    write_xlsx(&good, &header, &rows);
    let refused = |rows: &[Vec<V>]| {
        let bad = dir.join("bad.xlsx");
        write_xlsx(&bad, &header, rows);
        let out = import(&db, &good, &bad);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(scores(&db, &e1, &d1) + scores(&db, &e2, &d2), 0);
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    // Text in a points cell, on the second sheet (row 3): column F is service_results.
    let mut second = xlsx_row(&e2, &d2, 12.0, "好");
    second[5] = V::T("九");
    let err = refused(&[xlsx_row(&e1, &d1, 12.5, "好"), second]);
    assert!(
        err.contains(
            "bad.xlsx, sheet 评分表, row 3, column F (service_results): `九` is not points"
        ),
        "{err}"
    );
    assert!(err.contains("no sheet was stored"), "{err}");
    // A cell Excel turned into a date.
    let mut first = xlsx_row(&e1, &d1, 12.5, "好");
    first[3] = V::Date(45000.0);
    let err = refused(&[first]);
    assert!(
        err.contains("row 2, column D (technology): the cell holds a date"),
        "{err}"
    );
    // An unreadable recommendation, with an escape sequence in it shown harmless.
    let mut first = xlsx_row(&e1, &d1, 12.5, "好");
    first[14] = V::T("\u{1b}]0;x\u{7}");
    let err = refused(&[first]);
    assert!(
        err.contains("row 2, column O (recommend): `␛]0;x␇` is not yes or no"),
        "{err}"
    );
    // A workbook that is no workbook, and an old .xls, say what to save instead.
    let fake = dir.join("fake.xlsx");
    std::fs::write(&fake, b"PK\x03\x04 not really").unwrap();
    let out = import(&db, &good, &fake);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a readable Excel workbook"), "{err}");
    let xls = dir.join("old.xls");
    std::fs::write(&xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).unwrap();
    let out = import(&db, &good, &xls);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Excel 97-2003 workbook (.xls)"));
}
