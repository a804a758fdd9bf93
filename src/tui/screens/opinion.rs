//! The opinion editor over the scoring screen: several lines, Enter a line break, Ctrl-S saves,
//! Esc closes (with unsaved changes, a first Esc warns and a second one discards them).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::text_rules::TEXT_MAX_CHARS;

use crate::tui::core::Env;
use crate::tui::keymap::Action;
use crate::tui::popup::{centered, clear};
use crate::tui::text::truncate;
use crate::tui::textarea::{Edit, Size, TextArea};
use crate::tui::theme;

/// The most characters an opinion takes: the rubric sets no limit of its own, so the one for
/// every long text (a dossier section) applies.
pub const OPINION_MAX_CHARS: usize = TEXT_MAX_CHARS;

/// An open opinion editor.
#[derive(Debug, Clone)]
pub struct OpinionEditor {
    pub text: TextArea,
    /// The opinion as stored when the editor opened (to tell unsaved changes).
    original: String,
    /// Esc was pressed once with unsaved changes.
    warned: bool,
}

/// What a key did to the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    /// Save this text (trimmed) and close.
    Save(String),
}

/// The size assumed before the first draw.
const DEFAULT_SIZE: Size = (60, 8);

impl OpinionEditor {
    pub fn new(opinion: &str) -> OpinionEditor {
        let text = TextArea::new(opinion, OPINION_MAX_CHARS);
        OpinionEditor {
            original: text.value(),
            text,
            warned: false,
        }
    }

    /// The text box's inner size in a window of `env.size` (moving by rows needs it); the
    /// view draws the box there.
    fn box_size(env: &Env) -> Size {
        match inner_size(box_area(crate::tui::core::body_area(env))) {
            (0, _) | (_, 0) => DEFAULT_SIZE,
            s => s,
        }
    }

    pub fn changed(&self) -> bool {
        self.text.value() != self.original
    }

    pub fn handle(&mut self, env: &mut Env, action: Action, typed: Option<char>) -> Outcome {
        match action {
            Action::SaveText => return Outcome::Save(self.text.value().trim().to_string()),
            Action::Cancel if !self.changed() => return Outcome::Close,
            Action::Cancel if self.warned => {
                env.info(Text::new(
                    "已放弃对评审意见的修改",
                    "changes to the opinion discarded",
                ));
                return Outcome::Close;
            }
            Action::Cancel => {
                self.warned = true;
                env.error(Text::new(
                    "评审意见尚未保存：Ctrl-S 保存，再按 Esc 放弃修改",
                    "the opinion is not saved: Ctrl-S saves, Esc again discards the changes",
                ));
                return Outcome::Stay;
            }
            _ => {}
        }
        self.warned = false;
        if self.text.edit(action, typed, Self::box_size(env)) == Edit::Full {
            env.error(Text::new(
                format!("评审意见最多 {OPINION_MAX_CHARS} 字，多出的未录入"),
                format!("an opinion holds at most {OPINION_MAX_CHARS} characters; the rest was not taken"),
            ));
        }
        Outcome::Stay
    }

    /// Pasted text, line breaks kept.
    pub fn paste(&mut self, env: &mut Env, s: &str) {
        self.warned = false;
        if self.text.insert_str(s) == Edit::Full {
            env.error(Text::new(
                format!("评审意见最多 {OPINION_MAX_CHARS} 字，粘贴的多余部分未录入"),
                format!(
                    "an opinion holds at most {OPINION_MAX_CHARS} characters; the rest of the paste was not taken"
                ),
            ));
        }
        self.text.keep_visible(Self::box_size(env));
    }
}

/// The editor's box over the scoring screen's body: the whole body, so no dossier text shows
/// at its sides; at most 100 columns wide.
fn box_area(area: Rect) -> Rect {
    centered(area, area.width.min(100), area.height)
}

/// Inside the box's border.
fn inner_size(r: Rect) -> Size {
    (r.width.saturating_sub(2), r.height.saturating_sub(2))
}

/// Draw the editor over `area` (the scoring screen's body).
pub fn view(e: &OpinionEditor, code: &str, env: &Env, f: &mut Frame, area: Rect) {
    let r = box_area(area);
    let (count, max) = e.text.count();
    let size = inner_size(r);
    let (inner_w, inner_h) = size;
    let rows = e.text.row_count(inner_w);
    let position = format!(
        " {} {}/{rows} · {} {count}/{max} ",
        env.t("行", "row"),
        e.text.cursor_row_at(inner_w) + 1,
        env.t("字", "chars"),
    );
    let title = format!(
        " {} {code} ",
        env.t("评审意见 — 申报书", "Opinion — dossier"),
    );
    let room = (r.width as usize).saturating_sub(4);
    let mut block = Block::bordered()
        .title(truncate(&title, room))
        .title_bottom(Line::from(truncate(&position, room)).right_aligned());
    if e.changed() {
        block = block.title_bottom(Line::styled(env.t(" 未保存 ", " unsaved "), theme::error()));
    }
    clear(f, r);
    f.render_widget(block, r);
    let (lines, (cx, cy)) = e.text.view(size);
    let inner = Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: inner_w,
        height: inner_h,
    };
    let lines: Vec<Line> = lines.into_iter().map(Line::from).collect();
    f.render_widget(Paragraph::new(lines), inner);
    if cx < inner_w && cy < inner_h {
        f.set_cursor_position((inner.x + cx, inner.y + cy));
    }
}
