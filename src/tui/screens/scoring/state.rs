//! The sheet's state: what is open, typed and scrolled, and the rules a typed entry meets.

use crate::domain::Text;
use crate::domain::access::User;
use crate::domain::dossier::Dossier;
use crate::domain::rubric::Criterion;
use crate::domain::scoring::Sheet;
use crate::input::encoding::decode;
use crate::input::source::SourceText;
use crate::store::{Store, StoreError};

use crate::tui::core::Env;
use crate::tui::input::LineInput;
use crate::tui::text::{clean, points};

use crate::tui::screens::dossier_view;
use crate::tui::screens::expert_list::ExpertListState;
use crate::tui::screens::opinion::OpinionEditor;

/// One open sheet.
#[derive(Debug, Clone)]
pub struct ScoringState {
    pub code: String,
    pub type_id: String,
    pub dossier: Option<Dossier>,
    /// The decoded file, shown as is if it no longer parses.
    pub raw: String,
    pub sheet: Sheet,
    /// Index of the current criterion in the rubric.
    pub current: usize,
    /// The points being typed.
    pub entry: LineInput,
    /// The summary is shown instead of the criterion.
    pub summary: bool,
    /// First dossier line shown (left half) or summary line shown.
    pub scroll: usize,
    pub summary_scroll: usize,
    /// First guidance line shown for the current criterion (`[` and `]`).
    pub guidance_scroll: usize,
    /// The expert's list as it was when the sheet was opened: cursor and filter come back.
    pub list: Option<Box<ExpertListState>>,
    /// The opinion editor, while open (`o`).
    pub opinion: Option<OpinionEditor>,
    /// Where to go once the points asked to be saved (`Effect::SaveScore`) are stored; a
    /// refusal drops it and the expert stays on the field.
    pub after_save: Option<AfterSave>,
}

/// What leaving a field with typed points goes on to do once they are saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterSave {
    /// To criterion `n` (↓, ↑, Tab).
    Go(usize),
    /// The next criterion, saying what is left (Enter).
    Advance,
    /// The summary (`s`).
    Summary,
    /// Back to the expert's list (Esc, q).
    List,
}

/// Why typed points cannot be saved, naming the criterion by its rubric heading. `done` is
/// false while typing (a lone `.` may still become `.5`), true on saving or leaving the field.
pub fn entry_problem(c: &Criterion, typed: &str, done: bool) -> Option<Text> {
    let typed = typed.trim();
    let (zh, en) = (clean(&c.name_zh), clean(&c.name_en));
    if typed.is_empty() || (!done && typed == ".") {
        return None;
    }
    let v = match typed.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => {
            return Some(Text::new(
                format!("「{zh}」：「{typed}」不是分数"),
                format!("{en}: \"{typed}\" is not a number of points"),
            ));
        }
    };
    let max = points(c.max);
    if v > c.max {
        return Some(Text::new(
            format!("「{zh}」超过满分 {max}"),
            format!("{en}: more than the maximum {max}"),
        ));
    }
    let decimals = typed.split('.').nth(1).map_or(0, str::len);
    let steps = v / c.step;
    if decimals > step_decimals(c.step) || (steps - steps.round()).abs() > 1e-9 {
        let step = points(c.step);
        return Some(Text::new(
            format!("「{zh}」按 {step} 分一档打分，{typed} 不行"),
            format!("{en}: points go in steps of {step}, not {typed}"),
        ));
    }
    None
}

/// The dossier sections a criterion's guidance says to read, most precise first: the type
/// standard for the type-fit group, else `section.key` and `section` from "Read [section] key".
pub fn reads(c: &Criterion) -> Vec<String> {
    if c.group == "type_fit" {
        return vec!["type_standard".into(), "type_evidence".into()];
    }
    let g = c.guidance_en.as_str();
    let word = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|ch| ch.is_ascii_lowercase() || *ch == '_')
            .collect()
    };
    let Some(open) = g.find('[') else {
        return Vec::new();
    };
    let Some(len) = g[open..].find(']') else {
        return Vec::new();
    };
    let section = &g[open + 1..open + len];
    let after = word(&g[open + len + 1..]);
    let first = g.strip_prefix("Read ").map(word).unwrap_or_default();
    let mut out = Vec::new();
    for w in [after, first] {
        if !w.is_empty() {
            out.push(format!("{section}.{w}"));
        }
    }
    out.push(section.to_string());
    out
}

pub(super) fn user(env: &Env) -> Result<User, StoreError> {
    env.user.clone().ok_or(StoreError::LoginRequired)
}

