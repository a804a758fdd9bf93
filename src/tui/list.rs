//! Lists with a `/` search filter, drawn as fixed-width text columns. Only the visible rows are
//! built, so a list of 30,000 rows draws as fast as one of 30.

use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::input::LineInput;
use super::text::{pad, pad_left};
use super::theme;

/// Selection, filter and the rows that pass it (indices into the screen's own data).
#[derive(Debug, Clone, Default)]
pub struct FilteredList {
    pub selected: usize,
    pub query: LineInput,
    /// The query field has the focus.
    pub filtering: bool,
    pub visible: Vec<usize>,
}

impl FilteredList {
    /// A list of `len` rows, none filtered out.
    pub fn new(len: usize) -> Self {
        FilteredList {
            visible: (0..len).collect(),
            ..Self::default()
        }
    }

    /// Keep the rows whose haystack contains the query (case-insensitive).
    pub fn refilter(&mut self, len: usize, haystack: impl Fn(usize) -> String) {
        let q = self.query.value().to_lowercase();
        self.visible = (0..len)
            .filter(|&i| q.is_empty() || haystack(i).to_lowercase().contains(&q))
            .collect();
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// The data index of the selected row.
    pub fn current(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    pub fn up(&mut self, n: usize) {
        self.selected = self.selected.saturating_sub(n);
    }

    pub fn down(&mut self, n: usize) {
        self.selected = (self.selected + n).min(self.visible.len().saturating_sub(1));
    }

    /// The mouse over a list drawn by [`draw_table`] into `table` (its header row and rows):
    /// the wheel moves the cursor [`WHEEL`] rows, a left click on a row selects it. Returns
    /// what it did, `None` when the event was outside the list or not for it.
    pub fn on_mouse(&mut self, ev: &MouseEvent, table: Rect) -> Option<ListMouse> {
        if !inside(table, ev) {
            return None;
        }
        match ev.kind {
            MouseEventKind::ScrollDown => {
                self.down(WHEEL);
                Some(ListMouse::Scrolled)
            }
            MouseEventKind::ScrollUp => {
                self.up(WHEEL);
                Some(ListMouse::Scrolled)
            }
            MouseEventKind::Down(MouseButton::Left) if ev.row > table.y => {
                let body = table.height.saturating_sub(1) as usize;
                self.click(offset(self.selected, body) + (ev.row - table.y - 1) as usize)
            }
            _ => None,
        }
    }

    /// A click on the row at position `pos` of the visible rows (for a list drawn other than
    /// by [`draw_table`], e.g. rows of several lines): selects it; `None` past the last row.
    pub fn click(&mut self, pos: usize) -> Option<ListMouse> {
        if pos >= self.visible.len() {
            return None;
        }
        let again = pos == self.selected;
        self.selected = pos;
        Some(ListMouse::Selected { again })
    }

    /// The wheel anywhere (for a screen whose list fills it): moves the cursor.
    pub fn on_wheel(&mut self, ev: &MouseEvent) -> bool {
        match ev.kind {
            MouseEventKind::ScrollDown => self.down(WHEEL),
            MouseEventKind::ScrollUp => self.up(WHEEL),
            _ => return false,
        }
        true
    }
}

/// Rows one turn of the mouse wheel moves.
pub const WHEEL: usize = 3;

/// The wheel over a scrolled text pane whose first line shown is `first`: [`WHEEL`] lines
/// down (at most to `max`) or up; `None` when the event is not a turn of the wheel.
pub fn wheel(first: usize, ev: &MouseEvent, max: usize) -> Option<usize> {
    match ev.kind {
        MouseEventKind::ScrollDown => Some((first + WHEEL).min(max.max(first))),
        MouseEventKind::ScrollUp => Some(first.saturating_sub(WHEEL)),
        _ => None,
    }
}

/// A left click (the button pressed).
pub fn is_click(ev: &MouseEvent) -> bool {
    ev.kind == MouseEventKind::Down(MouseButton::Left)
}

/// What the mouse did to a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMouse {
    Scrolled,
    /// A row was clicked; `again` when it was already the selected one.
    Selected {
        again: bool,
    },
}

/// Whether the mouse event is inside `area`.
pub fn inside(area: Rect, ev: &MouseEvent) -> bool {
    ev.column >= area.x
        && ev.column < area.x.saturating_add(area.width)
        && ev.row >= area.y
        && ev.row < area.y.saturating_add(area.height)
}

/// Which of the tab titles drawn by ratatui's `Tabs` (default padding " " each side, divider
/// "│") a click at column `x` of `area` hits.
pub fn tab_at(titles: &[&str], area: Rect, x: u16) -> Option<usize> {
    let mut at = area.x as usize;
    for (i, t) in titles.iter().enumerate() {
        let w = 1 + super::text::width(t) + 1;
        if (x as usize) >= at && (x as usize) < at + w {
            return Some(i);
        }
        at += w + 1;
    }
    None
}

/// A column: title and width in terminal columns.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub title: &'a str,
    pub width: usize,
    pub right: bool,
}

