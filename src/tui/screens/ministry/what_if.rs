//! The selection tab's what-if with type limits (`l`: the most units of each type on the list,
//! or `TYPE:MIN:MAX` limits per type)
//! and its comparison with the base list (round.toml's constraints): which units come in and
//! which go out. Nothing here is recorded.

use std::collections::BTreeSet;

use crate::domain::selection::Constraints;
use crate::domain::type_limit::TypeLimit;

/// `c` with `extra` type limits added to round.toml's (the strictest bound holds); none gives
/// round.toml's type limits back.
pub fn with_limits(round: &Constraints, c: &Constraints, extra: Vec<TypeLimit>) -> Constraints {
    let mut out = c.clone();
    out.type_limits = round.type_limits.clone();
    out.type_limits.extend(extra);
    out
}

/// `c` with at most `max` units of every type in `types` on the list (added to round.toml's
/// type limits: the strictest bound holds); `None` gives round.toml's type limits back.
pub fn with_max_per_type(
    round: &Constraints,
    c: &Constraints,
    types: &[String],
    max: Option<usize>,
) -> Constraints {
    let extra = match max {
        Some(max) => types.iter().map(|t| (t.clone(), None, Some(max))).collect(),
        None => Vec::new(),
    };
    with_limits(round, c, extra)
}

/// The what-if's type limits on top of round.toml's.
pub fn extra_limits<'c>(round: &Constraints, c: &'c Constraints) -> &'c [TypeLimit] {
    c.type_limits.get(round.type_limits.len()..).unwrap_or(&[])
}

/// The what-if's most units per type, when one maximum is set for every type alike.
pub fn max_per_type(round: &Constraints, c: &Constraints) -> Option<usize> {
    let extra = extra_limits(round, c);
    let first = extra.first()?.2?;
    extra
        .iter()
        .all(|(_, min, max)| min.is_none() && *max == Some(first))
        .then_some(first)
}

/// The what-if's type limits as typed (`TYPE:MIN:MAX, …`), or the one maximum.
pub fn limits_text(round: &Constraints, c: &Constraints) -> String {
    if let Some(max) = max_per_type(round, c) {
        return max.to_string();
    }
    let n = |v: &Option<usize>| v.map_or(String::new(), |n| n.to_string());
    extra_limits(round, c)
        .iter()
        .map(|(t, min, max)| format!("{t}:{}:{}", n(min), n(max)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a what-if changes against the base list, in list order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// On the what-if's list, not on the base list.
    pub came_in: Vec<String>,
    /// On the base list, not on the what-if's.
    pub went_out: Vec<String>,
}

pub fn compare(base: &[String], now: &[String]) -> Comparison {
    let b: BTreeSet<&String> = base.iter().collect();
    let n: BTreeSet<&String> = now.iter().collect();
    Comparison {
        came_in: now.iter().filter(|c| !b.contains(c)).cloned().collect(),
        went_out: base.iter().filter(|c| !n.contains(c)).cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn compare_lists_what_came_in_and_went_out_in_order() {
        let c = compare(&v(&["a", "b", "c"]), &v(&["c", "d", "a", "e"]));
        assert_eq!(c.came_in, v(&["d", "e"]));
        assert_eq!(c.went_out, v(&["b"]));
        assert_eq!(compare(&v(&["a"]), &v(&["a"])), Comparison::default());
    }

    #[test]
    fn a_max_per_type_adds_to_the_round_limits_and_goes_back() {
        let round = Constraints {
            target: 10,
            reserve: 2,
            max_per_province: 3,
            type_limits: vec![("t1".into(), Some(1), None)],
            province_quotas: vec![],
        };
        let types = v(&["t1", "t2"]);
        let c = with_max_per_type(&round, &round, &types, Some(4));
        assert_eq!(c.type_limits.len(), 3);
        assert_eq!(max_per_type(&round, &c), Some(4));
        let c = with_max_per_type(&round, &c, &types, Some(2));
        assert_eq!(c.type_limits.len(), 3);
        assert_eq!(max_per_type(&round, &c), Some(2));
        let per = with_limits(
            &round,
            &c,
            vec![
                ("t1".into(), None, Some(3)),
                ("t2".into(), Some(1), Some(5)),
            ],
        );
        assert_eq!(max_per_type(&round, &per), None, "not one maximum for all");
        assert_eq!(limits_text(&round, &per), "t1::3, t2:1:5");
        assert_eq!(limits_text(&round, &c), "2");
        let back = with_max_per_type(&round, &c, &types, None);
        assert_eq!(back, round);
        assert_eq!(max_per_type(&round, &back), None);
    }
}
