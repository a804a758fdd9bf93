//! Scoring (评分): points per criterion, a written opinion and a recommendation per sheet.

use serde::Serialize;
use thiserror::Error;

use super::finding::Text;
use super::refusal::Refusal;
use super::rubric::{Criterion, Rubric};

/// A points entry the rubric does not allow.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScoreError {
    #[error("unknown criterion \"{0}\"")]
    UnknownCriterion(String),
    #[error("{points} is outside 0..={max} for criterion \"{criterion}\"")]
    OutOfRange {
        criterion: String,
        /// The rubric's heading of the criterion, as the expert reads it.
        name: Text,
        points: f64,
        max: f64,
    },
    #[error("{points} is not a multiple of {step} for criterion \"{criterion}\"")]
    OffStep {
        criterion: String,
        name: Text,
        points: f64,
        step: f64,
    },
}

impl ScoreError {
    pub fn text(&self) -> Text {
        match self {
            ScoreError::UnknownCriterion(c) => Text::new(
                format!("没有评分项「{c}」"),
                format!("there is no criterion \"{c}\""),
            ),
            ScoreError::OutOfRange {
                criterion,
                name,
                points,
                max,
            } => Text::new(
                format!(
                    "「{}」（{criterion}）的分数 {points} 超出范围 0–{max}",
                    name.zh
                ),
                format!("{points} is outside 0–{max} for {} ({criterion})", name.en),
            ),
            ScoreError::OffStep {
                criterion,
                name,
                points,
                step,
            } => Text::new(
                format!(
                    "「{}」（{criterion}）的分数 {points} 须为 {step} 的整数倍",
                    name.zh
                ),
                format!(
                    "points for {} ({criterion}) must be multiples of {step}, not {points}",
                    name.en
                ),
            ),
        }
    }
}

/// Check points for one criterion: within [0, max] and a whole multiple of its step.
pub fn check_points(c: &Criterion, points: f64) -> Result<(), ScoreError> {
    if !(0.0..=c.max).contains(&points) || points.is_nan() {
        return Err(ScoreError::OutOfRange {
            criterion: c.id.clone(),
            name: Text::new(c.name_zh.clone(), c.name_en.clone()),
            points,
            max: c.max,
        });
    }
    let steps = points / c.step;
    if (steps - steps.round()).abs() > 1e-9 {
        return Err(ScoreError::OffStep {
            criterion: c.id.clone(),
            name: Text::new(c.name_zh.clone(), c.name_en.clone()),
            points,
            step: c.step,
        });
    }
    Ok(())
}

/// Find the criterion and check points for it.
pub fn check_entry(rubric: &Rubric, criterion: &str, points: f64) -> Result<(), ScoreError> {
    let c = rubric
        .criterion(criterion)
        .ok_or_else(|| ScoreError::UnknownCriterion(criterion.to_string()))?;
    check_points(c, points)
}

/// A submitted sheet is locked: nothing on it changes until ministry staff reopen it.
pub fn open_for_entry(dossier: &str, submitted_at: Option<&str>) -> Result<(), Refusal> {
    match submitted_at {
        Some(at) => Err(Refusal::SheetLocked {
            dossier: dossier.to_string(),
            at: at.to_string(),
        }),
        None => Ok(()),
    }
}

/// A sheet may be submitted once every criterion is scored, the opinion written and the
/// recommendation chosen.
pub fn submittable(sheet: &Sheet, rubric: &Rubric) -> Result<(), Refusal> {
    let missing = sheet.missing(rubric);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Refusal::SheetIncomplete {
            dossier: sheet.dossier.clone(),
            missing: missing.iter().map(|m| m.text(rubric)).collect(),
        })
    }
}

/// One expert's sheet for one dossier, as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Sheet {
    pub dossier: String,
    pub expert_id: String,
    /// Points per criterion id (only those entered).
    pub scores: Vec<(String, f64)>,
    pub opinion: String,
    pub recommend: Option<bool>,
    pub submitted: bool,
}

/// What keeps a sheet from being submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Criterion(String),
    Opinion,
    Recommendation,
}

impl Missing {
    pub fn text(&self, rubric: &Rubric) -> Text {
        match self {
            Missing::Criterion(id) => {
                let (zh, en) = rubric
                    .criterion(id)
                    .map_or((id.as_str(), id.as_str()), |c| {
                        (c.name_zh.as_str(), c.name_en.as_str())
                    });
                Text::new(format!("未评分：{zh}"), format!("not scored: {en}"))
            }
            Missing::Opinion => Text::new("未填写评审意见", "no written opinion"),
            Missing::Recommendation => {
                Text::new("未选择是否推荐", "no recommend / not-recommend choice")
            }
        }
    }
}

impl Sheet {
    pub fn points(&self, criterion: &str) -> Option<f64> {
        self.scores
            .iter()
            .find(|(c, _)| c == criterion)
            .map(|(_, p)| *p)
    }

