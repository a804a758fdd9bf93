//! Realistic sample documents for tests, benchmarks and demonstrations: 100 units across the
//! reporting units in the ministry's order, with the place names outside GB 2312 that real lists
//! contain (鄠邑区, 埇桥区, 浉河区, 硚口区) and some very long names.

use jiff::civil::Date;

use super::notices::{
    ConfirmationNotice, Contact, ListEntry, PublicityNotice, PublicityPeriod, publicity_intro,
};
use super::score_sheet::{CriterionHeader, ScoreRow, ScoreSheet};

/// Reporting units and places in them, in GB/T 2260 order.
const PLACES: &[(&str, &[&str])] = &[
    ("北京市", &["北京市大兴区", "北京市平谷区", "北京市密云区"]),
    ("天津市", &["天津市宝坻区", "天津市武清区"]),
    (
        "河北省",
        &[
            "石家庄市藁城区",
            "邯郸市曲周县",
            "张家口市张北县",
            "保定市定兴县",
        ],
    ),
    ("山西省", &["晋中市太谷区", "运城市临猗县", "长治市屯留区"]),
    (
        "内蒙古自治区",
        &["赤峰市宁城县", "呼伦贝尔市阿荣旗", "巴彦淖尔市五原县"],
    ),
    ("辽宁省", &["沈阳市新民市", "朝阳市喀喇沁左翼蒙古族自治县"]),
    (
        "吉林省",
        &["长春市农安县", "四平市梨树县", "延边朝鲜族自治州龙井市"],
    ),
    (
        "黑龙江省",
        &["大庆市", "双鸭山市宝清县", "鹤岗市萝北县", "绥化市海伦市"],
    ),
    ("上海市", &["上海市金山区", "上海市崇明区"]),
    (
        "江苏省",
        &[
            "苏州市常熟市",
            "南通市如皋市",
            "宿迁市沭阳县",
            "盐城市东台市",
        ],
    ),
    (
        "浙江省",
        &[
            "湖州市德清县",
            "丽水市遂昌县",
            "嘉兴市平湖市",
            "衢州市龙游县",
        ],
    ),
    ("安徽省", &["宿州市埇桥区", "六安市霍山县", "黄山市黟县"]),
    ("福建省", &["南平市建阳区", "宁德市福鼎市", "三明市沙县区"]),
    ("江西省", &["赣州市寻乌县", "上饶市婺源县", "吉安市泰和县"]),
    (
        "山东省",
        &["潍坊市寿光市", "临沂市沂南县", "烟台市栖霞市", "菏泽市曹县"],
    ),
    (
        "河南省",
        &["信阳市浉河区", "周口市郸城县", "南阳市西峡县", "鹤壁市浚县"],
    ),
    (
        "湖北省",
        &["武汉市硚口区", "宜昌市秭归县", "恩施土家族苗族自治州利川市"],
    ),
    (
        "湖南省",
        &["长沙市浏阳市", "湘西土家族苗族自治州花垣县", "郴州市汝城县"],
    ),
    ("广东省", &["梅州市梅县区", "湛江市遂溪县", "清远市英德市"]),
    (
        "广西壮族自治区",
        &["南宁市横州市", "百色市田阳区", "桂林市恭城瑶族自治县"],
    ),
    ("海南省", &["海口市琼山区", "琼中黎族苗族自治县"]),
    ("重庆市", &["重庆市涪陵区", "重庆市酉阳土家族苗族自治县"]),
    (
        "四川省",
        &[
            "成都市郫都区",
            "眉山市丹棱县",
            "凉山彝族自治州西昌市",
            "广元市苍溪县",
        ],
    ),
    ("贵州省", &["遵义市湄潭县", "黔东南苗族侗族自治州雷山县"]),
    (
        "云南省",
        &[
            "普洱市思茅区",
            "红河哈尼族彝族自治州弥勒市",
            "西双版纳傣族自治州勐海县",
        ],
    ),
    ("西藏自治区", &["拉萨市曲水县", "林芝市巴宜区"]),
    (
        "陕西省",
        &["西安市鄠邑区", "杨凌示范区", "延安市洛川县", "汉中市勉县"],
    ),
    ("甘肃省", &["定西市安定区", "天水市秦安县", "张掖市甘州区"]),
    ("青海省", &["海东市互助土族自治县", "西宁市湟中区"]),
    ("宁夏回族自治区", &["吴忠市利通区", "中卫市沙坡头区"]),
    (
        "新疆维吾尔自治区",
        &[
            "昌吉回族自治州玛纳斯县",
            "阿克苏地区温宿县",
            "伊犁哈萨克自治州霍城县",
        ],
    ),
    ("新疆生产建设兵团", &["第八师石河子市", "第一师阿拉尔市"]),
];

