//! Web pages (`.htm`, `.html`): forms published as pages and Excel / WPS
//! "save as web page" files. The bytes are decoded as a browser would (BOM,
//! then `<meta charset>` / `http-equiv`, then UTF-8 if valid, else GB18030),
//! parsed by html5ever (through scraper) into the HTML5 tree, and each
//! top-level `<table>` becomes one grid, "table 1", "table 2" … laid out by
//! the HTML table model: a cell's text in its top-left grid cell, its
//! rowspan × colspan a merged region. The short text blocks just above a
//! table (a heading, （2023年度）, 单位：万元) are its leading rows. Knows
//! nothing of forms.

use super::sink::CellSink;
use super::Limits;
use crate::diag::{Warning, WarningCode};
use crate::error::{Error, ErrorKind};
use crate::grid::{CellRef, Format, Grid, Span};
use ego_tree::iter::Edge;
use encoding_rs::{Encoding, GB18030, UTF_8};
use scraper::{ElementRef, Html, Node};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// HTML's own limits on spans (the HTML table model clamps to these).
const MAX_COLSPAN: u32 = 1000;
const MAX_ROWSPAN: u32 = 65_534;

/// The reader of web pages.
pub struct HtmlReader;

impl super::SheetReader for HtmlReader {
    fn read(&self, path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
        read(path, bytes, limits)
    }
}

