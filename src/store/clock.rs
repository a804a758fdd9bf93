//! The clock every step takes its date from: the system's local date, or `SHIFAN_TODAY`
//! (`YYYY-MM-DD`) for demos and tests. The real time of each step is always the system's.

use jiff::civil::Date;

/// The environment variable that sets today's date for demos and tests.
pub const TODAY_VAR: &str = "SHIFAN_TODAY";

/// Today as the round sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// A fixed date (`SHIFAN_TODAY`, or set by a test); `None`: the system's local date.
    fixed: Option<Date>,
}

impl Clock {
    /// The system clock, unless `SHIFAN_TODAY` fixes the date. An unreadable value is an error
    /// naming it (a wrong date must never be recorded silently).
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var(TODAY_VAR) {
            Ok(v) if !v.trim().is_empty() => v
                .trim()
                .parse::<Date>()
                .map(|d| Clock { fixed: Some(d) })
                .map_err(|_| v),
            _ => Ok(Clock { fixed: None }),
        }
    }

    /// A clock stopped at `today` (tests).
    pub fn fixed(today: Date) -> Clock {
        Clock { fixed: Some(today) }
    }

    /// Today's date.
    pub fn today(&self) -> Date {
        self.fixed
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date())
    }

    /// The real time now, RFC 3339 (never affected by `SHIFAN_TODAY`).
    pub fn now(&self) -> String {
        jiff::Timestamp::now().to_string()
    }
}
