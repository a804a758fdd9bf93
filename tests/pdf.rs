//! The PDF documents, read back with poppler (`pdffonts`, `pdftotext`) and checked with
//! `qpdf --check`. Needs poppler-utils and qpdf (`apt-get install -y poppler-utils qpdf`).
//! Set SHIFAN_PDF_OUT=DIR to keep the generated files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use shifan::pdf::samples::{
    sample_confirmations, sample_publicity, sample_score_sheets, sample_units,
};
use shifan::pdf::{
    Fonts, GlyphWarning, ListEntry, Rendered, ResultNotice, render_confirmation,
    render_confirmations, render_publicity, render_result, render_score_sheet, render_score_sheets,
};

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::load_default().expect("fonts in assets/fonts"))
}

/// Writes `pdf` to SHIFAN_PDF_OUT (or a temp dir that lives as long as the test) and returns
/// its path.
fn save(name: &str, rendered: &Rendered) -> (PathBuf, Option<tempfile::TempDir>) {
    let (dir, temp) = match std::env::var_os("SHIFAN_PDF_OUT") {
        Some(dir) => (PathBuf::from(dir), None),
        None => {
            let temp = tempfile::tempdir().expect("temp dir");
            (temp.path().to_path_buf(), Some(temp))
        }
    };
    std::fs::create_dir_all(&dir).expect("output dir");
    let path = dir.join(name);
    std::fs::write(&path, &rendered.bytes).expect("write pdf");
    (path, temp)
}

fn run(program: &str, args: &[&str], path: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .arg(path)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} not runnable ({e}): apt-get install -y poppler-utils qpdf")
        });
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn text(path: &Path) -> String {
    run("pdftotext", &["-raw", "-enc", "UTF-8"], path)
}

