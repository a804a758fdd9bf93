//! Large synthetic sets of valid submissions, for benchmarks (`shifan generate`). The text is
//! assembled from phrase banks so files differ in length and content like real ones; every
//! dossier passes the checks except the province cap when more than the cap are asked for.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::Criteria;
use crate::domain::credit_code::check_char;
use crate::domain::demo_type::EvidenceKind;

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub submissions: usize,
    pub dossiers: usize,
    pub bytes: usize,
}

const PLACES: &[&str] = &[
    "东湖", "西山", "南溪", "北岭", "青石", "白沙", "红旗", "金田", "柳河", "桃源", "松林", "丰乐",
    "长宁", "永安", "平川", "安澜",
];
const UNIT_KINDS: &[(&str, &str)] = &[
    ("县农业农村局", "government"),
    ("县农业信息中心", "public_institution"),
    ("农业科技有限公司", "enterprise"),
    ("农民专业合作社", "cooperative"),
    ("市农业科学研究院信息所", "research"),
    ("县供销合作社", "other"),
];
const CROPS: &[&str] = &[
    "水稻",
    "小麦",
    "玉米",
    "茶叶",
    "柑橘",
    "苹果",
    "设施蔬菜",
    "生猪",
    "奶牛",
    "淡水鱼",
    "棉花",
    "食用菌",
];
const SYSTEMS: &[&str] = &[
    "益农信息社",
    "12316热线",
    "农业物联网基地",
    "农产品质量追溯平台",
    "村级电商服务站",
    "农技推广云平台",
    "智慧农机调度中心",
];
const OPENERS: &[&str] = &[
    "近年来，",
    "自项目实施以来，",
    "围绕乡村振兴战略，",
    "按照省级部署，",
    "依托现有基础，",
];
const VERBS: &[&str] = &["建成", "升级", "整合", "接入", "完善", "推广"];
const RESULTS: &[&str] = &[
    "服务农户满意度明显提高",
    "农产品线上销售额稳步增长",
    "信息进村入户覆盖全部行政村",
    "病虫害预警时效缩短至24小时以内",
    "农技咨询响应时间大幅缩短",
];

fn sentence(rng: &mut ChaCha8Rng, place: &str) -> String {
    let crop = CROPS.choose(rng).copied().unwrap_or("水稻");
    let system = SYSTEMS.choose(rng).copied().unwrap_or("益农信息社");
    let n = rng.random_range(3..400);
    format!(
        "{}{place}{}{system}{n}个，带动{crop}产业发展，{}。",
        OPENERS.choose(rng).copied().unwrap_or(""),
        VERBS.choose(rng).copied().unwrap_or("建成"),
        RESULTS.choose(rng).copied().unwrap_or("")
    )
}

fn paragraph(rng: &mut ChaCha8Rng, place: &str) -> String {
    let k = rng.random_range(1..4);
    (0..k).map(|_| sentence(rng, place)).collect()
}

