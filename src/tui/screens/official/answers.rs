//! What comes back to the official's screen: a folder checked (and whether the official may
//! see it), a stored dossier read, a finding's file read.

use crate::domain::{Criteria, Text};
use crate::input::encoding::decode;
use crate::input::source::SourceText;
use crate::tui::core::Env;
use crate::tui::list::FilteredList;
use crate::tui::text::clean;
use crate::validation::Report;

use super::super::dossier_view;
use super::{FileView, Mode, OfficialState, StoredDossier};

impl OfficialState {
    /// A folder checked: its findings in front, or why it may not or could not be checked.
    pub(super) fn rechecked(&mut self, env: &mut Env, result: Result<Box<Report>, Text>) {
        match result {
            Ok(report) => {
                let report = *report;
                if let Some(why) = foreign(&env.criteria, &self.province_key, &report) {
                    // Nothing of the folder is kept: not its findings, not its notes.
                    env.error(why);
                    return;
                }
                let (errors, warnings) = (report.errors(), report.warnings());
                self.findings = report.findings;
                self.notes = report.notes;
                self.findings_list = FilteredList::new(self.findings.len());
                self.mode = Mode::Findings;
                env.info(Text::new(
                    format!(
                        "复查完成：{} 份申报书，{errors} 个错误，{warnings} 个警告",
                        report_dossiers(&report.batches, &report.loose)
                    ),
                    format!(
                        "checked: {} dossiers, {errors} errors, {warnings} warnings",
                        report_dossiers(&report.batches, &report.loose)
                    ),
                ));
            }
            Err(t) => env.error(Text::new(
                format!("无法复查：{}", t.zh),
                format!("cannot check: {}", t.en),
            )),
        }
    }

    /// A stored dossier read: show it read-only.
    pub(super) fn dossier_read(
        &mut self,
        env: &mut Env,
        code: &str,
        result: Result<Option<Vec<u8>>, Text>,
    ) {
        let Some(d) = self.dossiers.iter().find(|d| d.code == code) else {
            return;
        };
        let bytes = match result {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return env.error(Text::new(
                    format!("申报书 {} 已不在数据库中（批次可能已被替换）", clean(code)),
                    format!(
                        "dossier {} is no longer stored (its batch may have been replaced)",
                        clean(code)
                    ),
                ));
            }
            Err(t) => return env.error(t),
        };
        let raw = decode(&bytes)
            .map_or_else(|_| String::from_utf8_lossy(&bytes).into_owned(), |(t, _)| t);
        let (dossier, _) = crate::input::dossier::read(&SourceText::new(code, raw.clone()));
        let max_scroll = dossier_view::lines(
            dossier.as_ref(),
            &raw,
            &env.criteria,
            &d.type_id,
            env.lang,
            78,
        )
        .len()
        .saturating_sub(1);
        self.stored = Some(StoredDossier {
            max_scroll,
            code: code.to_string(),
            type_id: d.type_id.clone(),
            dossier,
            raw,
            scroll: 0,
        });
        self.mode = Mode::Dossier;
    }

    /// The finding's file read: show it at the finding's line.
    pub(super) fn file_read(&mut self, env: &mut Env, path: &str, result: Result<String, Text>) {
        let Some(f) = self
            .findings_list
            .current()
            .and_then(|i| self.findings.get(i))
            .filter(|f| f.file == path)
        else {
            return;
        };
        let text = match result {
            Ok(text) => text,
            Err(t) => return env.error(t),
        };
        let lines: Vec<String> = text.lines().map(clean).collect();
        // Without a line, look for the field's key.
        let target = f.line.map(|l| l as usize).or_else(|| {
            let key = f.field.rsplit('.').next().unwrap_or("");
            if key.is_empty() {
                return None;
            }
            lines
                .iter()
                .position(|l| {
                    l.trim_start().starts_with(&format!("{key} "))
                        || l.trim_start().starts_with(&format!("{key}="))
                })
                .map(|i| i + 1)
        });
        self.file = Some(FileView {
            file: f.file.clone(),
            scroll: target.map_or(0, |t| t.saturating_sub(4)),
            lines,
            target,
            field: f.field.clone(),
        });
        self.mode = Mode::File;
    }
}

/// Why an official of `own` may not see a re-check of this folder: its submission or one of its
/// dossiers names another reporting unit, or nothing in it names the official's own. `None`:
/// the folder is the official's province's.
pub fn foreign(criteria: &Criteria, own: &str, report: &Report) -> Option<Text> {
    let provinces = &criteria.provinces;
    let own_name = provinces
        .by_key(own)
        .map_or((own.to_string(), own.to_string()), |(_, p)| {
            (p.name.clone(), p.name_en.clone())
        });
    let mut named_own = false;
    let claims = report
        .batches
        .iter()
        .flat_map(|b| {
            let sub = b
                .submission_file
                .as_ref()
                .map_or(b.folder.as_str(), |f| f.file.as_str());
            std::iter::once((sub, b.province)).chain(
                b.dossiers
                    .iter()
                    .map(|d| (d.file.file.as_str(), d.province)),
            )
        })
        .chain(
            report
                .loose
                .iter()
                .map(|d| (d.file.file.as_str(), d.province)),
        );
    for (file, unit) in claims {
        let Some(p) = unit else {
            continue;
        };
        let p = provinces.get(p);
        if p.key == own {
            named_own = true;
            continue;
        }
        return Some(Text::new(
            format!(
                "不能复查：{} 属于{}，不是{}。省级账号只能复查本省的材料",
                clean(file),
                p.name,
                own_name.0
            ),
            format!(
                "cannot check: {} belongs to {}, not {}. An official checks only the own province's files",
                clean(file),
                p.name_en,
                own_name.1
            ),
        ));
    }
    if named_own {
        return None;
    }
    Some(Text::new(
        format!(
            "不能复查：文件夹中没有任何文件写明属于{}（submission.toml 或申报书的 province）",
            own_name.0
        ),
        format!(
            "cannot check: nothing in the folder says it belongs to {} (province in submission.toml or a dossier)",
            own_name.1
        ),
    ))
}

pub(super) fn report_dossiers(
    batches: &[crate::validation::LoadedBatch],
    loose: &[crate::validation::LoadedDossier],
) -> usize {
    batches.iter().map(|b| b.dossiers.len()).sum::<usize>() + loose.len()
}
