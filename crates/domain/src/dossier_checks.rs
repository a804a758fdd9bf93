//! Checks of one dossier or one submission against the round's criteria.

use super::credit_code::{self, CreditCodeError};
use super::criteria::Criteria;
use super::demo_type::{DemoType, EvidenceKind};
use super::dossier::{Dossier, EvidenceValue, Located, Submission};
use super::finding::{Code, Finding, Pos, Text};
use super::names::{closest, fold};
use super::province::Resolution;
use super::text_rules::{check_text, is_blank};

/// Plausible bounds of `[foundation.figures]` and `team.staff_count` for one applying unit (a
/// county bureau up to a province-wide platform): a value above is kept, with a warning
/// (W-FIGURE-RANGE), since it is more likely a typo (an extra zero, a count of people for a
/// count of villages) than a fact. Mainland China has about 490,000 administrative and 2.6
/// million natural villages and 300 million rural households; the largest province has about
/// 50,000 administrative (200,000 natural) villages and 25 million rural households.
pub const FIGURE_BOUNDS: &[(&str, u64)] = &[
    ("villages_covered", 250_000),
    ("households_served", 30_000_000),
    ("information_officers", 200_000),
    ("hotline_calls_per_year", 50_000_000),
    ("staff_count", 10_000),
];

/// What the checks of one dossier found, and what its province and type resolved to.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub findings: Vec<Finding>,
    /// Index into the round's provinces.
    pub province: Option<usize>,
    /// Index into the round's types.
    pub demo_type: Option<usize>,
}

fn finding(
    code: Code,
    file: &str,
    pos: Option<Pos>,
    field: &str,
    msg: Text,
    hint: Text,
) -> Finding {
    Finding::new(code, file, pos, field, msg, hint)
}

/// Resolve a province as written; findings for unknown or truncated names.
pub fn resolve_province(
    criteria: &Criteria,
    written: &Located<String>,
    file: &str,
    out: &mut Vec<Finding>,
) -> Option<usize> {
    let provinces = &criteria.provinces;
    match provinces.resolve(&written.value) {
        Resolution::Exact(i) => Some(i),
        Resolution::Truncated(i) => {
            let p = provinces.get(i);
            out.push(finding(
                Code::ProvinceName,
                file,
                Some(written.pos),
                "province",
                Text::new(
                    format!(
                        "省份「{}」不是规范名称，已按「{}」处理",
                        written.value, p.name
                    ),
                    format!(
                        "province \"{}\" is not a standard name; read as {}",
                        written.value, p.name_en
                    ),
                ),
                Text::new(
                    format!("请写全称「{}」、简称「{}」或代码", p.name, p.short),
                    format!(
                        "write the full name \"{}\", the short name \"{}\" or the code",
                        p.name, p.short
                    ),
                ),
            ));
            Some(i)
        }
        Resolution::Unknown { hint } => {
            let (hint_zh, hint_en) = match hint {
                Some(i) => {
                    let p = provinces.get(i);
                    (
                        format!(
                            "是否指「{}」？请写全称、简称「{}」或 GB/T 2260 代码",
                            p.name, p.short
                        ),
                        format!(
                            "did you mean \"{}\"? write the full name, short name \"{}\" or GB/T 2260 code",
                            p.name, p.short
                        ),
                    )
                }
                None => (
                    "请写 criteria/provinces.toml 中的全称、简称或 GB/T 2260 代码".to_string(),
                    "write a full name, short name or GB/T 2260 code from criteria/provinces.toml"
                        .to_string(),
                ),
            };
            out.push(finding(
                Code::UnknownProvince,
                file,
                Some(written.pos),
                "province",
                Text::new(
                    format!("无法识别的省份「{}」", written.value),
                    format!("unknown province \"{}\"", written.value),
                ),
                Text::new(hint_zh, hint_en),
            ));
            None
        }
    }
}