/// What follows the place name, and the type it goes with.
const KINDS: &[(&str, &str)] = &[
    ("农业农村局", "整体推进型"),
    ("农业信息中心", "信息服务型"),
    ("农业技术推广中心", "技术应用型"),
    ("农村经济经营管理站", "资源整合型"),
    ("农产品质量安全监测站", "技术应用型"),
    ("广播电视网络有限公司", "网络建设型"),
];

/// Long names that must wrap in a table cell.
const LONG_NAMES: &[(&str, &str, &str)] = &[
    (
        "黑龙江省",
        "北大荒农垦集团有限公司建三江分公司七星农场有限公司农业信息化服务中心",
        "整体推进型",
    ),
    (
        "湖北省",
        "恩施土家族苗族自治州利川市团堡镇农业技术推广服务中心暨农村综合信息服务站",
        "信息服务型",
    ),
    (
        "云南省",
        "西双版纳傣族自治州勐海县茶叶产业农民专业合作社联合社信息服务部（普洱茶溯源平台）",
        "其他类型",
    ),
    (
        "新疆维吾尔自治区",
        "伊犁哈萨克自治州霍城县农业农村局农村经济经营管理站暨12316三农服务热线工作站",
        "资源整合型",
    ),
];

/// `count` units (at most about 140), in province order, with the long names and the
/// non-GB 2312 place names among them.
pub fn sample_units(count: usize) -> Vec<ListEntry> {
    let mut all: Vec<(usize, ListEntry)> = Vec::new();
    let mut kind = 0;
    for (province_index, (province, places)) in PLACES.iter().enumerate() {
        for place in *places {
            let (suffix, type_name) = KINDS[kind % KINDS.len()];
            kind += 1;
            all.push((
                province_index,
                ListEntry {
                    province_name: (*province).to_string(),
                    province_short: short_name(province),
                    applicant: format!("{place}{suffix}"),
                    type_name: type_name.to_string(),
                },
            ));
        }
    }
    // A second unit from the larger provinces, with another kind.
    for (province_index, (province, places)) in PLACES.iter().enumerate() {
        for place in places.iter().skip(1).take(2) {
            let (suffix, type_name) = KINDS[(kind + 3) % KINDS.len()];
            kind += 1;
            all.push((
                province_index,
                ListEntry {
                    province_name: (*province).to_string(),
                    province_short: short_name(province),
                    applicant: format!("{place}{suffix}"),
                    type_name: type_name.to_string(),
                },
            ));
        }
    }
    let mut chosen: Vec<(usize, ListEntry)> = LONG_NAMES
        .iter()
        .map(|(province, name, type_name)| {
            let index = PLACES.iter().position(|(p, _)| p == province).unwrap_or(0);
            (
                index,
                ListEntry {
                    province_name: (*province).to_string(),
                    province_short: short_name(province),
                    applicant: (*name).to_string(),
                    type_name: (*type_name).to_string(),
                },
            )
        })
        .collect();
    for candidate in all {
        if !chosen
            .iter()
            .any(|(_, e)| e.applicant == candidate.1.applicant)
        {
            chosen.push(candidate);
        }
    }
    chosen.truncate(count);
    chosen.sort_by_key(|(province, _)| *province);
    chosen.into_iter().map(|(_, entry)| entry).collect()
}

/// A reporting unit's short name as `criteria/provinces.toml` gives it (「新疆」, 「内蒙古」).
fn short_name(province: &str) -> String {
    for suffix in [
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "省",
        "市",
    ] {
        if let Some(short) = province.strip_suffix(suffix)
            && !short.is_empty()
        {
            return short.to_string();
        }
    }
    match province {
        "新疆生产建设兵团" => "兵团".into(),
        "北大荒农垦集团有限公司" => "黑龙江农垦".into(),
        "广东省农垦总局" => "广东农垦".into(),
        other => other.to_string(),
    }
}

/// An audit head as printed on the samples (`SEQ:HASH`).
pub const SAMPLE_HEAD: &str =
    "1234:3fa9c1d2e4b5a6978812736455463728190a1b2c3d4e5f60718293a4b5c6d7e8";

fn date(year: i16, month: i8, day: i8) -> Date {
    Date::new(year, month, day).unwrap_or(Date::MIN)
}

