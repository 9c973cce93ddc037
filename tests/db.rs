//! Import into a database: SQLite and PostgreSQL hold the rows of the JSON
//! Lines for every corpus; re-import is idempotent; a changed file replaces
//! its records; shards share one database; an interrupted import or a lost
//! server leaves whole batches; the CSV tables load with COPY; the workbook
//! reads back; the README's queries give what the README shows.

#[path = "db/expect.rs"]
mod expect;
#[cfg(feature = "postgres")]
#[path = "db/pg.rs"]
mod pg;

use assert_cmd::Command;
use expect::Rows;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("declx-db-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn declx(args: &[&str]) -> Output {
    Command::cargo_bin("declx").unwrap().args(args).output().unwrap()
}

/// Every input the tests know: seeds, fixtures, the corpus forms and the
/// shared cases.
fn corpora() -> Vec<String> {
    [
        "seeds",
        "fixtures",
        "tests/forms",
        "../shared/examples/cases",
        "../shared/realdata/cases",
        "../shared/families/cases",
    ]
    .into_iter()
    .filter(|p| Path::new(p).exists())
    .map(String::from)
    .collect()
}

fn jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// An archive of `n` distinct forms: the seed under other departments and years.
fn archive(dir: &Path, n: usize) -> PathBuf {
    let root = dir.join("archive");
    let seed = fs::read_to_string("seeds/000_be24f91d7f1b64fe.txt").unwrap();
    for i in 0..n {
        let sub = root.join(format!("{}", 2015 + i % 10));
        fs::create_dir_all(&sub).unwrap();
        let text = seed.replace("广州市天河区司法局", &format!("第{i}局"));
        fs::write(sub.join(format!("form_{i:04}.txt")), text).unwrap();
    }
    root
}

fn ran(out: &Output) {
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "declx failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn error_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("declx: error"))
        .map(String::from)
        .collect()
}

fn readme_queries() -> Vec<(String, String, Vec<String>)> {
    // (name, SQL, expected lines) from the README: a `<!-- query: NAME -->`
    // marker, a ```sql block, then a ```text block with the result.
    let readme = fs::read_to_string("README.md").unwrap();
    let mut out = Vec::new();
    for part in readme.split("<!-- query: ").skip(1) {
        let name = part.split(" -->").next().unwrap().to_string();
        let sql = part
            .split("```sql\n")
            .nth(1)
            .unwrap()
            .split("```")
            .next()
            .unwrap()
            .to_string();
        let text = part.split("```text\n").nth(1).unwrap().split("```").next().unwrap();
        out.push((name, sql, text.lines().map(String::from).collect()));
    }
    assert_eq!(out.len(), 3, "the README shows three queries");
    out
}