/// Check one dossier on its own.
pub fn check_dossier(criteria: &Criteria, d: &Dossier) -> Verdict {
    let mut v = Verdict::default();
    let file = d.file.as_str();
    if let Some(p) = &d.province {
        v.province = resolve_province(criteria, p, file, &mut v.findings);
    }
    if let Some(t) = &d.demo_type {
        let types = &criteria.types;
        match types.resolve(&t.value) {
            Some(ty) => {
                v.demo_type = types.all().iter().position(|x| x.id == ty.id);
                check_type_case(d, ty, &mut v.findings);
                check_evidence(criteria, d, ty, &mut v.findings);
            }
            None => {
                let names = types
                    .all()
                    .iter()
                    .flat_map(|t| [t.id.as_str(), t.name_zh.as_str()]);
                let near = closest(&fold(&t.value), names);
                let list_zh = types
                    .all()
                    .iter()
                    .map(|t| t.name_zh.as_str())
                    .collect::<Vec<_>>()
                    .join("、");
                let list_en = types
                    .all()
                    .iter()
                    .map(|t| t.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                v.findings.push(finding(
                    Code::UnknownType,
                    file,
                    Some(t.pos),
                    "type",
                    Text::new(
                        format!("未知的示范类型「{}」", t.value),
                        format!("unknown demonstration type \"{}\"", t.value),
                    ),
                    match near {
                        Some(n) => Text::new(
                            format!("是否指「{n}」？可选：{list_zh}"),
                            format!("did you mean \"{n}\"? one of: {list_en}"),
                        ),
                        None => Text::new(format!("可选：{list_zh}"), format!("one of: {list_en}")),
                    },
                ));
            }
        }
    }
    if let Some(code) = &d.applicant.credit_code {
        check_credit_code(file, code, &mut v.findings);
    }
    let review_ok = d
        .review
        .as_ref()
        .and_then(|r| r.opinion.as_deref())
        .is_some_and(|o| !is_blank(o));
    if !review_ok {
        let pos = d.review.as_ref().map(|r| r.pos);
        v.findings.push(finding(
            Code::ReviewMissing,
            file,
            pos,
            "provincial_review",
            Text::new(
                "申报书缺少省级农业部门审核意见",
                "the dossier has no provincial review opinion",
            ),
            Text::new(
                "加上 [provincial_review]，填写 opinion（审核意见）、reviewer、reviewed_on",
                "add [provincial_review] with opinion, reviewer and reviewed_on",
            ),
        ));
    }
    check_figures(d, &mut v.findings);
    check_evidence_texts(d, &mut v.findings);
    v
}

fn check_figures(d: &Dossier, out: &mut Vec<Finding>) {
    let given = d
        .figures
        .iter()
        .map(|(k, n)| (k.as_str(), *n, format!("foundation.figures.{k}")))
        .chain(d.staff_count.map(|n| {
            (
                "staff_count",
                n.max(0) as u64,
                "team.staff_count".to_string(),
            )
        }));
    for (key, n, field) in given {
        let Some((_, max)) = FIGURE_BOUNDS.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        if n > *max {
            out.push(finding(
                Code::FigureRange,
                &d.file,
                None,
                &field,
                Text::new(
                    format!("「{field}」为 {n}，超过一个申报单位的合理上限 {max}，请核实"),
                    format!("\"{field}\" is {n}, above the plausible {max} for one applying unit: please check"),
                ),
                Text::new(
                    "核对数字（是否多写了零、是否填错了项）；确实如此可保留",
                    "check the number (an extra zero? the wrong field?); keep it if it is right",
                ),
            ));
        }
    }
}

/// Texts of `[type_evidence]` (and lists of texts): length and hidden characters.
fn check_evidence_texts(d: &Dossier, out: &mut Vec<Finding>) {
    for (key, value) in &d.evidence {
        let field = format!("type_evidence.{}", key.value);
        let texts: &[String] = match value {
            EvidenceValue::Text(t) => std::slice::from_ref(t),
            EvidenceValue::List(l) => l,
            _ => continue,
        };
        for t in texts {
            let (mut f, _) = check_text(&d.file, Some(key.pos), &field, t, false);
            out.append(&mut f);
        }
    }
}

fn check_type_case(d: &Dossier, ty: &DemoType, out: &mut Vec<Finding>) {
    if !ty.needs_case {
        return;
    }
    let has_case = d
        .other_type_case
        .as_ref()
        .is_some_and(|c| !is_blank(&c.value));
    if !has_case {
        out.push(finding(
            Code::OtherNoCase,
            &d.file,
            d.other_type_case.as_ref().map(|c| c.pos).or(d.demo_type.as_ref().map(|t| t.pos)),
            "other_type_case",
            Text::new(
                format!("类型为「{}」，但未说明其示范意义（other_type_case 为空）", ty.name_zh),
                format!("type is \"{}\" but other_type_case is missing or empty", ty.id),
            ),
            Text::new(
                "在 other_type_case 中写明该类型的做法、成效和示范意义",
                "state in other_type_case what the type is, its results and why it is worth demonstrating",
            ),
        ));
    }
}

fn kind_name(kind: EvidenceKind) -> (&'static str, &'static str) {
    match kind {
        EvidenceKind::Bool => ("布尔值 true/false", "a boolean true/false"),
        EvidenceKind::Text => ("文字", "text"),
        EvidenceKind::Integer => ("整数", "an integer"),
        EvidenceKind::TextList => ("文字列表 [\"…\"]", "a list of texts [\"…\"]"),
        EvidenceKind::ChoiceList => ("取值列表 [\"…\"]", "a list of values [\"…\"]"),
    }
}

fn kind_fits(kind: EvidenceKind, v: &EvidenceValue) -> bool {
    matches!(
        (kind, v),
        (EvidenceKind::Bool, EvidenceValue::Bool(_))
            | (EvidenceKind::Text, EvidenceValue::Text(_))
            | (EvidenceKind::Integer, EvidenceValue::Integer(_))
            | (
                EvidenceKind::TextList | EvidenceKind::ChoiceList,
                EvidenceValue::List(_)
            )
    )
}

fn check_evidence(criteria: &Criteria, d: &Dossier, ty: &DemoType, out: &mut Vec<Finding>) {
    let file = d.file.as_str();
    for (key, value) in &d.evidence {
        let field = format!("type_evidence.{}", key.value);
        let Some(spec) = ty.evidence.iter().find(|e| e.key == key.value) else {
            if let Some(owner) = criteria.types.owner_of_evidence(&key.value, &ty.id) {
                out.push(finding(
                    Code::EvidenceOtherType,
                    file,
                    Some(key.pos),
                    &field,
                    Text::new(
                        format!(
                            "「{}」属于{}的类型标准，本申报书类型为{}",
                            key.value, owner.name_zh, ty.name_zh
                        ),
                        format!(
                            "\"{}\" belongs to type {}, but this dossier is {}",
                            key.value, owner.id, ty.id
                        ),
                    ),
                    Text::new(
                        "删除该项，或确认示范类型是否填对",
                        "remove the key, or check the dossier's type",
                    ),
                ));
            } else {
                let near = closest(&key.value, ty.evidence.iter().map(|e| e.key.as_str()));
                let keys = ty
                    .evidence
                    .iter()
                    .map(|e| e.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(finding(
                    Code::UnknownKey,
                    file,
                    Some(key.pos),
                    &field,
                    Text::new(
                        format!("未知的类型佐证项「{}」", key.value),
                        format!("unknown type evidence key \"{}\"", key.value),
                    ),
                    match near {
                        Some(n) => {
                            Text::new(format!("是否指「{n}」？"), format!("did you mean \"{n}\"?"))
                        }
                        None => Text::new(
                            format!("{}的佐证项：{keys}", ty.name_zh),
                            format!("keys of {}: {keys}", ty.id),
                        ),
                    },
                ));
            }
            continue;
        };
        if !kind_fits(spec.kind, value) {
            let (zh, en) = kind_name(spec.kind);
            out.push(finding(
                Code::ValueType,
                file,
                Some(key.pos),
                &field,
                Text::new(
                    format!("「{}」应为{zh}", key.value),
                    format!("\"{}\" must be {en}", key.value),
                ),
                Text::new(
                    format!("例如：{} = {}", key.value, example(spec.kind)),
                    format!("for example: {} = {}", key.value, example(spec.kind)),
                ),
            ));
            continue;
        }
        if let (EvidenceKind::ChoiceList, EvidenceValue::List(items)) = (spec.kind, value) {
            for item in items.iter().filter(|i| !spec.choices.contains(i)) {
                let near = closest(item, spec.choices.iter().map(String::as_str));
                let all = spec.choices.join(", ");
                out.push(finding(
                    Code::ValueChoice,
                    file,
                    Some(key.pos),
                    &field,
                    Text::new(
                        format!("「{}」中的「{item}」不是可选值", key.value),
                        format!("\"{item}\" is not an allowed value of \"{}\"", key.value),
                    ),
                    match near {
                        Some(n) => Text::new(
                            format!("是否指「{n}」？可选：{all}"),
                            format!("did you mean \"{n}\"? allowed: {all}"),
                        ),
                        None => Text::new(format!("可选：{all}"), format!("allowed: {all}")),
                    },
                ));
            }
        }
    }
    for gate in ty.evidence.iter().filter(|e| e.gate) {
        let given = d.evidence.iter().find(|(k, _)| k.value == gate.key);
        let (pos, denied) = match given {
            Some((k, v)) if kind_fits(gate.kind, v) && !v.holds() => (Some(k.pos), true),
            Some(_) => continue,
            None => (None, false),
        };
        let (zh, en) = if denied {
            (
                format!(
                    "{}标准要求「{}」，申报书填写为否或空",
                    ty.name_zh, gate.label_zh
                ),
                format!(
                    "the {} standard requires \"{}\"; the dossier denies it",
                    ty.id, gate.label_en
                ),
            )
        } else {
            (
                format!(
                    "{}标准要求「{}」，申报书未填写 {}",
                    ty.name_zh, gate.label_zh, gate.key
                ),
                format!(
                    "the {} standard requires \"{}\"; the dossier lacks {}",
                    ty.id, gate.label_en, gate.key
                ),
            )
        };
        out.push(finding(
            Code::TypeStandard,
            file,
            pos,
            &format!("type_evidence.{}", gate.key),
            Text::new(zh, en),
            Text::new(
                format!("不满足该类型标准的单位不能按{}申报：核实后填写 {} = {}，或改报其他类型", ty.name_zh, gate.key, example(gate.kind)),
                format!("a unit that does not meet the standard cannot apply as {}: after checking, set {} = {}, or apply under another type", ty.id, gate.key, example(gate.kind)),
            ),
        ));
    }
}

fn example(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Bool => "true",
        EvidenceKind::Text => "\"…\"",
        EvidenceKind::Integer => "12",
        EvidenceKind::TextList | EvidenceKind::ChoiceList => "[\"…\"]",
    }
}

fn check_credit_code(file: &str, code: &Located<String>, out: &mut Vec<Finding>) {
    let folded = fold(&code.value).to_ascii_uppercase();
    let Err(e) = credit_code::validate(&folded) else {
        return;
    };
    let (zh, en) = match e {
        CreditCodeError::Length(n) => (
            format!(
                "统一社会信用代码「{}」长度为 {n} 位，应为 18 位",
                code.value
            ),
            format!("credit code \"{}\" has {n} characters, not 18", code.value),
        ),
        CreditCodeError::Character { position, found } => (
            format!(
                "统一社会信用代码「{}」第 {position} 位「{found}」不是允许的字符（不用 I、O、Z、S、V）",
                code.value
            ),
            format!(
                "credit code \"{}\": character {position} \"{found}\" is not allowed (I, O, Z, S, V are never used)",
                code.value
            ),
        ),
        CreditCodeError::Check { expected, found } => (
            format!(
                "统一社会信用代码「{}」校验位错误：应为「{expected}」，实为「{found}」",
                code.value
            ),
            format!(
                "credit code \"{}\": check character should be \"{expected}\", found \"{found}\"",
                code.value
            ),
        ),
    };
    out.push(finding(
        Code::CreditCode,
        file,
        Some(code.pos),
        "applicant.credit_code",
        Text::new(zh, en),
        Text::new(
            "按营业执照或登记证书逐位核对；不确定时可删除该项",
            "copy it again from the business licence or registration certificate; leave it out if unsure",
        ),
    ));
}

/// Check a submission on its own: province, deadline, copies.
pub fn check_submission(criteria: &Criteria, s: &Submission) -> (Vec<Finding>, Option<usize>) {
    let mut out = Vec::new();
    let file = s.file.as_str();
    let province = s
        .province
        .as_ref()
        .and_then(|p| resolve_province(criteria, p, file, &mut out));
    let round = &criteria.round;
    if let Some(sent) = &s.sent_on
        && sent.value > round.application_deadline
    {
        let days = (sent.value - round.application_deadline).get_days();
        out.push(finding(
            Code::Late,
            file,
            Some(sent.pos),
            "sent_on",
            Text::new(
                format!("报送日期 {} 晚于截止日期 {}（逾期 {days} 天）", sent.value, round.application_deadline),
                format!("sent on {}, after the deadline {} ({days} days late)", sent.value, round.application_deadline),
            ),
            Text::new(
                "逾期报送不予受理；如日期填错，请改为实际报送日期",
                "late submissions are not accepted; if the date is a typo, write the real date sent",
            ),
        ));
    }
    if let (Some(sent), Some(opens)) = (&s.sent_on, round.application_opens)
        && sent.value < opens
    {
        out.push(finding(
            Code::SentEarly,
            file,
            Some(sent.pos),
            "sent_on",
            Text::new(
                format!("报送日期 {} 早于本轮申报开始日期 {opens}", sent.value),
                format!(
                    "sent on {}, before the round's application period opens on {opens}",
                    sent.value
                ),
            ),
            Text::new(
                "核对报送日期（是否填成了上一年）；应为实际报送日期",
                "check the date sent (last year's?); write the real date sent",
            ),
        ));
    }
    if let Some(c) = &s.copies
        && c.value < i64::from(round.copies_required)
    {
        out.push(finding(
            Code::Copies,
            file,
            Some(c.pos),
            "copies",
            Text::new(
                format!(
                    "纸质材料 {} 份，要求一式 {} 份",
                    c.value, round.copies_required
                ),
                format!(
                    "{} paper copies sent; the round asks for {}",
                    c.value, round.copies_required
                ),
            ),
            Text::new(
                format!("补报至 {} 份后改写 copies", round.copies_required),
                format!(
                    "send the missing copies, then set copies = {}",
                    round.copies_required
                ),
            ),
        ));
    }
    (out, province)
}
