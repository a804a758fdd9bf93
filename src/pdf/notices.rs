//! The publicity notice (公示) with its list and reserve list as attachments, and the
//! confirmation notice (认定通知) sent to each unit.

use jiff::civil::Date;

use super::fonts::{FaceRole, Fonts};
use super::layout::{
    Align, BODY, Column, Composer, Decorations, LaidOut, PageGeometry, Row, TITLE, Table,
};
use super::measure::{Style, text_width};
use super::{PdfError, Rendered};
use crate::validation::par_map_each;

/// One line of a list: a unit, in the ministry's province order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// Reporting unit as printed, e.g. 「陕西省」, 「新疆生产建设兵团」.
    pub province_name: String,
    /// Its short name for the list's 省份 column (`short` in `criteria/provinces.toml`), e.g.
    /// 「陕西」, 「兵团」.
    pub province_short: String,
    /// The applicant's full name.
    pub applicant: String,
    /// Demonstration type as printed, e.g. 「信息服务型」.
    pub type_name: String,
}

/// Where objections go during the publicity period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub person: String,
    /// Landline with area code.
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub email: String,
    /// Still the sample details shipped in `criteria/round.toml`: the block is marked
    /// 「示例联系人」 so that nobody issues the notice as it is.
    pub sample: bool,
}

/// The publicity period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicityPeriod {
    /// First day (inclusive).
    pub start: Date,
    /// Last day (inclusive).
    pub end: Date,
    /// Working days between them, holidays left out (national practice: 5).
    pub working_days: u32,
}

/// The publicity notice of the proposed list (拟认定名单的公示).
#[derive(Debug, Clone, PartialEq)]
pub struct PublicityNotice {
    /// E.g. 「关于2026年全国农村信息化示范单位拟认定名单的公示」.
    pub title: String,
    /// Paragraphs before the period: basis, process, 「现予以公示」 (see [`publicity_intro`]).
    pub intro: Vec<String>,
    pub period: PublicityPeriod,
    pub contact: Contact,
    /// Title of attachment 1, e.g. 「2026年全国农村信息化示范单位拟认定名单」.
    pub list_title: String,
    /// The proposed list, already in the ministry's province order.
    pub entries: Vec<ListEntry>,
    /// Title of attachment 2, e.g. 「2026年全国农村信息化示范单位备选名单」.
    pub reserve_title: String,
    /// The reserve list in rank order; empty leaves attachment 2 out.
    pub reserve: Vec<ListEntry>,
    /// Hash of the sealed list, printed at the foot of every page so that a printout can be
    /// matched to the database.
    pub list_hash: String,
    /// The audit log's head when the notice was printed, `SEQ:HASH`, printed beside the list's
    /// hash (`shifan audit verify --head` checks the log still holds it); `None`: empty log.
    pub audit_head: Option<String>,
    /// Issuing office, e.g. 「农业部市场与经济信息司」.
    pub issuer: String,
    /// Date of issue.
    pub date: Date,
    /// Marks every page 「草稿」.
    pub draft: bool,
    /// A supplementary publicity (补充公示) of promoted units: the period reads 「补充公示期」.
    pub supplementary: bool,
}

/// The result notice (关于公布…名单的通知): the confirmed list as its attachment, and the
/// changes since the publicity.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultNotice {
    /// E.g. 「关于公布2026年全国农村信息化示范单位名单的通知」.
    pub title: String,
    /// 主送机关, without the closing 「：」.
    pub addressee: String,
    /// The body paragraphs (basis and process, the changes since publicity, the closing wish).
    pub paragraphs: Vec<String>,
    /// Title of the attachment, e.g. 「2026年全国农村信息化示范单位名单」.
    pub list_title: String,
    /// The confirmed units in the ministry's province order.
    pub entries: Vec<ListEntry>,
    /// Document number (文号), e.g. 「农市发〔2026〕15号」, centred a line above the title.
    pub document_number: Option<String>,
    pub issuer: String,
    pub date: Date,
    /// The audit log's head when the notice was printed, at the foot of every page.
    pub audit_head: Option<String>,
}

