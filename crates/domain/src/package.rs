//! Remote scoring packages (函评): which return of a package the ministry takes, and why it
//! refuses the others.
//!
//! A package is issued to one expert for the dossiers assigned to them. The expert scores in it
//! offline and sends it back; the ministry takes a return only when it is the latest package
//! issued to that expert, not returned before, authentic, for the dossiers sent, and when the
//! sheets it carries were left alone on the server meanwhile. Each refusal names the package
//! file and says what to do instead. The bytes, the MAC and the database inside are the
//! store's business; the decisions are here.

use serde::Serialize;

use crate::Text;

/// A package as the round's database recorded it when it was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issued {
    pub id: String,
    pub expert_id: String,
    /// RFC 3339 time of issue.
    pub issued_at: String,
    /// When its return was imported, if it was.
    pub returned_at: Option<String>,
}

/// Why a package return (or an opening by the expert) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PackageRefusal {
    /// The file is not a package this program reads.
    NotAPackage { file: String, why: Text },
    /// The one-time code does not open the package.
    WrongCode { file: String },
    /// The package's contents do not match its authentication code: a byte changed.
    Altered { file: String },
    /// No package with this id was issued by this round's database.
    Foreign { file: String, id: String },
    /// A newer package was issued to the same expert since.
    Superseded {
        file: String,
        id: String,
        latest: String,
        issued_at: String,
    },
    /// This package's return was imported already.
    Returned {
        file: String,
        id: String,
        at: String,
    },
    /// The package names another expert than the one it was issued to.
    OtherExpert {
        file: String,
        issued_to: String,
        names: String,
    },
    /// A dossier in the package is not the one sent, or no longer the one stored.
    DossierChanged { file: String, code: String },
    /// The expert's sheet on the server changed after the package was issued.
    SheetChangedHere { file: String, code: String },
    /// The dossier is no longer assigned to the expert (swapped, recused, withdrawn).
    NoLongerAssigned { file: String, code: String },
    /// The package carries a sheet it was not issued with.
    NotSent { file: String, code: String },
    /// A sheet in the package holds a value the rubric refuses, or breaks the lock.
    BadSheet {
        file: String,
        code: String,
        problem: Text,
    },
    /// The package's own audit log does not verify.
    BrokenLog { file: String, problem: Text },
    /// A package for an expert with no dossiers assigned.
    NothingAssigned { expert: String },
    /// Recusal is asked of the ministry, not made inside a package.
    RecuseByLetter,
}

