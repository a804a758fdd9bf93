//! Findings: what the checks report, each with a stable code, a place and a fix hint.

use serde::Serialize;

/// How bad a finding is: an error keeps its batch out of the database, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A text in both interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in the given language (`"en"`, anything else is Chinese).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.zh }
    }
}

/// A place in a file: 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

macro_rules! codes {
    ($($variant:ident = $s:literal, $sev:ident;)*) => {
        /// The stable code of a finding (documented in docs/checks.md).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $s,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }
        }
    };
}

codes! {
    Read = "E-READ", Error;
    Encoding = "E-ENCODING", Error;
    EncodingGb18030 = "W-ENCODING-GB18030", Warning;
    EncodingBom = "W-ENCODING-BOM", Warning;
    Syntax = "E-SYNTAX", Error;
    ValueType = "E-VALUE-TYPE", Error;
    ValueRange = "E-VALUE-RANGE", Error;
    ValueChoice = "E-VALUE-CHOICE", Error;
    NumberAsText = "W-NUMBER-AS-TEXT", Warning;
    UnknownKey = "W-UNKNOWN-KEY", Warning;
    MissingField = "E-MISSING-FIELD", Error;
    EmptyText = "E-EMPTY-TEXT", Error;
    UnknownType = "E-UNKNOWN-TYPE", Error;
    OtherNoCase = "E-OTHER-NO-CASE", Error;
    TypeStandard = "E-TYPE-STANDARD", Error;
    EvidenceOtherType = "W-EVIDENCE-OTHER-TYPE", Warning;
    UnknownProvince = "E-UNKNOWN-PROVINCE", Error;
    ProvinceName = "W-PROVINCE-NAME", Warning;
    ProvinceMismatch = "E-PROVINCE-MISMATCH", Error;
    DupSubmission = "E-DUP-SUBMISSION", Error;
    NoSubmission = "E-NO-SUBMISSION", Error;
    EmptyBatch = "W-EMPTY-BATCH", Warning;
    Cap = "E-CAP", Error;
    RankDup = "E-RANK-DUP", Error;
    DupApplicant = "E-DUP-APPLICANT", Error;
    DupCreditCode = "E-DUP-CREDIT-CODE", Error;
    CreditCode = "E-CREDIT-CODE", Error;
    Late = "E-LATE", Error;
    Copies = "E-COPIES", Error;
    ReviewMissing = "E-REVIEW-MISSING", Error;
    TextLength = "E-TEXT-LENGTH", Error;
    InvisibleChar = "W-INVISIBLE-CHAR", Warning;
    FigureRange = "W-FIGURE-RANGE", Warning;
    ReviewAfterSent = "E-REVIEW-AFTER-SENT", Error;
    SentEarly = "W-SENT-EARLY", Warning;
    FileType = "E-FILE-TYPE", Error;
    FileSize = "E-FILE-SIZE", Error;
    HiddenFile = "W-HIDDEN-FILE", Warning;
    NestedFolder = "W-NESTED-FOLDER", Warning;
    FileName = "W-FILE-NAME", Warning;
    DupStored = "E-DUP-STORED", Error;
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    /// The file as the user named it (display form).
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Field path such as `applicant.credit_code`; empty for whole-file findings.
    pub field: String,
    /// Key of the reporting unit the finding belongs to, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub message: Text,
    pub hint: Text,
}

impl Finding {
    pub fn new(
        code: Code,
        file: &str,
        pos: Option<Pos>,
        field: &str,
        message: Text,
        hint: Text,
    ) -> Self {
        Finding {
            severity: code.severity(),
            code,
            file: file.to_string(),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
            field: field.to_string(),
            province: None,
            message,
            hint,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` as far as known.
    pub fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{}:{}", self.file, l, c),
            (Some(l), None) => format!("{}:{}", self.file, l),
            _ => self.file.clone(),
        }
    }
}
