//! Writes N realistic forms for the benchmark, deterministic by seed:
//! XLSX with the real form's merges, GB18030 and UTF-16 text exports, UTF-8
//! CSV, and copies of the legacy XLS fixture; with `--published`, each XLSX
//! form also re-published as a web page (`html/`) and a Word document
//! (`docx/`), laid out as the XLSX is.
//!
//!     cargo run --release --example gen_forms -- DIR N [SEED] [--published]

use rust_xlsxwriter::{Format, Workbook};
use std::fs;
use std::path::Path;

#[path = "../tests/common/seed_form.rs"]
#[allow(dead_code)]
mod seed_form;

#[path = "../tests/common/publish.rs"]
#[allow(dead_code)]
mod publish;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const DISTRICTS: &[&str] = &[
    "天河", "越秀", "海珠", "荔湾", "白云", "黄埔", "番禺", "花都", "南沙", "从化", "增城",
];
const BUREAUS: &[&str] = &[
    "司法局",
    "教育局",
    "卫生健康局",
    "民政局",
    "财政局",
    "文化广电旅游体育局",
    "人力资源和社会保障局",
];

/// The seed's cells with a new department, amounts and targets.
fn variant(rng: &mut Rng, i: usize) -> (String, Vec<seed_form::FormCell>) {
    let dept = format!(
        "广州市{}区{}{}",
        DISTRICTS[rng.below(DISTRICTS.len() as u64) as usize],
        BUREAUS[rng.below(BUREAUS.len() as u64) as usize],
        i
    );
    let mut cells = seed_form::seed_cells();
    for c in &mut cells {
        if c.text == "广州市天河区司法局" {
            c.text.clone_from(&dept);
        } else if let Some(v) = seed_form::as_amount(&c.text) {
            let scaled = v * (0.5 + rng.below(1000) as f64 / 1000.0);
            c.text = format!("{scaled:.2}");
        } else if c.text.starts_with('≥') && c.text.ends_with('%') {
            c.text = format!("≥{}%", 80 + rng.below(20));
        }
    }
    (dept, cells)
}

fn text_export(cells: &[seed_form::FormCell]) -> String {
    let last = cells.iter().map(|c| c.row).max().unwrap_or(0);
    let mut lines = vec![Vec::<String>::new(); last as usize + 1];
    for c in cells {
        let line = &mut lines[c.row as usize];
        while line.len() <= c.col as usize {
            line.push(String::new());
        }
        line[c.col as usize].clone_from(&c.text);
    }
    lines[1..].iter().map(|l| l.join("\t")).collect::<Vec<_>>().join("\r\n")
}

fn csv_export(cells: &[seed_form::FormCell]) -> String {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for line in text_export(cells).split("\r\n") {
        w.write_record(line.split('\t')).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn xlsx(cells: &[seed_form::FormCell]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let wrap = Format::new().set_text_wrap();
    let money = Format::new().set_num_format("#,##0.00");
    for c in cells {
        if let Some(m) = seed_form::merge_at(c.row, c.col) {
            ws.merge_range(m.0 - 1, m.1, m.2 - 1, m.3, &c.text, &wrap).unwrap();
        } else if let Some(v) = seed_form::as_amount(&c.text) {
            ws.write_number_with_format(c.row - 1, c.col, v, &money).unwrap();
        } else {
            ws.write_string_with_format(c.row - 1, c.col, &c.text, &wrap).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn main() {
    let all: Vec<String> = std::env::args().collect();
    let published = all.iter().any(|a| a == "--published");
    let args: Vec<String> = all.into_iter().filter(|a| a != "--published").collect();
    let dir = Path::new(args.get(1).expect("usage: gen_forms DIR N [SEED]"));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).expect("N");
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let mut rng = Rng(seed);
    let xls = fs::read("fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls").expect("run from the project root");
    for kind in ["xlsx", "xls", "gbk", "utf16", "csv"] {
        fs::create_dir_all(dir.join(kind)).unwrap();
    }
    if published {
        fs::create_dir_all(dir.join("html")).unwrap();
        fs::create_dir_all(dir.join("docx")).unwrap();
    }
    for i in 0..n {
        let (_, cells) = variant(&mut rng, i);
        match i % 5 {
            0 => {
                let book = xlsx(&cells);
                if published {
                    let limits = declx::Limits::default();
                    let grids = declx::read_bytes(Path::new("f.xlsx"), declx::Format::Xlsx, &book, &limits).unwrap();
                    let page = publish::html_page(&[&grids[0]], publish::Page::Clean, "utf-8");
                    fs::write(dir.join("html").join(format!("{i:05}.html")), page).unwrap();
                    let doc = publish::docx(&publish::w_table(&grids[0], publish::Word::Word), publish::Word::Word);
                    fs::write(dir.join("docx").join(format!("{i:05}.docx")), doc).unwrap();
                }
                fs::write(dir.join("xlsx").join(format!("{i:05}.xlsx")), book)
            }
            1 => fs::write(dir.join("xls").join(format!("{i:05}.xls")), &xls),
            2 => fs::write(
                dir.join("gbk").join(format!("{i:05}.txt")),
                encoding_rs::GB18030.encode(&text_export(&cells)).0,
            ),
            3 => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text_export(&cells).encode_utf16().flat_map(|u| u.to_le_bytes()));
                fs::write(dir.join("utf16").join(format!("{i:05}.txt")), b)
            }
            _ => fs::write(dir.join("csv").join(format!("{i:05}.csv")), csv_export(&cells)),
        }
        .unwrap();
    }
    eprintln!("wrote {n} forms under {}", dir.display());
}
