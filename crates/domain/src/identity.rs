//! Stable dossier identity (申报书编号): a dossier keeps its code when its province re-sends the
//! batch with files renamed or reordered. It is recognised by its applicant's credit code or, when
//! either side has none, by its normalised applicant name, within the province. A new applicant
//! gets the next number of its province; numbers are never reused, so a withdrawn applicant's
//! code never passes to another.

use serde::Serialize;

/// A code already given in a province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDossier {
    pub code: String,
    /// The number within the province (the `NN` of `KEY-NN`).
    pub number: u32,
    /// [`crate::names::normalise_name`] of the applicant.
    pub applicant_norm: String,
    /// The applicant's unified social credit code, folded to upper case.
    pub credit_code: Option<String>,
    /// Content hash of the version in the province's current batch; `None` when the dossier is
    /// not in the current batch (withdrawn, or never imported as current).
    pub current_sha256: Option<String>,
}

/// A dossier of the incoming batch, as identity sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingDossier {
    pub applicant_norm: String,
    pub credit_code: Option<String>,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
}

/// What happens to one dossier of the incoming batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Matched {
    /// The same applicant with the same bytes as in the current batch: its sheets stay.
    Unchanged { code: String },
    /// The same applicant with other bytes: its sheets are set aside and it is re-assigned.
    Changed { code: String },
    /// An applicant the province had withdrawn (or sent earlier without it being current) comes
    /// back under its old code.
    Returned { code: String },
    /// A new applicant: the next number of the province.
    New { code: String, number: u32 },
}

impl Matched {
    pub fn code(&self) -> &str {
        match self {
            Matched::Unchanged { code }
            | Matched::Changed { code }
            | Matched::Returned { code }
            | Matched::New { code, .. } => code,
        }
    }
}

/// The identity of a whole incoming batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchIdentity {
    /// One per incoming dossier, in the batch's order.
    pub dossiers: Vec<Matched>,
    /// Codes in the current batch that the incoming batch no longer holds: withdrawn.
    pub withdrawn: Vec<String>,
}

/// The code of dossier number `n` of a province: `KEY-NN`.
pub fn code(province_key: &str, n: u32) -> String {
    format!("{province_key}-{n:02}")
}

fn same_applicant(k: &KnownDossier, d: &IncomingDossier) -> bool {
    match (&k.credit_code, &d.credit_code) {
        (Some(a), Some(b)) => a == b,
        _ => k.applicant_norm == d.applicant_norm,
    }
}