impl<'a> Column<'a> {
    pub fn left(title: &'a str, width: usize) -> Self {
        Column {
            title,
            width,
            right: false,
        }
    }

    pub fn right(title: &'a str, width: usize) -> Self {
        Column {
            title,
            width,
            right: true,
        }
    }
}

/// Column widths from what the columns hold: each column gets the width it `want`s (its widest
/// cell or title), the flexible column `flex` the rest of `total` (separators counted). When
/// the rest is under `flex_min`, the columns of `give_way` shrink in that order, each down to
/// its minimum, before the next gives way; so a type name is cut only when the applicant's
/// name would otherwise have less than `flex_min` columns.
pub fn fit_widths(
    want: &[usize],
    flex: usize,
    flex_min: usize,
    total: usize,
    give_way: &[(usize, usize)],
) -> Vec<usize> {
    let seps = want.len().saturating_sub(1);
    let mut w = want.to_vec();
    let others = |w: &[usize]| -> usize {
        w.iter()
            .enumerate()
            .filter(|(i, _)| *i != flex)
            .map(|(_, x)| *x)
            .sum()
    };
    for &(col, min) in give_way {
        let need = (seps + others(&w) + flex_min).saturating_sub(total);
        if need == 0 {
            break;
        }
        if let Some(x) = w.get_mut(col) {
            *x -= need.min(x.saturating_sub(min));
        }
    }
    let rest = total.saturating_sub(seps + others(&w));
    if let Some(x) = w.get_mut(flex) {
        *x = rest;
    }
    w
}

/// Column separator.
pub const SEP: &str = "│";

/// Cells joined into one row of exactly the columns' widths.
pub fn row_text(cols: &[Column], cells: &[String]) -> String {
    let mut out = String::new();
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push_str(SEP);
        }
        let cell = cells.get(i).map_or("", |s| s.as_str());
        out.push_str(&if c.right {
            pad_left(cell, c.width)
        } else {
            pad(cell, c.width)
        });
    }
    out
}

/// The first row to show so that `selected` is visible in `height` rows.
pub fn offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    (selected + 1).saturating_sub(height)
}

/// Draw a header row and the visible rows of a list; `cells(i)` gives row `i`'s cells.
pub fn draw_table(
    f: &mut Frame,
    area: Rect,
    cols: &[Column],
    list: &FilteredList,
    cells: impl Fn(usize) -> Vec<String>,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let body = area.height.saturating_sub(1) as usize;
    let titles: Vec<String> = cols.iter().map(|c| c.title.to_string()).collect();
    let mut lines = vec![Line::styled(row_text(cols, &titles), theme::header())];
    let first = offset(list.selected, body);
    for (pos, &i) in list.visible.iter().enumerate().skip(first).take(body) {
        let style = if pos == list.selected {
            theme::selected()
        } else {
            Style::default()
        };
        lines.push(Line::styled(row_text(cols, &cells(i)), style));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// The filter line under a list: `/query` while typing, or the active filter.
pub fn filter_line(list: &FilteredList, shown: usize, total: usize) -> Line<'static> {
    let style = if list.filtering {
        Style::default().add_modifier(Modifier::BOLD)
    } else {
        theme::dim()
    };
    let q = list.query.value();
    if q.is_empty() && !list.filtering {
        return Line::styled(format!("{shown}/{total}"), style);
    }
    Line::styled(format!("/{q}  ({shown}/{total})"), style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_content_and_give_way_in_order() {
        // Room for everything: the flexible column takes the rest.
        assert_eq!(
            fit_widths(&[4, 15, 22, 0], 3, 12, 80, &[(2, 8), (1, 6)]),
            [4, 15, 22, 36]
        );
        // Tight: the type column (2) gives way first, then the province (1).
        assert_eq!(
            fit_widths(&[4, 15, 22, 0], 3, 12, 50, &[(2, 8), (1, 6)]),
            [4, 15, 16, 12]
        );
        assert_eq!(
            fit_widths(&[4, 15, 22, 0], 3, 12, 35, &[(2, 8), (1, 6)]),
            [4, 8, 8, 12]
        );
    }
    use crate::tui::text::width;

    #[test]
    fn rows_align_by_display_width() {
        let cols = [Column::left("a", 6), Column::right("b", 4)];
        let r1 = row_text(&cols, &["浙江省".into(), "10".into()]);
        let r2 = row_text(&cols, &["ab".into(), "7".into()]);
        assert_eq!(width(&r1), width(&r2));
        assert_eq!(r1.find(SEP).map(|i| width(&r1[..i])), Some(6));
        assert_eq!(r2.find(SEP).map(|i| width(&r2[..i])), Some(6));
    }

    #[test]
    fn filter_and_offsets() {
        let names = ["浙江", "江苏", "北京"];
        let mut l = FilteredList::new(3);
        l.query = LineInput::new("江");
        l.refilter(3, |i| names[i].to_string());
        assert_eq!(l.visible, vec![0, 1]);
        l.down(5);
        assert_eq!(l.current(), Some(1));
        assert_eq!(offset(0, 10), 0);
        assert_eq!(offset(29_999, 48), 29_952);
    }
}