/// A confirmation notice to one unit (认定通知).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmationNotice {
    pub applicant: String,
    pub province_name: String,
    /// The department that recommended the unit, as its batch's `submission.toml` names it
    /// (e.g. 「广东省农业农村厅」); also the 抄送 of the 版记.
    pub recommender: String,
    pub type_name: String,
    /// E.g. 「2026年全国农村信息化示范单位」.
    pub round_title: String,
    /// The programme document with its number, e.g.
    /// 「《农业部关于开展全国农村信息化示范工作的通知》（农市发〔2026〕3号）」.
    pub programme_doc: String,
    /// Document number (文号) of the letter, e.g. 「农市信函〔2026〕12号」, printed at the right
    /// edge above the title.
    pub document_number: Option<String>,
    pub issuer: String,
    pub date: Date,
    pub draft: bool,
    /// The unit was promoted after an upheld objection and published in a supplementary
    /// period: the notice says 「经递补和补充公示」.
    pub promoted: bool,
    /// The audit log's head when the notice was printed, `SEQ:HASH`, at the foot of the page.
    pub audit_head: Option<String>,
}

/// The usual opening of a publicity notice: basis, process, the first unit 「等N个单位」, and
/// 「现予以公示」.
pub fn publicity_intro(
    programme_doc: &str,
    round_title: &str,
    entries: &[ListEntry],
) -> Vec<String> {
    let summary = match entries.first() {
        Some(first) => format!(
            "拟认定{}等{}个单位为{}",
            first.applicant,
            entries.len(),
            round_title
        ),
        None => format!("拟认定名单为{round_title}"),
    };
    vec![format!(
        "根据{programme_doc}要求，经各地申报、省级农业部门审核推荐、专家评审，{summary}。现予以公示。"
    )]
}

/// 「2026年8月3日」: year in full, month and day without padding (GB/T 9704).
pub(crate) fn chinese_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The period's dates; the end date leaves out a repeated year: 「2026年8月3日至8月7日」.
fn period_text(period: &PublicityPeriod) -> String {
    let end = if period.end.year() == period.start.year() {
        format!("{}月{}日", period.end.month(), period.end.day())
    } else {
        chinese_date(period.end)
    };
    format!("{}至{}", chinese_date(period.start), end)
}

const OBJECTIONS: &str = "公示期间，任何单位或个人对拟认定名单有异议的，可以书面形式提出，并提供必要的证明材料。\
    个人提出异议的，须签署真实姓名并注明联系方式；单位提出异议的，须加盖本单位公章。\
    匿名、冒名或逾期提出的异议不予受理。对提出异议的单位和个人，我们将予以保密。";

/// 「审计头：SEQ:HASH」, for a footer.
pub(crate) fn audit_note(head: &str) -> String {
    format!("审计头：{head}")
}

/// The unit in glyph warnings.
pub(crate) fn unit_context(applicant: &str) -> String {
    format!("单位「{applicant}」")
}

/// The contact block: two or three running lines instead of five, so that the 落款 stays on
/// the page of the text (GB/T 9704 §7.3.5).
fn contact_text(contact: &Contact) -> String {
    let mark = if contact.sample {
        "【示例联系人】"
    } else {
        ""
    };
    format!(
        "{mark}联系人：{}，电话：{}，电子邮箱：{}；通信地址：{}，邮政编码：{}。",
        contact.person, contact.phone, contact.email, contact.address, contact.postcode
    )
}

/// The attachment note (「附件：1.××」, later names aligned under the first) and the 落款.
/// With `carry`, the note moves to a new page with the 落款 if both do not fit.
fn closing(c: &mut Composer<'_>, attachments: &[&str], issuer: &str, date: Date, carry: bool) {
    let pitch = c.pitch();
    if carry {
        let lines = attachments.len() as f32 + 4.0;
        c.keep_room(lines * pitch);
    }
    let em = BODY.size;
    let label = c.width_of("附件：", BODY);
    if attachments.len() == 1 {
        c.space(pitch);
        c.hanging(
            &format!("附件：{}", attachments[0]),
            2.0 * em,
            2.0 * em + label,
            "附件说明",
        );
    } else if !attachments.is_empty() {
        c.space(pitch);
        for (index, name) in attachments.iter().enumerate() {
            let number = format!("{}.", index + 1);
            let (prefix, first) = if index == 0 {
                ("附件：", 2.0 * em)
            } else {
                ("", 2.0 * em + label)
            };
            // Later lines of a name start under its first character.
            let rest = 2.0 * em + label + c.width_of(&number, BODY);
            c.hanging(&format!("{prefix}{number}{name}"), first, rest, "附件说明");
        }
    }
    c.space(pitch);
    c.signature(issuer, &chinese_date(date));
}