/// Match an incoming batch of `province_key` against the codes the province already has.
///
/// Each known code is matched at most once, in the batch's order: first by credit code where
/// both sides have one, else by normalised name. The validation refuses a batch with two
/// dossiers of one applicant, so a second match cannot arise from a valid batch; should it,
/// the second dossier gets a new code rather than sharing one.
pub fn identify(
    province_key: &str,
    known: &[KnownDossier],
    incoming: &[IncomingDossier],
) -> BatchIdentity {
    let mut taken = vec![false; known.len()];
    let mut next = known.iter().map(|k| k.number).max().unwrap_or(0) + 1;
    let mut dossiers = Vec::with_capacity(incoming.len());
    for d in incoming {
        // Credit codes first: a renamed applicant with the same credit code is the same unit.
        let by_credit = known.iter().enumerate().position(|(i, k)| {
            !taken[i]
                && k.credit_code.is_some()
                && d.credit_code.is_some()
                && k.credit_code == d.credit_code
        });
        let found = by_credit
            .or_else(|| (0..known.len()).find(|&i| !taken[i] && same_applicant(&known[i], d)));
        dossiers.push(match found {
            Some(i) => {
                taken[i] = true;
                let k = &known[i];
                let code = k.code.clone();
                match &k.current_sha256 {
                    Some(sha) if *sha == d.sha256 => Matched::Unchanged { code },
                    Some(_) => Matched::Changed { code },
                    None => Matched::Returned { code },
                }
            }
            None => {
                let n = next;
                next += 1;
                Matched::New {
                    code: code(province_key, n),
                    number: n,
                }
            }
        });
    }
    let withdrawn = known
        .iter()
        .zip(&taken)
        .filter(|(k, t)| !**t && k.current_sha256.is_some())
        .map(|(k, _)| k.code.clone())
        .collect();
    BatchIdentity {
        dossiers,
        withdrawn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(n: u32, name: &str, credit: Option<&str>, sha: Option<&str>) -> KnownDossier {
        KnownDossier {
            code: code("330000", n),
            number: n,
            applicant_norm: name.into(),
            credit_code: credit.map(Into::into),
            current_sha256: sha.map(Into::into),
        }
    }

    fn incoming(name: &str, credit: Option<&str>, sha: &str) -> IncomingDossier {
        IncomingDossier {
            applicant_norm: name.into(),
            credit_code: credit.map(Into::into),
            sha256: sha.into(),
        }
    }

    #[test]
    fn a_first_batch_numbers_its_dossiers_in_order() {
        let id = identify(
            "330000",
            &[],
            &[incoming("长兴县", None, "a"), incoming("桐庐县", None, "b")],
        );
        assert_eq!(
            id.dossiers,
            vec![
                Matched::New {
                    code: "330000-01".into(),
                    number: 1
                },
                Matched::New {
                    code: "330000-02".into(),
                    number: 2
                },
            ]
        );
        assert!(id.withdrawn.is_empty());
    }

    /// The batch re-sent with the files reordered (renamed files arrive in another order): every
    /// dossier keeps its code; the one whose bytes changed is `Changed`.
    #[test]
    fn reordered_and_renamed_files_keep_their_codes() {
        let k = [
            known(1, "长兴县", None, Some("a")),
            known(2, "桐庐县", Some("91330000X"), Some("b")),
        ];
        let id = identify(
            "330000",
            &k,
            &[
                incoming("桐庐县农业农村局", Some("91330000X"), "b2"),
                incoming("长兴县", None, "a"),
            ],
        );
        assert_eq!(
            id.dossiers,
            vec![
                Matched::Changed {
                    code: "330000-02".into()
                },
                Matched::Unchanged {
                    code: "330000-01".into()
                },
            ]
        );
    }

    /// 长兴县 withdrawn, a new applicant arrives: it gets number 3, never 1.
    #[test]
    fn codes_are_never_reused() {
        let k = [
            known(1, "长兴县", None, Some("a")),
            known(2, "桐庐县", None, Some("b")),
        ];
        let id = identify(
            "330000",
            &k,
            &[incoming("桐庐县", None, "b"), incoming("德清县", None, "c")],
        );
        assert_eq!(id.withdrawn, vec!["330000-01".to_string()]);
        assert_eq!(
            id.dossiers[1],
            Matched::New {
                code: "330000-03".into(),
                number: 3
            }
        );
        // Later the withdrawn applicant comes back: its old code.
        let k2 = [
            known(1, "长兴县", None, None),
            known(2, "桐庐县", None, Some("b")),
            known(3, "德清县", None, Some("c")),
        ];
        let back = identify("330000", &k2, &[incoming("长兴县", None, "a")]);
        assert_eq!(
            back.dossiers,
            vec![Matched::Returned {
                code: "330000-01".into()
            }]
        );
        assert_eq!(back.withdrawn, vec!["330000-02", "330000-03"]);
    }

    /// Different credit codes mean different units even under the same name.
    #[test]
    fn credit_codes_decide_when_both_sides_have_one() {
        let k = [known(1, "县农业局", Some("A1"), Some("a"))];
        let id = identify("330000", &k, &[incoming("县农业局", Some("B2"), "a")]);
        assert!(matches!(id.dossiers[0], Matched::New { number: 2, .. }));
        assert_eq!(id.withdrawn, vec!["330000-01"]);
    }
}
