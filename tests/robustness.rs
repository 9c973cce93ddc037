//! No panics, bounded resources, nothing lost: property tests over the
//! readers, the layout and the value parser, and one test per limit.
//! Raise the case counts with PROPTEST_CASES for a long run.

use crate::common::seed_form::seed_cells;
use crate::common::{is_template_label, strings};
use declx::parse_target;
use declx::{read_bytes, Format, Limits};
use declx::{Grid, GridBuilder};
use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;

/// The default case count, or PROPTEST_CASES for a long run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------- values

proptest! {
    #[test]
    fn value_parser_never_panics_and_is_idempotent(raw in "\\PC{0,40}") {
        let t = parse_target(&raw);
        prop_assert_eq!(parse_target(&t.raw), t);
    }

    #[test]
    fn target_like_strings_parse_to_their_numbers(
        metric in "[率数量完成及格]{0,4}",
        cmp in prop::sample::select(vec!["", "≥", "≤", "＞", "不低于", "不超过", ">=", "<"]),
        int in 0u32..100_000,
        frac in prop::option::of(0u32..100),
        unit in prop::sample::select(vec!["", "%", "个", "人次", "场次", "万元", "天"]),
    ) {
        let num = match frac { Some(f) => format!("{int}.{f:02}"), None => int.to_string() };
        let raw = format!("{metric}{cmp}{num}{unit}");
        let t = parse_target(&raw);
        prop_assert_eq!(t.kind, declx::TargetKind::Quantitative);
        prop_assert_eq!(t.value.unwrap().to_string(), num);
        prop_assert_eq!(t.unit.as_deref().unwrap_or(""), unit);
    }
}

// ---------------------------------------------------------------- readers

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), ..ProptestConfig::default() })]

    #[test]
    fn text_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(grids) = read_bytes(Path::new("x.txt"), Format::Text, &bytes, &Limits::default()) {
            for g in &grids {
                let _ = declx::extract(g, "x");
            }
        }
    }

    #[test]
    fn text_reader_on_mutated_seed(ops in prop::collection::vec((0usize..7000, any::<u8>(), 0u8..3), 1..8)) {
        let mut bytes = std::fs::read("seeds/000_be24f91d7f1b64fe.txt").unwrap();
        mutate(&mut bytes, &ops);
        if let Ok(grids) = read_bytes(Path::new("x.txt"), Format::Text, &bytes, &Limits::default()) {
            for g in &grids {
                let _ = declx::extract(g, "x");
            }
        }
    }
}

static XLSX: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for c in seed_cells() {
        ws.write_string(c.row - 1, c.col, &c.text).unwrap();
    }
    ws.merge_range(5, 0, 10, 0, "预算整体情况", &rust_xlsxwriter::Format::new())
        .unwrap();
    wb.save_to_buffer().unwrap()
});

fn mutate(bytes: &mut Vec<u8>, ops: &[(usize, u8, u8)]) {
    for &(at, b, op) in ops {
        if bytes.is_empty() {
            return;
        }
        let i = at % bytes.len();
        match op {
            0 => bytes[i] = b,
            1 => bytes.insert(i, b),
            _ => bytes.truncate(i.max(1)),
        }
    }
}

fn workbook_survives(format: Format, name: &str, mut bytes: Vec<u8>, ops: &[(usize, u8, u8)]) {
    mutate(&mut bytes, ops);
    if let Ok(grids) = read_bytes(Path::new(name), format, &bytes, &Limits::default()) {
        for g in &grids {
            let _ = declx::extract(g, "x");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(48), ..ProptestConfig::default() })]

    #[test]
    fn xlsx_reader_on_mutated_bytes(ops in prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6)) {
        workbook_survives(Format::Xlsx, "x.xlsx", XLSX.clone(), &ops);
    }

    #[test]
    fn ods_reader_on_mutated_bytes(ops in prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6)) {
        workbook_survives(Format::Ods, "x.ods", std::fs::read("fixtures/seed_merged.ods").unwrap(), &ops);
    }

    #[test]
    fn xls_reader_on_mutated_bytes(ops in prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6)) {
        let bytes = std::fs::read("fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls").unwrap();
        workbook_survives(Format::Xls, "x.xls", bytes, &ops);
    }

    #[test]
    fn html_reader_on_mutated_bytes(ops in prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6)) {
        workbook_survives(Format::Html, "x.html", PUBLISHED.0.clone(), &ops);
    }

    #[test]
    fn docx_reader_on_mutated_bytes(ops in prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6)) {
        workbook_survives(Format::Docx, "x.docx", PUBLISHED.1.clone(), &ops);
    }

    /// Past the zip: damaged WordprocessingML (unclosed, misnested, stray
    /// merges and spans) packaged whole.
    #[test]
    fn docx_reader_on_mutated_document_xml(ops in prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8)) {
        use crate::common::publish::{docx, Word};
        let mut xml = PUBLISHED.2.clone().into_bytes();
        mutate(&mut xml, &ops);
        let body = String::from_utf8_lossy(&xml).into_owned();
        workbook_survives(Format::Docx, "x.docx", docx(&body, Word::Word), &[]);
    }
}

