//! The clerk's documents from a real round: the PDFs match the database exactly.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::*;
use serde_json::Value;

/// The scripted round runs in summer 2026: every `--on` date is before this day.
const TODAY: &str = "2026-08-31";

fn shifan(db: &Path, user: &str) -> Command {
    shifan_as(db, user, TODAY)
}

fn run(db: &Path, user: &str, args: &[&str], code: i32) -> String {
    let out = shifan(db, user).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{user} {args:?}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The text of a PDF in content order (`-raw`: a table cell's lines stay together), with all
/// white space removed (names may wrap inside table cells).
fn squeezed_text(path: &Path) -> String {
    tool("pdftotext", &["-raw", "-enc", "UTF-8"], path)
        .split_whitespace()
        .collect::<String>()
}

/// The audit head now, as `shifan audit head` prints it.
fn audit_head(db: &Path) -> String {
    let head = run(db, "ministry", &["audit", "head"], 0)
        .trim()
        .to_string();
    assert!(
        head.split_once(':')
            .is_some_and(|(seq, hash)| seq.parse::<u64>().is_ok() && hash.len() == 64),
        "{head}"
    );
    head
}

/// Every word of the PDF containing `needle`, with its page's width and its box
/// (`pdftotext -bbox`, in pt from the top left): (page width, page height, x min, x max,
/// y max).
fn word_boxes(path: &Path, needle: &str) -> Vec<(f64, f64, f64, f64, f64)> {
    let html = tool("pdftotext", &["-bbox", "-enc", "UTF-8"], path);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let start = tag.find(&key).map(|i| i + key.len()).unwrap();
        let end = tag[start..].find('"').unwrap() + start;
        tag[start..end].parse().unwrap()
    };
    let mut out = Vec::new();
    for page in html.split("<page ").skip(1) {
        let (width, height) = (attr(page, "width"), attr(page, "height"));
        for word in page.split("<word ").skip(1) {
            let text = word
                .split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("");
            if text.contains(needle) {
                out.push((
                    width,
                    height,
                    attr(word, "xMin"),
                    attr(word, "xMax"),
                    attr(word, "yMax"),
                ));
            }
        }
    }
    out
}

/// The head is printed once on every page, clear of the paper's edges by 20 mm on each side
/// (the margins are 26 and 28 mm), in the last 20 mm of the page (below the text block).
fn head_in_footer(path: &Path, head: &str, pages: usize) {
    let boxes = word_boxes(path, head);
    assert_eq!(
        boxes.len(),
        pages,
        "the head on each page of {}",
        path.display()
    );
    let mm = 72.0 / 25.4;
    for (width, height, x0, x1, y1) in boxes {
        assert!(
            x0 >= 20.0 * mm && x1 <= width - 20.0 * mm,
            "{x0}..{x1} of {width}"
        );
        assert!(
            y1 > height - 20.0 * mm && y1 < height,
            "at the foot: {y1} of {height}"
        );
    }
}

fn page_count(path: &Path) -> usize {
    tool("pdftotext", &["-enc", "UTF-8"], path)
        .matches('\u{c}')
        .count()
}

fn check_pdf(path: &Path) {
    let fonts = tool("pdffonts", &[], path);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(cols[0].chars().nth(6) == Some('+'), "not a subset: {line}");
        assert!(
            line.contains(" yes yes yes "),
            "not embedded as a subset with ToUnicode: {line}"
        );
    }
    tool("qpdf", &["--check"], path);
}