pub(super) fn expert_id(u: &User) -> &str {
    match &u.role {
        crate::domain::access::Role::Expert { expert_id } => expert_id,
        _ => "",
    }
}

/// Decimal places a step allows (0.5 → 1, 0.25 → 2, 1 → 0).
pub(super) fn step_decimals(step: f64) -> usize {
    let s = points(step);
    s.split('.').nth(1).map_or(0, str::len)
}

impl ScoringState {
    /// Open a dossier's sheet at its first unscored criterion (the summary when all are scored).
    pub fn open(env: &Env, store: &Store, code: &str) -> Result<ScoringState, StoreError> {
        let u = user(env)?;
        let sheet = store.sheet(&u, code, expert_id(&u))?;
        let Some((bytes, _)) = store.dossier_raw(Some(&u), code)? else {
            return Err(crate::domain::refusal::Refusal::UnknownDossier {
                code: code.to_string(),
            }
            .into());
        };
        let text = decode(&bytes)
            .map_or_else(|_| String::from_utf8_lossy(&bytes).into_owned(), |(t, _)| t);
        Ok(Self::from_text(env, code, text, sheet))
    }

    /// A sheet over a dossier's decoded text and the sheet as stored, at its first unscored
    /// criterion (the summary when all are scored). Pure: `open` reads both from the store.
    pub fn from_text(env: &Env, code: &str, text: String, sheet: Sheet) -> ScoringState {
        let (dossier, _) = crate::input::dossier::read(&SourceText::new(code, text.clone()));
        let type_id = dossier
            .as_ref()
            .and_then(|d| d.demo_type.as_ref())
            .and_then(|t| env.criteria.types.resolve(&t.value))
            .map_or_else(String::new, |t| t.id.clone());
        let rubric = &env.criteria.rubric;
        let next = sheet.next_unscored(rubric);
        let current = next
            .and_then(|c| rubric.criteria.iter().position(|d| d.id == c.id))
            .unwrap_or(0);
        ScoringState {
            code: code.to_string(),
            type_id,
            dossier,
            raw: text,
            summary: next.is_none(),
            sheet,
            current,
            entry: LineInput::default(),
            scroll: 0,
            summary_scroll: 0,
            guidance_scroll: 0,
            list: None,
            opinion: None,
            after_save: None,
        }
    }

    /// The sheet is submitted: it opens read-only.
    pub fn read_only(&self) -> bool {
        self.sheet.submitted
    }

    /// The dossier pane's inner width and height in a window of `env.size` (the view draws
    /// it there; nothing is recorded while drawing).
    pub fn pane(&self, env: &Env) -> (u16, u16) {
        let [left, _] = super::view::panes(crate::tui::core::body_area(env));
        let inner = ratatui::widgets::Block::bordered().inner(left);
        (inner.width, inner.height)
    }

    /// The largest useful scroll of the dossier pane at its size.
    pub fn max_scroll(&self, env: &Env) -> usize {
        let (w, h) = self.pane(env);
        dossier_view::lines(
            self.dossier.as_ref(),
            &self.raw,
            &env.criteria,
            &self.type_id,
            env.lang,
            w as usize,
        )
        .len()
        .saturating_sub(h as usize)
    }

    /// Scroll the dossier pane to the section the current criterion reads (when known).
    pub(super) fn follow(&mut self, env: &Env) {
        let (w, h) = self.pane(env);
        let Some(c) = self.criterion(env) else {
            return;
        };
        if w == 0 {
            return;
        }
        let laid = dossier_view::layout(
            self.dossier.as_ref(),
            &self.raw,
            &env.criteria,
            &self.type_id,
            env.lang,
            w as usize,
        );
        if let Some(at) = reads(c).iter().find_map(|k| laid.anchor(k)) {
            let max = laid.lines.len().saturating_sub(h as usize);
            self.scroll = at.min(max);
        }
    }

    /// One page of the dossier pane (its height, less one line kept for context).
    pub(super) fn page(&self, env: &Env) -> usize {
        (self.pane(env).1 as usize).saturating_sub(1).max(1)
    }

    pub(super) fn criterion<'e>(&self, env: &'e Env) -> Option<&'e Criterion> {
        env.criteria.rubric.criteria.get(self.current)
    }

    /// The logged-in expert's sheet for `code` as stored (the runtime reads it again after
    /// every write it carries out for this screen).
    pub fn read_sheet(env: &Env, store: &Store, code: &str) -> Result<Sheet, StoreError> {
        let u = user(env)?;
        store.sheet(&u, code, expert_id(&u))
    }
}