    /// Everything still missing before the sheet may be submitted.
    pub fn missing(&self, rubric: &Rubric) -> Vec<Missing> {
        let mut out: Vec<Missing> = rubric
            .criteria
            .iter()
            .filter(|c| self.points(&c.id).is_none())
            .map(|c| Missing::Criterion(c.id.clone()))
            .collect();
        if self.opinion.trim().is_empty() {
            out.push(Missing::Opinion);
        }
        if self.recommend.is_none() {
            out.push(Missing::Recommendation);
        }
        out
    }

    /// Total points entered so far.
    pub fn total(&self) -> f64 {
        self.scores.iter().map(|(_, p)| p).sum()
    }

    /// Subtotal per rubric group, in the rubric's group order.
    pub fn group_subtotals(&self, rubric: &Rubric) -> Vec<(String, f64)> {
        rubric
            .groups
            .iter()
            .map(|g| {
                let sum = rubric
                    .criteria
                    .iter()
                    .filter(|c| c.group == g.id)
                    .filter_map(|c| self.points(&c.id))
                    .sum();
                (g.id.clone(), sum)
            })
            .collect()
    }

    /// The first criterion without points (where a reopened sheet resumes).
    pub fn next_unscored<'r>(&self, rubric: &'r Rubric) -> Option<&'r Criterion> {
        rubric
            .criteria
            .iter()
            .find(|c| self.points(&c.id).is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::CriterionGroup;

    #[test]
    fn a_refused_score_names_the_criterion_as_the_rubric_heads_it() {
        let c = Criterion {
            id: "infrastructure".into(),
            group: "foundation".into(),
            name_zh: "信息基础设施".into(),
            name_en: "Information infrastructure".into(),
            max: 10.0,
            step: 0.5,
            guidance_zh: String::new(),
            guidance_en: String::new(),
        };
        let t = check_points(&c, 11.0).unwrap_err().text();
        assert_eq!(
            t.zh,
            "「信息基础设施」（infrastructure）的分数 11 超出范围 0–10"
        );
        assert_eq!(
            t.en,
            "11 is outside 0–10 for Information infrastructure (infrastructure)"
        );
        let t = check_points(&c, 5.2).unwrap_err().text();
        assert!(t.zh.starts_with("「信息基础设施」"), "{}", t.zh);
        assert!(t.en.contains("Information infrastructure"), "{}", t.en);
    }

    fn rubric() -> Rubric {
        let c = |id: &str, group: &str, max: f64, step: f64| Criterion {
            id: id.into(),
            group: group.into(),
            name_zh: id.into(),
            name_en: id.into(),
            max,
            step,
            guidance_zh: String::new(),
            guidance_en: String::new(),
        };
        let g = |id: &str| CriterionGroup {
            id: id.into(),
            name_zh: id.into(),
            name_en: id.into(),
        };
        Rubric {
            total: 30.0,
            groups: vec![g("foundation"), g("team")],
            criteria: vec![
                c("a", "foundation", 10.0, 0.5),
                c("b", "foundation", 10.0, 1.0),
                c("c", "team", 10.0, 0.5),
            ],
        }
    }

    #[test]
    fn points_must_be_in_range_and_on_step() {
        let r = rubric();
        assert_eq!(check_entry(&r, "a", 7.5), Ok(()));
        assert_eq!(check_entry(&r, "a", 0.0), Ok(()));
        assert_eq!(check_entry(&r, "a", 10.0), Ok(()));
        assert!(matches!(
            check_entry(&r, "a", 10.5),
            Err(ScoreError::OutOfRange { .. })
        ));
        assert!(matches!(
            check_entry(&r, "a", -1.0),
            Err(ScoreError::OutOfRange { .. })
        ));
        assert!(matches!(
            check_entry(&r, "b", 7.5),
            Err(ScoreError::OffStep { .. })
        ));
        assert!(matches!(
            check_entry(&r, "z", 1.0),
            Err(ScoreError::UnknownCriterion(_))
        ));
        assert!(check_entry(&r, "a", f64::NAN).is_err());
    }

    #[test]
    fn a_sheet_knows_what_is_missing_and_its_subtotals() {
        let r = rubric();
        let mut s = Sheet {
            scores: vec![("a".into(), 8.0), ("c".into(), 6.5)],
            ..Sheet::default()
        };
        assert_eq!(
            s.missing(&r),
            vec![
                Missing::Criterion("b".into()),
                Missing::Opinion,
                Missing::Recommendation
            ]
        );
        assert_eq!(s.next_unscored(&r).map(|c| c.id.as_str()), Some("b"));
        s.scores.push(("b".into(), 9.0));
        s.opinion = "基础扎实".into();
        s.recommend = Some(true);
        assert!(s.missing(&r).is_empty());
        assert_eq!(s.total(), 23.5);
        assert_eq!(
            s.group_subtotals(&r),
            vec![("foundation".into(), 17.0), ("team".into(), 6.5)]
        );
    }
}
