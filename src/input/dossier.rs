//! Reading one dossier file (申报书) per the input contract (shared/dossier-format.md).

use toml::de::DeValue;

use super::source::SourceText;
use super::walker::{Tbl, Walker, int_value, toml_type};
use crate::domain::dossier::{
    Applicant, Contact, Dossier, EvidenceValue, Located, ProvincialReview, SectionText,
};
use crate::domain::{Code, Finding, Text};

const TOP: &[&str] = &[
    "province",
    "type",
    "provincial_rank",
    "other_type_case",
    "applicant",
    "foundation",
    "team",
    "work_plan",
    "type_evidence",
    "provincial_review",
];
const APPLICANT: &[&str] = &[
    "name",
    "kind",
    "county",
    "credit_code",
    "joint_with",
    "contact",
];
/// Allowed `applicant.kind` values.
pub const APPLICANT_KINDS: &[&str] = &[
    "government",
    "public_institution",
    "enterprise",
    "cooperative",
    "research",
    "other",
];
const CONTACT: &[&str] = &["name", "phone", "email"];
/// Sections and their required texts, in the contract's order.
pub const SECTIONS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &[
            "infrastructure",
            "technology",
            "resource_integration",
            "service_results",
        ],
    ),
    ("team", &["leadership", "organisation", "rules"]),
    (
        "work_plan",
        &["content", "local_features", "measures", "outlook"],
    ),
];
/// `[foundation.figures]` keys, each a non-negative integer.
pub const FIGURES: &[&str] = &[
    "villages_covered",
    "households_served",
    "information_officers",
    "hotline_calls_per_year",
];
const REVIEW: &[&str] = &["opinion", "reviewer", "reviewed_on"];

fn located<T>(w: &Walker, s: toml::Spanned<T>) -> Located<T> {
    let pos = w.pos(&s.span());
    Located {
        value: s.into_inner(),
        pos,
    }
}

/// Read a dossier from decoded text. Structural problems (syntax, types, missing or unknown
/// fields) are returned as findings; the rules of the round are checked later by the domain.
/// `None` when the file is not TOML at all.
pub fn read(src: &SourceText) -> (Option<Dossier>, Vec<Finding>) {
    let mut w = Walker::new(src);
    let Some(doc) = w.parse() else {
        return (None, w.findings);
    };
    let root = Tbl {
        table: doc.get_ref(),
        prefix: String::new(),
        pos: w.pos(&(0..0)),
    };
    w.unknown_keys(&root, TOP);
    let mut d = Dossier {
        file: src.file.clone(),
        ..Dossier::default()
    };
    d.province = w.text(&root, "province", true).map(|s| located(&w, s));
    d.demo_type = w.text(&root, "type", true).map(|s| located(&w, s));
    d.provincial_rank = w
        .int(&root, "provincial_rank", false, 1)
        .map(|s| located(&w, s));
    d.other_type_case = w
        .text(&root, "other_type_case", false)
        .map(|s| located(&w, s));

    if let Some(a) = w.table(&root, "applicant", true) {
        w.unknown_keys(&a, APPLICANT);
        d.applicant = Applicant {
            name: w.text(&a, "name", true).map(|s| located(&w, s)),
            kind: read_kind(&mut w, &a),
            county: w.text(&a, "county", false).map(|s| s.into_inner()),
            credit_code: w.text(&a, "credit_code", false).map(|s| located(&w, s)),
            joint_with: w.text(&a, "joint_with", false).map(|s| s.into_inner()),
            contact: read_contact(&mut w, &a, true),
        };
    }
    for (section, keys) in SECTIONS {
        let Some(t) = w.table(&root, section, true) else {
            continue;
        };
        let mut known: Vec<&str> = keys.to_vec();
        match *section {
            "foundation" => known.push("figures"),
            "team" => known.push("staff_count"),
            _ => {}
        }
        w.unknown_keys(&t, &known);
        for key in *keys {
            if let Some(s) = w.text(&t, key, true) {
                d.texts.push(SectionText {
                    path: text_path(section, key),
                    value: s.into_inner(),
                });
            }
        }
        if *section == "foundation"
            && let Some(f) = w.table(&t, "figures", false)
        {
            w.unknown_keys(&f, FIGURES);
            for key in FIGURES {
                if let Some(n) = w.int(&f, key, false, 0) {
                    d.figures.push((key.to_string(), n.into_inner() as u64));
                }
            }
        }
        if *section == "team" {
            d.staff_count = w.int(&t, "staff_count", true, 1).map(|s| s.into_inner());
        }
    }
    if let Some(t) = w.table(&root, "type_evidence", false) {
        let mut items: Vec<_> = t.table.iter().collect();
        items.sort_by_key(|(k, _)| k.span().start);
        for (k, v) in items {
            let key = Located {
                value: k.get_ref().to_string(),
                pos: w.pos(&k.span()),
            };
            d.evidence.push((key, evidence_value(v.get_ref())));
        }
    }
    if let Some(r) = w.table(&root, "provincial_review", false) {
        w.unknown_keys(&r, REVIEW);
        let opinion = w.text(&r, "opinion", false).map(|s| s.into_inner());
        let reviewer = w.text(&r, "reviewer", true).map(|s| s.into_inner());
        let reviewed_on = w.date(&r, "reviewed_on", true);
        d.review = Some(ProvincialReview {
            opinion,
            reviewer,
            reviewed_on_pos: reviewed_on.as_ref().map(|s| w.pos(&s.span())),
            reviewed_on: reviewed_on.map(|s| s.into_inner()),
            pos: r.pos,
        });
    }
    (Some(d), w.findings)
}