fn page_text(path: &Path, page: usize) -> String {
    let page = page.to_string();
    run(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", "-f", &page, "-l", &page],
        path,
    )
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every font is embedded as a subset: emb yes, sub yes, name with the ABCDEF+ prefix.
/// Returns the font names.
fn assert_subset_fonts(path: &Path) -> Vec<String> {
    let listing = run("pdffonts", &[], path);
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts listed:\n{listing}");
    rows.iter()
        .map(|row| {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let name = cols[0];
            let (prefix, _) = name
                .split_once('+')
                .unwrap_or_else(|| panic!("no subset tag: {row}"));
            assert!(
                prefix.len() == 6 && prefix.chars().all(|c| c.is_ascii_uppercase()),
                "subset tag: {row}"
            );
            // Columns from the end: emb sub uni object-id generation.
            let n = cols.len();
            assert_eq!((cols[n - 5], cols[n - 4]), ("yes", "yes"), "emb/sub: {row}");
            assert_eq!(cols[n - 3], "yes", "ToUnicode: {row}");
            name.to_string()
        })
        .collect()
}

fn assert_qpdf_ok(path: &Path) {
    let report = run("qpdf", &["--check"], path);
    assert!(
        report.contains("No syntax or stream encoding errors"),
        "{report}"
    );
}

#[test]
fn publicity_notice_reads_back_with_every_unit_name() {
    let notice = sample_publicity(100);
    assert_eq!(notice.entries.len(), 100);
    for place in [
        "西安市鄠邑区",
        "宿州市埇桥区",
        "信阳市浉河区",
        "武汉市硚口区",
    ] {
        assert!(
            notice
                .entries
                .iter()
                .any(|e| e.applicant.starts_with(place)),
            "{place}"
        );
    }
    let rendered = render_publicity(&notice, fonts()).expect("renders");
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let (path, _keep) = save("publicity.pdf", &rendered);

    let names = assert_subset_fonts(&path);
    assert!(names.iter().any(|n| n.contains("FandolFang")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("FandolSong")), "{names:?}");
    // 黑体 for 「附件1」 and the table header.
    assert!(names.iter().any(|n| n.contains("FandolHei")), "{names:?}");
    // The 落款 stays on page 1 with the text it closes.
    let first = squeeze(&page_text(&path, 1));
    assert!(
        first.contains("农业部市场与经济信息司2026年7月31日"),
        "{first}"
    );
    // 鄠, 埇, 浉, 硚 come from the fallback face.
    assert!(names.iter().any(|n| n.contains("NotoSerif")), "{names:?}");
    assert_qpdf_ok(&path);

    let all = text(&path);
    let flat = squeeze(&all);
    for entry in notice.entries.iter().chain(&notice.reserve) {
        assert!(
            flat.contains(&entry.applicant),
            "missing {}",
            entry.applicant
        );
    }
    for needle in [
        "关于2026年全国农村信息化示范单位拟认定名单的公示",
        "公示期为5个工作日（2026年8月3日至8月7日）",
        "010-59193000",
        "xxhc@agri.gov.cn",
        "100125",
        "农业部市场与经济信息司",
        "2026年7月31日",
        "附件：1.2026年全国农村信息化示范单位拟认定名单",
    ] {
        assert!(flat.contains(&squeeze(needle)), "missing {needle}");
    }

    // Long names wrap: no single extracted line holds the whole name.
    let long = notice
        .entries
        .iter()
        .find(|e| e.applicant.chars().count() > 30)
        .expect("a long name");
    assert!(!all.lines().any(|line| line.contains(&long.applicant)));
    // Short names stay on one line.
    assert!(all.lines().any(|line| line.contains("西安市鄠邑区")));

    // Every page: the list's hash in the footer and a page number; no draft mark.
    assert!(rendered.pages >= 5, "{} pages", rendered.pages);
    let mut list_pages = 0;
    for page in 1..=rendered.pages {
        let text = page_text(&path, page);
        assert!(
            text.contains(&notice.list_hash),
            "page {page} lacks the hash"
        );
        assert!(text.contains(&format!("— {page} —")), "page {page} number");
        assert!(!text.contains("草稿"));
        if text.contains("序号") {
            list_pages += 1;
            // The header row repeats on every page of a list.
            assert!(
                squeeze(&text).contains("序号省份单位名称示范类型"),
                "page {page}"
            );
        }
    }
    assert!(list_pages >= 4, "{list_pages} list pages");
}

#[test]
fn draft_marks_every_page() {
    let mut notice = sample_publicity(30);
    notice.draft = true;
    let rendered = render_publicity(&notice, fonts()).expect("renders");
    let (path, _keep) = save("publicity-draft.pdf", &rendered);
    assert_qpdf_ok(&path);
    for page in 1..=rendered.pages {
        assert!(page_text(&path, page).contains("草稿"), "page {page}");
    }
}

#[test]
fn a_character_no_font_has_is_reported_with_its_unit() {
    let mut notice = sample_publicity(10);
    notice.entries.push(ListEntry {
        province_name: "四川省".into(),
        province_short: "四川".into(),
        applicant: "成都市𠀀区农业农村局".into(),
        type_name: "信息服务型".into(),
    });
    notice.reserve.push(ListEntry {
        province_name: "四川省".into(),
        province_short: "四川".into(),
        applicant: "眉山市\u{E000}农业信息中心".into(),
        type_name: "信息服务型".into(),
    });
    let rendered = render_publicity(&notice, fonts()).expect("renders");
    assert_eq!(
        rendered.warnings,
        vec![
            GlyphWarning {
                context: "单位「成都市𠀀区农业农村局」".into(),
                character: '𠀀',
            },
            GlyphWarning {
                context: "单位「眉山市\u{E000}农业信息中心」".into(),
                character: '\u{E000}',
            },
        ]
    );
    // The document is still sound; the character prints as a box.
    let (path, _keep) = save("publicity-missing-glyph.pdf", &rendered);
    assert_qpdf_ok(&path);
    assert_subset_fonts(&path);
    let message = rendered.warnings[0].to_string();
    assert!(
        message.contains("成都市𠀀区农业农村局") && message.contains("U+20000"),
        "{message}"
    );
    assert!(!fonts().covers('𠀀'));
    assert!(fonts().covers('鄠') && fonts().covers('硚'));
}

#[test]
fn confirmation_notices_name_their_unit() {
    for notice in sample_confirmations(100).iter().step_by(33) {
        let rendered = render_confirmation(notice, fonts()).expect("renders");
        assert!(rendered.warnings.is_empty());
        assert_eq!(rendered.pages, 1);
        let (path, _keep) = save("confirmation.pdf", &rendered);
        assert_subset_fonts(&path);
        assert_qpdf_ok(&path);
        let flat = squeeze(&text(&path));
        assert!(flat.contains(&format!("{}：", notice.applicant)), "{flat}");
        assert!(flat.contains(&notice.type_name));
        assert!(flat.contains("2026年8月20日"));
    }
}

/// The pages drawn at 40 dpi in grey (pdftoppm), as raw bytes.
fn pixels(path: &Path) -> Vec<u8> {
    let output = Command::new("pdftoppm")
        .args(["-r", "40", "-gray"])
        .arg(path)
        .output()
        .expect("pdftoppm (poppler-utils)");
    assert!(
        output.status.success(),
        "pdftoppm failed on {}",
        path.display()
    );
    output.stdout
}

/// Documents written together share one cut of each face; each file must still draw exactly
/// what it draws alone (the same glyphs from the same codes: the recut program keeps every
/// glyph's CID), read back the same, and embed only its own glyphs (about its size alone).
fn assert_together_as_alone(kind: &str, alone: &Rendered, together: &Rendered) {
    let (a, _keep_a) = save(&format!("{kind}-alone.pdf"), alone);
    let (t, _keep_t) = save(&format!("{kind}-together.pdf"), together);
    assert_subset_fonts(&t);
    assert_qpdf_ok(&t);
    assert_eq!(together.pages, alone.pages, "{kind}: pages");
    assert_eq!(text(&t), text(&a), "{kind}: text read back");
    assert!(pixels(&t) == pixels(&a), "{kind}: the pages look different");
    let (size_alone, size_together) = (alone.bytes.len(), together.bytes.len());
    assert!(
        size_together <= size_alone + size_alone / 20,
        "{kind}: {size_together} bytes written together, {size_alone} alone: the siblings' glyphs are embedded"
    );
}

#[test]
fn documents_written_together_look_as_they_do_alone_and_carry_only_their_glyphs() {
    let notices = sample_confirmations(100);
    let together = render_confirmations(&notices, fonts()).expect("renders");
    assert_eq!(together.len(), notices.len());
    for index in [0, 41, 99] {
        let alone = render_confirmation(&notices[index], fonts()).expect("renders");
        assert_together_as_alone(&format!("confirmation-{index}"), &alone, &together[index]);
    }
    // Two letters embed different cuts of the body face, under different subset names (a
    // clerk merging the files must not get one letter's glyphs for the other's).
    let body_font = |rendered: &Rendered| {
        let (path, _keep) = save("confirmation-font.pdf", rendered);
        assert_subset_fonts(&path)
            .into_iter()
            .find(|name| name.ends_with("+FandolFang-Regular"))
            .expect("the body face")
    };
    assert_ne!(body_font(&together[0]), body_font(&together[41]));
    let sheets = sample_score_sheets(6, 40);
    let together = render_score_sheets(&sheets, fonts()).expect("renders");
    for index in [0, 5] {
        let alone = render_score_sheet(&sheets[index], fonts()).expect("renders");
        assert_together_as_alone(&format!("score-sheet-{index}"), &alone, &together[index]);
    }
}

#[test]
fn score_sheet_has_every_dossier_and_a_signature_line() {
    let sheet = sample_score_sheets(1, 40).remove(0);
    let rendered = render_score_sheet(&sheet, fonts()).expect("renders");
    assert!(rendered.warnings.is_empty());
    let (path, _keep) = save("score-sheet.pdf", &rendered);
    assert_subset_fonts(&path);
    assert_qpdf_ok(&path);
    let flat = squeeze(&text(&path));
    for row in &sheet.rows {
        assert!(flat.contains(&row.code), "{}", row.code);
        assert!(flat.contains(&row.applicant), "{}", row.applicant);
    }
    assert!(flat.contains("专家签名：") && flat.contains("日期："));
    let last = page_text(&path, rendered.pages);
    assert!(last.contains("专家签名"), "signature on the last page");
    for page in 1..=rendered.pages {
        let text = page_text(&path, page);
        assert!(text.contains(&sheet.expert_id), "page {page} footer");
        assert!(
            squeeze(&text).contains("序号编号申报单位"),
            "page {page} header"
        );
    }
}

#[test]
fn fonts_can_be_shared_across_threads_and_control_characters_are_not_glyph_warnings() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Fonts>();

    let mut notice = sample_publicity(3);
    notice.entries[0].applicant = "北京市\t大兴区农业农村局\r\n".into();
    notice.intro.push("第二段\u{1b}[31m含控制字符。".into());
    let rendered = render_publicity(&notice, fonts()).expect("renders");
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
}

