//! Demonstration types (示范类型) and their standards, as set in `criteria/types.toml`.

use serde::Deserialize;

use super::names::fold;

/// The shape of one `[type_evidence]` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Bool,
    Text,
    Integer,
    TextList,
    ChoiceList,
}

/// One key of `[type_evidence]` for a type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceKey {
    pub key: String,
    pub kind: EvidenceKind,
    /// Must hold (true / non-empty), or the dossier fails its type's standard.
    #[serde(default)]
    pub gate: bool,
    pub label_zh: String,
    pub label_en: String,
    #[serde(default)]
    pub choices: Vec<String>,
}

/// A demonstration type and its published standard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoType {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// The dossier must make its own case (`other_type_case`).
    #[serde(default)]
    pub needs_case: bool,
    pub standard_zh: String,
    pub standard_en: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceKey>,
}

/// The round's types, in file order.
#[derive(Debug, Clone)]
pub struct DemoTypes {
    list: Vec<DemoType>,
}

impl DemoTypes {
    pub fn new(list: Vec<DemoType>) -> Self {
        DemoTypes { list }
    }

    pub fn all(&self) -> &[DemoType] {
        &self.list
    }

    pub fn by_id(&self, id: &str) -> Option<&DemoType> {
        self.list.iter().find(|t| t.id == id)
    }

    /// Resolve a type written as its English id or its Chinese name.
    pub fn resolve(&self, written: &str) -> Option<&DemoType> {
        let s = fold(written);
        self.list
            .iter()
            .find(|t| t.id == s || t.name_zh == s || t.id.eq_ignore_ascii_case(&s))
    }

    /// The type (other than `except`) that owns an evidence key, if any.
    pub fn owner_of_evidence(&self, key: &str, except: &str) -> Option<&DemoType> {
        self.list
            .iter()
            .filter(|t| t.id != except)
            .find(|t| t.evidence.iter().any(|e| e.key == key))
    }
}
