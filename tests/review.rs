//! Review pages: a page per file (`inspect --html`) and a site per run
//! (`extract --review`). Cell text is escaped; in a real browser (headless
//! Chromium, installed by `tests/browser/install.sh`; these tests are
//! `#[ignore]`d and `.ci/run` runs them after installing it) the page draws
//! as many cells and merged regions as the grid has, marks unmapped cells,
//! highlights a warning's cell from its link, and the index sorts.

use assert_cmd::Command;
use declx::{read_file, Limits};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-review-{name}-{}", process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn declx() -> Command {
    Command::cargo_bin("declx").unwrap()
}

/// The seed with markup in a field and an unmapped row holding markup.
fn hostile_form(dir: &Path) -> PathBuf {
    let seed = fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap();
    let text = seed.replacen("广州市天河区司法局", "<script>alert(\"x\")</script>广州</td>", 1)
        + "\n\t\t\t<img src=x onerror=alert(1)>\t</script><b>粗</b>\n";
    let path = dir.join("hostile.txt");
    fs::write(&path, text).unwrap();
    path
}

fn page(file: &Path, out: &Path) -> String {
    declx()
        .args(["inspect", file.to_str().unwrap(), "--html", out.to_str().unwrap()])
        .assert()
        .success();
    fs::read_to_string(out).unwrap()
}

#[test]
fn cell_text_is_escaped_and_a_form_holding_script_renders_it_as_text() {
    let dir = tmp("escape");
    let html = page(&hostile_form(&dir), &dir.join("p.html"));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2f;script&gt;广州&lt;&#x2f;td&gt;"));
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>粗</b>"));
    // Only the page's own scripts: one per grid's data, one for the page.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    // The records' JSON cannot close its script element.
    let data = html
        .split("class=\"records\"")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    assert!(!data.contains('<'), "{data}");
}