/// Composes a notice's text with `text`, then its attachment note and 落款, closing up the
/// line pitch step by step until the 落款 is on the page of the last line of text; when even
/// the closest pitch does not do it, the attachment note goes over with the 落款, never the
/// 落款 alone. The pitch is back to normal for what follows (the attachments).
fn compose_with_closing<'f>(
    fonts: &'f Fonts,
    text: impl Fn(&mut Composer<'f>),
    attachments: &[&str],
    issuer: &str,
    date: Date,
) -> Composer<'f> {
    const SCALES: [f32; 7] = [1.0, 0.96, 0.92, 0.88, 0.84, 0.8, 0.76];
    for scale in SCALES {
        let mut c = Composer::new(fonts, PageGeometry::a4_portrait());
        c.set_pitch_scale(scale);
        text(&mut c);
        let page = c.page_index();
        closing(&mut c, attachments, issuer, date, false);
        if c.page_index() == page {
            c.set_pitch_scale(1.0);
            return c;
        }
    }
    let mut c = Composer::new(fonts, PageGeometry::a4_portrait());
    c.set_pitch_scale(SCALES[SCALES.len() - 1]);
    text(&mut c);
    closing(&mut c, attachments, issuer, date, true);
    c.set_pitch_scale(1.0);
    c
}

/// Renders the publicity notice: the notice itself, then the list (attachment 1) and the
/// reserve list (attachment 2), with the list's hash at the foot of every page.
pub fn render_publicity(notice: &PublicityNotice, fonts: &Fonts) -> Result<Rendered, PdfError> {
    let mut attachments = vec![notice.list_title.as_str()];
    if !notice.reserve.is_empty() {
        attachments.push(notice.reserve_title.as_str());
    }
    let text = |c: &mut Composer<'_>| {
        c.title(&notice.title, TITLE, "标题");
        c.space(c.pitch());
        for paragraph in &notice.intro {
            c.body(paragraph, "正文");
        }
        let period = &notice.period;
        let label = if notice.supplementary {
            "补充公示期"
        } else {
            "公示期"
        };
        c.body(
            &format!(
                "{label}为{}个工作日（{}）。公示期满无异议或异议不成立的，予以认定。",
                period.working_days,
                period_text(period)
            ),
            "正文",
        );
        c.body(OBJECTIONS, "正文");
        c.paragraph(
            &contact_text(&notice.contact),
            BODY,
            2,
            Align::Left,
            c.pitch(),
            "联系方式",
        );
    };
    let mut c = compose_with_closing(fonts, text, &attachments, &notice.issuer, notice.date);

    let numbered = attachments.len() > 1;
    attachment(
        &mut c,
        numbered.then_some(1),
        &notice.list_title,
        &notice.entries,
    )?;
    if !notice.reserve.is_empty() {
        attachment(&mut c, Some(2), &notice.reserve_title, &notice.reserve)?;
    }

    let mut footer = format!("名单校验值：{}", notice.list_hash);
    if let Some(head) = &notice.audit_head {
        footer.push('　');
        footer.push_str(&audit_note(head));
    }
    let decorations = Decorations {
        footer_note: Some(footer),
        draft: notice.draft,
    };
    c.render(&decorations, &notice.title, &notice.issuer)
}

/// Renders the result notice: title, addressee, the paragraphs, the attachment note and the
/// 落款 on the page of the text, then the confirmed list as the attachment.
pub fn render_result(notice: &ResultNotice, fonts: &Fonts) -> Result<Rendered, PdfError> {
    let text = |c: &mut Composer<'_>| {
        // 文件格式 (GB/T 9704 §7.2.4): the 发文字号 centred above the title; the 版头 with the
        // 发文机关标志 is the office's printed paper, not ours.
        if let Some(number) = &notice.document_number {
            let pitch = c.pitch();
            c.paragraph(number, BODY, 0, Align::Center, pitch, "文号");
            c.space(pitch);
        }
        c.title(&notice.title, TITLE, "标题");
        c.space(c.pitch());
        c.flush_left(&format!("{}：", notice.addressee), BODY, "主送机关");
        for paragraph in &notice.paragraphs {
            c.body(paragraph, "正文");
        }
    };
    let attachments = [notice.list_title.as_str()];
    let mut c = compose_with_closing(fonts, text, &attachments, &notice.issuer, notice.date);
    attachment(&mut c, None, &notice.list_title, &notice.entries)?;
    let decorations = Decorations {
        footer_note: notice.audit_head.as_deref().map(audit_note),
        draft: false,
    };
    c.render(&decorations, &notice.title, &notice.issuer)
}

