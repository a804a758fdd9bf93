//! A dossier as lines for the left half of the scoring screen: header, then the sections
//! foundation, team, work plan, type evidence and figures, then the provincial review.

use ratatui::style::Style;
use ratatui::text::Line;

use crate::domain::Criteria;
use crate::domain::dossier::{Dossier, EvidenceValue};

use crate::tui::labels;
use crate::tui::lang::Lang;
use crate::tui::text::{clean, wrap};
use crate::tui::theme;

fn label(key: &str, lang: Lang) -> String {
    let (zh, en) = match key {
        "foundation" => ("一、工作基础", "1. Work foundation"),
        "team" => ("二、工作队伍", "2. Team"),
        "work_plan" => ("三、工作方案", "3. Work plan"),
        "type_evidence" => ("四、类型佐证", "4. Type evidence"),
        "figures" => ("五、主要数据", "5. Figures"),
        "provincial_review" => ("省级审核意见", "Provincial review"),
        "infrastructure" => ("信息基础设施", "Infrastructure"),
        "technology" => ("技术含量", "Technology"),
        "resource_integration" => ("资源整合", "Resource integration"),
        "service_results" => ("服务与应用效果", "Service results"),
        "leadership" => ("领导重视", "Leadership"),
        "organisation" => ("组织机构", "Organisation"),
        "rules" => ("规章制度", "Rules"),
        "content" => ("工作内容", "Content"),
        "local_features" => ("地方特色", "Local features"),
        "measures" => ("保障措施", "Measures"),
        "outlook" => ("预期目标", "Outlook"),
        "villages_covered" => ("覆盖行政村（个）", "Villages covered"),
        "households_served" => ("服务农户（户）", "Households served"),
        "information_officers" => ("信息员（名）", "Information officers"),
        "hotline_calls_per_year" => ("年热线呼叫量（次）", "Hotline calls a year"),
        "staff_count" => ("工作人员（人）", "Staff"),
        other => return clean(other),
    };
    lang.pick(zh, en).to_string()
}

fn evidence_label(criteria: &Criteria, type_id: &str, key: &str, lang: Lang) -> String {
    criteria
        .types
        .all()
        .iter()
        .filter(|t| t.id == type_id)
        .chain(criteria.types.all())
        .flat_map(|t| &t.evidence)
        .find(|e| e.key == key)
        .map_or_else(
            || clean(key),
            |e| clean(lang.pick(&e.label_zh, &e.label_en)),
        )
}

fn evidence_value(v: &EvidenceValue, lang: Lang) -> String {
    match v {
        EvidenceValue::Bool(b) => lang
            .pick(if *b { "是" } else { "否" }, if *b { "yes" } else { "no" })
            .into(),
        EvidenceValue::Integer(i) => i.to_string(),
        EvidenceValue::Text(t) => clean(t),
        EvidenceValue::List(l) => clean(&l.join(lang.pick("、", ", "))),
        EvidenceValue::Other(t) => format!("({t})"),
    }
}

struct Out {
    width: usize,
    lines: Vec<Line<'static>>,
    anchors: Vec<(String, usize)>,
}

impl Out {
    fn heading(&mut self, s: String) {
        if !self.lines.is_empty() {
            self.lines.push(Line::from(""));
        }
        self.lines.push(Line::styled(s, theme::header()));
    }

    /// Remember that the section `key` (e.g. `foundation` or `foundation.infrastructure`)
    /// starts at the next line pushed, or at the heading just pushed (`back` = 1).
    fn anchor(&mut self, key: &str, back: usize) {
        let at = self.lines.len().saturating_sub(back);
        self.anchors.push((key.to_string(), at));
    }

    fn sub(&mut self, s: String) {
        self.lines
            .push(Line::styled(format!("【{s}】"), theme::key()));
    }

    fn text(&mut self, s: &str, style: Style) {
        for l in wrap(&clean(s), self.width) {
            self.lines.push(Line::styled(l, style));
        }
    }
}

/// The dossier as display lines, wrapped to `width` columns. Every text is cleaned of control
/// characters. `raw` is shown as it is when the file no longer parses.
pub fn lines(
    d: Option<&Dossier>,
    raw: &str,
    criteria: &Criteria,
    type_id: &str,
    lang: Lang,
    width: usize,
) -> Vec<Line<'static>> {
    layout(d, raw, criteria, type_id, lang, width).lines
}

