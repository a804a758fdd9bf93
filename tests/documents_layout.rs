//! The documents of a whole demo round read back with poppler: what a clerk would send back
//! if it were wrong (issue 13). The 落款 on the text page, titles broken between words, no
//! wrapped score, the signature with the last rows, every confirmed unit in the result notice,
//! the supplementary notice, a 黑体 face embedded, and the files' metadata.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use common::*;
use serde_json::Value;

/// The scripted round runs in summer 2026: every `--on` date is before this day.
const TODAY: &str = "2026-08-31";
const ISSUER: &str = "农业部市场与经济信息司";

fn shifan(db: &Path, user: &str) -> Command {
    shifan_as(db, user, TODAY)
}

/// Runs a command that must exit with `code`; stdout and stderr.
fn run(db: &Path, user: &str, args: &[&str], code: i32) -> (String, String) {
    let out = shifan(db, user).args(args).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "{user} {args:?}\n{stdout}\n{stderr}"
    );
    (stdout, stderr)
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}

/// One page's text, in layout order, white space removed from each line; empty lines dropped.
fn page_lines(path: &Path, page: usize) -> Vec<String> {
    let p = page.to_string();
    tool(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", "-f", &p, "-l", &p],
        path,
    )
    .lines()
    .map(squeeze)
    .filter(|l| !l.is_empty())
    .collect()
}

fn page_count(path: &Path) -> usize {
    tool("pdftotext", &["-enc", "UTF-8"], path)
        .matches('\u{c}')
        .count()
}

/// Builds the demo round up to the confirmed list, printing every document on the way, as
/// README and tests/notices.rs do. Returns the folder with the documents and the status JSON
/// after confirmation.
struct Round {
    _dir: tempfile::TempDir,
    db: PathBuf,
    docs: PathBuf,
    /// `publicity status --format json` after confirmation.
    status: Value,
    /// The sealed list (before the objection).
    sealed: Vec<Value>,
    publicity_stderr: String,
}

fn round() -> Round {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let out = Command::cargo_bin("shifan")
        .unwrap()
        .current_dir(root())
        .env("SHIFAN_TODAY", TODAY)
        .arg("--db")
        .arg(&db)
        .arg("demo")
        .output()
        .unwrap();
    assert!(out.status.success());
    let docs = dir.path().join("docs");
    let folder = |name: &str| docs.join(name).to_str().unwrap().to_string();
    run(
        &db,
        "ministry",
        &[
            "publicity",
            "propose",
            "--on",
            "2026-07-31",
            "--accept-incomplete",
            "演示数据：部分评分表按设计未完成",
        ],
        0,
    );
    let (_, publicity_stderr) = run(
        &db,
        "clerk",
        &[
            "notice",
            "publicity",
            "--out",
            &folder("publicity"),
            "--date",
            "2026-07-31",
            "--start",
            "2026-08-03",
        ],
        0,
    );
    // A start on National Day moves to the next working day, and the command says so.
    let (_, holiday) = run(
        &db,
        "clerk",
        &[
            "notice",
            "publicity",
            "--out",
            &folder("holiday"),
            "--date",
            "2026-09-30",
            "--start",
            "2026-10-01",
        ],
        0,
    );
    assert!(
        holiday.contains("2026-10-01 is not a working day")
            && holiday.contains("starts on the next one, 2026-10-08"),
        "{holiday}"
    );
    let text = squeeze(&tool(
        "pdftotext",
        &["-enc", "UTF-8"],
        &docs.join("holiday/publicity-notice.pdf"),
    ));
    assert!(text.contains("（2026年10月8日至"), "{text}");
    assert!(!text.contains("2026年10月1日至"), "{text}");

    let status: Value = serde_json::from_str(
        &run(
            &db,
            "ministry",
            &["publicity", "status", "--format", "json"],
            0,
        )
        .0,
    )
    .unwrap();
    let sealed = status["current_list"].as_array().unwrap().clone();
    assert_eq!(sealed.len(), 100);
    // Nothing promoted yet: the supplementary notice is refused, in words.
    let (_, refused) = run(
        &db,
        "clerk",
        &["notice", "supplementary", "--out", &folder("early")],
        1,
    );
    assert!(refused.contains("no unit was promoted"), "{refused}");
    run(
        &db,
        "ministry",
        &["publicity", "start", "--on", "2026-08-03"],
        0,
    );
    let victim = sealed[5]["code"].as_str().unwrap().to_string();
    run(
        &db,
        "ministry",
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
        0,
    );
    run(
        &db,
        "ministry",
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
        0,
    );
    run(
        &db,
        "clerk",
        &[
            "notice",
            "supplementary",
            "--out",
            &folder("supplementary"),
            "--date",
            "2026-08-07",
        ],
        0,
    );
    // The result notice only once the list is confirmed.
    let (_, early) = run(
        &db,
        "clerk",
        &["notice", "result", "--out", &folder("early")],
        1,
    );
    assert!(early.contains("not confirmed"), "{early}");
    run(
        &db,
        "ministry",
        &["publicity", "confirm", "--on", "2026-08-17"],
        0,
    );
    for (kind, name) in [
        ("result", "result"),
        ("confirmation", "confirmations"),
        ("score-sheets", "sheets"),
    ] {
        run(&db, "clerk", &["notice", kind, "--out", &folder(name)], 0);
    }
    let status: Value = serde_json::from_str(
        &run(
            &db,
            "ministry",
            &["publicity", "status", "--format", "json"],
            0,
        )
        .0,
    )
    .unwrap();
    Round {
        _dir: dir,
        db,
        docs,
        status,
        sealed,
        publicity_stderr,
    }
}

