//! Type limits as people write them for a what-if: `TYPE:MIN:MAX` (either bound may be empty),
//! the type by its id or its Chinese or English name; several separated by commas. The CLI's
//! `--type-limit` and the TUI's what-if read them the same way.

use crate::Text;
use crate::demo_type::DemoTypes;

/// One limit: the type's id, the fewest and the most of it on the list.
pub type TypeLimit = (String, Option<usize>, Option<usize>);

/// Read one `TYPE:MIN:MAX`.
pub fn parse_type_limit(types: &DemoTypes, text: &str) -> Result<TypeLimit, Text> {
    let text = text.trim();
    let parts: Vec<&str> = text.split([':', '：']).map(str::trim).collect();
    let [t, min, max] = parts[..] else {
        return Err(Text::new(
            format!("{text}：应写作 类型:最少:最多，例如 other::8 或 信息服务型:10:30"),
            format!("{text}: write TYPE:MIN:MAX, e.g. other::8 or info_service:10:30"),
        ));
    };
    let Some(ty) = types
        .all()
        .iter()
        .find(|d| d.id == t || d.name_zh == t || d.name_en.eq_ignore_ascii_case(t))
    else {
        let known: Vec<&str> = types.all().iter().map(|d| d.id.as_str()).collect();
        return Err(Text::new(
            format!(
                "{text}：types.toml 中没有类型「{t}」（有：{}）",
                known.join("、")
            ),
            format!(
                "{text}: no type \"{t}\" in types.toml (there are: {})",
                known.join(", ")
            ),
        ));
    };
    let num = |s: &str| -> Result<Option<usize>, Text> {
        if s.is_empty() {
            return Ok(None);
        }
        s.parse().map(Some).map_err(|_| {
            Text::new(
                format!("{text}：「{s}」不是非负整数"),
                format!("{text}: \"{s}\" is not a whole number"),
            )
        })
    };
    // A fewest above the most is the constraints' check to name (with the others).
    let (lo, hi) = (num(min)?, num(max)?);
    Ok((ty.id.clone(), lo, hi))
}

/// Read limits separated by commas (or 、 ， ；), one per type at most.
pub fn parse_type_limits(types: &DemoTypes, text: &str) -> Result<Vec<TypeLimit>, Text> {
    let mut out: Vec<TypeLimit> = Vec::new();
    for part in text
        .split([',', '，', '、', ';', '；'])
        .filter(|p| !p.trim().is_empty())
    {
        let l = parse_type_limit(types, part)?;
        if out.iter().any(|o| o.0 == l.0) {
            return Err(Text::new(
                format!("类型「{}」的限额写了两次", l.0),
                format!("type \"{}\" is limited twice", l.0),
            ));
        }
        out.push(l);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_type::DemoType;

    fn types() -> DemoTypes {
        let t = |id: &str, zh: &str, en: &str| DemoType {
            id: id.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            needs_case: false,
            standard_zh: String::new(),
            standard_en: String::new(),
            evidence: Vec::new(),
        };
        DemoTypes::new(vec![
            t("info_service", "信息服务型", "Information service"),
            t("other", "其他类型", "Other"),
        ])
    }

    #[test]
    fn limits_read_by_id_or_name_with_either_bound_empty() {
        let ts = types();
        assert_eq!(
            parse_type_limits(&ts, "信息服务型:10:30，other::8").unwrap(),
            vec![
                ("info_service".to_string(), Some(10), Some(30)),
                ("other".to_string(), None, Some(8)),
            ]
        );
        assert_eq!(
            parse_type_limit(&ts, " information service ：5： ").unwrap(),
            ("info_service".to_string(), Some(5), None)
        );
        assert!(parse_type_limits(&ts, "").unwrap().is_empty());
    }

    #[test]
    fn what_cannot_be_read_is_named() {
        let ts = types();
        for (text, zh, en) in [
            ("other:8", "应写作", "write TYPE:MIN:MAX"),
            ("nope::3", "没有类型「nope」", "no type \"nope\""),
            ("other::x", "「x」不是", "\"x\" is not"),
            ("other::3, 其他类型::4", "写了两次", "limited twice"),
        ] {
            let e = parse_type_limits(&ts, text).unwrap_err();
            assert!(e.zh.contains(zh) && e.en.contains(en), "{text}: {e:?}");
        }
    }
}