/// A publicity notice of `count` units and a reserve list of 10.
pub fn sample_publicity(count: usize) -> PublicityNotice {
    let all = sample_units(count + 10);
    let reserve: Vec<ListEntry> = all.iter().skip(3).step_by(4).take(10).cloned().collect();
    let entries: Vec<ListEntry> = all
        .into_iter()
        .filter(|entry| !reserve.contains(entry))
        .take(count)
        .collect();
    let round_title = "2026年全国农村信息化示范单位";
    PublicityNotice {
        title: format!("关于{round_title}拟认定名单的公示"),
        intro: publicity_intro(
            "《农业部关于开展全国农村信息化示范工作的通知》（农市发〔2026〕3号）",
            round_title,
            &entries,
        ),
        period: PublicityPeriod {
            start: date(2026, 8, 3),
            end: date(2026, 8, 7),
            working_days: 5,
        },
        contact: Contact {
            person: "王明".into(),
            phone: "010-59193000".into(),
            address: "北京市朝阳区农展馆南里11号".into(),
            postcode: "100125".into(),
            email: "xxhc@agri.gov.cn".into(),
            sample: false,
        },
        list_title: format!("{round_title}拟认定名单"),
        entries,
        reserve_title: format!("{round_title}备选名单（按递补顺序排列）"),
        reserve,
        list_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        audit_head: Some(SAMPLE_HEAD.into()),
        issuer: "农业部市场与经济信息司".into(),
        date: date(2026, 7, 31),
        draft: false,
        supplementary: false,
    }
}

/// One confirmation notice per unit of [`sample_units`].
pub fn sample_confirmations(count: usize) -> Vec<ConfirmationNotice> {
    sample_units(count)
        .into_iter()
        .enumerate()
        .map(|(index, entry)| ConfirmationNotice {
            applicant: entry.applicant,
            recommender: format!("{}农业农村厅", entry.province_name),
            province_name: entry.province_name,
            type_name: entry.type_name,
            round_title: "2026年全国农村信息化示范单位".into(),
            programme_doc: "《农业部关于开展全国农村信息化示范工作的通知》（农市发〔2026〕3号）"
                .into(),
            document_number: Some(format!("农市信函〔2026〕{}号", index + 20)),
            issuer: "农业部市场与经济信息司".into(),
            date: date(2026, 8, 20),
            draft: false,
            // Every tenth unit stands for one promoted after an upheld objection.
            promoted: index % 10 == 9,
            audit_head: Some(SAMPLE_HEAD.into()),
        })
        .collect()
}

const CRITERIA: &[(&str, f64)] = &[
    ("组织领导", 8.0),
    ("工作制度", 6.0),
    ("经费保障", 8.0),
    ("基础设施", 10.0),
    ("信息员队伍", 8.0),
    ("专业技术人员", 8.0),
    ("信息服务内容", 10.0),
    ("服务覆盖面", 8.0),
    ("应用成效", 10.0),
    ("创新特色", 8.0),
    ("示范带动作用", 8.0),
    ("工作方案可行性", 8.0),
];

/// `experts` score sheets of `dossiers` rows each, over the 12 sample criteria.
pub fn sample_score_sheets(experts: usize, dossiers: usize) -> Vec<ScoreSheet> {
    let units = sample_units(dossiers.min(120));
    let criteria: Vec<CriterionHeader> = CRITERIA
        .iter()
        .map(|(name, max)| CriterionHeader {
            name: (*name).to_string(),
            max_points: *max,
        })
        .collect();
    (0..experts)
        .map(|expert| {
            let rows = (0..dossiers)
                .map(|d| {
                    let unit = &units[(d + expert * 7) % units.len()];
                    let scores: Vec<Option<f64>> = criteria
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let drop = ((d * 3 + i * 5 + expert) % 7) as f64 * 0.5;
                            Some((c.max_points - drop).max(0.0))
                        })
                        .collect();
                    let total = scores.iter().flatten().sum();
                    ScoreRow {
                        code: format!("2026-{:03}", (d + expert * 7) % 300 + 1),
                        applicant: unit.applicant.clone(),
                        scores,
                        total: Some(total),
                        comment: "工作基础扎实，信息服务覆盖全县主要乡镇，12316热线与村级信息站衔接较好；\
                                  建议进一步完善信息员培训和考核机制。"
                            .into(),
                        recommend: Some(total >= 80.0),
                    }
                })
                .collect();
            ScoreSheet {
                title: "2026年全国农村信息化示范单位评审专家评分表".into(),
                expert_name: ["李建国", "张秀英", "刘卫东", "陈晓燕"][expert % 4].to_string(),
                expert_id: format!("E{:02}", expert + 1),
                criteria: criteria.clone(),
                rows,
                issuer: "农业部市场与经济信息司".into(),
                date: date(2026, 7, 10),
                draft: false,
                audit_head: Some(SAMPLE_HEAD.into()),
            }
        })
        .collect()
}
