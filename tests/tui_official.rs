//! The provincial official on the demo round: the batch refused at the national import (北京,
//! a duplicate with 河北) named with when and why, and a stored dossier opened read-only;
//! driven through the real key map and `update`, drawn at 80×24 and 120×40 in both languages.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use ratatui::crossterm::event::KeyCode;
use shifan::tui::app::{Msg, Screen, State};
use shifan::tui::keymap::Context;
use shifan::tui::lang::Lang;
use shifan::tui::screens::official::{Mode, OfficialState};
use shifan::tui::testing::{ch, chars, key, render};
use shifan::tui::text::width;
use tui_setup::{DEMO_PASSWORD, DemoSetup, demo_setup};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [Lang; 2] = [Lang::Zh, Lang::En];

fn login(s: &mut DemoSetup, name: &str, lang: Lang) -> State {
    let mut state = State::new(s.criteria.clone(), lang, &s.store);
    let mut keys = chars(name);
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(DEMO_PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    assert!(
        matches!(state.screen, Screen::Official(_)),
        "{name} on the official's screen: {:?}",
        state.env.message
    );
    state
}

fn official(state: &State) -> &OfficialState {
    match &state.screen {
        Screen::Official(o) => o,
        other => panic!("not the official's screen: {other:?}"),
    }
}

/// Every row fits the terminal's width (no row wider than the screen).
fn fits(rows: &[String], w: u16) {
    for r in rows {
        assert!(width(r) <= w as usize, "row wider than {w}: {r}");
    }
}

/// No English sentence reaches the Chinese screen: words from the English texts of this screen.
fn no_english(all: &str) {
    for en in [
        "refused",
        "Fix:",
        "Field:",
        "Place:",
        "press r",
        "errors",
        "nothing stored",
        "read-only",
        "cannot",
    ] {
        assert!(
            !all.contains(en),
            "English «{en}» on the Chinese screen:\n{all}"
        );
    }
}

#[test]
fn the_official_of_a_refused_batch_sees_when_and_why_in_both_languages_and_sizes() {
    let mut s = demo_setup();
    for lang in LANGS {
        let t = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
        let mut state = login(&mut s, "official-beijing", lang);
        let o = official(&state);
        assert!(o.dossiers.is_empty());
        assert_eq!(o.refusals.len(), 1, "{:?}", o.refusals);
        let codes: Vec<&str> = o
            .refusal_findings()
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(codes, ["E-DUP-APPLICANT"]);
        let file = &o.refusal_findings()[0].file;
        assert!(file.ends_with("110000-beijing/dossier-02.toml"), "{file}");

        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            fits(&rows, w);
            let all = rows.join("\n");
            // The banner: refused, when, the code; the hint to read why.
            assert!(
                all.contains(t("在全国导入时被拒收", "refused at the national import")),
                "{w}×{h}\n{all}"
            );
            assert!(all.contains("E-DUP-APPLICANT"), "{w}×{h}\n{all}");
            assert!(
                all.contains(t("按 r 查看拒收原因", "press r for the reasons")),
                "{all}"
            );
            assert!(
                all.contains(t("拒收原因", "refusal reasons")),
                "footer: {all}"
            );
            // Not the old, misleading "nothing stored yet".
            assert!(!all.contains(t(
                "数据库中尚无本省申报书",
                "No dossiers of this province stored yet"
            )));
            if lang == Lang::Zh {
                no_english(&all);
            }
        }

        // r: the findings, the current one in full with file, line, field, problem and fix.
        send(&mut state, &mut s.store, [ch('r')]);
        assert_eq!(official(&state).mode, Mode::Refusal);
        assert_eq!(state.context(), Context::Refusal);
        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            fits(&rows, w);
            let all = rows.join("\n");
            assert!(
                all.contains(t("全国导入拒收", "Refused at import")),
                "{all}"
            );
            assert!(all.contains("dossier-02.toml:7"), "{w}×{h}\n{all}");
            assert!(all.contains("applicant.name"), "{all}");
            assert!(
                all.contains(t("字段：applicant.name", "Field: applicant.name")),
                "{all}"
            );
            assert!(
                all.contains(t("在本轮重复申报", "applies more than once this round")),
                "{all}"
            );
            assert!(all.contains(t("改法：", "Fix: ")), "{all}");
            assert!(
                all.contains("130000-hebei"),
                "the other province's file is named: {all}"
            );
            if lang == Lang::Zh {
                no_english(&all);
            }
        }
        // Enter does nothing here (the ministry's files are not the official's to open);
        // Esc goes back to the dossiers.
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        assert_eq!(official(&state).mode, Mode::Refusal);
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        assert_eq!(official(&state).mode, Mode::Dossiers);
    }
}