#[test]
fn missing_font_directory_is_a_clear_error() {
    let err = Fonts::load_dir(Path::new("/nonexistent/fonts")).expect_err("no fonts there");
    let message = err.to_string();
    assert!(
        message.contains("/nonexistent/fonts/FandolFang-Regular.otf"),
        "{message}"
    );
}

/// Words on a page from `pdftotext -bbox`: (xMin, yMin, xMax, yMax, text), in pt from the top
/// left.
fn words(path: &Path, page: usize) -> Vec<(f32, f32, f32, f32, String)> {
    let page = page.to_string();
    let html = run("pdftotext", &["-bbox", "-f", &page, "-l", &page], path);
    html.lines()
        .filter_map(|line| {
            let line = line.trim().strip_prefix("<word ")?;
            let (attrs, rest) = line.split_once('>')?;
            let text = rest.strip_suffix("</word>")?.to_string();
            let value = |key: &str| -> Option<f32> {
                let start = attrs.find(&format!("{key}=\""))? + key.len() + 2;
                let end = attrs[start..].find('"')? + start;
                attrs[start..end].parse().ok()
            };
            Some((
                value("xMin")?,
                value("yMin")?,
                value("xMax")?,
                value("yMax")?,
                text,
            ))
        })
        .collect()
}

#[test]
fn text_stays_in_the_gbt_9704_text_block() {
    const MM: f32 = 72.0 / 25.4;
    let (left, right) = (28.0 * MM, (28.0 + 156.0) * MM);
    let (top, bottom) = (37.0 * MM, (37.0 + 225.0) * MM);
    let rendered = render_publicity(&sample_publicity(100), fonts()).expect("renders");
    let (path, _keep) = save("publicity-bbox.pdf", &rendered);
    for page in 1..=rendered.pages {
        let words = words(&path, page);
        assert!(!words.is_empty());
        for (x0, y0, x1, y1, text) in &words {
            if *y0 >= bottom {
                // Below the block: the page number (7 mm down) and the hash footer.
                assert!(*y0 >= bottom + 6.0 * MM, "page {page}: {text} at {y0}");
                assert!(*y1 <= 297.0 * MM - 5.0 * MM, "page {page}: {text}");
                continue;
            }
            assert!(
                *x0 >= left - 0.5 && *x1 <= right + 0.5,
                "page {page}: {text} {x0}..{x1}"
            );
            assert!(
                *y0 >= top - 0.5 && *y1 <= bottom + 0.5,
                "page {page}: {text} {y0}..{y1}"
            );
            // Kinsoku: no line starts with closing or ends with opening punctuation.
            let (first, last) = (text.chars().next(), text.chars().last());
            assert!(
                !first.is_some_and(|c| "，。、；：？！）」』】》〕".contains(c)),
                "{text}"
            );
            assert!(!last.is_some_and(|c| "（「『【《〔".contains(c)), "{text}");
        }
        // Page numbers: odd pages right, one character in; even pages left, one character in.
        let label = format!("{page}");
        let (x0, _, x1, _, _) = words
            .iter()
            .find(|(_, y0, _, _, text)| *y0 >= bottom && *text == label)
            .unwrap_or_else(|| panic!("page {page} has no number"));
        if page % 2 == 1 {
            assert!(
                *x1 < right - 14.0 && *x1 > right - 60.0,
                "page {page}: {x1}"
            );
        } else {
            assert!(*x0 > left + 14.0 && *x0 < left + 60.0, "page {page}: {x0}");
        }
    }
}