/// The merged seed as a sloppy web page (GB18030), as a WPS document, and
/// as the table XML of a Word document.
static PUBLISHED: LazyLock<(Vec<u8>, Vec<u8>, String)> = LazyLock::new(|| {
    use crate::common::publish::{docx, html_page, w_table, Page, Word};
    let g = &declx::read_file(Path::new("fixtures/seed_merged.ods"), &Limits::default()).unwrap()[0];
    let page = encoding_rs::GB18030
        .encode(&html_page(&[g], Page::Sloppy, "gbk"))
        .0
        .into_owned();
    (page, docx(&w_table(g, Word::Wps), Word::Wps), w_table(g, Word::Word))
});

#[test]
fn a_page_or_document_past_the_cell_and_span_limits_is_refused_or_cut() {
    let many = format!("<table>{}</table>", "<tr><td>x</td><td>y</td></tr>".repeat(60));
    let limits = Limits {
        max_cells: 100,
        ..Limits::default()
    };
    let e = read_bytes(Path::new("m.html"), Format::Html, many.as_bytes(), &limits).unwrap_err();
    assert!(e.to_string().contains("--max-cells"), "{e}");
    let spans = format!("<table>{}</table>", "<tr><td colspan=2>x</td></tr>".repeat(30));
    let limits = Limits {
        max_spans: 10,
        ..Limits::default()
    };
    let e = read_bytes(Path::new("s.html"), Format::Html, spans.as_bytes(), &limits).unwrap_err();
    assert!(e.to_string().contains("--max-spans"), "{e}");
    let limits = Limits {
        max_rows: 20,
        ..Limits::default()
    };
    let grids = read_bytes(Path::new("r.html"), Format::Html, many.as_bytes(), &limits).unwrap();
    assert!(grids[0]
        .notes
        .iter()
        .any(|w| w.code == declx::WarningCode::RowsTruncated));
}

// ---------------------------------------------------------------- nothing lost

/// A layout change a generator applies to the seed form.
#[derive(Debug, Clone)]
enum Edit {
    /// Blank rows inserted before this row.
    Blank(usize, u32),
    /// The column header row repeated before this indicator row.
    RepeatHeader(usize),
    /// Two indicator rows of the same 二级 swapped.
    Swap(usize, usize),
    /// A merged label filled into the row below (unmerged and filled).
    FillDown(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (0usize..60, 1u32..3).prop_map(|(r, n)| Edit::Blank(r, n)),
            (20usize..50).prop_map(Edit::RepeatHeader),
            (19usize..31, 19usize..31).prop_map(|(a, b)| Edit::Swap(a, b)),
            (19usize..50).prop_map(Edit::FillDown),
        ],
        0..6,
    )
}

/// The seed as rows of (col, text), 1-based row numbers as keys.
fn seed_rows() -> Vec<Vec<(u32, String)>> {
    let cells = seed_cells();
    let last = cells.iter().map(|c| c.row).max().unwrap() as usize;
    let mut rows = vec![Vec::new(); last + 1];
    for c in cells {
        rows[c.row as usize].push((c.col as u32, c.text));
    }
    rows
}