fn text_path(section: &str, key: &str) -> &'static str {
    // Field paths are static so that a dossier's texts carry no allocated names.
    SECTION_PATHS
        .iter()
        .find(|p| p.split_once('.') == Some((section, key)))
        .copied()
        .unwrap_or("")
}

const SECTION_PATHS: &[&str] = &[
    "foundation.infrastructure",
    "foundation.technology",
    "foundation.resource_integration",
    "foundation.service_results",
    "team.leadership",
    "team.organisation",
    "team.rules",
    "work_plan.content",
    "work_plan.local_features",
    "work_plan.measures",
    "work_plan.outlook",
];

fn read_kind(w: &mut Walker, a: &Tbl) -> Option<String> {
    let s = w.text(a, "kind", true)?;
    if APPLICANT_KINDS.contains(&s.get_ref().as_str()) {
        return Some(s.into_inner());
    }
    let pos = Some(w.pos(&s.span()));
    let all = APPLICANT_KINDS.join(" | ");
    w.findings.push(Finding::new(
        Code::ValueChoice,
        &w.src.file,
        pos,
        "applicant.kind",
        Text::new(
            format!("单位性质「{}」不是可选值", s.get_ref()),
            format!("applicant kind \"{}\" is not allowed", s.get_ref()),
        ),
        Text::new(format!("可选：{all}"), format!("one of: {all}")),
    ));
    None
}

fn read_contact(w: &mut Walker, parent: &Tbl, required: bool) -> Contact {
    let Some(c) = w.table(parent, "contact", required) else {
        return Contact::default();
    };
    w.unknown_keys(&c, CONTACT);
    Contact {
        name: w.text(&c, "name", true).map(|s| s.into_inner()),
        phone: w.text(&c, "phone", true).map(|s| s.into_inner()),
        email: w.text(&c, "email", false).map(|s| s.into_inner()),
    }
}

/// Read a submission's contact (shared with `submission.rs`).
pub(crate) fn contact(w: &mut Walker, parent: &Tbl) -> Contact {
    read_contact(w, parent, true)
}

fn evidence_value(v: &DeValue) -> EvidenceValue {
    match v {
        DeValue::Boolean(b) => EvidenceValue::Bool(*b),
        DeValue::Integer(_) => {
            int_value(v).map_or(EvidenceValue::Other("an integer"), EvidenceValue::Integer)
        }
        DeValue::String(s) => EvidenceValue::Text(s.to_string()),
        DeValue::Array(items) => {
            let texts: Option<Vec<String>> = items
                .iter()
                .map(|i| match i.get_ref() {
                    DeValue::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect();
            texts.map_or(EvidenceValue::Other("a list"), EvidenceValue::List)
        }
        other => EvidenceValue::Other(toml_type(other)),
    }
}