/// Rows as the README shows them: NULL as NULL, numbers as Rust prints the
/// f64 (SQLite's REAL 250.0 and PostgreSQL's NUMERIC 250.00 both "250").
fn lines(rows: Vec<Vec<String>>) -> Vec<String> {
    let cell = |c: String| {
        if c == "∅" {
            return "NULL".to_string();
        }
        let numeric = !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-');
        match c.parse::<f64>() {
            Ok(f) if numeric => f.to_string(),
            _ => c,
        }
    };
    rows.into_iter()
        .map(|r| r.into_iter().map(cell).collect::<Vec<_>>().join(" | "))
        .collect()
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;

    pub fn query(db: &Path, sql: &str) -> Vec<Vec<String>> {
        let c = rusqlite::Connection::open(db).unwrap();
        let mut stmt = c.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            Ok((0..n)
                .map(|i| match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Null => "∅".to_string(),
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    rusqlite::types::ValueRef::Real(v) => v.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(_) => "<blob>".to_string(),
                })
                .collect())
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    pub fn rows(db: &Path) -> Rows {
        let q = expect::queries(
            |c| format!("{c}_exact"),
            |c| format!("CASE WHEN {c} THEN 'true' ELSE 'false' END"),
        );
        q.into_iter()
            .map(|(t, sql)| {
                let mut r = query(db, &sql);
                r.sort();
                (t, r)
            })
            .collect()
    }

    /// Every row of every table, sorted.
    pub fn dump(db: &Path) -> Vec<Vec<String>> {
        let mut all = Vec::new();
        for t in declx::db::TABLES {
            for mut r in query(db, &format!("SELECT * FROM {}", t.name)) {
                r.insert(0, t.name.to_string());
                all.push(r);
            }
        }
        all.sort();
        all
    }

    fn count(db: &Path, sql: &str) -> i64 {
        query(db, sql)[0][0].parse().unwrap()
    }

    #[test]
    fn sqlite_holds_the_same_rows_as_the_json_lines_for_every_corpus() {
        let dir = tmp("sqlite-corpora");
        let db = dir.join("forms.db");
        let j = dir.join("all.jsonl");
        let mut args = vec!["extract"];
        let c = corpora();
        args.extend(c.iter().map(String::as_str));
        let dbarg = format!("sqlite:{}", db.display());
        args.extend(["--jsonl", j.to_str().unwrap(), "--db", &dbarg, "-q"]);
        ran(&declx(&args));
        let records = jsonl(&j);
        expect::assert_same("sqlite", &rows(&db), &expect::rows(&records));
        // The record's JSON is the JSON Lines' record, and every input has its row.
        for r in &records {
            let id = expect::record_id(r);
            let json = query(&db, &format!("SELECT record_json FROM records WHERE id = '{id}'"));
            let stored: Value = serde_json::from_str(&json[0][0]).unwrap();
            assert_eq!(stored["source"]["sha256"], r["source"]["sha256"]);
            assert_eq!(stored["indicators"], r["indicators"]);
            let path = r["source"]["path"].as_str().unwrap().replace('\'', "''");
            assert_eq!(
                query(&db, &format!("SELECT outcome FROM files WHERE path = '{path}'")),
                [["ok"]]
            );
        }
        // Amounts: REAL for queries beside the exact text.
        let sums = query(&db, "SELECT sum(amount), count(amount_exact) FROM budget_items");
        assert!(sums[0][0].parse::<f64>().unwrap() > 0.0);
    }

    #[test]
    fn reimporting_the_same_archive_gives_the_same_rows() {
        let dir = tmp("sqlite-again");
        let root = archive(&dir, 30);
        let db = format!("sqlite:{}", dir.join("a.db").display());
        ran(&declx(&[
            "extract",
            root.to_str().unwrap(),
            "--db",
            &db,
            "-q",
            "--jobs",
            "1",
        ]));
        let first = dump(&dir.join("a.db"));
        ran(&declx(&[
            "extract",
            root.to_str().unwrap(),
            "--db",
            &db,
            "-q",
            "--jobs",
            "2",
        ]));
        assert_eq!(dump(&dir.join("a.db")), first);
        assert_eq!(count(&dir.join("a.db"), "SELECT count(*) FROM records"), 30);
    }

    #[test]
    fn a_changed_file_replaces_its_old_records() {
        let dir = tmp("sqlite-changed");
        let root = archive(&dir, 5);
        let db = dir.join("a.db");
        let arg = format!("sqlite:{}", db.display());
        ran(&declx(&["extract", root.to_str().unwrap(), "--db", &arg, "-q"]));
        let file = root.join("2016/form_0001.txt");
        let old = query(&db, "SELECT id FROM records WHERE department = '第1局'");
        assert_eq!(old.len(), 1);
        let text = fs::read_to_string(&file).unwrap().replace("第1局", "新成立的局");
        fs::write(&file, text).unwrap();
        ran(&declx(&["extract", root.to_str().unwrap(), "--db", &arg, "-q"]));
        assert_eq!(count(&db, "SELECT count(*) FROM records"), 5);
        assert!(query(&db, "SELECT id FROM records WHERE department = '第1局'").is_empty());
        let new = query(&db, "SELECT id FROM records WHERE department = '新成立的局'");
        assert_eq!(new.len(), 1);
        assert_ne!(new, old);
        let orphans = format!("SELECT count(*) FROM indicators WHERE record_id = '{}'", old[0][0]);
        assert_eq!(count(&db, &orphans), 0, "the old record's rows went with it");
    }

    #[test]
    fn shards_written_at_once_into_one_database_give_the_whole_run() {
        let dir = tmp("sqlite-shards");
        let root = archive(&dir, 40);
        let whole = dir.join("whole.db");
        ran(&declx(&[
            "extract",
            root.to_str().unwrap(),
            "--db",
            &format!("sqlite:{}", whole.display()),
            "-q",
        ]));
        let shared = dir.join("shared.db");
        let arg = format!("sqlite:{}", shared.display());
        let children: Vec<_> = (1..=3)
            .map(|k| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("declx"))
                    .args(["extract", root.to_str().unwrap(), "--db", &arg, "-q", "--jobs", "1"])
                    .args(["--shard", &format!("{k}/3")])
                    .output()
                    .unwrap()
            })
            .collect();
        for c in &children {
            ran(c);
        }
        assert_eq!(dump(&shared), dump(&whole));
    }

    #[test]
    fn an_interrupted_import_leaves_whole_batches() {
        let dir = tmp("sqlite-sigint");
        let root = archive(&dir, 3000);
        let db = dir.join("a.db");
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("declx"))
            .args([
                "extract",
                root.to_str().unwrap(),
                "--db",
                &format!("sqlite:{}", db.display()),
            ])
            .args(["-q", "--jobs", "1"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        // Interrupted once the first batch is in.
        while started.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(20));
            let ready = db.exists()
                && rusqlite::Connection::open(&db)
                    .and_then(|c| c.query_row("SELECT count(*) FROM files", [], |r| r.get::<_, i64>(0)))
                    .is_ok_and(|n| n > 0);
            if ready {
                break;
            }
        }
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
        let files = count(&db, "SELECT count(*) FROM files");
        assert!(files > 0 && files < 3000, "{files} files");
        // Every file's records are there, and every record whole.
        let mismatched = "SELECT count(*) FROM files f WHERE f.record_count <> \
                          (SELECT count(*) FROM records r WHERE r.file_path = f.path)";
        assert_eq!(count(&db, mismatched), 0);
        assert_eq!(count(&db, "SELECT count(*) FROM records"), files);
        let per_record = query(&db, "SELECT count(*) FROM indicators GROUP BY record_id");
        assert!(
            per_record.windows(2).all(|w| w[0] == w[1]),
            "every record has all its indicators"
        );
        assert_eq!(per_record.len() as i64, files);
    }

    #[test]
    fn a_database_of_another_schema_version_is_refused_in_one_line() {
        let dir = tmp("sqlite-version");
        let db = dir.join("a.db");
        let arg = format!("sqlite:{}", db.display());
        ran(&declx(&["extract", "seeds", "--db", &arg, "-q"]));
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute("UPDATE declx_meta SET value = '999' WHERE name = 'schema_version'", [])
            .unwrap();
        drop(c);
        let out = declx(&["extract", "seeds", "--db", &arg, "-q"]);
        assert_eq!(out.status.code(), Some(1));
        let errors = error_lines(&out);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains(&arg) && errors[0].contains("schema_version 999"),
            "{}",
            errors[0]
        );
        assert_eq!(count(&db, "SELECT count(*) FROM records"), 1, "nothing was mixed in");
    }

    #[test]
    fn schema_sql_runs_in_sqlite_and_names_the_oracle_types() {
        let out = declx(&["schema", "--sql", "sqlite"]);
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch(&String::from_utf8(out.stdout).unwrap()).unwrap();
        let tables: i64 = c
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(tables, 10);
        let oracle = String::from_utf8(declx(&["schema", "--sql", "oracle"]).stdout).unwrap();
        assert!(oracle.contains("VARCHAR2") && oracle.contains(" NUMBER") && oracle.contains("CLOB"));
        assert!(!oracle.contains("JSONB") && !oracle.contains(" TEXT"));
    }

    #[test]
    fn the_readme_queries_give_what_the_readme_shows_in_sqlite() {
        let dir = tmp("sqlite-readme");
        let db = dir.join("forms.db");
        ran(&declx(&[
            "extract",
            "seeds",
            "fixtures",
            "tests/forms",
            "--db",
            &format!("sqlite:{}", db.display()),
            "-q",
        ]));
        for (name, sql, want) in readme_queries() {
            assert_eq!(lines(query(&db, &sql)), want, "README query {name}");
        }
    }

    #[test]
    fn the_csv_tables_hold_the_same_rows_as_the_database() {
        let dir = tmp("sqlite-tables");
        let db = dir.join("a.db");
        let tables = dir.join("tables");
        let mut args = vec!["extract"];
        let c = corpora();
        args.extend(c.iter().map(String::as_str));
        let arg = format!("sqlite:{}", db.display());
        args.extend(["--db", &arg, "--tables", tables.to_str().unwrap(), "-q"]);
        ran(&declx(&args));
        for t in declx::db::TABLES {
            let mut r = csv::Reader::from_path(tables.join(format!("{}.csv", t.name))).unwrap();
            let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
            let names: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
            assert_eq!(header, names, "{}", t.name);
            let n = r.records().count() as i64;
            assert_eq!(n, count(&db, &format!("SELECT count(*) FROM {}", t.name)), "{}", t.name);
        }
        assert!(fs::read_to_string(tables.join("schema.oracle.sql"))
            .unwrap()
            .contains("VARCHAR2"));
        assert!(fs::read_to_string(tables.join("schema.sql"))
            .unwrap()
            .contains("NUMERIC"));
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;

    fn rows(url: &str) -> Rows {
        let q = expect::queries(
            |c| format!("{c}::text"),
            |c| format!("CASE WHEN {c} THEN 'true' ELSE 'false' END"),
        );
        q.into_iter()
            .map(|(t, sql)| {
                let mut r = pg::query(url, &sql);
                r.sort();
                (t, r)
            })
            .collect()
    }

    fn dump(url: &str) -> Vec<Vec<String>> {
        let mut all = Vec::new();
        for t in declx::db::TABLES {
            all.extend(pg::query(url, &format!("SELECT '{0}', {0}::text FROM {0}", t.name)));
        }
        all.sort();
        all
    }

    fn count(url: &str, sql: &str) -> i64 {
        pg::query(url, sql)[0][0].parse().unwrap()
    }

    #[test]
    fn postgres_holds_the_same_rows_as_the_json_lines_for_every_corpus() {
        let Some(url) = pg::database("corpora") else { return };
        let dir = tmp("pg-corpora");
        let j = dir.join("all.jsonl");
        let mut args = vec!["extract"];
        let c = corpora();
        args.extend(c.iter().map(String::as_str));
        args.extend(["--jsonl", j.to_str().unwrap(), "--db", &url, "-q"]);
        ran(&declx(&args));
        let records = jsonl(&j);
        expect::assert_same("postgres", &rows(&url), &expect::rows(&records));
        for r in &records {
            let id = expect::record_id(r);
            let json = pg::query(
                &url,
                &format!("SELECT record_json::text FROM records WHERE id = '{id}'"),
            );
            let stored: Value = serde_json::from_str(&json[0][0]).unwrap();
            assert_eq!(stored["indicators"], r["indicators"]);
            assert_eq!(stored["budget"], r["budget"]);
        }
    }

    #[test]
    fn postgres_reimport_is_idempotent_and_replaces_a_changed_file() {
        let Some(url) = pg::database("again") else { return };
        let dir = tmp("pg-again");
        let root = archive(&dir, 20);
        ran(&declx(&["extract", root.to_str().unwrap(), "--db", &url, "-q"]));
        let first = dump(&url);
        ran(&declx(&[
            "extract",
            root.to_str().unwrap(),
            "--db",
            &url,
            "-q",
            "--jobs",
            "1",
        ]));
        assert_eq!(dump(&url), first);
        let file = root.join("2017/form_0002.txt");
        let text = fs::read_to_string(&file).unwrap().replace("第2局", "新成立的局");
        fs::write(&file, text).unwrap();
        ran(&declx(&["extract", root.to_str().unwrap(), "--db", &url, "-q"]));
        assert_eq!(count(&url, "SELECT count(*) FROM records"), 20);
        assert_eq!(
            count(&url, "SELECT count(*) FROM records WHERE department = '第2局'"),
            0
        );
        assert_eq!(
            count(&url, "SELECT count(*) FROM records WHERE department = '新成立的局'"),
            1
        );
    }

    #[test]
    fn postgres_shards_written_at_once_give_the_whole_run() {
        let (Some(whole), Some(shared)) = (pg::database("whole"), pg::database("shards")) else {
            return;
        };
        let dir = tmp("pg-shards");
        let root = archive(&dir, 40);
        ran(&declx(&["extract", root.to_str().unwrap(), "--db", &whole, "-q"]));
        let children: Vec<_> = (1..=3)
            .map(|k| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("declx"))
                    .args(["extract", root.to_str().unwrap(), "--db", &shared, "-q", "--jobs", "1"])
                    .args(["--shard", &format!("{k}/3")])
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            assert!(matches!(c.wait().unwrap().code(), Some(0 | 2)));
        }
        assert_eq!(dump(&shared), dump(&whole));
    }

    #[test]
    fn a_server_stopped_mid_run_gives_one_line_naming_the_database() {
        let Some(server) = pg::start_own() else { return };
        let url = server.url.clone();
        let dir = tmp("pg-stopped");
        let root = archive(&dir, 3000);
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("declx"))
            .args(["extract", root.to_str().unwrap(), "--db", &url, "-q", "--jobs", "1"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while started.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(20));
            let n = ::postgres::Client::connect(&url, ::postgres::NoTls)
                .and_then(|mut c| c.query_one("SELECT count(*) FROM files", &[]))
                .map(|r| r.get::<_, i64>(0));
            if n.is_ok_and(|n| n > 0) {
                break;
            }
        }
        pg::stop(&server);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let errors = error_lines(&out);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains(&url) && errors[0].contains("batch"), "{}", errors[0]);
    }

    #[test]
    fn the_csv_tables_load_into_postgres_with_copy_and_equal_the_import() {
        let (Some(direct), Some(loaded)) = (pg::database("direct"), pg::database("loaded")) else {
            return;
        };
        let dir = tmp("pg-tables");
        let tables = dir.join("tables");
        let mut args = vec!["extract"];
        let c = corpora();
        args.extend(c.iter().map(String::as_str));
        args.extend(["--db", &direct, "--tables", tables.to_str().unwrap(), "-q"]);
        ran(&declx(&args));
        let mut client = ::postgres::Client::connect(&loaded, ::postgres::NoTls).unwrap();
        client
            .batch_execute(&fs::read_to_string(tables.join("schema.sql")).unwrap())
            .unwrap();
        for t in declx::db::TABLES {
            let data = fs::read(tables.join(format!("{}.csv", t.name))).unwrap();
            let mut w = client
                .copy_in(&format!("COPY {} FROM STDIN WITH (FORMAT csv, HEADER)", t.name))
                .unwrap();
            std::io::Write::write_all(&mut w, &data).unwrap();
            w.finish().unwrap();
        }
        drop(client);
        assert_eq!(dump(&loaded), dump(&direct));
    }

    #[test]
    fn the_readme_queries_give_what_the_readme_shows_in_postgres() {
        let Some(url) = pg::database("readme") else { return };
        ran(&declx(&[
            "extract",
            "seeds",
            "fixtures",
            "tests/forms",
            "--db",
            &url,
            "-q",
        ]));
        for (name, sql, want) in readme_queries() {
            assert_eq!(lines(pg::query(&url, &sql)), want, "README query {name}");
        }
    }

    #[test]
    fn schema_sql_runs_in_postgres() {
        let Some(url) = pg::database("ddl") else { return };
        let ddl = String::from_utf8(declx(&["schema", "--sql", "postgres"]).stdout).unwrap();
        let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        c.batch_execute(&ddl).unwrap();
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(n, 10);
    }
}