fn applicant(e: &Value) -> String {
    squeeze(e["applicant"].as_str().unwrap())
}

/// The 落款 (office, then the date) is on `page` of `path`, the date on the line after the
/// office, and the page also has body text.
fn signature_on_page(path: &Path, page: usize, date: &str) {
    let lines = page_lines(path, page);
    let office = lines
        .iter()
        .rposition(|l| l == ISSUER)
        .unwrap_or_else(|| panic!("no 落款 on page {page} of {}: {lines:?}", path.display()));
    assert_eq!(
        lines.get(office + 1).map(String::as_str),
        Some(date),
        "{lines:?}"
    );
    assert!(office > 5, "the 落款 is not alone on its page: {lines:?}");
}

#[test]
fn a_whole_round_prints_documents_a_clerk_can_issue() {
    let r = round();
    let docs = &r.docs;

    // Publicity notice: the 落款 stays on page 1 with the text; the contact block is marked
    // sample data and the command warns; 黑体 headings are embedded.
    let notice = docs.join("publicity/publicity-notice.pdf");
    signature_on_page(&notice, 1, "2026年7月31日");
    let page1 = page_lines(&notice, 1).concat();
    assert!(page1.contains("【示例联系人】联系人：王明"), "{page1}");
    assert!(
        r.publicity_stderr
            .contains("still holds the sample contact"),
        "{}",
        r.publicity_stderr
    );
    let fonts = tool("pdffonts", &[], &notice);
    assert!(fonts.contains("+FandolHei-Regular"), "{fonts}");
    // Under 200 KB (issue 13), every face embedded as a subset, and each of its 100 units'
    // names still read back.
    let size = std::fs::metadata(&notice).unwrap().len();
    assert!(size < 200_000, "the publicity notice is {size} bytes");
    assert!(fonts.contains("+FandolFang-Regular"), "{fonts}");
    let whole = squeeze(&tool("pdftotext", &["-enc", "UTF-8"], &notice));
    for e in &r.sealed {
        assert!(whole.contains(&applicant(e)), "{} missing", applicant(e));
    }
    // The result notice too, with the same 100 rows.
    let result_size = std::fs::metadata(docs.join("result/result-notice.pdf"))
        .unwrap()
        .len();
    assert!(
        result_size < 200_000,
        "the result notice is {result_size} bytes"
    );
    // The list's columns: short province names, 示范类型, no one-character line in a name.
    let text = tool("pdftotext", &["-raw", "-enc", "UTF-8"], &notice);
    assert!(text.contains("示范类型"), "header");
    assert!(!text.contains("新疆维吾\n") && !text.contains("新疆维吾尔自治区"));
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for e in &r.sealed {
        let name = applicant(e);
        assert!(
            !lines
                .iter()
                .any(|l| l.chars().count() == 1 && name.ends_with(l)),
            "a one-character line of {name}"
        );
    }
    assert!(squeeze(&text).contains("备选名单（按递补顺序排列）"));

    // Metadata: no PDF/X marker, /Lang, a real creation time in Beijing time.
    let info = tool("pdfinfo", &["-isodates"], &notice);
    assert!(!info.contains("PDF subtype"), "{info}");
    let created = info
        .lines()
        .find_map(|l| l.strip_prefix("CreationDate:"))
        .map(str::trim)
        .unwrap_or_else(|| panic!("{info}"));
    let now = jiff::tz::offset(8).to_datetime(jiff::Timestamp::now());
    let today = format!("{:04}-{:02}-{:02}T", now.year(), now.month(), now.day());
    assert!(created.starts_with(&today), "{created}, now {now}");
    assert!(created.ends_with("+08"), "{created}");
    assert!(!created.contains("T00:00:00"), "{created}");
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.pdf");
    let status = Process::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&notice)
        .arg(&plain)
        .status()
        .unwrap();
    assert!(status.success());
    let raw = std::fs::read(&plain).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    assert!(raw.contains("/Lang (zh-CN)"), "no /Lang");
    assert!(!raw.contains("GTS_PDFX"), "PDF/X marker");

    // Confirmations: 100, every title broken only between words, the recommender from the
    // batch's submission.toml, a 版记 with 抄送 and 印发.
    let listed = r.status["current_list"].as_array().unwrap();
    assert_eq!(listed.len(), 100);
    let promoted = r.status["changes"][0]["promoted"]
        .as_str()
        .unwrap()
        .to_string();
    let removed = r.status["changes"][0]["removed"]
        .as_str()
        .unwrap()
        .to_string();
    let mut checked = 0;
    let mut numbers = Vec::new();
    for e in listed {
        let code = e["code"].as_str().unwrap();
        let name = applicant(e);
        let path = docs.join(format!("confirmations/confirmation-{code}.pdf"));
        let lines = page_lines(&path, 1);
        let addressee = lines
            .iter()
            .position(|l| *l == format!("{name}："))
            .unwrap_or_else(|| panic!("{code}: no addressee in {lines:?}"));
        // The letter's 文号 (round.toml's default 「农市信函〔{year}〕{n}号」) heads the page.
        let number = lines[0]
            .strip_prefix("农市信函〔2026〕")
            .and_then(|rest| rest.strip_suffix("号"))
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or_else(|| panic!("{code}: no 文号 first in {lines:?}"));
        numbers.push(number);
        let title = &lines[1..addressee];
        assert_eq!(
            title.concat(),
            format!("关于认定{name}为2026年全国农村信息化示范单位的通知"),
            "{code}"
        );
        // A name wider than the whole line (20 characters of 2号) must be cut; none is here.
        assert!(name.chars().count() <= 20, "{name}");
        for word in [
            name.as_str(),
            "2026年",
            "示范单位",
            "信息化",
            "全国",
            "通知",
        ] {
            assert!(
                title.iter().any(|l| l.contains(word)),
                "{code}: 「{word}」 split in {title:?}"
            );
        }
        let all = lines.concat();
        assert!(all.contains("抄送："), "{code}: {all}");
        assert!(
            all.contains(&format!("{ISSUER}2026年8月31日印发")),
            "{code}"
        );
        assert!(!all.contains("农业部门审核推荐"), "{code}: {all}");
        if code == promoted {
            assert!(all.contains("并经递补和补充公示"), "{all}");
        } else {
            assert!(
                all.contains("专家评审和公示") && !all.contains("递补"),
                "{all}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 100);
    // One 文号 per letter, numbered 1 to 100 without gaps or repeats.
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=100).collect::<Vec<u32>>());
    // The recommender is the department named in each batch's submission.toml (as stored).
    let conn = rusqlite::Connection::open(&r.db).unwrap();
    for e in listed.iter().step_by(7) {
        let department: String = conn
            .query_row(
                "SELECT department FROM batch WHERE province_key = ?1 AND replaced_at IS NULL",
                [e["province_key"].as_str().unwrap()],
                |row| row.get(0),
            )
            .unwrap();
        let path = docs.join(format!(
            "confirmations/confirmation-{}.pdf",
            e["code"].as_str().unwrap()
        ));
        let text = page_lines(&path, 1).concat();
        assert!(
            text.contains(&format!("经你单位申报、{department}审核推荐")),
            "{text}"
        );
        assert!(text.contains(&format!("抄送：{department}。")), "{text}");
    }

    // The result notice: the 落款 with the text, every confirmed unit, the changes.
    let result = docs.join("result/result-notice.pdf");
    signature_on_page(&result, 1, "2026年8月31日");
    // Its 文号 (round.toml's default 「农市发〔{year}〕{n}号」, n = 1) heads page 1, the title
    // under it.
    let first = page_lines(&result, 1);
    assert_eq!(first[0], "农市发〔2026〕1号", "{first:?}");
    assert!(first[1].starts_with("关于公布"), "{first:?}");
    let text = squeeze(&tool("pdftotext", &["-raw", "-enc", "UTF-8"], &result));
    assert!(text.contains("关于公布2026年全国农村信息化示范单位名单的通知"));
    for e in listed {
        assert!(text.contains(&applicant(e)), "{} missing", applicant(e));
    }
    let name_of = |code: &str| {
        r.sealed
            .iter()
            .chain(r.status["reserve"].as_array().unwrap())
            .chain(listed)
            .find(|e| e["code"].as_str() == Some(code))
            .map(applicant)
            .unwrap()
    };
    let (removed_name, promoted_name) = (name_of(&removed), name_of(&promoted));
    assert!(
        text.contains(&format!("对「{removed_name}」提出的异议成立，不予认定")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "递补「{promoted_name}」，经补充公示（2026年8月10日至8月14日），予以认定"
        )),
        "{text}"
    );
    // The list in the standard province order (the promoted unit among its own province).
    let positions: Vec<usize> = listed
        .iter()
        .map(|e| {
            text.rfind(&applicant(e))
                .unwrap_or_else(|| panic!("{}", applicant(e)))
        })
        .collect();
    // The list's header row (the attachment's first page).
    let attachment = text.find("序号省份单位名称示范类型").unwrap();
    let mut in_list: Vec<(usize, String)> = listed
        .iter()
        .zip(&positions)
        .filter(|(_, p)| **p > attachment)
        .map(|(e, p)| (*p, e["province_key"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(in_list.len(), 100);
    in_list.sort();
    let order = common::criteria();
    let keys: Vec<usize> = in_list
        .iter()
        .map(|(_, key)| order.provinces.order(key))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "not in province order"
    );
    // The removed unit is named once: in the changes, not in the list.
    assert_eq!(text.matches(&removed_name).count(), 1, "{text}");

    // The supplementary notice: the promoted unit, its own period, the 落款 on page 1.
    let sup = docs.join(format!("supplementary/supplementary-notice-{promoted}.pdf"));
    signature_on_page(&sup, 1, "2026年8月7日");
    let text = squeeze(&tool("pdftotext", &["-raw", "-enc", "UTF-8"], &sup));
    assert!(
        text.contains("补充公示期为5个工作日（2026年8月10日至8月14日）"),
        "{text}"
    );
    assert!(
        text.contains(&format!("拟认定「{promoted_name}」")),
        "{text}"
    );
    assert!(text.contains("匿名、冒名或逾期提出的异议不予受理"));

    // Score sheets: no number wrapped in its cell, 12.5 printed whole, and the signature line
    // on a page with rows of the comments table.
    let mut sheets: Vec<PathBuf> = std::fs::read_dir(docs.join("sheets"))
        .unwrap()
        .flatten()
        .map(|f| f.path())
        .collect();
    sheets.sort();
    assert!(sheets.len() >= 30, "{}", sheets.len());
    let mut halves = 0;
    for sheet in &sheets {
        let raw = tool("pdftotext", &["-raw", "-enc", "UTF-8"], sheet);
        for word in raw.split_whitespace() {
            let wrapped = word.ends_with('.')
                && word.len() > 1
                && word[..word.len() - 1].chars().all(|c| c.is_ascii_digit());
            assert!(
                !wrapped,
                "{}: a number cut at its point: {word}",
                sheet.display()
            );
        }
        halves += raw.split_whitespace().filter(|w| *w == "12.5").count();
        let pages = page_count(sheet);
        let signed: Vec<usize> = (1..=pages)
            .filter(|p| page_lines(sheet, *p).concat().contains("专家签名"))
            .collect();
        assert_eq!(signed, [pages], "{}", sheet.display());
        let last = page_lines(sheet, pages).concat();
        assert!(
            last.contains("评审意见") && last.contains("申报单位"),
            "{}: the signature alone on its page: {last}",
            sheet.display()
        );
    }
    assert!(
        halves > 0,
        "no 12.5 in any sheet: the check would prove nothing"
    );
}
