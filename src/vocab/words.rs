//! Single words and marks as code: the names warnings and checks use, the
//! budget lines the checks add up (SPEC §3.3), grade words, year patterns,
//! the punctuation the value parser splits on and the length limits of
//! labels. Roles of labels are data, in `vocab/default.toml`.

use crate::names::Op;

/// Single characters that write a comparator inside a value cell.
pub const COMPARATOR_MARKS: &str = "≥≧≤≦<>=＞＜＝";

/// The 指标性质 column, as warnings name it.
pub const NATURE_HEADER: &str = "指标性质";

/// The three levels of the tree, as warnings name them.
pub const LEVEL_NAMES: [&str; 3] = ["一级指标", "二级指标", "三级指标"];
/// The word a category name ends in when written in full (服务对象满意度指标).
pub const CATEGORY_WORD: &str = "指标";

/// The three level words, as a missing header is named.
pub const LEVEL_WORDS: [&str; 3] = ["一级", "二级", "三级"];

/// The character every indicator header row holds (一级 …): rows without it
/// are passed over before folding.
pub const LEVEL_CHAR: char = '级';

/// Every title holds one of these (…绩效…, …表).
pub const TITLE_CHARS: &[char] = &['绩', '表'];

/// Words before a grade that do not change it: 达到良好 → 良好.
pub const GRADE_PREFIXES: &[&str] = &["达到", "评定为", "评价为", "获得", "为", "达"];

/// Words after a grade and the comparator they give: 良好以上 → >=.
pub const GRADE_SUFFIXES: &[(&str, Op)] = &[
    ("", Op::Eq),
    ("等次", Op::Eq),
    ("等级", Op::Eq),
    ("级", Op::Eq),
    ("以上", Op::Ge),
    ("及以上", Op::Ge),
    ("或以上", Op::Ge),
    ("等次以上", Op::Ge),
    ("等级以上", Op::Ge),
    ("以下", Op::Le),
    ("及以下", Op::Le),
];

/// Budget blocks and items the consistency checks add up (SPEC §3.3).
pub const BUDGET_SPEND: &str = "部门预算支出";
pub const BUDGET_DEVELOPMENT: &str = "事业发展性支出";
pub const BUDGET_INCOME: &str = "收入来源";
pub const BUDGET_BY_LEVEL: &str = "按预算级次划分";
pub const PROJECT_SPEND: &str = "项目支出";
/// A project budget's total: an item containing the first word, or equal to
/// one of the others.
pub const FUNDS_TOTAL_WORD: &str = "资金总额";
pub const FUNDS_TOTAL_LABELS: &[&str] = &["合计", "总额"];
/// The parts a project budget's total is the sum of.
pub const FUNDS_PARTS: &[&str] = &["财政拨款", "其他资金"];
/// Categories every indicator tree must fill, and the word that also counts
/// for the last (社会公众或服务对象满意度指标).
pub const REQUIRED_CATEGORIES: [&str; 3] = ["产出指标", "效益指标", "满意度指标"];
pub const SATISFACTION_WORD: &str = "满意度";
/// Cost categories: a target there should be an upper bound.
pub const COST_WORD: &str = "成本";
pub const COST_CATEGORY: &str = "成本指标";

/// A header field whose label ends so and whose value is a money unit
/// (单位：万元) gives the budget's unit.
pub const UNIT_LABEL: &str = "单位";
/// 填报单位: the department of a form that names no other.
pub const FILER_LABEL: &str = "填报单位";
/// A subtitle line names the year: （2024年度）.
pub const YEAR_WORD: &str = "年度";
/// The declared year: `…年度` in the title or subtitle first, then `…年`.
pub const YEAR_OF_PATTERN: &str = r"((?:19|20)\d{2})\s*年度";
pub const YEAR_PLAIN_PATTERN: &str = r"((?:19|20)\d{2})\s*年";
/// A four-digit number followed by one of these is a year, not a target.
pub const YEAR_SUFFIXES: &[char] = &['年', '届'];
/// Notes under or beside a table: never a shifted row.
pub const NOTE_PREFIXES: &[&str] = &["注", "说明", "备注"];
/// A category's weight is written in points: 产出指标(50分).
pub const POINTS_CHAR: char = '分';
/// Joins several ticked options.
pub const LIST_SEPARATOR: &str = "、";

/// Punctuation the value parser and the field reader split on.
pub const FULL_WIDTH_PERCENT: char = '％';
pub const CLAUSE_BREAKS: &[char] = &[',', '，', ';', '；', '。', '、', '!', '?', '！', '？', '\n', ':', '：'];
pub const SENTENCE_ENDS: &[char] = &['。', '.', '!', '！'];
pub const OPEN_PARENS: &[char] = &['(', '（'];
pub const PAREN_PAIRS: [(char, char); 2] = [('（', '）'), ('(', ')')];
pub const COLONS: [char; 2] = [':', '：'];
/// Marks between the two numbers of a range (90%-95%, 90～95%).
pub const RANGE_MARKS: &str = "-~～至—–到";
/// A range target: prefix, first number and unit, a mark, second number and unit.
pub const RANGE_PATTERN: &str = r"^(.*?)(\d+(?:\.\d+)?)\s*(%|[^\d\s\-~～至—–到]{0,3}?)\s*(?:-|~|～|至|—|–|到)\s*(\d+(?:\.\d+)?)\s*(\S{0,8}?)[。.]?$";

/// Rules decide roles only for labels this short (in characters).
pub const RULE_LABEL_CHARS: usize = 14;
/// A short line ending in a form word is a title up to this many characters.
pub const SHORT_TITLE_CHARS: usize = 40;
/// A title line is at most this long.
pub const TITLE_CHARS_MAX: usize = 80;

/// Units: a multiplier before a known unit (万张), and the marks of a rate
/// (户/人.月, 元每人每月) after which the unit goes on.
pub const UNIT_MULTIPLIERS: &[char] = &['万', '千', '亿', '百'];
pub const PER_MARKS: &[char] = &['/', '每'];
pub const MAX_PER_UNIT_CHARS: usize = 4;
/// Marks joining the later parts of a compound unit (元/户·年, 户/人.月).
pub const UNIT_JOINERS: &[char] = &['·', '・', '•', '‧', '.'];
/// A unit written out to the end of its term (公斤, 万一年, 元/平方米·月)
/// is at most this many characters; a longer tail is words.
pub const MAX_UNIT_CHARS: usize = 8;

/// Boxes of an option row: empty ones, and the marks that tick one.
pub const EMPTY_BOXES: &[char] = &['□', '☐'];
pub const TICKED_MARKS: &[char] = &['√', '✓', '✔', '☑', '■', '▣', '☒'];
/// Numbering before an option: 1. 2、 (3).
pub const OPTION_NUMBERING: &[char] = &['.', '、', '．', '(', ')', '（', '）'];

/// The `info` key suffix under which a row of ticked options is kept as written.
pub const OPTIONS_SUFFIX: &str = "（选项）";

/// The header assumed for a table's only value column when it has none.
pub const PLAIN_VALUE_HEADER: &str = "指标值";