fn apply(edits: &[Edit]) -> Grid {
    let mut rows = seed_rows();
    let header: Vec<(u32, String)> = rows[18].iter().filter(|(c, _)| *c > 0).cloned().collect();
    for e in edits {
        match *e {
            Edit::Blank(r, n) => {
                for _ in 0..n {
                    rows.insert(r.min(rows.len()), Vec::new());
                }
            }
            Edit::RepeatHeader(r) if r < rows.len() => rows.insert(r, header.clone()),
            Edit::Swap(a, b) if a < rows.len() && b < rows.len() => {
                // Only plain indicator rows (三级 and values, no category cells).
                let plain = |row: &Vec<(u32, String)>| !row.is_empty() && row.iter().all(|(c, _)| *c >= 3);
                if plain(&rows[a]) && plain(&rows[b]) {
                    rows.swap(a, b);
                }
            }
            Edit::FillDown(r) if r + 1 < rows.len() => {
                let category = |t: &str| {
                    let f = declx::labels::fold(t);
                    declx::labels::is_level1(&f) || declx::labels::is_level2(&f)
                };
                if let Some((c, t)) = rows[r]
                    .iter()
                    .find(|(c, t)| (*c == 1 || *c == 2) && category(t))
                    .cloned()
                {
                    if !rows[r + 1].iter().any(|(cc, _)| *cc <= c) && rows[r + 1].iter().any(|(cc, _)| *cc == 3) {
                        rows[r + 1].insert(0, (c, t));
                    }
                }
            }
            _ => {}
        }
    }
    let mut b = GridBuilder::default();
    for (i, row) in rows.iter().enumerate() {
        for (c, t) in row {
            b.push(i as u32, *c, t);
        }
    }
    Grid {
        rows: b.finish(),
        has_layout: true,
        ..Grid::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(128), ..ProptestConfig::default() })]

    #[test]
    fn every_cell_lands_in_a_field_or_unmapped(edits in edits()) {
        let grid = apply(&edits);
        let records = declx::extract(&grid, "seed").unwrap();
        prop_assert_eq!(records.len(), 1);
        let v = serde_json::to_value(&records[0]).unwrap();
        let mut all = Vec::new();
        strings(&v, &mut all);
        for row in &grid.rows {
            for c in &row.cells {
                let plain = c.text.replace(',', "");
                let kept = all.iter().any(|s| s.contains(&c.text) || *s == plain) || is_template_label(&c.text);
                prop_assert!(kept, "cell {:?} lost after {:?}", c.text, edits);
            }
        }
        // The tree keeps every indicator once.
        let leaves = v["indicators"].as_array().unwrap().iter()
            .flat_map(|l1| l1["children"].as_array().unwrap())
            .map(|l2| l2["children"].as_array().map_or(0, |c| c.len()))
            .sum::<usize>();
        prop_assert_eq!(leaves, 28);
    }
}

// ---------------------------------------------------------------- limits

fn limits() -> Limits {
    Limits::default()
}

#[test]
fn limit_file_size() {
    let l = Limits {
        max_file_bytes: 100,
        ..limits()
    };
    let e = declx::extract_file(Path::new("seeds/000_be24f91d7f1b64fe.txt"), &l).unwrap_err();
    assert_eq!(e.code(), "limit");
    assert!(e.to_string().contains("--max-file-mb"), "{e}");
}

#[test]
fn limit_cells() {
    let l = Limits {
        max_cells: 10,
        ..limits()
    };
    let e = declx::extract_file(Path::new("seeds/000_be24f91d7f1b64fe.txt"), &l).unwrap_err();
    assert!(e.to_string().contains("--max-cells"), "{e}");
    let e = declx::extract_file(Path::new("fixtures/seed_merged.ods"), &l).unwrap_err();
    assert!(e.to_string().contains("--max-cells"), "{e}");
}

#[test]
fn limit_spans() {
    let l = Limits {
        max_spans: 5,
        ..limits()
    };
    let e = declx::extract_file(Path::new("fixtures/seed_merged.ods"), &l).unwrap_err();
    assert!(e.to_string().contains("--max-spans"), "{e}");
}

#[test]
fn limit_cell_text() {
    let mut text = std::fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap();
    text.push('\n');
    text.push_str(&format!("备注\t{}\n", "很长".repeat(200_000)));
    let l = Limits {
        max_cell_bytes: 4096,
        ..limits()
    };
    let grids = read_bytes(Path::new("long.txt"), Format::Text, text.as_bytes(), &l).unwrap();
    let r = &declx::extract(&grids[0], "long").unwrap()[0];
    let w: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.code == declx::WarningCode::CellTruncated)
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].cell.map(|c| c.to_string()).as_deref(), Some("B52"));
    assert!(r.info.get("备注").unwrap().len() <= 4096);
}

#[test]
fn limit_unzipped_size_and_zip_bombs() {
    let l = Limits {
        max_unzipped_bytes: 1000,
        ..limits()
    };
    let e = read_bytes(Path::new("x.xlsx"), Format::Xlsx, &XLSX, &l).unwrap_err();
    assert!(e.to_string().contains("--max-unzipped-mb"), "{e}");

    // 200 MB of zeros deflate to ~200 KB.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..200 {
            std::io::Write::write_all(&mut z, &zeros).unwrap();
        }
        z.finish().unwrap();
    }
    let bomb = buf.into_inner();
    assert!(bomb.len() < 2 << 20);
    let e = read_bytes(Path::new("bomb.xlsx"), Format::Xlsx, &bomb, &limits()).unwrap_err();
    assert!(e.to_string().contains("zip bomb"), "{e}");
}