#[test]
fn hebei_sees_its_own_refusal_and_an_accepted_province_sees_none() {
    let mut s = demo_setup();
    let state = login(&mut s, "official-hebei", Lang::En);
    let o = official(&state);
    assert_eq!(o.refusals.len(), 1);
    assert!(o.refusals[0].findings[0].file.contains("130000-hebei"));
    assert!(
        o.refusals[0]
            .findings
            .iter()
            .all(|f| !f.file.contains("110000-beijing")),
        "only Hebei's findings: {:?}",
        o.refusals[0].findings
    );

    let mut state = login(&mut s, "official-zhejiang", Lang::Zh);
    assert!(official(&state).refusals.is_empty());
    let all = render(&state, 80, 24).join("\n");
    assert!(
        !all.contains("被拒收"),
        "no banner without a refusal: {all}"
    );
    send(&mut state, &mut s.store, [ch('r')]);
    assert_eq!(official(&state).mode, Mode::Dossiers);
    let m = state.env.message.as_ref().expect("a message");
    assert!(m.text.zh.contains("没有被拒收"), "{:?}", m.text);
}

#[test]
fn enter_opens_a_stored_dossier_read_only_and_esc_goes_back() {
    let mut s = demo_setup();
    for lang in LANGS {
        let t = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
        let mut state = login(&mut s, "official-zhejiang", lang);
        let o = official(&state);
        assert!(o.dossiers.len() >= 2);
        let second = o.dossiers[1].clone();
        send(
            &mut state,
            &mut s.store,
            [key(KeyCode::Down), key(KeyCode::Enter)],
        );
        let o = official(&state);
        assert_eq!(o.mode, Mode::Dossier, "{:?}", state.env.message);
        assert_eq!(state.context(), Context::FileView);
        let v = o.stored.as_ref().expect("the dossier");
        assert_eq!(v.code, second.code);
        assert_eq!(
            v.dossier.as_ref().map(|d| d.applicant_name().to_string()),
            Some(second.applicant.clone())
        );
        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            fits(&rows, w);
            let all = rows.join("\n");
            assert!(all.contains(&second.code), "{all}");
            assert!(all.contains(t("只读", "read-only")), "{all}");
            assert!(
                all.contains(t("一、工作基础", "1. Work foundation")),
                "{all}"
            );
            // The province in the user's language, whatever the dossier wrote (浙江 in English
            // was a Chinese word on an English screen).
            assert!(
                all.contains(&format!("{} · ", t("浙江", "Zhejiang"))),
                "{all}"
            );
            // The position: first line shown, last line shown, of all.
            assert!(rows[1].contains("· 1–"), "{}", rows[1]);
            if lang == Lang::Zh {
                no_english(&all);
            }
        }
        // PageDown moves the view; letters and digits change nothing (read-only).
        send(&mut state, &mut s.store, [key(KeyCode::PageDown)]);
        assert_eq!(official(&state).stored.as_ref().map(|v| v.scroll), Some(10));
        let rows = render(&state, 80, 24);
        assert!(rows[1].contains("· 11–"), "{}", rows[1]);
        send(&mut state, &mut s.store, chars("5x"));
        assert_eq!(official(&state).mode, Mode::Dossier);
        // Scrolling stops at the end.
        send(&mut state, &mut s.store, vec![key(KeyCode::PageDown); 100]);
        let v = official(&state).stored.as_ref().expect("the dossier");
        assert_eq!(v.scroll, v.max_scroll);
        let rows = render(&state, 80, 24);
        let total = rows[1]
            .split('/')
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse::<usize>().ok())
            .expect("the position in the title");
        assert!(
            rows[1].contains(&format!("–{total}/{total}")),
            "{}",
            rows[1]
        );
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        assert_eq!(official(&state).mode, Mode::Dossiers);
        // The cursor is still on the dossier that was opened.
        assert_eq!(official(&state).list.current(), Some(1));
    }
}

/// The official reads the list by the unit's name: at 80 columns, in both languages, every
/// applicant of 浙江 and every file name shows whole (the English type names give way first;
/// before, the longest applicant was cut while the file column kept 16).
#[test]
fn the_list_shows_every_applicant_and_file_whole_at_80_columns() {
    let mut s = demo_setup();
    for lang in LANGS {
        let state = login(&mut s, "official-zhejiang", lang);
        let dossiers = official(&state).dossiers.clone();
        assert_eq!(dossiers.len(), 10);
        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            fits(&rows, w);
            for d in &dossiers {
                let file = d.file.rsplit('/').next().unwrap_or(&d.file);
                let row = rows
                    .iter()
                    .find(|r| r.contains(&d.code))
                    .unwrap_or_else(|| {
                        panic!("{} listed at {w}x{h}:\n{}", d.code, rows.join("\n"))
                    });
                assert!(row.contains(&d.applicant), "{lang:?} {w}x{h}: {row}");
                assert!(row.contains(file), "{lang:?} {w}x{h}: {row}");
            }
        }
    }
}

