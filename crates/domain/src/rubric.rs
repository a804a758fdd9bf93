//! The scoring rubric (评分细则): criteria grouped under the recognition conditions.

use serde::Deserialize;

/// A group of criteria: one recognition condition, or the fit to the type standard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionGroup {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

/// One scored item.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub group: String,
    pub name_zh: String,
    pub name_en: String,
    /// Maximum points.
    pub max: f64,
    /// Points are whole multiples of this step.
    pub step: f64,
    pub guidance_zh: String,
    pub guidance_en: String,
}

/// The whole rubric as in `criteria/rubric.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// The points all criteria add up to.
    pub total: f64,
    #[serde(rename = "group")]
    pub groups: Vec<CriterionGroup>,
    #[serde(rename = "criterion")]
    pub criteria: Vec<Criterion>,
}

impl Rubric {
    /// Check the rubric is coherent; each problem as one sentence.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let sum: f64 = self.criteria.iter().map(|c| c.max).sum();
        if (sum - self.total).abs() > 1e-9 {
            out.push(format!(
                "the criteria's maximum points add up to {sum}, not to total = {}",
                self.total
            ));
        }
        for (i, c) in self.criteria.iter().enumerate() {
            if self.criteria[..i].iter().any(|d| d.id == c.id) {
                out.push(format!("criterion id \"{}\" appears twice", c.id));
            }
            if !self.groups.iter().any(|g| g.id == c.group) {
                out.push(format!(
                    "criterion \"{}\" names group \"{}\", which is not defined",
                    c.id, c.group
                ));
            }
            let steps = c.max / c.step;
            if c.max <= 0.0 || c.step <= 0.0 || (steps - steps.round()).abs() > 1e-9 {
                out.push(format!(
                    "criterion \"{}\": max {} must be a positive whole multiple of step {}",
                    c.id, c.max, c.step
                ));
            }
        }
        for (i, g) in self.groups.iter().enumerate() {
            if self.groups[..i].iter().any(|h| h.id == g.id) {
                out.push(format!("group id \"{}\" appears twice", g.id));
            }
        }
        out
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }
}
