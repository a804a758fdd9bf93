//! The expert's keys: the opinion editor, a submitted (read-only) sheet and scoring.

use super::Context as C;
use super::{Action, Binding, Key, b};
use ratatui::crossterm::event::KeyCode as K;

/// Opinion editor.
pub const OPINION_EDITOR: &[Binding] = &[
    // The opinion editor: Enter is a line break, Ctrl-S saves.
    b(
        &[Key::Ctrl('s')],
        Action::SaveText,
        "保存意见",
        "save opinion",
        &[C::OpinionEditor],
        true,
    ),
    b(
        &[Key::Code(K::Esc)],
        Action::Cancel,
        "关闭",
        "close",
        &[C::OpinionEditor],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::NewLine,
        "换行",
        "new line",
        &[C::OpinionEditor],
        true,
    ),
    b(
        &[Key::Code(K::Up)],
        Action::Up,
        "上一行",
        "line up",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::Down)],
        Action::Down,
        "下一行",
        "line down",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::PageUp)],
        Action::PageUp,
        "上一页",
        "page up",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::PageDown)],
        Action::PageDown,
        "下一页",
        "page down",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::Delete)],
        Action::DeleteForward,
        "删除光标处字符",
        "delete at cursor",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::Esc)],
        Action::Cancel,
        "清除筛选",
        "clear filter",
        &[C::Filter],
        true,
    ),
];

/// Sheet read only.
pub const SHEET_READ_ONLY: &[Binding] = &[
    // A submitted sheet: read, page through, nothing to change (digits say it is locked).
    b(
        &[Key::Code(K::Down), Key::Code(K::Tab)],
        Action::NextCriterion,
        "下一项",
        "next",
        &[C::SheetReadOnly],
        true,
    ),
    b(
        &[Key::Code(K::Up), Key::Code(K::BackTab)],
        Action::PrevCriterion,
        "上一项",
        "previous",
        &[C::SheetReadOnly],
        true,
    ),
    b(
        &[Key::Char('s')],
        Action::Summary,
        "汇总",
        "summary",
        &[C::SheetReadOnly],
        true,
    ),
    b(
        &[Key::Digits],
        Action::Type,
        "已提交，只读",
        "submitted, read-only",
        &[C::SheetReadOnly, C::SummaryReadOnly],
        false,
    ),
];

/// Scoring.
pub const SCORING: &[Binding] = &[
    // Scoring one criterion.
    b(
        &[Key::Digits],
        Action::Type,
        "输入分数",
        "type points",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::SaveScore,
        "保存分数",
        "save points",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Char(']')],
        Action::GuidanceDown,
        "说明下翻",
        "guidance down",
        &[C::Scoring, C::SheetReadOnly],
        false,
    ),
    b(
        &[Key::Char('[')],
        Action::GuidanceUp,
        "说明上翻",
        "guidance up",
        &[C::Scoring, C::SheetReadOnly],
        false,
    ),
    b(
        &[Key::Code(K::Down), Key::Code(K::Tab)],
        Action::NextCriterion,
        "下一项",
        "next criterion",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Code(K::Up), Key::Code(K::BackTab)],
        Action::PrevCriterion,
        "上一项",
        "previous criterion",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Code(K::PageDown)],
        Action::PageDown,
        "申报书下翻",
        "scroll dossier down",
        &[C::Scoring, C::SheetReadOnly],
        false,
    ),
    b(
        &[Key::Code(K::PageUp)],
        Action::PageUp,
        "申报书上翻",
        "scroll dossier up",
        &[C::Scoring, C::SheetReadOnly],
        false,
    ),
    b(
        &[Key::Char('o')],
        Action::Opinion,
        "评审意见",
        "opinion",
        &[C::Scoring, C::Summary],
        true,
    ),
    b(
        &[Key::Char('y')],
        Action::Recommend,
        "推荐",
        "recommend",
        &[C::Scoring, C::Summary],
        true,
    ),
    b(
        &[Key::Char('n')],
        Action::NotRecommend,
        "不推荐",
        "do not recommend",
        &[C::Scoring, C::Summary],
        true,
    ),
    b(
        &[Key::Char('s')],
        Action::Summary,
        "汇总",
        "summary",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Submit,
        "提交",
        "submit",
        &[C::Summary],
        true,
    ),
    b(
        &[Key::Char('x')],
        Action::Recuse,
        "申请回避",
        "recuse",
        &[C::Scoring, C::ExpertList],
        true,
    ),
];