impl PackageRefusal {
    /// The refusal in both languages, naming the package file and what to do instead.
    pub fn text(&self) -> Text {
        use PackageRefusal as P;
        match self {
            P::NotAPackage { file, why } => Text::new(
                format!(
                    "{file}：不是评分包（{}）；请使用 shifan package export 生成的 .shifan 文件",
                    why.zh
                ),
                format!(
                    "{file}: not a scoring package ({}); use a .shifan file written by `shifan package export`",
                    why.en
                ),
            ),
            P::WrongCode { file } => Text::new(
                format!(
                    "{file}：验证码不对；请核对随函寄送的一次性验证码（不区分大小写，可省略连字符）"
                ),
                format!(
                    "{file}: the code does not open this package; check the one-time code sent with the cover letter (case and dashes do not matter)"
                ),
            ),
            P::Altered { file } => Text::new(
                format!(
                    "{file}：评分包内容与其认证码不符（文件已被改动），未作任何保存；请专家重新发送其程序写出的原文件，或重新下发评分包"
                ),
                format!(
                    "{file}: the package does not match its authentication code (a byte was changed); nothing was stored; ask the expert for the file exactly as their program wrote it, or issue a new package"
                ),
            ),
            P::Foreign { file, id } => Text::new(
                format!(
                    "{file}：评分包 {id} 不是本轮数据库下发的，未作任何保存；请导入本轮下发的评分包"
                ),
                format!(
                    "{file}: package {id} was not issued by this round's database; nothing was stored; import a package this round issued"
                ),
            ),
            P::Superseded {
                file,
                id,
                latest,
                issued_at,
            } => Text::new(
                format!(
                    "{file}：评分包 {id} 已被 {issued_at} 下发的新评分包 {latest} 取代，未作任何保存；请导入最新的评分包"
                ),
                format!(
                    "{file}: package {id} was superseded by {latest}, issued {issued_at}; nothing was stored; import the latest package"
                ),
            ),
            P::Returned { file, id, at } => Text::new(
                format!(
                    "{file}：评分包 {id} 已于 {at} 导入，不能重复导入；如需再次函评，请重新下发评分包"
                ),
                format!(
                    "{file}: package {id} was imported already on {at} and cannot be imported twice; to score remotely again, issue a new package"
                ),
            ),
            P::OtherExpert {
                file,
                issued_to,
                names,
            } => Text::new(
                format!("{file}：评分包下发给专家 {issued_to}，包内却写着 {names}，未作任何保存"),
                format!(
                    "{file}: the package was issued to expert {issued_to} but names {names}; nothing was stored"
                ),
            ),
            P::DossierChanged { file, code } => Text::new(
                format!(
                    "{file}：包内申报书 {code} 与下发时或库中现存的不一致，未作任何保存；请重新下发评分包"
                ),
                format!(
                    "{file}: dossier {code} in the package differs from the one sent or the one now stored; nothing was stored; issue a new package"
                ),
            ),
            P::SheetChangedHere { file, code } => Text::new(
                format!(
                    "{file}：评分包下发后，库中该专家对 {code} 的评分表已有改动（退回、线上评分或纸质录入），未作任何保存；请核对后重新下发评分包"
                ),
                format!(
                    "{file}: the expert's sheet on {code} changed on the server after the package was issued (reopened, scored online or keyed from paper); nothing was stored; check it, then issue a new package"
                ),
            ),
            P::NoLongerAssigned { file, code } => Text::new(
                format!(
                    "{file}：申报书 {code} 已不再分配给该专家（调换、回避或撤回），未作任何保存；请重新下发评分包"
                ),
                format!(
                    "{file}: dossier {code} is no longer assigned to the expert (swapped, recused or withdrawn); nothing was stored; issue a new package"
                ),
            ),
            P::NotSent { file, code } => Text::new(
                format!("{file}：包内有下发时没有的评分表 {code}，未作任何保存"),
                format!(
                    "{file}: the package holds a sheet on {code} it was not issued with; nothing was stored"
                ),
            ),
            P::BadSheet {
                file,
                code,
                problem,
            } => Text::new(
                format!(
                    "{file}：申报书 {code} 的评分表不能接收（{}），未作任何保存",
                    problem.zh
                ),
                format!(
                    "{file}: the sheet on {code} cannot be taken ({}); nothing was stored",
                    problem.en
                ),
            ),
            P::NothingAssigned { expert } => Text::new(
                format!("专家 {expert} 目前没有分配的申报书，无需下发评分包"),
                format!("expert {expert} has no dossiers assigned: there is nothing to send"),
            ),
            P::RecuseByLetter => Text::new(
                "在评分包中不能申请回避：请将回避理由告知部里，由部里调换专家（评分包中的其余评分照常导入）",
                "recusal is not made in a scoring package: tell the ministry your reason and they swap you out (the rest of the package is imported as usual)",
            ),
            P::BrokenLog { file, problem } => Text::new(
                format!(
                    "{file}：评分包自身的审计日志核验未通过（{}），未作任何保存",
                    problem.zh
                ),
                format!(
                    "{file}: the package's own audit log does not verify ({}); nothing was stored",
                    problem.en
                ),
            ),
        }
    }
}

