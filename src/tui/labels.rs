//! Names of provinces and types in the interface language (from the criteria, never hard-coded).

use crate::domain::Criteria;

use super::lang::Lang;
use super::text::clean;

/// A reporting unit's short name, in Chinese or English; the key when unknown.
pub fn province(criteria: &Criteria, key: &str, lang: Lang) -> String {
    criteria.provinces.by_key(key).map_or_else(
        || clean(key),
        |(_, p)| clean(lang.pick(&p.short, p.short_name_en())),
    )
}

/// A reporting unit as a dossier writes it (浙江, 浙江省, a code or an alias), shown by its short
/// name in `lang`; the text as written when it names no unit.
pub fn province_written(criteria: &Criteria, written: &str, lang: Lang) -> String {
    use crate::domain::province::Resolution;
    match criteria.provinces.resolve(written) {
        Resolution::Exact(i) | Resolution::Truncated(i) => {
            province(criteria, &criteria.provinces.get(i).key, lang)
        }
        Resolution::Unknown { .. } => clean(written),
    }
}

/// A demonstration type's name; the id when unknown.
pub fn demo_type(criteria: &Criteria, id: &str, lang: Lang) -> String {
    criteria
        .types
        .by_id(id)
        .map_or_else(|| clean(id), |t| clean(lang.pick(&t.name_zh, &t.name_en)))
}

/// The widest province name shown in `lang` (display columns).
pub fn widest_province(criteria: &Criteria, lang: Lang) -> usize {
    criteria
        .provinces
        .all()
        .iter()
        .map(|p| super::text::width(&province(criteria, &p.key, lang)))
        .max()
        .unwrap_or(0)
}

/// The widest type name shown in `lang` (display columns).
pub fn widest_type(criteria: &Criteria, lang: Lang) -> usize {
    criteria
        .types
        .all()
        .iter()
        .map(|t| super::text::width(&demo_type(criteria, &t.id, lang)))
        .max()
        .unwrap_or(0)
}
