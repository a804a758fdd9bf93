//! Reading a province's cover letter (`submission.toml`).

use super::dossier::contact;
use super::source::SourceText;
use super::walker::{Tbl, Walker};
use crate::domain::Finding;
use crate::domain::dossier::{Located, Submission};

const KEYS: &[&str] = &["province", "department", "sent_on", "copies", "contact"];

/// The file name a province folder must hold.
pub const FILE_NAME: &str = "submission.toml";

/// Read a submission from decoded text; `None` when it is not TOML at all.
pub fn read(src: &SourceText) -> (Option<Submission>, Vec<Finding>) {
    let mut w = Walker::new(src);
    let Some(doc) = w.parse() else {
        return (None, w.findings);
    };
    let root = Tbl {
        table: doc.get_ref(),
        prefix: String::new(),
        pos: w.pos(&(0..0)),
    };
    w.unknown_keys(&root, KEYS);
    let province = w.text(&root, "province", true).map(|s| Located {
        pos: w.pos(&s.span()),
        value: s.into_inner(),
    });
    let department = w.text(&root, "department", true).map(|s| s.into_inner());
    let sent_on = w.date(&root, "sent_on", true).map(|s| Located {
        pos: w.pos(&s.span()),
        value: s.into_inner(),
    });
    let copies = w.int(&root, "copies", true, 0).map(|s| Located {
        pos: w.pos(&s.span()),
        value: s.into_inner(),
    });
    let contact = contact(&mut w, &root);
    let s = Submission {
        file: src.file.clone(),
        province,
        department,
        sent_on,
        copies,
        contact,
    };
    (Some(s), w.findings)
}
