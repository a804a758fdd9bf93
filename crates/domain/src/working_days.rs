//! Working-day arithmetic (工作日): weekends off, public holidays off, adjusted weekend
//! working days (调休) on, as listed in `criteria/holidays.toml`.

use std::collections::BTreeSet;

use jiff::civil::{Date, Weekday};

use super::criteria::Holidays;

/// A working-day calendar built from the round's holiday list.
///
/// A Monday–Friday is a working day unless it is listed as a holiday; a Saturday or Sunday is a
/// working day only when listed as an adjusted working day. A weekday listed in both lists counts
/// as a holiday; a weekend day listed in both counts as a working day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
}

impl Calendar {
    /// A calendar with the holidays and adjusted working days of `holidays`.
    pub fn new(holidays: &Holidays) -> Self {
        Calendar {
            holidays: holidays.holidays.iter().map(|d| d.date).collect(),
            workdays: holidays.workdays.iter().map(|d| d.date).collect(),
        }
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: Date) -> bool {
        match date.weekday() {
            Weekday::Saturday | Weekday::Sunday => self.workdays.contains(&date),
            _ => !self.holidays.contains(&date),
        }
    }

    /// The first working day on or after `date`; `None` past the last representable date.
    pub fn next_working_day(&self, date: Date) -> Option<Date> {
        let mut d = date;
        while !self.is_working_day(d) {
            d = d.tomorrow().ok()?;
        }
        Some(d)
    }

    /// The last day of a period of `n` working days that begins on `start` (or on the next
    /// working day if `start` is not one): n = 5 from Monday 2026-08-03 gives Friday 2026-08-07.
    ///
    /// `None` when `n` is 0 (an empty period has no last day) or the period would run past the
    /// last date jiff represents (9999-12-31).
    pub fn checked_add_working_days(&self, start: Date, n: u32) -> Option<Date> {
        if n == 0 {
            return None;
        }
        let mut end = self.next_working_day(start)?;
        for _ in 1..n {
            end = self.next_working_day(end.tomorrow().ok()?)?;
        }
        Some(end)
    }

    /// The last day of a period of `n` working days that begins on `start`, as
    /// [`Calendar::checked_add_working_days`]; `n` = 0 gives `start` itself, and a period that
    /// would run past 9999-12-31 ends there.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        if n == 0 {
            return start;
        }
        self.checked_add_working_days(start, n).unwrap_or(Date::MAX)
    }

    /// Working days from `a` to `b`, both included (days); 0 when `b` is before `a`.
    pub fn working_days_between(&self, a: Date, b: Date) -> u32 {
        let mut count = 0u32;
        let mut d = a;
        while d <= b {
            if self.is_working_day(d) {
                count = count.saturating_add(1);
            }
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::Day;
    use jiff::civil::date;

    fn day(date: Date, name: &str) -> Day {
        Day {
            date,
            name: name.to_string(),
        }
    }

    /// 2026 National Day: 10-01..10-07 off, Saturday 10-10 worked (built by hand for the test).
    fn national_day_2026() -> Calendar {
        let holidays = Holidays {
            holidays: (1..=7).map(|d| day(date(2026, 10, d), "国庆节")).collect(),
            workdays: vec![day(date(2026, 10, 10), "国庆节调休")],
        };
        Calendar::new(&holidays)
    }

    #[test]
    fn weekdays_work_weekends_do_not() {
        let c = Calendar::default();
        assert!(c.is_working_day(date(2026, 8, 3))); // Monday
        assert!(c.is_working_day(date(2026, 8, 7))); // Friday
        assert!(!c.is_working_day(date(2026, 8, 8))); // Saturday
        assert!(!c.is_working_day(date(2026, 8, 9))); // Sunday
    }

    #[test]
    fn five_working_days_from_monday_end_on_friday() {
        let c = Calendar::default();
        assert_eq!(c.add_working_days(date(2026, 8, 3), 5), date(2026, 8, 7));
        assert_eq!(c.add_working_days(date(2026, 8, 3), 1), date(2026, 8, 3));
    }

    #[test]
    fn period_across_a_weekend() {
        let c = Calendar::default();
        // Wednesday 08-05: Wed, Thu, Fri, Mon, Tue.
        assert_eq!(c.add_working_days(date(2026, 8, 5), 5), date(2026, 8, 11));
        assert_eq!(
            c.working_days_between(date(2026, 8, 5), date(2026, 8, 11)),
            5
        );
    }

    #[test]
    fn period_starting_on_a_sunday_begins_on_monday() {
        let c = Calendar::default();
        assert_eq!(c.add_working_days(date(2026, 8, 2), 5), date(2026, 8, 7));
        assert_eq!(c.add_working_days(date(2026, 8, 1), 1), date(2026, 8, 3));
        assert_eq!(c.next_working_day(date(2026, 8, 2)), Some(date(2026, 8, 3)));
    }

    #[test]
    fn national_day_and_adjusted_saturday() {
        let c = national_day_2026();
        assert!(!c.is_working_day(date(2026, 10, 1))); // Thursday, holiday
        assert!(!c.is_working_day(date(2026, 10, 5))); // Monday, holiday
        assert!(c.is_working_day(date(2026, 10, 10))); // Saturday, adjusted workday
        assert!(!c.is_working_day(date(2026, 10, 11))); // Sunday
        // Monday 09-28: 09-28, 09-29, 09-30, 10-08, 10-09.
        assert_eq!(c.add_working_days(date(2026, 9, 28), 5), date(2026, 10, 9));
        // Wednesday 09-30: 09-30, 10-08, 10-09, 10-10 (Sat), 10-12.
        assert_eq!(c.add_working_days(date(2026, 9, 30), 5), date(2026, 10, 12));
        // Starting inside the holiday: the period begins on Thursday 10-08.
        assert_eq!(c.add_working_days(date(2026, 10, 1), 3), date(2026, 10, 10));
        // 09-28, 09-29, 09-30, 10-08, 10-09, 10-10 (Sat), 10-12.
        assert_eq!(
            c.working_days_between(date(2026, 9, 28), date(2026, 10, 12)),
            7
        );
    }

    #[test]
    fn working_days_between_is_inclusive_and_zero_when_reversed() {
        let c = Calendar::default();
        assert_eq!(
            c.working_days_between(date(2026, 8, 3), date(2026, 8, 3)),
            1
        );
        assert_eq!(
            c.working_days_between(date(2026, 8, 8), date(2026, 8, 9)),
            0
        );
        assert_eq!(
            c.working_days_between(date(2026, 8, 3), date(2026, 8, 16)),
            10
        );
        assert_eq!(
            c.working_days_between(date(2026, 8, 7), date(2026, 8, 3)),
            0
        );
    }

    #[test]
    fn zero_days_and_the_end_of_time_do_not_panic() {
        let c = Calendar::default();
        assert_eq!(c.checked_add_working_days(date(2026, 8, 3), 0), None);
        assert_eq!(c.add_working_days(date(2026, 8, 3), 0), date(2026, 8, 3));
        // 9999-12-31 is a Friday; a long period from there cannot end.
        assert_eq!(c.checked_add_working_days(Date::MAX, 2), None);
        assert_eq!(c.add_working_days(Date::MAX, 2), Date::MAX);
        assert_eq!(c.working_days_between(Date::MAX, Date::MAX), 1);
    }
}
