//! PostgreSQL for the tests: the server `.ci/run` started (`DECLX_TEST_PG`),
//! or one this test binary starts with `tests/db/pg.sh` (stopped when the
//! binary exits). Each test gets its own database. When no server can be
//! started the tests say so and skip.

use std::process::Command;
use std::sync::OnceLock;

/// A server's base URL (its `declx` database) and, when this binary started
/// it, its directory.
pub struct Server {
    pub url: String,
    pub dir: Option<String>,
}

/// Starts a server of its own with the repository script; `None` with the
/// reason printed when it cannot.
pub fn start_own() -> Option<Server> {
    let out = Command::new("tests/db/pg.sh")
        .arg("start")
        .arg(std::process::id().to_string())
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "SKIPPED: tests/db/pg.sh cannot start PostgreSQL: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let var = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .map(str::to_string)
    };
    Some(Server {
        url: var("DECLX_TEST_PG")?,
        dir: var("DECLX_PG_DIR"),
    })
}

pub fn stop(server: &Server) {
    if let Some(dir) = &server.dir {
        let _ = Command::new("tests/db/pg.sh").args(["stop", dir]).status();
    }
}

fn shared() -> Option<&'static Server> {
    static SERVER: OnceLock<Option<Server>> = OnceLock::new();
    SERVER
        .get_or_init(|| match std::env::var("DECLX_TEST_PG") {
            Ok(url) if !url.is_empty() => Some(Server { url, dir: None }),
            _ => start_own(),
        })
        .as_ref()
}

/// The URL of a fresh, empty database named for the test, or `None` (the
/// test then skips, saying why).
pub fn database(name: &str) -> Option<String> {
    let Some(server) = shared() else {
        eprintln!("SKIPPED {name}: no PostgreSQL server (tests/db/pg.sh could not start one)");
        return None;
    };
    Some(fresh(&server.url, name))
}

/// Creates (again) database `name` on the server of `base`; its URL.
pub fn fresh(base: &str, name: &str) -> String {
    let mut c = postgres::Client::connect(base, postgres::NoTls).expect("connect to the test server");
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .expect("drop a test database");
    c.batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    let (head, _) = base.rsplit_once('/').expect("a URL with a database");
    format!("{head}/{name}")
}

/// Every row of a query, every value as text ("∅" for NULL).
pub fn query(url: &str, sql: &str) -> Vec<Vec<String>> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let mut rows = Vec::new();
    for m in c.simple_query(sql).unwrap_or_else(|e| panic!("{sql}: {e}")) {
        if let postgres::SimpleQueryMessage::Row(r) = m {
            rows.push((0..r.len()).map(|i| r.get(i).unwrap_or("∅").to_string()).collect());
        }
    }
    rows
}