fn read(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, Error> {
    if bytes.len() as u64 > limits.max_page_bytes {
        let (found, max) = (bytes.len() as u64, limits.max_page_bytes);
        return Err(Error::new(
            path,
            ErrorKind::limit("bytes in a web page", found, max, Some("--max-page-mb")),
        ));
    }
    let (text, encoding, had_errors) = decode(bytes);
    let page = parse(&text).map_err(|k| Error::new(path, k))?;
    drop(text);
    let mut walk = Walk {
        limits,
        pending: Vec::new(),
        line: String::new(),
        grids: Vec::new(),
        tables: 0,
    };
    walk.run(page.tree.root()).map_err(|k| Error::new(path, k))?;
    if walk.tables == 0 {
        return Err(Error::new(path, ErrorKind::NoTable));
    }
    for g in &mut walk.grids {
        g.source.encoding = Some(encoding.to_string());
        if had_errors {
            g.notes.push(Warning::new(
                WarningCode::InvalidBytes,
                None,
                format!("bytes invalid in {encoding} were shown as U+FFFD"),
            ));
        }
    }
    Ok(walk.grids)
}

/// The page's HTML5 tree, parsed in pieces so that the file's time budget
/// is looked at between them (html5ever is quadratic on deep nesting).
fn parse(text: &str) -> Result<Html, ErrorKind> {
    use html5ever::tendril::TendrilSink;
    // Small: within a piece the parse of a deep page cannot be stopped.
    const PIECE: usize = 8 << 10;
    let mut parser =
        html5ever::driver::parse_document(scraper::HtmlTreeSink::new(Html::new_document()), Default::default());
    let mut rest = text;
    while !rest.is_empty() {
        super::budget::check_now()?;
        let mut cut = rest.len().min(PIECE);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        parser.process(rest[..cut].into());
        rest = &rest[cut..];
    }
    Ok(parser.finish())
}

/// The page's text and the encoding it was decoded with: a BOM, else the
/// encoding the page declares in its first 1024 bytes, else UTF-8 when the
/// bytes are valid UTF-8, else GB18030 (a superset of GBK and GB2312). A
/// page declaring gb2312 or gbk is decoded by the WHATWG GBK decoder, which
/// reads GB18030's four-byte characters too, as browsers do.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str, bool) {
    let encoding = match Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| declared(&bytes[..bytes.len().min(1024)]))
    {
        Some(e) => e,
        None => match std::str::from_utf8(bytes) {
            // What UTF-8's decoder would give, without validating twice.
            Ok(text) => return (Cow::Borrowed(text), UTF_8.name(), false),
            Err(_) => GB18030,
        },
    };
    // A page may declare UTF-16 in a meta tag it could not have been parsed
    // by: browsers then read it as UTF-8.
    let encoding = if encoding.output_encoding() != encoding {
        UTF_8
    } else {
        encoding
    };
    let (text, used, had_errors) = encoding.decode(bytes);
    (text, used.name(), had_errors)
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv content="…charset=…">`
/// names, found by a byte scan as the HTML prescan does.
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"charset") {
        let mut i = from + at + b"charset".len();
        while i < lower.len() && lower[i].is_ascii_whitespace() {
            i += 1;
        }
        if lower.get(i) == Some(&b'=') {
            i += 1;
            while i < lower.len() && (lower[i].is_ascii_whitespace() || lower[i] == b'"' || lower[i] == b'\'') {
                i += 1;
            }
            let end = lower[i..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'>' | b'/'))
                .map_or(lower.len(), |p| i + p);
            if let Some(e) = Encoding::for_label(&lower[i..end]) {
                return Some(e);
            }
        }
        from += at + 1;
    }
    None
}

/// What an element is to the text: never content (head, script, style,
/// noscript, template, nav, select, button), a block that starts a new line
/// of text, a table, a line break, a table cell, or inline.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Skipped,
    Block,
    Table,
    Br,
    Cell,
    Inline,
}

fn kind(e: &scraper::node::Element) -> Kind {
    let name = e.name();
    // html5ever gives HTML names in lower case; anything else is matched
    // as HTML matches tag names, ignoring ASCII case.
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        return kind_of(&name.to_ascii_lowercase());
    }
    kind_of(name)
}

fn kind_of(name: &str) -> Kind {
    match name {
        "head" | "script" | "style" | "noscript" | "template" | "nav" | "select" | "button" => Kind::Skipped,
        "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "ul" | "ol" | "center" | "section"
        | "article" | "header" | "footer" | "aside" | "form" | "dl" | "dt" | "dd" | "blockquote" | "pre"
        | "address" | "hr" | "tr" | "caption" => Kind::Block,
        "table" => Kind::Table,
        "br" => Kind::Br,
        "td" | "th" => Kind::Cell,
        _ => Kind::Inline,
    }
}

/// The walk over the page: text outside tables gathered into blocks, each
/// top-level table made a grid with the blocks just above it.
struct Walk<'l> {
    limits: &'l Limits,
    /// Text blocks since the last table.
    pending: Vec<String>,
    line: String,
    grids: Vec<Grid>,
    tables: usize,
}

impl Walk<'_> {
    fn flush(&mut self) {
        let t = collapse(&self.line);
        if !t.is_empty() {
            self.pending.push(t);
        }
        self.line.clear();
    }

    /// The whole page in document order, without recursion (a page may nest
    /// elements thousands deep): a table, a skipped element, is passed over
    /// whole once handled.
    fn run(&mut self, root: ego_tree::NodeRef<'_, Node>) -> Result<(), ErrorKind> {
        let mut skip: Option<ego_tree::NodeId> = None;
        for edge in root.traverse() {
            super::budget::check()?;
            match edge {
                Edge::Open(node) if skip.is_none() => match node.value() {
                    Node::Text(t) => self.line.push_str(t),
                    Node::Element(e) => match kind(e) {
                        Kind::Skipped => skip = Some(node.id()),
                        Kind::Table => {
                            skip = Some(node.id());
                            self.flush();
                            let Some(table) = ElementRef::wrap(node) else {
                                continue;
                            };
                            self.tables += 1;
                            let above = std::mem::take(&mut self.pending);
                            if let Some(g) = table_grid(table, &above, self.tables, self.limits)? {
                                self.grids.push(g);
                            }
                        }
                        Kind::Br | Kind::Block => self.flush(),
                        Kind::Cell | Kind::Inline => {}
                    },
                    _ => {}
                },
                Edge::Open(_) => {}
                Edge::Close(node) => {
                    if skip.is_some() {
                        if skip == Some(node.id()) {
                            skip = None;
                        }
                        continue;
                    }
                    if let Node::Element(e) = node.value() {
                        if kind(e) == Kind::Block {
                            self.flush();
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whitespace collapsed as a browser shows it: runs of ASCII whitespace are
/// one space; `&nbsp;` is a space that is kept; lines trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    collapse_into(s, &mut out);
    out.trim().to_string()
}

/// `collapse` without the trim, appended to `out` (empty on entry).
fn collapse_into(s: &str, out: &mut String) {
    // Most cells hold no blank to collapse: copied whole.
    if !s.bytes().any(|b| b.is_ascii_whitespace()) && !s.contains('\u{a0}') {
        out.push_str(s);
        return;
    }
    let mut space = false;
    for c in s.chars() {
        if c.is_ascii_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(if c == '\u{a0}' { ' ' } else { c });
    }
}

/// A cell's text: its lines (`<br>` and block elements break lines),
/// whitespace collapsed in each; a nested table's rows are lines of it.
fn cell_text(cell: ElementRef<'_>) -> Result<String, ErrorKind> {
    // Each line is collapsed as it ends, into one output: no line is kept.
    let mut text = String::new();
    let mut line = String::new();
    let mut scratch = String::new();
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in cell.traverse().skip(1) {
        super::budget::check()?;
        match edge {
            Edge::Open(node) if skip.is_none() => match node.value() {
                Node::Text(t) => line.push_str(t),
                Node::Element(e) => match kind(e) {
                    Kind::Skipped => skip = Some(node.id()),
                    Kind::Br | Kind::Block | Kind::Table => end_line(&mut line, &mut scratch, &mut text),
                    Kind::Cell | Kind::Inline => {}
                },
                _ => {}
            },
            Edge::Open(_) => {}
            Edge::Close(node) => {
                if skip.is_some() {
                    if skip == Some(node.id()) {
                        skip = None;
                    }
                    continue;
                }
                if node.id() == cell.id() {
                    break;
                }
                if let Node::Element(e) = node.value() {
                    match kind(e) {
                        Kind::Block | Kind::Table => end_line(&mut line, &mut scratch, &mut text),
                        Kind::Cell => line.push(' '),
                        _ => {}
                    }
                }
            }
        }
    }
    end_line(&mut line, &mut scratch, &mut text);
    if text.is_empty() {
        // Excel's "save as web page" keeps a string value in x:str when the
        // shown text is empty.
        if let Some(v) = cell.value().attr("x:str").filter(|v| !v.trim().is_empty()) {
            return Ok(collapse(v));
        }
    }
    Ok(text)
}

/// Ends a line of a cell: collapsed as `collapse` does and, when anything
/// is left, added to `text` on a line of its own.
fn end_line(line: &mut String, scratch: &mut String, text: &mut String) {
    if line.is_empty() {
        return;
    }
    scratch.clear();
    collapse_into(line, scratch);
    let t = scratch.trim();
    if !t.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(t);
    }
    line.clear();
}

/// The rows of a table: its own `<tr>`s (directly, or in thead / tbody /
/// tfoot), never those of a table nested in a cell.
fn rows_of(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut rows = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        let name = child.value().name();
        if name.eq_ignore_ascii_case("tr") {
            rows.push(child);
        } else if ["thead", "tbody", "tfoot"].iter().any(|n| name.eq_ignore_ascii_case(n)) {
            rows.extend(
                child
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|r| r.value().name().eq_ignore_ascii_case("tr")),
            );
        }
    }
    rows
}

fn span_attr(cell: ElementRef<'_>, name: &str) -> Option<u32> {
    let v = cell.value().attr(name)?.trim();
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The grid columns covered by rowspans from the rows above: disjoint
/// pieces `first column → (last column, last row)`, each column's last row
/// the furthest any span over it reaches. Finding a row's next free column
/// jumps piece by piece, so a table of many `rowspan="0"` cells is laid out
/// in near-linear time (a list of spans scanned per column step was
/// quadratic to cubic).
#[derive(Default)]
struct Coverage(BTreeMap<u32, (u32, u32)>);

impl Coverage {
    /// The first column at or after `col` that no span covers in `row`.
    fn free(&mut self, mut col: u32, row: u32) -> Result<u32, ErrorKind> {
        loop {
            let Some((&from, &(to, until))) = self.0.range(..=col).next_back() else {
                return Ok(col);
            };
            if to < col {
                return Ok(col);
            }
            if until < row {
                // Ended above this row: gone for every later row too.
                self.0.remove(&from);
                continue;
            }
            col = to.saturating_add(1);
            super::budget::check()?;
        }
    }

    /// Columns `a..=b` covered down to row `until`.
    fn cover(&mut self, a: u32, b: u32, until: u32) {
        let mut hit: Vec<(u32, u32, u32)> = Vec::new();
        if let Some((&f, &(t, u))) = self.0.range(..a).next_back() {
            if t >= a {
                hit.push((f, t, u));
            }
        }
        hit.extend(self.0.range(a..=b).map(|(&f, &(t, u))| (f, t, u)));
        for &(f, ..) in &hit {
            self.0.remove(&f);
        }
        let mut at = Some(a);
        for (f, t, u) in hit {
            if f < a {
                self.0.insert(f, (a - 1, u));
            }
            if t > b {
                self.0.insert(b + 1, (t, u));
            }
            let (lo, hi) = (f.max(a), t.min(b));
            if let Some(c) = at.filter(|&c| c < lo) {
                self.piece(c, lo - 1, until);
            }
            self.piece(lo, hi, u.max(until));
            at = hi.checked_add(1);
        }
        if let Some(c) = at.filter(|&c| c <= b) {
            self.piece(c, b, until);
        }
    }

    /// Adds a piece, joined to the piece just left of it when both end on
    /// the same row.
    fn piece(&mut self, from: u32, to: u32, until: u32) {
        if let Some(prev) = from.checked_sub(1) {
            if let Some((&f, &(t, u))) = self.0.range(..from).next_back() {
                if t == prev && u == until {
                    self.0.insert(f, (to, until));
                    return;
                }
            }
        }
        self.0.insert(from, (to, until));
    }
}

/// One table as a grid, laid out by the HTML table model.
fn table_grid(table: ElementRef<'_>, above: &[String], n: usize, limits: &Limits) -> Result<Option<Grid>, ErrorKind> {
    let mut sink = CellSink::new(limits);
    let mut spans = Vec::new();
    let mut notes = Vec::new();
    let mut row = sink.push_leading(above)?;
    let leading = row;
    let caption = table
        .children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().name().eq_ignore_ascii_case("caption"));
    if let Some(c) = caption {
        let t = cell_text(c)?;
        if !t.is_empty() {
            sink.push(row, 0, &t)?;
            row += 1;
        }
    }
    let rows = rows_of(table);
    let first_row = row;
    let last_row = first_row + rows.len().saturating_sub(1) as u32;
    let mut covered = Coverage::default();
    let mut widest = 0u32;
    for tr in &rows {
        let mut col = 0u32;
        let cells = tr
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| ["td", "th"].iter().any(|n| c.value().name().eq_ignore_ascii_case(n)));
        for cell in cells {
            // The next column no span from above covers.
            col = covered.free(col, row)?;
            let at = CellRef::new(row, col);
            let mut colspan = span_attr(cell, "colspan").filter(|&c| c > 0).unwrap_or(1);
            if colspan > MAX_COLSPAN {
                notes.push(clamped(at, "colspan", colspan, MAX_COLSPAN));
                colspan = MAX_COLSPAN;
            }
            let rows_left = last_row - row + 1;
            let mut rowspan = match span_attr(cell, "rowspan") {
                // rowspan="0": to the end of the table.
                Some(0) => rows_left,
                Some(r) => r.min(MAX_ROWSPAN),
                None => 1,
            };
            if rowspan > rows_left {
                notes.push(clamped(at, "rowspan", rowspan, rows_left));
                rowspan = rows_left;
            }
            let text = cell_text(cell)?;
            if !text.is_empty() {
                sink.push(row, col, &text)?;
            }
            let last = CellRef::new(row + rowspan - 1, col.saturating_add(colspan - 1));
            if last != at {
                spans.push(Span { first: at, last });
            }
            if rowspan > 1 {
                covered.cover(col, col.saturating_add(colspan - 1), row + rowspan - 1);
            }
            widest = widest.max(col);
            col = col.saturating_add(colspan);
        }
        row += 1;
    }
    // A colspan past every column any row starts a cell in reaches nothing.
    for s in &mut spans {
        if s.last.col > widest && s.last.col - s.first.col >= MAX_COLSPAN / 10 {
            notes.push(clamped(
                s.first,
                "colspan",
                s.last.col - s.first.col + 1,
                widest - s.first.col + 1,
            ));
            s.last.col = widest.max(s.first.col);
        }
    }
    if rows.is_empty() && leading == 0 {
        return Ok(None);
    }
    let mut grid = sink.finish_sheet(spans, Format::Html, &format!("table {n}"))?;
    grid.notes.extend(notes);
    Ok(Some(grid))
}

fn clamped(at: CellRef, what: &str, found: u32, to: u32) -> Warning {
    Warning::new(
        WarningCode::SpanClamped,
        Some(at),
        format!("{what}=\"{found}\" reaches past the table; cut to {to}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grids(html: &str) -> Vec<Grid> {
        read(Path::new("t.html"), html.as_bytes(), &Limits::default()).unwrap()
    }

    fn cells(g: &Grid) -> Vec<(String, String)> {
        g.rows
            .iter()
            .flat_map(|r| r.cells.iter().map(move |c| (r.at(c.col).to_string(), c.text.clone())))
            .collect()
    }

    #[test]
    fn rowspan_and_colspan_lay_out_as_the_html_table_model_does() {
        let g = &grids(
            "<table><tr><td rowspan=2>a</td><td colspan=2>b</td></tr><tr><td>c</td><td>d</td></tr>\
             <tr><td>e</td><td>f</td><td>g</td></tr></table>",
        )[0];
        let want = [
            ("A1", "a"),
            ("B1", "b"),
            ("B2", "c"),
            ("C2", "d"),
            ("A3", "e"),
            ("B3", "f"),
            ("C3", "g"),
        ];
        let got = cells(g);
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
        let spans: Vec<String> = g.spans.iter().map(|s| format!("{}:{}", s.first, s.last)).collect();
        assert_eq!(spans, ["A1:A2", "B1:C1"]);
    }

    #[test]
    fn breaks_entities_and_blanks_read_as_a_browser_shows_them() {
        let g = &grids("<table><tr><td>  产出&nbsp;指标<br>（50分）\n\n </td><td><p>一</p><p>二 </p></td><td>&lt;b&gt;</td></tr></table>")[0];
        assert_eq!(
            cells(g).into_iter().map(|(_, t)| t).collect::<Vec<_>>(),
            ["产出 指标\n（50分）", "一\n二", "<b>"]
        );
    }

    #[test]
    fn the_blocks_above_a_table_are_its_leading_rows_and_chrome_is_not() {
        let page = "<html><body><nav>首页 | 政务公开</nav><div>很长的导航文字".to_string()
            + &"很长".repeat(80)
            + "</div><h2>2023年项目支出绩效目标申报表</h2><p>（2023年度）</p>\
               <table><tr><td>项目名称</td><td>x</td></tr></table><p>版权所有</p></body></html>";
        let g = &grids(&page)[0];
        assert_eq!(g.source.sheet.as_deref(), Some("table 1"));
        let texts: Vec<String> = cells(g).into_iter().map(|(_, t)| t).collect();
        assert_eq!(texts, ["2023年项目支出绩效目标申报表", "（2023年度）", "项目名称", "x"]);
    }

    #[test]
    fn gb2312_declared_pages_decode_gb18030_characters_as_browsers_do() {
        // 䶮 (U+4DAE) is a GB18030 four-byte character, not in GB2312 or GBK.
        let (body, _, _) = GB18030.encode("<table><tr><td>䶮项目</td></tr></table>");
        let mut bytes = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">".to_vec();
        bytes.extend_from_slice(&body);
        let g = &read(Path::new("t.htm"), &bytes, &Limits::default()).unwrap()[0];
        assert_eq!(g.rows[0].cells[0].text, "䶮项目");
        assert_eq!(g.source.encoding.as_deref(), Some("GBK"));
    }

    #[test]
    fn a_page_without_a_table_is_an_error_and_huge_spans_are_clamped() {
        let e = read(Path::new("t.html"), b"<p>no table</p>", &Limits::default()).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::NoTable));
        let g = &grids("<table><tr><td rowspan=\"65534\" colspan=\"100000\">a</td><td>b</td></tr></table>")[0];
        assert!(g.spans.iter().all(|s| s.last.row == 0 && s.last.col < 1000));
        assert!(g.notes.iter().any(|w| w.code == WarningCode::SpanClamped));
    }
}
