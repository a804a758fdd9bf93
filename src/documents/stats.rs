//! The review-quality annex (评审质量统计) from [`Store::review_stats`]: the figures with the
//! experts' names, the types' and units' names as printed, and the dossiers whose bootstrap
//! interval crosses the cut or the reserve line (what `shifan rank --stats` lists). Ministry
//! staff only, as the statistics are.

use jiff::civil::Date;

use super::{Document, DocumentError};
use crate::domain::Criteria;
use crate::domain::access::User;
use crate::domain::phase::Phase;
use crate::pdf::{ExpertLine, Fonts, IntervalLine, PanelLine, StatsAnnex, render_stats_annex};
use crate::store::Store;

/// The annex's file name.
pub const FILE: &str = "review-stats-annex.pdf";

/// The annex dated `date`, from `replicates` bootstrap draws seeded with `seed`; marked 「草稿」
/// while the round is still in review (sheets can still change the figures).
pub fn stats_annex(
    criteria: &Criteria,
    store: &Store,
    actor: &User,
    fonts: &Fonts,
    date: Date,
    seed: u64,
    replicates: usize,
) -> Result<Document, DocumentError> {
    let round = store.review_stats(criteria, actor, replicates, seed)?;
    let applicants = store.print_applicants(actor)?;
    let roster = store.roster(None)?;
    let s = &round.stats;
    let experts = s
        .experts
        .iter()
        .map(|e| ExpertLine {
            id: e.expert_id.clone(),
            name: roster
                .iter()
                .find(|x| x.id == e.expert_id)
                .map_or_else(String::new, |x| x.name.clone()),
            sheets: e.sheets,
            shared: e.shared,
            harshness: e.harshness,
            agreement: e.agreement,
        })
        .collect();
    // Types in the order of criteria/types.toml, as the listing shows them.
    let mut panels: Vec<_> = s.panels.iter().collect();
    panels.sort_by_key(|p| {
        criteria
            .types
            .all()
            .iter()
            .position(|t| t.id == p.type_id)
            .unwrap_or(usize::MAX)
    });
    let panels = panels
        .into_iter()
        .map(|p| PanelLine {
            type_name: criteria.type_text(&p.type_id).zh,
            dossiers: p.dossiers,
            sheets: p.sheets,
            icc1: p.icc1,
        })
        .collect();
    let uncertain = s
        .intervals
        .iter()
        .filter(|r| r.crosses_cut || (r.low <= round.reserve_cut && r.high > round.reserve_cut))
        .map(|r| IntervalLine {
            rank: r.rank,
            code: r.code.clone(),
            applicant: applicants.get(&r.code).cloned().unwrap_or_default(),
            low: r.low,
            high: r.high,
            crosses_cut: r.crosses_cut,
        })
        .collect();
    let annex = StatsAnnex {
        title: format!("{}评审质量统计", criteria.round.title_zh),
        issuer: criteria.round.issuer.name_zh.clone(),
        date,
        inputs_hash: round.inputs_hash.clone(),
        // No shipped face has the subscript zero of 「k₀」.
        panel_method: round.panel_method.zh.replace('₀', "0"),
        interval_method: round.interval_method.zh.clone(),
        experts,
        panels,
        dossiers: s.intervals.len(),
        cut: s.cut,
        reserve_cut: round.reserve_cut,
        uncertain,
        seed: s.seed,
        replicates: s.replicates,
        audit_head: store.audit_head()?,
        draft: store.round_phase()? == Phase::Review,
    };
    let r = render_stats_annex(&annex, fonts)?;
    Ok(Document {
        name: FILE.to_string(),
        bytes: r.bytes,
        pages: r.pages,
        warnings: r.warnings,
        notes: Vec::new(),
    })
}