/// An attachment on a new page: 「附件1」 top left, its title, then the list as a table.
fn attachment(
    c: &mut Composer<'_>,
    number: Option<usize>,
    title: &str,
    entries: &[ListEntry],
) -> Result<(), PdfError> {
    c.new_page();
    let label = match number {
        Some(n) => format!("附件{n}"),
        None => "附件".to_string(),
    };
    c.flush_left(&label, Style::new(FaceRole::Heading, 16.0), "附件");
    c.space(c.pitch() / 2.0);
    c.title(title, TITLE, "附件标题");
    c.space(c.pitch() / 2.0);
    let table = list_table(c.fonts(), c.geometry().text_width, entries);
    c.table(&table)
}

/// 序号 | 省份 | 单位名称 | 示范类型, each column as wide as its widest cell (the 省份 column
/// holds the short names); the unit's name takes what the others leave.
fn list_table(fonts: &Fonts, text_width_pt: f32, entries: &[ListEntry]) -> Table {
    let body = Style::new(FaceRole::Body, 14.0);
    let header = Style::new(FaceRole::Heading, 14.0);
    // Cell padding both sides (4 pt each) and a little air.
    let pad = 8.0 + 4.0;
    let widest = |title: &str, cells: &mut dyn Iterator<Item = String>| -> f32 {
        cells
            .map(|cell| text_width(fonts, body, &cell))
            .fold(text_width(fonts, header, title), f32::max)
            + pad
    };
    let number = widest("序号", &mut (1..=entries.len()).map(|n| n.to_string()));
    let province = widest(
        "省份",
        &mut entries.iter().map(|e| e.province_short.clone()),
    );
    let demo_type = widest("示范类型", &mut entries.iter().map(|e| e.type_name.clone()));
    let name = text_width_pt - number - province - demo_type;
    let columns = vec![
        Column {
            title: "序号".into(),
            width: number,
            align: Align::Center,
        },
        Column {
            title: "省份".into(),
            width: province,
            align: Align::Center,
        },
        Column {
            title: "单位名称".into(),
            width: name,
            align: Align::Left,
        },
        Column {
            title: "示范类型".into(),
            width: demo_type,
            align: Align::Center,
        },
    ];
    let rows = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| Row {
            cells: vec![
                (index + 1).to_string(),
                entry.province_short.clone(),
                entry.applicant.clone(),
                entry.type_name.clone(),
            ],
            context: unit_context(&entry.applicant),
        })
        .collect();
    Table {
        columns,
        rows,
        body,
        header,
        keep_with_last: 0.0,
    }
}

/// The confirmation's sentence: the process the unit went through, ending 「专家评审和公示」, or
/// for a unit promoted after an upheld objection 「并经递补和补充公示」.
fn confirmation_text(notice: &ConfirmationNotice) -> String {
    let process = if notice.promoted {
        format!(
            "经你单位申报、{}审核推荐和专家评审，并经递补和补充公示",
            notice.recommender
        )
    } else {
        format!(
            "经你单位申报、{}审核推荐、专家评审和公示",
            notice.recommender
        )
    };
    format!(
        "根据{}要求，{process}，你单位被认定为{}，示范类型为{}。",
        notice.programme_doc, notice.round_title, notice.type_name
    )
}

/// Renders one confirmation notice.
pub fn render_confirmation(
    notice: &ConfirmationNotice,
    fonts: &Fonts,
) -> Result<Rendered, PdfError> {
    lay_out_confirmation(notice, fonts).write_alone(fonts)
}