#[test]
fn inspect_html_is_one_self_contained_file_and_a_bad_file_is_an_error() {
    let dir = tmp("self");
    let html = page(Path::new("fixtures/seed_merged.ods"), &dir.join("p.html"));
    for external in ["http://", "https://", "src=\"/", "<link"] {
        assert!(!html.contains(external), "{external}");
    }
    fs::write(dir.join("bad.xlsx"), b"not a zip").unwrap();
    let out = declx()
        .args([
            "inspect",
            dir.join("bad.xlsx").to_str().unwrap(),
            "--html",
            dir.join("b.html").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.xlsx"));
    assert!(!dir.join("b.html").exists());
}

#[test]
fn review_site_has_an_index_row_and_a_page_per_input() {
    let dir = tmp("site");
    let inputs = dir.join("in");
    fs::create_dir_all(&inputs).unwrap();
    fs::copy("seeds/000_be24f91d7f1b64fe.txt", inputs.join("a_seed.txt")).unwrap();
    fs::copy("fixtures/seed_merged.ods", inputs.join("b_merged.ods")).unwrap();
    fs::write(inputs.join("c_broken.xlsx"), b"not a zip").unwrap();
    let site = dir.join("site");
    declx()
        .args([
            "extract",
            inputs.to_str().unwrap(),
            "--review",
            site.to_str().unwrap(),
            "-q",
        ])
        .assert()
        .code(2);
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    let rows = index
        .split("id=\"rows\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_str(rows).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["warnings"], 6);
    assert_eq!(rows[0]["by_code"]["row_realigned"], 6);
    assert_eq!(rows[0]["mapped"], 100);
    assert_eq!(rows[1]["forms"], "department");
    assert_eq!(rows[2]["outcome"], "error");
    assert!(rows[2]["page"].is_null(), "a file that cannot be read has no page");
    for r in &rows[..2] {
        assert!(site.join(r["page"].as_str().unwrap()).is_file());
    }
    // No temp file is left.
    let names: Vec<String> = fs::read_dir(site.join("forms"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.ends_with(".html")), "{names:?}");
}

// ---- in a real browser -------------------------------------------------

fn chromium() -> String {
    let out = process::Command::new("bash")
        .arg("tests/browser/install.sh")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string()
}

fn browser(url: &str, extra: &[&str]) -> String {
    let profile = tmp("profile");
    let out = process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn dom(file: &Path, hash: &str) -> String {
    let url = format!("file://{}{hash}", fs::canonicalize(file).unwrap().display());
    let dom = browser(&url, &["--dump-dom"]);
    assert!(dom.contains("data-ready=\"1\""), "the page's script ran: {dom}");
    dom
}

fn body_attr(dom: &str, name: &str) -> String {
    let body = dom.split("<body").nth(1).unwrap().split('>').next().unwrap();
    body.split(&format!("{name}=\""))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// Non-empty cells a grid draws (a merged region's covered cells are not
/// drawn) and its merged regions, from the reader, not from the page.
fn grid_figures(file: &str) -> (usize, usize) {
    let g = &read_file(Path::new(file), &Limits::default()).unwrap()[0];
    let mut covered = HashSet::new();
    for s in &g.spans {
        for r in s.first.row..=s.last.row {
            for c in s.first.col..=s.last.col {
                if (r, c) != (s.first.row, s.first.col) {
                    covered.insert((r, c));
                }
            }
        }
    }
    let cells = g
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(move |c| (r.index, c.col)))
        .filter(|p| !covered.contains(p))
        .count();
    (cells, g.spans.len())
}

#[test]
#[ignore = "needs Chromium: .ci/run installs it and runs this"]
fn in_a_browser_the_page_draws_the_grid_marks_unmapped_cells_and_links_warnings() {
    let dir = tmp("browser");
    // Merged regions: the seed laid out in LibreOffice.
    let ods = dir.join("ods.html");
    page(Path::new("fixtures/seed_merged.ods"), &ods);
    let d = dom(&ods, "");
    let (cells, spans) = grid_figures("fixtures/seed_merged.ods");
    assert_eq!(body_attr(&d, "data-cells"), cells.to_string());
    assert_eq!(body_attr(&d, "data-spans"), spans.to_string());
    assert!(spans > 10);

    // Unmapped cells: a corpus form with one, drawn with its class.
    let form = Path::new("tests/forms/self_evaluation_two_level_tree_two_cell_budget.txt");
    let p = dir.join("unmapped.html");
    page(form, &p);
    let record = &declx::extract_file(form, &Limits::default()).unwrap().records[0];
    let d = dom(&p, "");
    assert_eq!(body_attr(&d, "data-unmapped"), record.unmapped.len().to_string());
    assert!(!record.unmapped.is_empty());
    for u in &record.unmapped {
        assert!(
            d.contains(&format!("<td class=\"unmapped\" data-cell=\"{}\"", u.cell)),
            "{}",
            u.cell
        );
    }
    // Markup in cells stays text in the browser too.
    let p = dir.join("hostile.html");
    page(&hostile_form(&dir), &p);
    let d = dom(&p, "");
    assert!(!d.contains("<img src=\"x\"") && !d.contains("<b>粗</b>"));
    assert!(d.contains("&lt;img src=x onerror=alert(1)&gt;"));

    // A warning's link highlights its cell (the page's script runs the link
    // named in the address as a click would).
    let seed = dir.join("seed.html");
    page(Path::new("seeds/000_be24f91d7f1b64fe.txt"), &seed);
    let w = &declx::extract_file(Path::new("seeds/000_be24f91d7f1b64fe.txt"), &Limits::default())
        .unwrap()
        .records[0]
        .warnings[1];
    let cell = w.cell.unwrap().to_string();
    let d = dom(&seed, "#warn-0-1");
    let td = d.split(&format!("data-cell=\"{cell}\"")).next().unwrap();
    assert!(td.rsplit("<td").next().unwrap().contains(" hl\""), "{cell} highlighted");
    assert_eq!(d.matches(" hl\"").count(), 1);
}

#[test]
#[ignore = "needs Chromium: .ci/run installs it and runs this"]
fn in_a_browser_the_index_sorts_by_warnings_and_a_screenshot_is_not_blank() {
    let dir = tmp("index");
    let inputs = dir.join("in");
    fs::create_dir_all(&inputs).unwrap();
    for f in fs::read_dir("tests/forms").unwrap() {
        let p = f.unwrap().path();
        fs::copy(&p, inputs.join(p.file_name().unwrap())).unwrap();
    }
    fs::copy("seeds/000_be24f91d7f1b64fe.txt", inputs.join("seed.txt")).unwrap();
    let site = dir.join("site");
    // Named as a user names them, from the folder that holds them: the
    // page's title (the screenshot's) is `in/seed.txt`, no temp path.
    declx()
        .current_dir(&dir)
        .args(["extract", "in", "--review", "site", "-q"])
        .assert()
        .success();
    let d = dom(&site.join("index.html"), "#sort=warnings");
    let order: Vec<u64> = body_attr(&d, "data-order")
        .split(',')
        .map(|n| n.parse().unwrap())
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(order, sorted);
    assert_eq!(order[0], 6, "the seed, with 6 warnings, first");
    assert!(order.len() > 10);

    // The screenshot the README shows: the seed's page.
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    let rows = index
        .split("id=\"rows\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_str(rows).unwrap();
    let seed_page = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("seed.txt"))
        .unwrap()["page"]
        .as_str()
        .unwrap()
        .to_string();
    let png = fs::canonicalize("target").unwrap().join("review-screenshot.png");
    let _ = fs::remove_file(&png);
    let url = format!("file://{}", fs::canonicalize(site.join(seed_page)).unwrap().display());
    browser(
        &url,
        &["--window-size=1400,900", &format!("--screenshot={}", png.display())],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let colours: HashSet<&[u8]> = px.chunks(step).step_by(7).collect();
    let not_white = px.chunks(step).filter(|p| p[..3].iter().any(|&c| c < 200)).count();
    assert!(colours.len() > 50, "{} colours", colours.len());
    assert!(not_white * 20 > px.len() / step, "{not_white} dark pixels");
}
