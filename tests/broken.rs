//! Damaged and mislabelled files: one clear line naming the file, never a panic.

use declx::ErrorKind;
use declx::Limits;
use std::fs;
use std::path::PathBuf;

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("declx-broken-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

fn error_of(name: &str, bytes: &[u8]) -> (String, &'static str) {
    let p = write(name, bytes);
    let e = declx::extract_file(&p, &Limits::default()).unwrap_err();
    let line = e.to_string();
    assert!(line.contains(name), "{line}");
    assert!(!line.contains('\n'), "{line}");
    (line, e.code())
}

fn an_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .write_string(0, 0, "部门整体支出绩效目标申报表")
        .unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn truncated_xlsx() {
    let bytes = an_xlsx();
    let (line, code) = error_of("cut.xlsx", &bytes[..bytes.len() / 2]);
    assert_eq!(code, "workbook");
    assert!(line.contains("truncated zip"), "{line}");
}

#[test]
fn text_renamed_to_xlsx() {
    let (line, _) = error_of("text.xlsx", "部门名称\t某局\n".as_bytes());
    assert!(line.contains("expected a zip-based workbook, found text"), "{line}");
}

#[test]
fn xlsx_renamed_to_xls() {
    let (line, _) = error_of("zip.xls", &an_xlsx());
    assert!(
        line.contains("expected a legacy XLS (OLE2), found a zip file"),
        "{line}"
    );
}

#[test]
fn encrypted_workbook_is_an_ole2_container() {
    // Excel saves a password-protected .xlsx as an OLE2 (CFB) container.
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend([0u8; 504]);
    let (line, _) = error_of("locked.xlsx", &bytes);
    assert!(line.contains("encrypted workbook"), "{line}");
}

#[test]
fn garbage_xls() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend((0..2000u32).map(|i| (i * 7919 % 251) as u8));
    let (line, code) = error_of("garbage.xls", &bytes);
    assert_eq!(code, "workbook", "{line}");
}

#[test]
fn workbook_without_a_form() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "本表为填报说明")
        .unwrap();
    let (line, code) = error_of("notes.xlsx", &wb.save_to_buffer().unwrap());
    assert_eq!(code, "no_form", "{line}");
}

#[test]
fn unknown_form_kind_names_its_title() {
    let p = write("other.txt", "某某单位绩效目标申报表\n名称\t甲\n".as_bytes());
    let e = declx::extract_file(&p, &Limits::default()).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::UnknownForm(ref t) if t == "某某单位绩效目标申报表"),
        "{e}"
    );
}

#[test]
fn xlsm_reads_like_xlsx() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "部门整体支出绩效目标申报表").unwrap();
    ws.write_string(1, 0, "部门名称").unwrap();
    ws.write_string(1, 1, "某局").unwrap();
    ws.write_string(2, 0, "总体绩效目标").unwrap();
    ws.write_string(2, 1, "做好工作").unwrap();
    let p = write("macro.xlsm", &wb.save_to_buffer().unwrap());
    let out = declx::extract_file(&p, &Limits::default()).unwrap();
    assert_eq!(out.records[0].department.as_deref(), Some("某局"));
    assert_eq!(out.records[0].source.format, declx::Format::Xlsx);
}

#[test]
fn a_workbook_named_file_holding_a_path_is_text_and_never_followed() {
    let dir = std::env::temp_dir().join(format!("declx-linktext-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("cases")).unwrap();
    std::fs::copy(
        "fixtures/pku_2019_xiaoyuanzuqiu_project_workbook.xls",
        dir.join("pku.xls"),
    )
    .unwrap();
    // What git writes for a link where symbolic links are off: a path, as text.
    std::fs::write(dir.join("cases/pku.xls"), b"../pku.xls").unwrap();
    let abs = dir.join("pku.xls");
    std::fs::write(dir.join("cases/abs.xls"), abs.to_str().unwrap()).unwrap();
    let limits = declx::Limits::default();
    assert!(declx::extract_file(&dir.join("pku.xls"), &limits).is_ok());
    for name in ["pku.xls", "abs.xls"] {
        let e = declx::extract_file(&dir.join("cases").join(name), &limits)
            .unwrap_err()
            .to_string();
        assert!(e.contains("found text"), "{e}");
        assert!(declx::read_file(&dir.join("cases").join(name), &limits).is_err());
    }
}