/// The dossier's display lines and where each section starts.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub lines: Vec<Line<'static>>,
    /// Section keys as the rubric's guidance names them (`foundation`,
    /// `foundation.infrastructure`, `foundation.figures`, `team`, `type_evidence`, ...) with the
    /// index of their first line.
    pub anchors: Vec<(String, usize)>,
}

impl Laid {
    /// The first line of a section, if the dossier has it.
    pub fn anchor(&self, key: &str) -> Option<usize> {
        self.anchors.iter().find(|(k, _)| k == key).map(|(_, i)| *i)
    }
}

/// The type's standard as lines (the heading and the wrapped text), for criterion 12.
fn standard(o: &mut Out, criteria: &Criteria, type_id: &str, lang: Lang) {
    let Some(t) = criteria.types.by_id(type_id) else {
        return;
    };
    o.sub(format!(
        "{}{}",
        lang.pick("类型标准：", "Type standard: "),
        clean(lang.pick(&t.name_zh, &t.name_en))
    ));
    o.anchor("type_standard", 1);
    o.text(lang.pick(&t.standard_zh, &t.standard_en), theme::dim());
}

/// As [`lines`], with the start of every section.
pub fn layout(
    d: Option<&Dossier>,
    raw: &str,
    criteria: &Criteria,
    type_id: &str,
    lang: Lang,
    width: usize,
) -> Laid {
    let mut o = Out {
        width: width.max(1),
        lines: Vec::new(),
        anchors: Vec::new(),
    };
    let Some(d) = d else {
        o.text(raw, Style::default());
        return Laid {
            lines: o.lines,
            anchors: o.anchors,
        };
    };
    let plain = Style::default();
    o.text(d.applicant_name(), theme::header());
    let mut facts = vec![
        // The dossier writes its province as it likes (浙江省); shown in the user's language.
        labels::province_written(
            criteria,
            d.province.as_ref().map_or("", |p| p.value.as_str()),
            lang,
        ),
        labels::demo_type(criteria, type_id, lang),
    ];
    if let Some(r) = &d.provincial_rank {
        facts.push(format!(
            "{}{}",
            lang.pick("省内排序 ", "provincial rank "),
            r.value
        ));
    }
    if let Some(c) = &d.applicant.county {
        facts.push(clean(c));
    }
    o.text(&facts.join(" · "), theme::dim());
    if let Some(case) = &d.other_type_case {
        o.sub(lang.pick("其他类型说明", "Case for another type").into());
        o.text(&case.value, plain);
    }
    for section in ["foundation", "team", "work_plan"] {
        o.heading(label(section, lang));
        o.anchor(section, 1);
        for t in d
            .texts
            .iter()
            .filter(|t| t.path.split('.').next() == Some(section))
        {
            let key = t.path.split('.').nth(1).unwrap_or(t.path);
            o.sub(label(key, lang));
            o.anchor(&format!("{section}.{key}"), 1);
            o.text(&t.value, plain);
        }
        if let (Some(n), "team") = (d.staff_count, section) {
            o.anchor("team.staff_count", 0);
            o.text(
                &format!("{}{}{n}", label("staff_count", lang), lang.pick("：", ": ")),
                plain,
            );
        }
    }
    o.heading(label("type_evidence", lang));
    o.anchor("type_evidence", 1);
    standard(&mut o, criteria, type_id, lang);
    for (k, v) in &d.evidence {
        let name = evidence_label(criteria, type_id, &k.value, lang);
        let sep = lang.pick("：", ": ");
        o.text(&format!("· {name}{sep}{}", evidence_value(v, lang)), plain);
    }
    o.heading(label("figures", lang));
    o.anchor("foundation.figures", 1);
    o.anchor("figures", 1);
    for (k, v) in &d.figures {
        o.text(
            &format!("· {}{}{v}", label(k, lang), lang.pick("：", ": ")),
            plain,
        );
    }
    if let Some(r) = &d.review {
        o.heading(label("provincial_review", lang));
        if let Some(op) = &r.opinion {
            o.text(op, plain);
        }
        let by = [r.reviewer.clone(), r.reviewed_on.map(|d| d.to_string())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !by.is_empty() {
            o.text(&by, theme::dim());
        }
    }
    Laid {
        lines: o.lines,
        anchors: o.anchors,
    }
}
