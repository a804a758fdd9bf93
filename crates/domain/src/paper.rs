//! Paper score sheets typed in twice (双人录入): two clerks key the same signed sheets
//! independently; only sheets whose two keyings agree in every value are stored, and every
//! disagreement is listed by expert, dossier and field. Agreed values are still checked as the
//! scoring screen checks them (range and step): a sheet both clerks typed the same wrong value on
//! is a paper sheet to send back, not one to store.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Text;
use crate::rubric::Rubric;
use crate::scoring::check_entry;

/// One paper sheet as one clerk keyed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaperSheet {
    pub expert_id: String,
    pub dossier: String,
    /// Points per criterion id, in rubric order; None where the cell was left empty.
    pub points: Vec<(String, Option<f64>)>,
    pub recommend: Option<bool>,
    /// The written opinion as typed (compared with runs of white space made one space).
    pub opinion: String,
    /// Line in the keyed file (1-based, header = 1).
    pub line: usize,
}

/// What differs between the two keyings, or what is wrong with an agreed sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    pub expert_id: String,
    pub dossier: String,
    /// Criterion id, `recommend`, `opinion`, or `sheet` (present in one keying only).
    pub field: String,
    /// The first keying's value (empty when absent), and its line.
    pub first: String,
    pub first_line: Option<usize>,
    pub second: String,
    pub second_line: Option<usize>,
    /// Both keyings agree but the value cannot be stored (out of range, off step, empty).
    pub problem: Option<Text>,
}

/// The two keyings compared.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Reconciliation {
    /// Sheets whose keyings agree in every field and whose values pass the checks (as the first
    /// keying has them), with the line of the second keying.
    pub agreed: Vec<(PaperSheet, usize)>,
    pub mismatches: Vec<Mismatch>,
}

fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

fn show_points(p: Option<f64>) -> String {
    p.map_or_else(String::new, |v| format!("{v}"))
}

fn show_recommend(r: Option<bool>) -> String {
    match r {
        Some(true) => "是".into(),
        Some(false) => "否".into(),
        None => String::new(),
    }
}

/// One sheet's two keyings (either may be missing).
type Pair<'a> = (Option<&'a PaperSheet>, Option<&'a PaperSheet>);

