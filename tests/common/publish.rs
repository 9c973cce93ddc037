//! Re-publishing a grid the way forms reach analysts: as a web page (UTF-8,
//! a gb2312-declared page, a sloppy hand-written page, an Excel "save as web
//! page" file) and as a Word document (as Word writes it, as WPS writes it).
//! Every grid position is kept — empty rows as empty table rows — so the
//! records read back have the same cell addresses as the source's.

use declx::{CellRef, Grid};
use std::collections::HashMap;
use std::io::Write;

/// How a page is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    /// Lower-case, every tag closed, `<meta charset="utf-8">`.
    Clean,
    /// Upper-case tags and attributes, no `</TD>` / `</TR>`, `<TH>` in the
    /// first row, `<THEAD>` / `<TBODY>`, `colspan="0"` on single cells.
    Sloppy,
    /// Excel's "save as web page": mso styles in a conditional comment,
    /// `x:str` / `x:num` attributes, `class=xl65`.
    Excel,
}

/// Each position of a grid: the text at a region's top-left (or a plain
/// cell), and the span of a region; covered positions are absent.
struct Layout {
    rows: u32,
    cols: u32,
    text: HashMap<(u32, u32), String>,
    span: HashMap<(u32, u32), (u32, u32)>,
    covered: std::collections::HashSet<(u32, u32)>,
}

