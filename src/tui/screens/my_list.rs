//! The expert's list: its sort orders and the review deadline (round.toml's
//! `review_deadline`, against the round's today).

use jiff::civil::Date;

use crate::domain::Text;
use crate::store::AssignedDossier;

/// How the expert's list is sorted (`o` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MySort {
    /// Sheets not yet submitted first, then by dossier code.
    #[default]
    Unfinished,
    /// By dossier code.
    Code,
    /// By demonstration type, then code (dossiers of one type side by side).
    Type,
}

impl MySort {
    pub fn next(self) -> MySort {
        match self {
            MySort::Unfinished => MySort::Code,
            MySort::Code => MySort::Type,
            MySort::Type => MySort::Unfinished,
        }
    }

    /// Shown under the list.
    pub fn label(self) -> Text {
        match self {
            MySort::Unfinished => Text::new("排序：未完成优先", "sort: unfinished first"),
            MySort::Code => Text::new("排序：按编号", "sort: by code"),
            MySort::Type => Text::new("排序：按类型", "sort: by type"),
        }
    }

    /// Sort the rows in place. Scoring a criterion never moves a row (only submitting does,
    /// in the first order), so the cursor stays on the dossier the expert was on.
    pub fn sort(self, rows: &mut [AssignedDossier]) {
        match self {
            MySort::Unfinished => rows.sort_by(|a, b| {
                (a.submitted, a.code.as_str()).cmp(&(b.submitted, b.code.as_str()))
            }),
            MySort::Code => rows.sort_by(|a, b| a.code.cmp(&b.code)),
            MySort::Type => rows.sort_by(|a, b| {
                (a.type_id.as_str(), a.code.as_str()).cmp(&(b.type_id.as_str(), b.code.as_str()))
            }),
        }
    }
}

/// Where the review stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// `days` days left (0: today is the last day).
    Left { on: Date, days: i64 },
    /// Past the deadline by `days` days with sheets still open.
    Overdue { on: Date, days: i64 },
    /// Every sheet is submitted (the deadline no longer presses).
    Done { on: Date },
}

impl Deadline {
    /// The state on `today` for a deadline `on`, with `open` sheets not yet submitted.
    pub fn new(on: Date, today: Date, open: usize) -> Deadline {
        let days = i64::from((on - today).get_days());
        if open == 0 {
            Deadline::Done { on }
        } else if days < 0 {
            Deadline::Overdue { on, days: -days }
        } else {
            Deadline::Left { on, days }
        }
    }

    pub fn overdue(self) -> bool {
        matches!(self, Deadline::Overdue { .. })
    }

    pub fn text(self) -> Text {
        match self {
            Deadline::Left { on, days: 0 } => Text::new(
                format!("评审截止 {on} · 今天截止"),
                format!("review deadline {on} · due today"),
            ),
            Deadline::Left { on, days } => Text::new(
                format!("评审截止 {on} · 还剩 {days} 天"),
                format!(
                    "review deadline {on} · {days} day{} left",
                    if days == 1 { "" } else { "s" }
                ),
            ),
            Deadline::Overdue { on, days } => Text::new(
                format!("评审截止 {on} · 已逾期 {days} 天"),
                format!(
                    "review deadline {on} · overdue by {days} day{}",
                    if days == 1 { "" } else { "s" }
                ),
            ),
            Deadline::Done { on } => Text::new(
                format!("评审截止 {on} · 已全部提交"),
                format!("review deadline {on} · all submitted"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn row(code: &str, type_id: &str, submitted: bool) -> AssignedDossier {
        AssignedDossier {
            code: code.into(),
            province_key: "330000".into(),
            type_id: type_id.into(),
            applicant: String::new(),
            scored: 0,
            submitted,
        }
    }

    #[test]
    fn each_order_and_the_cycle() {
        let mut rows = vec![
            row("B", "x", true),
            row("D", "a", false),
            row("A", "x", false),
            row("C", "a", true),
        ];
        let codes = |r: &[AssignedDossier]| r.iter().map(|d| d.code.clone()).collect::<String>();
        MySort::Unfinished.sort(&mut rows);
        assert_eq!(codes(&rows), "ADBC");
        MySort::Code.sort(&mut rows);
        assert_eq!(codes(&rows), "ABCD");
        MySort::Type.sort(&mut rows);
        assert_eq!(codes(&rows), "CDAB");
        assert_eq!(MySort::default().next().next().next(), MySort::Unfinished);
    }

    #[test]
    fn days_left_due_today_overdue_and_done() {
        let on = date(2026, 6, 30);
        assert_eq!(
            Deadline::new(on, date(2026, 6, 20), 2),
            Deadline::Left { on, days: 10 }
        );
        assert_eq!(
            Deadline::new(on, on, 1).text().en,
            "review deadline 2026-06-30 · due today"
        );
        let late = Deadline::new(on, date(2026, 7, 3), 1);
        assert!(late.overdue());
        assert_eq!(late.text().zh, "评审截止 2026-06-30 · 已逾期 3 天");
        assert_eq!(
            Deadline::new(on, date(2026, 6, 29), 1).text().en,
            "review deadline 2026-06-30 · 1 day left"
        );
        assert!(!Deadline::new(on, date(2026, 7, 3), 0).overdue());
    }
}