/// Renders the confirmation notices of a round side by side, sharing the cut fonts (each
/// file holds the glyphs of all the notices: see [`LaidOut::write_all`]).
pub fn render_confirmations(
    notices: &[ConfirmationNotice],
    fonts: &Fonts,
) -> Result<Vec<Rendered>, PdfError> {
    let laid_out = par_map_each(notices, |notice| lay_out_confirmation(notice, fonts));
    LaidOut::write_all(laid_out, fonts)
}

fn lay_out_confirmation(notice: &ConfirmationNotice, fonts: &Fonts) -> LaidOut {
    let geometry = PageGeometry::a4_portrait();
    let mut c = Composer::new(fonts, geometry);
    let pitch = c.pitch();
    let unit = unit_context(&notice.applicant);
    // 信函格式 (GB/T 9704 §10.1): the 文号 at the right edge, where the letterhead's area
    // ends, a line above the title.
    if let Some(number) = &notice.document_number {
        c.flush_right(number, BODY, "文号");
        c.space(pitch);
    }
    let title = format!("关于认定{}为{}的通知", notice.applicant, notice.round_title);
    c.title_keeping(&title, &[&notice.applicant], TITLE, &unit);
    c.space(pitch);
    c.flush_left(&format!("{}：", notice.applicant), BODY, &unit);
    c.body(&confirmation_text(notice), &unit);
    c.body(
        "希望你单位珍惜荣誉，发挥示范带动作用，不断完善农村信息服务，在推进农村信息化建设中作出新的贡献。",
        "正文",
    );
    c.space(pitch);
    c.signature(&notice.issuer, &chinese_date(notice.date));
    c.imprint(
        &format!("抄送：{}。", notice.recommender),
        &notice.issuer,
        &format!("{}印发", chinese_date(notice.date)),
    );
    let decorations = Decorations {
        footer_note: notice.audit_head.as_deref().map(audit_note),
        draft: notice.draft,
    };
    c.laid_out(&decorations, &title, &notice.issuer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).expect("valid date")
    }

    #[test]
    fn dates_are_unpadded() {
        assert_eq!(chinese_date(date(2026, 8, 3)), "2026年8月3日");
        let period = PublicityPeriod {
            start: date(2026, 8, 3),
            end: date(2026, 8, 7),
            working_days: 5,
        };
        assert_eq!(period_text(&period), "2026年8月3日至8月7日");
        let across = PublicityPeriod {
            start: date(2026, 12, 28),
            end: date(2027, 1, 4),
            working_days: 5,
        };
        assert_eq!(period_text(&across), "2026年12月28日至2027年1月4日");
    }

    #[test]
    fn a_promoted_unit_is_confirmed_after_promotion_and_supplementary_publicity() {
        let mut notice = ConfirmationNotice {
            applicant: "大庆市农委".into(),
            province_name: "黑龙江省".into(),
            recommender: "黑龙江省农业农村厅".into(),
            type_name: "信息服务型".into(),
            round_title: "2026年全国农村信息化示范单位".into(),
            programme_doc: "《通知》".into(),
            document_number: None,
            issuer: "农业部市场与经济信息司".into(),
            date: date(2026, 9, 1),
            draft: false,
            promoted: false,
            audit_head: None,
        };
        assert_eq!(
            confirmation_text(&notice),
            "根据《通知》要求，经你单位申报、黑龙江省农业农村厅审核推荐、专家评审和公示，\
             你单位被认定为2026年全国农村信息化示范单位，示范类型为信息服务型。"
        );
        notice.promoted = true;
        assert_eq!(
            confirmation_text(&notice),
            "根据《通知》要求，经你单位申报、黑龙江省农业农村厅审核推荐和专家评审，并经递补和补充公示，\
             你单位被认定为2026年全国农村信息化示范单位，示范类型为信息服务型。"
        );
    }

    #[test]
    fn intro_names_the_first_unit_and_the_count() {
        let entries = vec![
            ListEntry {
                province_name: "北京市".into(),
                province_short: "北京".into(),
                applicant: "北京市大兴区农业农村局".into(),
                type_name: "信息服务型".into(),
            };
            3
        ];
        let intro = publicity_intro("《通知》", "2026年全国农村信息化示范单位", &entries);
        assert!(intro[0].contains(
            "拟认定北京市大兴区农业农村局等3个单位为2026年全国农村信息化示范单位。现予以公示。"
        ));
    }
}