#[test]
fn the_printed_notices_match_the_database() {
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
    // One folder for every notice: each run replaces its own files (`--force`).
    let docs = dir.path().join("docs");
    let docs_s = docs.to_str().unwrap();

    // Before a list is proposed: the command says so and how; a draft prints the selection.
    let refused = run(
        &db,
        "clerk",
        &["notice", "publicity", "--out", docs_s, "--force"],
        1,
    );
    assert!(refused.contains("shifan publicity propose"), "{refused}");
    let head = audit_head(&db);
    run(
        &db,
        "clerk",
        &[
            "notice",
            "publicity",
            "--draft",
            "--out",
            docs_s,
            "--force",
            "--date",
            "2026-07-30",
        ],
        0,
    );
    let draft = docs.join("publicity-notice-draft.pdf");
    check_pdf(&draft);
    let pages = tool("pdftotext", &["-enc", "UTF-8"], &draft);
    let n_pages = pages.matches('\u{c}').count();
    assert!(n_pages >= 3);
    assert_eq!(pages.matches("草稿").count(), n_pages, "草稿 on every page");
    head_in_footer(&draft, &head, n_pages);

    // The sealed list: every unit name exactly, the hash on the printout.
    let sealed = run(
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
    let hash = sealed
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().last())
        .unwrap()
        .to_string();
    assert_eq!(hash.len(), 64, "{sealed}");
    let head = audit_head(&db);
    run(
        &db,
        "clerk",
        &[
            "notice",
            "publicity",
            "--out",
            docs_s,
            "--force",
            "--date",
            "2026-07-31",
            "--start",
            "2026-08-03",
        ],
        0,
    );
    let notice = docs.join("publicity-notice.pdf");
    check_pdf(&notice);
    let text = squeezed_text(&notice);
    let status: Value = serde_json::from_str(&run(
        &db,
        "ministry",
        &["publicity", "status", "--format", "json"],
        0,
    ))
    .unwrap();
    let listed = status["current_list"].as_array().unwrap();
    assert_eq!(listed.len(), 100);
    for e in listed.iter().chain(status["reserve"].as_array().unwrap()) {
        let name: String = e["applicant"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .collect();
        assert!(text.contains(&name), "{name} missing from the notice");
    }
    assert!(
        text.contains("备选名单（按递补顺序排列）"),
        "the reserve annex says its order"
    );
    assert!(
        text.contains(&hash),
        "the sealed hash {hash} is not printed"
    );
    assert!(text.contains("2026年8月3日至8月7日"), "period");
    assert!(
        text.contains("王明") && text.contains("xxhc@agri.gov.cn"),
        "contacts"
    );
    assert!(!text.contains("草稿"));
    // The list's hash and the head beside it at the foot of every page.
    let n_pages = page_count(&notice);
    head_in_footer(&notice, &head, n_pages);
    assert_eq!(word_boxes(&notice, &hash).len(), n_pages);
    assert_eq!(
        text.matches(&format!("名单校验值：{hash}审计头：{head}"))
            .count(),
        n_pages,
        "the hash and the head side by side"
    );

    // Confirmation notices only once the list is confirmed: one per unit, named in it.
    let early = run(
        &db,
        "clerk",
        &["notice", "confirmation", "--out", docs_s, "--force"],
        1,
    );
    assert!(early.contains("not confirmed"), "{early}");
    run(
        &db,
        "ministry",
        &["publicity", "start", "--on", "2026-08-03"],
        0,
    );
    // An upheld objection: the unit leaves, another is promoted and published from Monday
    // 2026-08-10 to 2026-08-14; the list is confirmed after that.
    let victim = listed[5]["code"].as_str().unwrap().to_string();
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
    let resolved = run(
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
    assert!(resolved.contains("2026-08-10 to 2026-08-14"), "{resolved}");
    run(
        &db,
        "ministry",
        &["publicity", "confirm", "--on", "2026-08-17"],
        0,
    );
    let status: Value = serde_json::from_str(&run(
        &db,
        "ministry",
        &["publicity", "status", "--format", "json"],
        0,
    ))
    .unwrap();
    let promoted = status["changes"][0]["promoted"]
        .as_str()
        .unwrap()
        .to_string();
    let head = audit_head(&db);
    run(
        &db,
        "clerk",
        &["notice", "confirmation", "--out", docs_s, "--force"],
        0,
    );
    let confirmations: Vec<_> = std::fs::read_dir(&docs)
        .unwrap()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().starts_with("confirmation-"))
        .collect();
    assert_eq!(confirmations.len(), 100);
    assert!(!docs.join(format!("confirmation-{victim}.pdf")).exists());
    let first = &listed[0];
    let path = docs.join(format!(
        "confirmation-{}.pdf",
        first["code"].as_str().unwrap()
    ));
    check_pdf(&path);
    let name: String = first["applicant"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .collect();
    let text = squeezed_text(&path);
    assert!(text.contains(&name));
    assert!(text.contains("专家评审和公示，你单位被认定为"), "{text}");
    assert!(!text.contains("递补"), "{text}");
    head_in_footer(&path, &head, 1);
    // The promoted unit: 「经递补和补充公示」.
    let path = docs.join(format!("confirmation-{promoted}.pdf"));
    check_pdf(&path);
    let text = squeezed_text(&path);
    assert!(
        text.contains("审核推荐和专家评审，并经递补和补充公示，你单位被认定为"),
        "{text}"
    );
    assert!(!text.contains("专家评审和公示"), "{text}");
    head_in_footer(&path, &head, 1);

    // Score sheets: one per expert, with every dossier of theirs.
    let head = audit_head(&db);
    run(
        &db,
        "clerk",
        &["notice", "score-sheets", "--out", docs_s, "--force"],
        0,
    );
    let sheet = docs.join("score-sheet-E02.pdf");
    check_pdf(&sheet);
    let text = squeezed_text(&sheet);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut q = conn
        .prepare("SELECT dossier_code FROM assignment WHERE expert_id = 'E02' AND ended_at IS NULL")
        .unwrap();
    let codes: Vec<String> = q
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!codes.is_empty());
    for c in &codes {
        assert!(text.contains(c.as_str()), "{c} missing from E02's sheet");
    }
    assert!(text.contains("专家签名"));
    head_in_footer(&sheet, &head, page_count(&sheet));
    // Experts and officials do not print.
    run(
        &db,
        "expert01",
        &["notice", "score-sheets", "--out", docs_s, "--force"],
        3,
    );
    run(
        &db,
        "official-zhejiang",
        &["notice", "publicity", "--out", docs_s, "--force"],
        3,
    );
}