#[cfg(feature = "xlsx")]
#[test]
fn the_workbook_reads_back_with_chinese_headings_and_numbers() {
    use calamine::{open_workbook_auto, Data, Reader};
    let dir = tmp("xlsx");
    let book = dir.join("forms.xlsx");
    let j = dir.join("all.jsonl");
    let mut args = vec!["extract"];
    let c = corpora();
    args.extend(c.iter().map(String::as_str));
    args.extend(["--jsonl", j.to_str().unwrap(), "--xlsx", book.to_str().unwrap(), "-q"]);
    ran(&declx(&args));
    let want = expect::rows(&jsonl(&j));
    let mut wb = open_workbook_auto(&book).unwrap();
    assert_eq!(wb.sheet_names(), ["记录", "预算", "重点任务", "绩效指标", "文件"]);
    let records = wb.worksheet_range("记录").unwrap();
    assert_eq!(records.get((0, 0)), Some(&Data::String("记录编号".into())));
    assert_eq!(records.get((1, 0)), Some(&Data::String("id".into())));
    assert_eq!(records.height() - 2, want["records"].len());
    let budget = wb.worksheet_range("预算").unwrap();
    assert_eq!(budget.height() - 2, want["budget_items"].len());
    let head: Vec<String> = budget.rows().next().unwrap().iter().map(|d| d.to_string()).collect();
    let amount = head.iter().position(|h| h == "金额").unwrap();
    let label = head.iter().position(|h| h == "项目").unwrap();
    // Every amount is a number equal to the record's.
    let mut amounts: Vec<(String, f64)> = budget
        .rows()
        .skip(2)
        .filter_map(|r| match &r[amount] {
            Data::Float(f) => Some((r[label].to_string(), *f)),
            _ => None,
        })
        .collect();
    let mut expected: Vec<(String, f64)> = want["budget_items"]
        .iter()
        .filter(|r| r[3] != "∅")
        .map(|r| (r[2].clone(), r[3].parse().unwrap()))
        .collect();
    amounts.sort_by(|a, b| a.partial_cmp(b).unwrap());
    expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(amounts, expected);
    let values = wb.worksheet_range("绩效指标").unwrap();
    let leaves = want["indicator_values"].len();
    assert!(
        values.height() - 2 >= leaves,
        "{} rows for {leaves} values",
        values.height() - 2
    );
    // Frozen headings and the source's decimals as the number format.
    let zip = fs::File::open(&book).unwrap();
    let mut zip = zip::ZipArchive::new(zip).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(), &mut sheet).unwrap();
    assert!(sheet.contains(r#"ySplit="2""#) && sheet.contains("<cols>"));
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains(r#"formatCode="0.00""#), "amounts keep two decimals");
}

#[test]
fn a_database_password_is_never_printed() {
    for url in [
        "mysql://declx:s3cret@db.host/budget",
        "postgresql://declx:s3cret@127.0.0.1:1/budget",
    ] {
        let out = declx(&["extract", "seeds", "--db", url, "-q"]);
        assert_eq!(out.status.code(), Some(1), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("s3cret"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}
