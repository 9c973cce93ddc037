//! The benchmark's floor: read every file the way declx must at the least —
//! calamine opens each workbook and reads every cell and the merged regions;
//! text files are decoded and split; a web page is parsed by html5ever (its
//! cells counted); a Word document's document.xml is unzipped and its XML
//! events read — and nothing else.
//!
//!     cargo run --release --example bare_read -- DIR [--jobs N] [--declx-read]
//!
//! `--declx-read` runs declx's own read stage instead (calamine plus what
//! declx reads beside it: number formats, merged regions, encodings), so
//! the benchmark can split extract's time into reading and declx's work.

use calamine::{Data, Ods, Reader, Xls, Xlsx};
use rayon::prelude::*;
use std::io::Cursor;
use std::path::{Path, PathBuf};

// The same allocator as the declx binary, so the ratio compares work, not malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Non-empty cells seen, so the work cannot be optimised away.
fn read(p: &Path) -> usize {
    let bytes = std::fs::read(p).unwrap();
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
    match ext {
        "xlsx" => {
            let mut wb = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
            let mut n = 0;
            for name in wb.sheet_names() {
                {
                    let mut cells = wb.worksheet_cells_reader(&name).unwrap();
                    while let Some(c) = cells.next_cell().unwrap() {
                        n += usize::from(!calamine::DataType::is_empty(c.get_value()));
                    }
                }
                n += wb.merge_cells_by_sheet_name(&name).map(|m| m.len()).unwrap_or(0);
            }
            n
        }
        "xls" => {
            let mut wb = Xls::new(Cursor::new(&bytes[..])).unwrap();
            let mut n = 0;
            for name in wb.sheet_names() {
                let r = wb.worksheet_range(&name).unwrap();
                n += r.used_cells().filter(|(_, _, v)| **v != Data::Empty).count();
                n += wb.merge_cells_by_sheet_name(&name).map(|m| m.len()).unwrap_or(0);
            }
            n
        }
        "html" | "htm" => {
            let text = String::from_utf8_lossy(&bytes);
            let page = scraper::Html::parse_document(&text);
            page.tree
                .nodes()
                .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "td"))
                .count()
        }
        "docx" => {
            let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
            let mut r = quick_xml::Reader::from_str(&xml);
            let mut n = 0;
            loop {
                match r.read_event().unwrap() {
                    quick_xml::events::Event::Text(_) => n += 1,
                    quick_xml::events::Event::Eof => break,
                    _ => {}
                }
            }
            n
        }
        "ods" => {
            let mut wb = Ods::new(Cursor::new(&bytes[..])).unwrap();
            let mut n = 0;
            for name in wb.sheet_names() {
                n += wb.worksheet_range(&name).unwrap().used_cells().count();
            }
            n
        }
        _ => {
            let text = match encoding_rs::Encoding::for_bom(&bytes) {
                Some((enc, skip)) => enc.decode_without_bom_handling(&bytes[skip..]).0.into_owned(),
                None => match std::str::from_utf8(&bytes) {
                    Ok(s) => s.to_string(),
                    Err(_) => encoding_rs::GB18030.decode_without_bom_handling(&bytes).0.into_owned(),
                },
            };
            let delim = if text.contains('\t') { b'\t' } else { b',' };
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delim)
                .from_reader(text.as_bytes());
            r.records()
                .map(|rec| rec.unwrap().iter().filter(|f| !f.is_empty()).count())
                .sum()
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).expect("usage: bare_read DIR [--jobs N]"));
    let jobs = args
        .iter()
        .position(|a| a == "--jobs")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok());
    let mut all = Vec::new();
    files(&dir, &mut all);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .unwrap();
    let cells: usize = if args.iter().any(|a| a == "--declx-read") {
        let limits = declx::Limits::default();
        pool.install(|| {
            all.par_iter()
                .map(|p| {
                    declx::read_file(p, &limits)
                        .map(|grids| grids.iter().flat_map(|g| &g.rows).map(|r| r.cells.len()).sum())
                        .unwrap_or(0)
                })
                .sum()
        })
    } else {
        pool.install(|| all.par_iter().map(|p| read(p)).sum())
    };
    eprintln!("bare read: {} files, {cells} cells", all.len());
}