fn credit_code(serial: usize) -> String {
    let first17 = format!("12{:06}{:09}", 100000 + serial % 800000, serial);
    let check = check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Write `provinces` reporting units × `per_province` dossiers under `out`. When more than the
/// round's cap per province are asked for, a criteria folder with the cap lifted is written
/// beside it (`<out>.criteria`) for validating and importing the set.
pub fn write_set(
    criteria: &Criteria,
    criteria_dir: &Path,
    out: &Path,
    provinces: usize,
    per_province: usize,
    seed: u64,
) -> std::io::Result<Stats> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut stats = Stats::default();
    let deadline = criteria.round.application_deadline;
    let types = criteria.types.all();
    let mut serial = 0usize;
    for (pi, p) in criteria.provinces.all().iter().take(provinces).enumerate() {
        let folder = out.join(format!("{:02}-{}", pi + 1, p.key));
        std::fs::create_dir_all(&folder)?;
        let sub = format!(
            "province = {}\ndepartment = {}\nsent_on = {}\ncopies = {}\ncontact = {{ name = \"王敏\", phone = \"010-5919{:04}\" }}\n",
            toml_str(&p.name),
            toml_str(&format!("{}农业农村厅", p.short)),
            deadline,
            criteria.round.copies_required,
            pi
        );
        stats.bytes += sub.len();
        std::fs::write(folder.join("submission.toml"), sub)?;
        stats.submissions += 1;
        for i in 0..per_province {
            serial += 1;
            let place = format!(
                "{}{}",
                PLACES.choose(&mut rng).copied().unwrap_or("东湖"),
                p.short
            );
            let (suffix, kind) = UNIT_KINDS
                .choose(&mut rng)
                .copied()
                .unwrap_or(("县农业农村局", "government"));
            let ty = &types[serial % types.len()];
            let mut s = String::with_capacity(3000);
            let _ = writeln!(
                s,
                "province = {}",
                toml_str(if i % 2 == 0 { &p.name } else { &p.short })
            );
            let _ = writeln!(
                s,
                "type = {}",
                toml_str(if i % 3 == 0 { &ty.name_zh } else { &ty.id })
            );
            let _ = writeln!(s, "provincial_rank = {}", i + 1);
            if ty.needs_case {
                let _ = writeln!(
                    s,
                    "other_type_case = {}",
                    toml_str(&paragraph(&mut rng, &place))
                );
            }
            let _ = writeln!(
                s,
                "\n[applicant]\nname = {}",
                toml_str(&format!("{place}{suffix}{serial}"))
            );
            let _ = writeln!(
                s,
                "kind = \"{kind}\"\ncounty = {}",
                toml_str(&format!("{place}县"))
            );
            if !serial.is_multiple_of(3) {
                let _ = writeln!(s, "credit_code = \"{}\"", credit_code(serial));
            }
            let _ = writeln!(
                s,
                "contact = {{ name = \"李红\", phone = \"0571-8{:07}\", email = \"u{serial}@example.cn\" }}",
                serial % 10_000_000
            );
            for (section, keys) in crate::input::dossier::SECTIONS {
                let _ = writeln!(s, "\n[{section}]");
                for key in *keys {
                    let _ = writeln!(s, "{key} = {}", toml_str(&paragraph(&mut rng, &place)));
                }
                if *section == "team" {
                    let _ = writeln!(s, "staff_count = {}", rng.random_range(3..200));
                }
                if *section == "foundation" {
                    let _ = writeln!(s, "\n[foundation.figures]");
                    for key in crate::input::dossier::FIGURES {
                        let _ = writeln!(s, "{key} = {}", rng.random_range(0..100_000));
                    }
                }
            }
            let _ = writeln!(s, "\n[type_evidence]");
            for e in &ty.evidence {
                let v = match e.kind {
                    EvidenceKind::Bool => "true".to_string(),
                    EvidenceKind::Integer => rng.random_range(1..50).to_string(),
                    EvidenceKind::Text => toml_str(&sentence(&mut rng, &place)),
                    EvidenceKind::TextList => {
                        "[\"农业农村局\", \"科技局\", \"商务局\"]".to_string()
                    }
                    EvidenceKind::ChoiceList => format!(
                        "[{}]",
                        e.choices
                            .iter()
                            .take(3)
                            .map(|c| toml_str(c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let _ = writeln!(s, "{} = {v}", e.key);
            }
            let _ = writeln!(
                s,
                "\n[provincial_review]\nopinion = \"经审核，材料真实，同意推荐。\"\nreviewer = {}\nreviewed_on = {}",
                toml_str(&format!("{}农业农村厅市场与信息化处", p.short)),
                deadline
            );
            stats.bytes += s.len();
            std::fs::write(folder.join(format!("dossier-{:04}.toml", i + 1)), s)?;
            stats.dossiers += 1;
        }
    }
    if per_province > criteria.round.province_cap as usize {
        write_lifted_criteria(criteria_dir, out, per_province)?;
    }
    Ok(stats)
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
];
const AFFILIATIONS: &[&str] = &[
    "农业大学信息学院",
    "农业科学院农业信息研究所",
    "农业信息中心",
    "农业工程技术研究中心",
    "师范大学计算机学院",
];

/// The roster written beside a generated set (`OUT/experts.toml`), as `shifan experts import`
/// and `shifan demo --samples` read it: `count` fictitious experts spread over the first
/// `provinces` reporting units; expertise goes round the round's types (one to three each, the
/// first of them in turn), so every type is covered once there are as many experts as types.
pub fn write_roster(
    criteria: &Criteria,
    out: &Path,
    provinces: usize,
    count: usize,
    seed: u64,
) -> std::io::Result<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_e4e7);
    let types = criteria.types.all();
    let units: Vec<_> = criteria
        .provinces
        .all()
        .iter()
        .take(provinces.max(1))
        .collect();
    let mut s = String::from(
        "# 评审专家名单（生成的测试数据，人员均为虚构）\n# Expert roster (generated test data, fictitious people)\n",
    );
    for i in 0..count {
        let unit = units[i % units.len()];
        let k = rng.random_range(1..=3usize).min(types.len());
        let expertise: Vec<String> = (0..k)
            .map(|j| toml_str(&types[(i + j * 3) % types.len()].id))
            .collect();
        let name = format!(
            "{}{}{}",
            SURNAMES.choose(&mut rng).copied().unwrap_or("王"),
            GIVEN.choose(&mut rng).copied().unwrap_or("伟"),
            GIVEN.choose(&mut rng).copied().unwrap_or("明")
        );
        let affiliation = format!(
            "{}{}",
            unit.short,
            AFFILIATIONS
                .choose(&mut rng)
                .copied()
                .unwrap_or("农业信息中心")
        );
        let _ = write!(
            s,
            "\n[[expert]]\nid = \"G{:04}\"\nname = {}\naffiliation = {}\nprovince = {}\nexpertise = [{}]\navoid_units = []\navoid_provinces = []\n",
            i + 1,
            toml_str(&name),
            toml_str(&affiliation),
            toml_str(&unit.name),
            expertise.join(", ")
        );
    }
    std::fs::create_dir_all(out)?;
    std::fs::write(out.join("experts.toml"), s)?;
    Ok(count)
}

/// The criteria folder beside a generated set: `<out>.criteria`.
pub fn lifted_criteria_dir(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".criteria");
    out.with_file_name(name)
}

fn write_lifted_criteria(src: &Path, out: &Path, cap: usize) -> std::io::Result<()> {
    let dir = lifted_criteria_dir(out);
    std::fs::create_dir_all(&dir)?;
    for name in [
        "provinces.toml",
        "types.toml",
        "rubric.toml",
        "holidays.toml",
    ] {
        let from = src.join(name);
        if from.exists() {
            std::fs::copy(&from, dir.join(name))?;
        }
    }
    let round = std::fs::read_to_string(src.join("round.toml"))?;
    let lifted: String = round
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("province_cap") {
                format!("province_cap = {cap}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("round.toml"), lifted + "\n")
}