// ---------------------------------------------------------------- damaged text

fn text_outcome(name: &str, bytes: &[u8]) -> Result<Vec<declx::Record>, String> {
    match read_bytes(Path::new(name), Format::Text, bytes, &limits()) {
        Ok(grids) => declx::extract(&grids[0], name).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn damaged_text_gives_an_error_or_a_record_with_warnings() {
    let seed = std::fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap();
    // UTF-16LE without a BOM still reads.
    let utf16: Vec<u8> = seed.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert_eq!(
        text_outcome("u16.txt", &utf16).unwrap()[0].department.as_deref(),
        Some("广州市天河区司法局")
    );
    // Big5 decodes to no form, and the error says which encoding was tried.
    let (big5, _, _) = encoding_rs::BIG5.encode(&seed);
    let grids = read_bytes(Path::new("big5.txt"), Format::Text, &big5, &limits());
    if let Ok(g) = grids {
        assert!(declx::extract(&g[0], "big5").is_err());
    }
    // NUL bytes: binary.
    assert!(text_outcome("nul.txt", b"abc\x00def").unwrap_err().contains("binary"));
    // A lone BOM is empty.
    assert!(text_outcome("bom.txt", b"\xEF\xBB\xBF").unwrap_err().contains("empty"));
    // A quote that never closes would swallow the rest of the file.
    let quoted = seed.replacen("4,972.33", "\"4,972.33", 1);
    let r = &text_outcome("quote.txt", quoted.as_bytes()).unwrap()[0];
    assert!(r.warnings.iter().any(|w| w.code == declx::WarningCode::UnbalancedQuote));
    assert_eq!(r.indicators.len(), 4);
    // Mixed UTF-8 and GBK lines.
    let (head, tail) = seed.split_at(seed.find("绩效指标").unwrap());
    let mut mixed = head.as_bytes().to_vec();
    mixed.extend(encoding_rs::GB18030.encode(tail).0.iter());
    let r = &text_outcome("mixed.txt", &mixed).unwrap()[0];
    assert!(r.warnings.iter().any(|w| w.code == declx::WarningCode::MixedEncoding));
    assert_eq!(r.indicators.len(), 4);
    assert_eq!(r.department.as_deref(), Some("广州市天河区司法局"));
}

/// The seed ODS with `extra` rows appended to its first table.
pub fn ods_with_rows(extra: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let bytes = std::fs::read("fixtures/seed_merged.ods").unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let name = f.name().unwrap().to_string();
        if name == "content.xml" {
            data = String::from_utf8(data)
                .unwrap()
                .replacen("</table:table>", &format!("{extra}</table:table>"), 1)
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn ods_with_a_far_away_cell_costs_one_cell() {
    // One cell a million rows and 16,000 columns away: the grid holds it,
    // nothing allocates the rectangle up to it.
    let far = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    let bytes = ods_with_rows(far);
    let grids = read_bytes(Path::new("far.ods"), Format::Ods, &bytes, &limits()).unwrap();
    assert_eq!(grids[0].cell_count(), seed_cells().len() + 1);
    let records = declx::extract(&grids[0], "far").unwrap();
    assert_eq!(records[0].department.as_deref(), Some("广州市天河区司法局"));
    let far_cell: Vec<_> = records[0].unmapped.iter().filter(|u| u.text == "x").collect();
    assert_eq!(far_cell.len(), 1);
    assert_eq!(
        far_cell[0].cell,
        format!("{}{}", declx::column_name(16000), 51 + 1_000_000 + 1)
    );
}

#[test]
fn ods_text_keeps_paragraphs_spaces_entities_and_drops_comments() {
    let row = r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>a comment</text:p></office:annotation><text:p>甲<text:s text:c="2"/>乙 &amp; &#x4E19;</text:p><text:p>丁<text:tab/>戊<text:line-break/>己</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="0.9"/><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2024-03-01"><text:p>2024/3/1</text:p></table:table-cell></table:table-row>"#;
    let bytes = ods_with_rows(row);
    let grids = read_bytes(Path::new("t.ods"), Format::Ods, &bytes, &limits()).unwrap();
    let last = grids[0].rows.last().unwrap();
    let texts: Vec<&str> = last.cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["甲  乙 & 丙\n丁\t戊\n己", "0.9", "TRUE", "2024-03-01"]);
    assert!(grids[0].notes.iter().any(|w| w.code == declx::WarningCode::BooleanCell));
}