/// A re-check that meets a file the system cannot read (a link to nothing) says why in the
/// chosen language: the system's English message stays out of the Chinese screen.
#[cfg(unix)]
#[test]
fn a_recheck_of_an_unreadable_file_says_why_in_chinese() {
    let mut s = demo_setup();
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("zj");
    std::fs::create_dir(&folder).unwrap();
    let src = common::root().join("sample-applications/330000-zhejiang");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), folder.join(e.file_name())).unwrap();
    }
    std::os::unix::fs::symlink(
        tmp.path().join("nowhere.toml"),
        folder.join("dossier-99.toml"),
    )
    .unwrap();
    for lang in LANGS {
        let mut state = login(&mut s, "official-zhejiang", lang);
        send(&mut state, &mut s.store, [ch('f')]);
        send(
            &mut state,
            &mut s.store,
            [Msg::Paste(folder.display().to_string())],
        );
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        let o = official(&state);
        assert_eq!(o.mode, Mode::Findings, "{:?}", state.env.message);
        let read = o
            .findings
            .iter()
            .find(|f| f.code.as_str() == "E-READ")
            .expect("the link is a finding");
        assert!(
            read.message.zh.contains("文件不存在"),
            "{}",
            read.message.zh
        );
        assert!(
            !read.message.zh.contains("No such file"),
            "{}",
            read.message.zh
        );
        assert!(
            read.message.en.contains("No such file"),
            "{}",
            read.message.en
        );
        let i = o
            .findings
            .iter()
            .position(|f| f.code.as_str() == "E-READ")
            .unwrap_or(0);
        send(&mut state, &mut s.store, vec![key(KeyCode::Down); i]);
        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            fits(&rows, w);
            let all = rows.join("\n");
            assert!(all.contains("E-READ"), "{all}");
            if lang == Lang::Zh {
                no_english(&all);
                assert!(
                    !all.contains("No such file") && !all.contains("checked:"),
                    "{all}"
                );
            }
        }
    }
}

#[test]
fn after_sealing_the_official_sees_the_province_outcomes_and_objections() {
    let mut s = demo_setup();
    // Before the list is sealed nothing is decided: no outcome column.
    let state = login(&mut s, "official-zhejiang", Lang::Zh);
    assert!(official(&state).results.is_none());
    let all = render(&state, 80, 24).join("\n");
    assert!(!all.contains("结果"), "{all}");

    let m = s.store.login("ministry", DEMO_PASSWORD).unwrap();
    s.store
        .propose(&s.criteria, &m, None, Some("测试：部分评分表未提交"))
        .expect("sealed");
    s.store
        .start_publicity(&s.criteria, &m, None)
        .expect("publicity");
    let p = s.store.publicity(&m).unwrap();
    let ours = p
        .proposed_list()
        .iter()
        .find(|e| e.province_key == "330000")
        .expect("a Zhejiang unit on the list")
        .code
        .clone();
    let id = s
        .store
        .object(&m, &ours, None, "某村委会", "申报数据与实际不符")
        .unwrap();
    s.store
        .resolve(&s.criteria, &m, id, true, "核实属实", None)
        .unwrap();
    // The objector stays with the ministry; the official sees no other province.
    assert!(s.store.province_results(&m, "330000").unwrap().is_some());
    let other = s.store.login("official-beijing", DEMO_PASSWORD).unwrap();
    assert!(s.store.province_results(&other, "330000").is_err());

    for lang in LANGS {
        let t = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
        let mut state = login(&mut s, "official-zhejiang", lang);
        let o = official(&state);
        let (_, rows) = o.results.as_ref().expect("results once sealed");
        let i = o
            .dossiers
            .iter()
            .position(|d| d.code == ours)
            .expect("our unit");
        let r = rows[i].as_ref().expect("an outcome");
        assert_eq!(r.text.zh, "异议成立撤销");
        assert_eq!(r.objections.len(), 1);
        assert!(
            rows.iter()
                .flatten()
                .any(|r| r.text.zh == "入选" || r.text.zh == "递补"),
            "{rows:?}"
        );
        send(&mut state, &mut s.store, vec![key(KeyCode::Down); i]);
        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            fits(&rows, w);
            let all = rows.join("\n");
            assert!(
                all.contains(t("正在公示", "in publicity")),
                "{w}×{h}\n{all}"
            );
            assert!(all.contains(t("结果", "Outcome")), "{all}");
            assert!(all.contains(t("异议成立撤销", "removed ")), "{all}");
            assert!(all.contains(t("异议成立", "upheld")), "{all}");
            assert!(all.contains("核实属实"), "the ministry's reasons: {all}");
            assert!(all.contains(t("（", "Objection #1 (received ")), "{all}");
            assert!(
                !all.contains("某村委会"),
                "the objector is confidential: {all}"
            );
            if lang == Lang::Zh {
                no_english(&all);
            }
        }
    }
}