/// May the return of package `id` (read from `file`, naming `expert_id`) be imported, given
/// every package issued by the round (in the order issued)? Refused when it is foreign, issued
/// to someone else, superseded by a later one to the same expert, or returned already.
pub fn judge_return(
    issued: &[Issued],
    file: &str,
    id: &str,
    expert_id: &str,
) -> Result<(), PackageRefusal> {
    let Some(this) = issued.iter().find(|p| p.id == id) else {
        return Err(PackageRefusal::Foreign {
            file: file.to_string(),
            id: id.to_string(),
        });
    };
    if this.expert_id != expert_id {
        return Err(PackageRefusal::OtherExpert {
            file: file.to_string(),
            issued_to: this.expert_id.clone(),
            names: expert_id.to_string(),
        });
    }
    if let Some(at) = &this.returned_at {
        return Err(PackageRefusal::Returned {
            file: file.to_string(),
            id: id.to_string(),
            at: at.clone(),
        });
    }
    let latest = issued
        .iter()
        .rfind(|p| p.expert_id == this.expert_id)
        .unwrap_or(this);
    if latest.id != this.id {
        return Err(PackageRefusal::Superseded {
            file: file.to_string(),
            id: id.to_string(),
            latest: latest.id.clone(),
            issued_at: latest.issued_at.clone(),
        });
    }
    Ok(())
}

/// A one-time code as the expert may type it: upper case, without spaces or dashes, with the
/// letters that read like digits (O, I, L) taken as the digits (Crockford's base 32).
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// The alphabet of one-time codes (Crockford's base 32: no I, L, O, U).
pub const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A code of 16 characters from 10 random bytes (80 bits), written in groups of four.
pub fn code_from_bytes(bytes: &[u8; 10]) -> String {
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(*b);
    }
    let mut out = String::new();
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let shift = 5 * (15 - i);
        out.push(CODE_ALPHABET[((bits >> shift) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issued(id: &str, expert: &str, returned: Option<&str>) -> Issued {
        Issued {
            id: id.into(),
            expert_id: expert.into(),
            issued_at: format!("2026-06-{id}"),
            returned_at: returned.map(Into::into),
        }
    }

    #[test]
    fn only_the_latest_unreturned_package_of_its_expert_is_taken() {
        let all = [
            issued("01", "E07", None),
            issued("02", "E08", None),
            issued("03", "E07", None),
            issued("04", "E09", Some("2026-06-30")),
        ];
        assert_eq!(judge_return(&all, "f", "03", "E07"), Ok(()));
        assert_eq!(judge_return(&all, "f", "02", "E08"), Ok(()));
        match judge_return(&all, "f", "01", "E07") {
            Err(PackageRefusal::Superseded { latest, .. }) => assert_eq!(latest, "03"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            judge_return(&all, "f", "04", "E09"),
            Err(PackageRefusal::Returned { .. })
        ));
        assert!(matches!(
            judge_return(&all, "f", "99", "E07"),
            Err(PackageRefusal::Foreign { .. })
        ));
        assert!(matches!(
            judge_return(&all, "f", "02", "E07"),
            Err(PackageRefusal::OtherExpert { .. })
        ));
    }

    #[test]
    fn refusals_name_the_file_in_both_languages() {
        let r = PackageRefusal::Altered {
            file: "E07.shifan".into(),
        };
        let t = r.text();
        assert!(t.zh.starts_with("E07.shifan："), "{t:?}");
        assert!(t.en.starts_with("E07.shifan: "), "{t:?}");
        assert!(t.zh.contains("未作任何保存") && t.en.contains("nothing was stored"));
    }

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = code_from_bytes(&[0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert!(
            code.chars()
                .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8)))
        );
        let typed = code.to_lowercase().replace('-', " ").replace('0', "o");
        assert_eq!(normalize_code(&typed), code.replace('-', ""));
        // Different bytes, different codes.
        let other = code_from_bytes(&[0xfe, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_ne!(code, other);
        // All 80 bits are used: the last byte shows in the last character.
        let last = code_from_bytes(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(last, "0000-0000-0000-0001");
    }
}
