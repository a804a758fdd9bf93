//! The cover letter of a remote scoring package (函评评分包): sent to the expert separately from
//! the package file, with the one-time code that opens it and how to use and return it.

use jiff::civil::Date;

use super::fonts::Fonts;
use super::layout::{BODY, Composer, Decorations, PageGeometry, TITLE};
use super::notices::chinese_date;
use super::{PdfError, Rendered};

/// What the letter says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageLetter {
    pub expert_name: String,
    pub expert_id: String,
    /// The package file's name as sent.
    pub file_name: String,
    pub package_id: String,
    pub file_sha256: String,
    pub dossiers: usize,
    pub code: String,
    pub deadline: Option<Date>,
    /// E.g. 「2026年全国农村信息化示范单位」.
    pub round_title: String,
    pub issuer: String,
    pub date: Date,
}

/// The letter's paragraphs after the salutation.
pub fn letter_text(l: &PackageLetter) -> Vec<String> {
    let by = l
        .deadline
        .map_or_else(String::new, |d| format!("请于{}前", chinese_date(d)));
    vec![
        format!(
            "根据{}评审工作安排，现将您负责评审的{}份申报书的函评评分包（文件名{}，编号{}）另行发送给您。{by}完成评分并将评分包发回。",
            l.round_title, l.dossiers, l.file_name, l.package_id
        ),
        format!(
            "评分包的一次性验证码为：{}。验证码与评分包分开寄送，请妥善保管，不要转告他人；输入时不区分大小写，可省略连字符。",
            l.code
        ),
        format!(
            "使用方法：在任一台计算机上运行 shifan --package {}，输入验证码后即可逐项评分、填写评审意见并提交，无需联网，每次修改后自动保存。",
            l.file_name
        ),
        format!(
            "完成后请将该文件原样发回。发出时文件的SHA-256校验值前16位为{}。如需回避，请将理由告知我司。",
            &l.file_sha256[..l.file_sha256.len().min(16)]
        ),
    ]
}

/// Render the letter.
pub fn render_package_letter(l: &PackageLetter, fonts: &Fonts) -> Result<Rendered, PdfError> {
    let geometry = PageGeometry::a4_portrait();
    let mut c = Composer::new(fonts, geometry);
    let pitch = c.pitch();
    let title = format!("关于{}评审函评的函", l.round_title);
    c.title_keeping(&title, &[&l.round_title], TITLE, "标题");
    c.space(pitch);
    c.flush_left(
        &format!("{}（{}）专家：", l.expert_name, l.expert_id),
        BODY,
        "专家",
    );
    for p in letter_text(l) {
        c.body(&p, "正文");
    }
    c.space(pitch);
    c.signature(&l.issuer, &chinese_date(l.date));
    c.render(
        &Decorations {
            footer_note: None,
            draft: false,
        },
        &title,
        &l.issuer,
    )
}