fn layout(g: &Grid) -> Layout {
    let mut l = Layout {
        rows: g.rows.last().map_or(0, |r| r.index + 1),
        cols: 0,
        text: HashMap::new(),
        span: HashMap::new(),
        covered: Default::default(),
    };
    for s in &g.spans {
        let (CellRef { row: r0, col: c0, .. }, CellRef { row: r1, col: c1, .. }) = (s.first, s.last);
        l.span.insert((r0, c0), (r1 - r0 + 1, c1 - c0 + 1));
        for r in r0..=r1 {
            for c in c0..=c1 {
                if (r, c) != (r0, c0) {
                    l.covered.insert((r, c));
                }
            }
        }
        l.rows = l.rows.max(r1 + 1);
        l.cols = l.cols.max(c1 + 1);
    }
    for r in &g.rows {
        for c in &r.cells {
            l.cols = l.cols.max(c.col + 1);
            if !l.covered.contains(&(r.index, c.col)) {
                l.text.insert((r.index, c.col), c.text.clone());
            }
        }
    }
    l
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One grid as a `<table>` in the given style.
pub fn html_table(g: &Grid, style: Page) -> String {
    let l = layout(g);
    let up = |s: &str| {
        if style == Page::Sloppy {
            s.to_uppercase()
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    match style {
        Page::Excel => out.push_str("<table border=0 cellpadding=0 cellspacing=0 width=800 style='border-collapse:collapse;table-layout:fixed'>\n"),
        _ => out.push_str(&format!("<{} BORDER=1>\n", up("table"))),
    }
    if style == Page::Sloppy {
        out.push_str("<THEAD>\n");
    }
    for r in 0..l.rows {
        out.push_str(&format!("<{}>", up("tr")));
        for c in 0..l.cols {
            if l.covered.contains(&(r, c)) {
                continue;
            }
            let text = l.text.get(&(r, c)).cloned().unwrap_or_default();
            let tag = if style == Page::Sloppy && r == 0 {
                "TH"
            } else {
                &*up("td")
            };
            let mut attrs = String::new();
            match l.span.get(&(r, c)) {
                Some(&(rs, cs)) => {
                    if rs > 1 {
                        attrs.push_str(&format!(" {}=\"{rs}\"", up("rowspan")));
                    }
                    if cs > 1 {
                        attrs.push_str(&format!(" {}=\"{cs}\"", up("colspan")));
                    }
                }
                None if style == Page::Sloppy && !text.is_empty() => attrs.push_str(" COLSPAN=\"0\""),
                None => {}
            }
            let numeric = !text.is_empty() && text.replace(',', "").parse::<f64>().is_ok();
            if style == Page::Excel {
                attrs.push_str(" class=xl65");
                if numeric {
                    attrs.push_str(&format!(" x:num=\"{}\"", text.replace(',', "")));
                } else if !text.is_empty() {
                    attrs.push_str(" x:str");
                }
            }
            let body = escape(&text).replace('\n', "<br>\n");
            if style == Page::Sloppy {
                // No end tags: the HTML5 parser closes cells and rows.
                out.push_str(&format!("<{tag}{attrs}>{body}\n"));
            } else {
                out.push_str(&format!("<{tag}{attrs}>{body}</{tag}>"));
            }
        }
        if style != Page::Sloppy {
            out.push_str(&format!("</{}>", up("tr")));
        }
        out.push('\n');
        if style == Page::Sloppy && r == 0 {
            out.push_str("</THEAD>\n<TBODY>\n");
        }
    }
    if style == Page::Sloppy {
        out.push_str("</TBODY>\n");
    }
    out.push_str(&format!("</{}>\n", up("table")));
    out
}

/// A whole page holding each grid as a table, in the given style and with
/// `charset` declared.
pub fn html_page(grids: &[&Grid], style: Page, charset: &str) -> String {
    let mut out = match style {
        Page::Excel => format!(
            "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"\n\
             xmlns:x=\"urn:schemas-microsoft-com:office:excel\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n\
             <head>\n<meta http-equiv=Content-Type content=\"text/html; charset={charset}\">\n\
             <meta name=ProgId content=Excel.Sheet>\n<meta name=Generator content=\"Microsoft Excel 15\">\n\
             <style>\n<!--table\n\t{{mso-displayed-decimal-separator:\"\\.\";}}\n\
             .xl65\n\t{{mso-style-parent:style0; mso-number-format:\"\\@\"; white-space:normal;}}\n-->\n</style>\n\
             <!--[if gte mso 9]><xml>\n <x:ExcelWorkbook>\n  <x:ExcelWorksheets>\n   <x:ExcelWorksheet>\n\
             <x:Name>Sheet1</x:Name>\n   </x:ExcelWorksheet>\n  </x:ExcelWorksheets>\n </x:ExcelWorkbook>\n\
             </xml><![endif]-->\n</head>\n<body link=blue vlink=purple>\n"
        ),
        Page::Sloppy => format!("<HTML><HEAD><META CHARSET=\"{charset}\"><TITLE>预算公开</TITLE></HEAD>\n<BODY>\n"),
        Page::Clean => format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\"><title>部门预算公开</title>\
             <script>var t = '<table><tr><td>not a form</td></tr></table>';</script></head>\n<body>\n\
             <nav><a href=\"/\">首页</a> | <a href=\"/gk\">政务公开</a></nav>\n"
        ),
    };
    for g in grids {
        out.push_str(&html_table(g, style));
    }
    if style == Page::Clean {
        out.push_str("<footer><p>主办单位：某市财政局　版权所有</p></footer>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// How a Word document is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Word {
    /// As Word writes it: `<w:vMerge/>` continues, rsid attributes, text
    /// in one run per cell.
    Word,
    /// As WPS writes it: `<w:vMerge w:val="continue"/>`, its own namespaces,
    /// widths on every cell, text split over several runs.
    Wps,
}

fn w_text(text: &str, flavor: Word) -> String {
    let mut out = String::new();
    for (i, para) in text.split('\n').enumerate() {
        let _ = i;
        out.push_str("<w:p>");
        if flavor == Word::Wps {
            out.push_str("<w:pPr><w:jc w:val=\"center\"/><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr></w:pPr>");
        } else {
            out.push_str("<w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>");
        }
        if !para.is_empty() {
            let chars: Vec<char> = para.chars().collect();
            let runs: Vec<String> = match flavor {
                Word::Word => vec![para.to_string()],
                // WPS splits runs where the font changes: every few characters.
                Word::Wps => chars.chunks(3).map(|c| c.iter().collect()).collect(),
            };
            for r in runs {
                out.push_str(&format!(
                    "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    escape(&r)
                ));
            }
        }
        out.push_str("</w:p>");
    }
    out
}

/// A paragraph of body text.
pub fn w_para(text: &str) -> String {
    w_text(text, Word::Word)
}

/// One grid as a `<w:tbl>`.
pub fn w_table(g: &Grid, flavor: Word) -> String {
    let l = layout(g);
    let mut out = String::from("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>");
    for _ in 0..l.cols {
        out.push_str("<w:gridCol w:w=\"1400\"/>");
    }
    out.push_str("</w:tblGrid>");
    // The vertical region covering each position, and the row it starts in.
    let mut vregion: HashMap<(u32, u32), (u32, u32)> = HashMap::new();
    for (&(r0, c0), &(rs, cs)) in &l.span {
        for r in r0 + 1..r0 + rs {
            vregion.insert((r, c0), (r0, cs));
        }
        let _ = cs;
    }
    for r in 0..l.rows {
        out.push_str(if flavor == Word::Word {
            "<w:tr w:rsidR=\"00A1B2C3\">"
        } else {
            "<w:tr>"
        });
        let mut c = 0;
        while c < l.cols {
            let props = |span: u32, vmerge: Option<&str>| {
                let mut p = String::from("<w:tcPr>");
                if flavor == Word::Wps {
                    p.push_str(&format!("<w:tcW w:w=\"{}\" w:type=\"dxa\"/>", 1400 * span));
                }
                if span > 1 {
                    p.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
                }
                match (vmerge, flavor) {
                    (Some("restart"), _) => p.push_str("<w:vMerge w:val=\"restart\"/>"),
                    (Some(_), Word::Word) => p.push_str("<w:vMerge/>"),
                    (Some(_), Word::Wps) => p.push_str("<w:vMerge w:val=\"continue\"/>"),
                    (None, _) => {}
                }
                p.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
                p
            };
            if let Some(&(_, cs)) = vregion.get(&(r, c)) {
                // A continued vertical region: one cell as wide as the region.
                out.push_str(&format!("<w:tc>{}<w:p/></w:tc>", props(cs, Some("continue"))));
                c += cs;
                continue;
            }
            let (rs, cs) = l.span.get(&(r, c)).copied().unwrap_or((1, 1));
            let text = l.text.get(&(r, c)).cloned().unwrap_or_default();
            let vm = (rs > 1).then_some("restart");
            out.push_str(&format!("<w:tc>{}{}</w:tc>", props(cs, vm), w_text(&text, flavor)));
            c += cs;
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// A .docx package whose body is `body` (paragraphs and tables).
pub fn docx(body: &str, flavor: Word) -> Vec<u8> {
    let ns = match flavor {
        Word::Word => "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                       xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
                       xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" mc:Ignorable=\"w14\"",
        Word::Wps => "xmlns:wpc=\"http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas\" \
                      xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
                      xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                      xmlns:wpsCustomData=\"http://www.wps.cn/officeDocument/2013/wpsCustomData\" mc:Ignorable=\"w14 wp14\"",
    };
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:document {ns}><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/></w:sectPr></w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let parts = [
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>",
            ),
            (
                "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>",
            ),
            ("word/document.xml", &document),
        ];
        for (name, text) in parts {
            z.start_file(name, o).unwrap();
            z.write_all(text.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}