fn result_notice(document_number: Option<&str>) -> ResultNotice {
    ResultNotice {
        title: "关于公布2027年全国农村信息化示范单位名单的通知".into(),
        addressee: "各省、自治区、直辖市农业农村（农牧）厅（局、委）".into(),
        paragraphs: vec![
            "根据要求，经各地申报、省级农业部门审核推荐、专家评审和公示，决定认定100个单位。"
                .into(),
            "公示期间，拟认定名单未作调整。".into(),
        ],
        list_title: "2027年全国农村信息化示范单位名单".into(),
        entries: sample_units(100),
        document_number: document_number.map(str::to_string),
        issuer: "农业部市场与经济信息司".into(),
        date: jiff::civil::date(2027, 9, 1),
        audit_head: None,
    }
}

#[test]
fn the_result_notice_carries_its_number_centred_above_the_title() {
    const MM: f32 = 72.0 / 25.4;
    let centre = (28.0 + 156.0 / 2.0) * MM;
    let rendered =
        render_result(&result_notice(Some("农市发〔2027〕15号")), fonts()).expect("renders");
    let (path, _keep) = save("result-numbered.pdf", &rendered);
    assert_qpdf_ok(&path);
    let numbered = words(&path, 1);
    let (x0, y0, x1, _, first) = &numbered[0];
    assert_eq!(first, "农市发〔2027〕15号", "{numbered:?}");
    assert!(
        ((x0 + x1) / 2.0 - centre).abs() < 1.0,
        "not centred: {x0}..{x1}, centre {centre}"
    );
    let (_, title_y, _, _, _) = numbered
        .iter()
        .find(|w| w.4.starts_with("关于公布"))
        .expect("a title");
    assert!(title_y > y0, "the number below the title");
    // Still one page of text: the 落款 stays with it.
    let page1 = squeeze(&page_text(&path, 1));
    assert!(
        page1.contains("农业部市场与经济信息司2027年9月1日"),
        "{page1}"
    );

    // Without a number, the title heads the page.
    let rendered = render_result(&result_notice(None), fonts()).expect("renders");
    let (path, _keep) = save("result-unnumbered.pdf", &rendered);
    let plain = words(&path, 1);
    assert!(plain[0].4.starts_with("关于公布"), "{plain:?}");
    assert!(!squeeze(&text(&path)).contains("农市发"));
}