/// Compare the two keyings sheet by sheet (a sheet is an expert and a dossier).
pub fn reconcile(rubric: &Rubric, first: &[PaperSheet], second: &[PaperSheet]) -> Reconciliation {
    let key = |s: &PaperSheet| (s.expert_id.clone(), s.dossier.clone());
    let mut pairs: BTreeMap<(String, String), Pair> = BTreeMap::new();
    for s in first {
        pairs.entry(key(s)).or_default().0 = Some(s);
    }
    for s in second {
        pairs.entry(key(s)).or_default().1 = Some(s);
    }
    let mut out = Reconciliation::default();
    for ((expert, dossier), pair) in pairs {
        let mismatch = |field: &str, a: String, al, b: String, bl, problem| Mismatch {
            expert_id: expert.clone(),
            dossier: dossier.clone(),
            field: field.to_string(),
            first: a,
            first_line: al,
            second: b,
            second_line: bl,
            problem,
        };
        let (a, b) = match pair {
            (Some(a), Some(b)) => (a, b),
            (a, b) => {
                let side = |s: Option<&PaperSheet>| s.map(|s| (String::from("✓"), Some(s.line)));
                let (fa, la) = side(a).unwrap_or_default();
                let (fb, lb) = side(b).unwrap_or_default();
                out.mismatches.push(mismatch("sheet", fa, la, fb, lb, None));
                continue;
            }
        };
        let before = out.mismatches.len();
        for c in &rubric.criteria {
            let pa = a
                .points
                .iter()
                .find(|(id, _)| id == &c.id)
                .and_then(|p| p.1);
            let pb = b
                .points
                .iter()
                .find(|(id, _)| id == &c.id)
                .and_then(|p| p.1);
            let (la, lb) = (Some(a.line), Some(b.line));
            if pa != pb {
                out.mismatches.push(mismatch(
                    &c.id,
                    show_points(pa),
                    la,
                    show_points(pb),
                    lb,
                    None,
                ));
                continue;
            }
            let problem = match pa {
                None => Some(Text::new(
                    format!("「{}」两份录入都为空：纸质评分表未评此项", c.name_zh),
                    format!("{}: empty in both keyings (not scored on paper)", c.name_en),
                )),
                Some(p) => check_entry(rubric, &c.id, p).err().map(|e| e.text()),
            };
            if problem.is_some() {
                out.mismatches.push(mismatch(
                    &c.id,
                    show_points(pa),
                    la,
                    show_points(pb),
                    lb,
                    problem,
                ));
            }
        }
        let (la, lb) = (Some(a.line), Some(b.line));
        if a.recommend != b.recommend {
            out.mismatches.push(mismatch(
                "recommend",
                show_recommend(a.recommend),
                la,
                show_recommend(b.recommend),
                lb,
                None,
            ));
        } else if a.recommend.is_none() {
            out.mismatches.push(mismatch(
                "recommend",
                String::new(),
                la,
                String::new(),
                lb,
                Some(Text::new(
                    "两份录入都未填是否推荐",
                    "recommend empty in both keyings",
                )),
            ));
        }
        if !same_text(&a.opinion, &b.opinion) {
            out.mismatches.push(mismatch(
                "opinion",
                a.opinion.clone(),
                la,
                b.opinion.clone(),
                lb,
                None,
            ));
        } else if a.opinion.trim().is_empty() {
            out.mismatches.push(mismatch(
                "opinion",
                String::new(),
                la,
                String::new(),
                lb,
                Some(Text::new(
                    "两份录入都没有评审意见",
                    "no written opinion in either keying",
                )),
            ));
        }
        if out.mismatches.len() == before {
            out.agreed.push((a.clone(), b.line));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rubric::{Criterion, CriterionGroup};

    /// a: 10 points in halves; b: 10 points in halves.
    fn rubric() -> Rubric {
        let c = |id: &str| Criterion {
            id: id.into(),
            group: "g".into(),
            name_zh: id.into(),
            name_en: id.into(),
            max: 10.0,
            step: 0.5,
            guidance_zh: String::new(),
            guidance_en: String::new(),
        };
        Rubric {
            total: 20.0,
            groups: vec![CriterionGroup {
                id: "g".into(),
                name_zh: "g".into(),
                name_en: "g".into(),
            }],
            criteria: vec![c("a"), c("b")],
        }
    }

    fn sheet(
        expert: &str,
        dossier: &str,
        a: Option<f64>,
        b: Option<f64>,
        line: usize,
    ) -> PaperSheet {
        PaperSheet {
            expert_id: expert.into(),
            dossier: dossier.into(),
            points: vec![("a".into(), a), ("b".into(), b)],
            recommend: Some(true),
            opinion: "材料 齐全".into(),
            line,
        }
    }

    #[test]
    fn only_sheets_that_agree_everywhere_are_kept() {
        let r = rubric();
        let mut second_e02 = sheet("E02", "D1", Some(5.0), Some(3.0), 3);
        second_e02.opinion = "材料  齐全".into(); // white space differs only
        let first = [
            sheet("E01", "D1", Some(8.0), Some(4.5), 2),
            sheet("E02", "D1", Some(5.0), Some(3.0), 3),
            sheet("E03", "D1", Some(7.0), Some(2.0), 4),
        ];
        let second = [
            sheet("E01", "D1", Some(8.0), Some(5.4), 2),
            second_e02,
            sheet("E04", "D1", Some(7.0), Some(2.0), 4),
        ];
        let out = reconcile(&r, &first, &second);
        assert_eq!(out.agreed.len(), 1);
        assert_eq!(out.agreed[0].0.expert_id, "E02");
        assert_eq!(out.agreed[0].1, 3);
        let fields: Vec<_> = out
            .mismatches
            .iter()
            .map(|m| {
                (
                    m.expert_id.as_str(),
                    m.field.as_str(),
                    m.first.as_str(),
                    m.second.as_str(),
                )
            })
            .collect();
        assert_eq!(
            fields,
            vec![
                ("E01", "b", "4.5", "5.4"),
                ("E03", "sheet", "✓", ""),
                ("E04", "sheet", "", "✓"),
            ]
        );
    }

    #[test]
    fn agreed_values_are_still_checked() {
        let r = rubric();
        // Both typed 11 on a 10-point criterion, and 2.3 off the half-point step.
        let first = [sheet("E01", "D1", Some(11.0), Some(2.3), 2)];
        let second = first.clone();
        let out = reconcile(&r, &first, &second);
        assert!(out.agreed.is_empty());
        assert_eq!(out.mismatches.len(), 2);
        assert!(out.mismatches.iter().all(|m| m.problem.is_some()));
    }
}
