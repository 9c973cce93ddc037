//! The `declx` command: parses arguments and calls the library; nothing else.
//!
//! Exit status: 0 every input gave a record; 2 some inputs failed (the
//! others are written); 1 a usage or run-level error (named on stderr);
//! 130 stopped by SIGINT/SIGTERM (what finished is written and reported);
//! 141 the reader of standard output went away (quietly).

use clap::{Args, Parser, Subcommand};
use declx::{FindingsFormat, FlatFormat, Limits, Options, RuleSet, Shard, Stopped, SurveyOptions, Vocabulary};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// Thousands of small cell strings per file: glibc malloc/free was a fifth of
// the profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_USAGE: u8 = 1;
const EXIT_SOME_FAILED: u8 = 2;
const EXIT_INTERRUPTED: u8 = 130;
const EXIT_BROKEN_PIPE: u8 = 141;

/// The most worker threads `--jobs` starts (a thread costs a stack; more
/// than the cores only waits).
const MAX_JOBS: u64 = 1024;

fn jobs(j: Option<u64>) -> Option<usize> {
    j.map(|j| usize::try_from(j).unwrap_or(usize::MAX))
}

#[derive(Parser)]
#[command(
    name = "declx",
    version,
    about = "Budget performance target declaration forms (绩效目标申报表) → JSON",
    after_help = "Exit status: 0 every input gave a record; 2 some inputs failed (the others are written); \
                  1 usage or run-level error; 130 interrupted (what finished is written); \
                  141 standard output closed."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract every form of the given files and directories (`-`: read paths from stdin).
    Extract(Box<ExtractArgs>),
    /// Print the JSON Schema of a record (or, with --sql, the database tables' DDL).
    Schema {
        /// Print the CREATE statements of the database tables: postgres, sqlite or oracle (also DM).
        #[arg(long, value_name = "DIALECT", num_args = 0..=1, default_missing_value = "postgres")]
        sql: Option<declx::db::Dialect>,
    },
    /// Print the reconstructed grid of a file: cells, merges, re-aligned rows.
    Inspect {
        path: PathBuf,
        /// Only this sheet.
        #[arg(long)]
        sheet: Option<String>,
        /// Write a self-contained review page (the grid coloured by where each cell went) instead of text.
        #[arg(long, value_name = "OUT.html")]
        html: Option<PathBuf>,
        #[command(flatten)]
        vocab: VocabArgs,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// List the labels declx did not understand across files, ranked by files.
    Labels(LabelsArgs),
    /// List the review rules in force: the built-in ones, with --rules files merged over them.
    Rules {
        #[command(flatten)]
        rules: RulesArgs,
    },
}

#[derive(Args)]
struct RulesArgs {
    /// A review rules file (TOML) merged over the built-in rules; repeatable, later files win.
    #[arg(long = "rules", value_name = "FILE")]
    rule_files: Vec<PathBuf>,
}

impl RulesArgs {
    /// The rule set, or the usage error naming the file and line.
    fn load(&self) -> Result<RuleSet, String> {
        RuleSet::load(&self.rule_files).map_err(|e| format!("--rules {e}"))
    }
}

#[derive(Args)]
struct VocabArgs {
    /// A vocabulary file (TOML) merged over the built-in one; repeatable, later files win.
    #[arg(long = "vocab", value_name = "FILE")]
    files: Vec<PathBuf>,
}

impl VocabArgs {
    /// The vocabulary, or the usage error naming the file and line.
    fn load(&self) -> Result<Vocabulary, String> {
        Vocabulary::load(&self.files).map_err(|e| format!("--vocab {e}"))
    }
}

#[derive(Args)]
struct LabelsArgs {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Paths read from stdin (`-`) are separated by NUL.
    #[arg(long = "null", short = '0')]
    null: bool,
    #[command(flatten)]
    vocab: VocabArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Only the N labels in most files.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Also write a starter vocabulary (every label commented out beside its suggested role).
    #[arg(long, value_name = "FILE")]
    emit_vocab: Option<PathBuf>,
    /// Worker threads (default: all cores; at most 1024).
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(0..=MAX_JOBS))]
    jobs: Option<u64>,
    /// No progress bar and no per-file errors on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args)]
struct ExtractArgs {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Paths read from stdin (`-`) are separated by NUL, as `find -print0` writes them.
    #[arg(long = "null", short = '0')]
    null: bool,
    /// Write one JSON file per record plus _report.json here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Remove record files in --out that this run did not write (a shard: those its previous run wrote).
    #[arg(long, requires = "out")]
    clean: bool,
    /// Write all records as JSON Lines to this file (`-` for stdout).
    #[arg(long)]
    jsonl: Option<PathBuf>,
    /// One row per 三级指标 to this file: `.csv` (UTF-8 with BOM) or `.jsonl`.
    #[arg(long)]
    flat: Option<PathBuf>,
    /// Write records.parquet and indicators.parquet into this directory (needs the `parquet` cargo feature).
    #[arg(long, value_name = "DIR")]
    parquet: Option<PathBuf>,
    /// Import into a database: sqlite:PATH or postgresql://USER@HOST/DB (re-import replaces, never duplicates).
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// Write the database tables as CSV files plus schema.sql (PostgreSQL) and schema.oracle.sql (Oracle/DM).
    #[arg(long, value_name = "DIR")]
    tables: Option<PathBuf>,
    /// Write the tables as one workbook (记录, 预算, 重点任务, 绩效指标, 文件).
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Write a review site here: index.html (one row per input) and a page per input.
    #[arg(long, value_name = "DIR")]
    review: Option<PathBuf>,
    /// Write the review findings (failed checks), one row per finding: `.xlsx` (with a summary sheet) or `.csv`.
    #[arg(long, value_name = "FILE")]
    findings: Option<PathBuf>,
    /// Worker threads (default: all cores; at most 1024).
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(0..=MAX_JOBS))]
    jobs: Option<u64>,
    /// Take only shard K of N (by a hash of each file's path below its input root).
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// No progress bar and no summary on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
    #[command(flatten)]
    vocab: VocabArgs,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args)]
struct LimitArgs {
    /// Largest input file, in MiB.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    max_file_mb: u64,
    /// Most non-empty cells per sheet.
    #[arg(long, default_value_t = 2_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    max_cells: u64,
    /// Most non-empty rows per sheet or text file (later rows are dropped, with a warning).
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..))]
    max_rows: u32,
    /// Most merged regions per sheet.
    #[arg(long, default_value_t = 100_000)]
    max_spans: usize,
    /// Largest uncompressed size of a zip-based workbook, in MiB.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..))]
    max_unzipped_mb: u64,
    /// Longest cell text kept, in KiB (longer text is cut, with a warning).
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..))]
    max_cell_kb: u64,
    /// Largest web page (.htm, .html), in MiB (its tree takes about 25 times its size).
    #[arg(long, default_value_t = 32)]
    max_page_mb: u64,
    /// Seconds one file may take before it fails alone with an error (0: no limit).
    #[arg(long, default_value_t = 60)]
    max_seconds: u64,
}

impl LimitArgs {
    /// The limits in bytes; a huge value saturates at 2^62 (it never wraps
    /// to 0, and a reader may still add to it).
    fn limits(&self) -> Limits {
        const MOST: u64 = 1 << 62;
        let size = |n: u64| usize::try_from(n.min(MOST)).unwrap_or(usize::MAX >> 1);
        Limits {
            max_file_bytes: self.max_file_mb.saturating_mul(1 << 20).min(MOST),
            max_cells: size(self.max_cells),
            max_spans: self.max_spans,
            max_unzipped_bytes: self.max_unzipped_mb.saturating_mul(1 << 20).min(MOST),
            max_cell_bytes: size(self.max_cell_kb.saturating_mul(1 << 10)),
            max_rows: self.max_rows,
            max_page_bytes: self.max_page_mb.saturating_mul(1 << 20).min(MOST),
            max_seconds: self.max_seconds,
        }
    }
}

impl ExtractArgs {
    fn options(self) -> Result<Options, String> {
        if self.out.is_none()
            && self.jsonl.is_none()
            && self.flat.is_none()
            && self.parquet.is_none()
            && self.review.is_none()
            && self.findings.is_none()
            && self.db.is_none()
            && self.tables.is_none()
            && self.xlsx.is_none()
        {
            return Err(
                "nothing to write: give --out DIR, --jsonl FILE|-, --flat FILE, --parquet DIR, --db URL, --tables DIR, --xlsx FILE, --review DIR and/or --findings FILE"
                    .into(),
            );
        }
        let findings = match self.findings {
            Some(p) => match FindingsFormat::of(&p) {
                Some(f) => Some((p, f)),
                None => {
                    return Err(format!(
                        "--findings {}: the file must end in .xlsx or .csv",
                        p.display()
                    ))
                }
            },
            None => None,
        };
        if self.parquet.is_some() && !cfg!(feature = "parquet") {
            return Err("--parquet: this declx was built without Parquet; build it with `cargo build --release --features parquet`".into());
        }
        // Parsed here, not by clap, whose error would echo a password.
        let db = match self.db.as_deref().map(str::parse::<declx::db::DbTarget>) {
            Some(Err(why)) => return Err(format!("--db {why}")),
            Some(Ok(t)) => Some(t),
            None => None,
        };
        let flat = match self.flat {
            Some(p) => match FlatFormat::of(&p) {
                Some(f) => Some((p, f)),
                None => {
                    return Err(format!(
                        "--flat {}: the file must end in .csv or .jsonl",
                        declx::path_text(&p)
                    ))
                }
            },
            None => None,
        };
        Ok(Options {
            inputs: self.paths,
            null_separated: self.null,
            out: self.out,
            clean: self.clean,
            jsonl: self.jsonl,
            flat,
            parquet: self.parquet,
            db,
            tables: self.tables,
            xlsx: self.xlsx,
            review: self.review,
            jobs: jobs(self.jobs),
            shard: self.shard,
            quiet: self.quiet,
            limits: self.limits.limits(),
            vocab: self.vocab.load()?,
            rules: self.rules.load()?,
            findings,
        })
    }
}

/// Prints text for people to stdout, with nothing a terminal would act on
/// (escape sequences, carriage returns, bidi overrides from file names or
/// cells are escaped).
fn print_text(text: &str) -> ExitCode {
    print_out(&declx::terminal_text(text))
}

/// One line to stderr, escaped the same way.
fn say(line: &str) {
    eprintln!("declx: {}", declx::terminal_line(line));
}

/// Prints to stdout; a closed pipe ends the command quietly.
fn print_out(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_BROKEN_PIPE),
        Err(e) => {
            eprintln!("declx: error: cannot write to standard output: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn usage_error(why: &str) -> ExitCode {
    say(why);
    ExitCode::from(EXIT_USAGE)
}

fn labels(args: LabelsArgs) -> ExitCode {
    let vocab = match args.vocab.load() {
        Ok(v) => v,
        Err(why) => return usage_error(&why),
    };
    let opts = SurveyOptions {
        inputs: args.paths,
        null_separated: args.null,
        jobs: jobs(args.jobs),
        quiet: args.quiet,
        limits: args.limits.limits(),
        vocab,
        top: args.top,
    };
    let outcome = match declx::survey(&opts) {
        Ok(o) => o,
        Err(e) => return usage_error(&format!("error: {e}")),
    };
    if let Some(path) = &args.emit_vocab {
        let text = declx::labels_vocab(&outcome.labels, outcome.files);
        if let Err(e) = declx::write_atomic(path, text.as_bytes()) {
            return usage_error(&format!("error: cannot write {}: {e}", declx::path_text(path)));
        }
    }
    let text = if args.json {
        declx::labels_json(&outcome.labels)
    } else {
        declx::labels_text(&outcome.labels, outcome.files, outcome.failed)
    };
    let printed = if args.json { print_out(&text) } else { print_text(&text) };
    match printed {
        code if code != ExitCode::SUCCESS => code,
        _ if outcome.failed > 0 => ExitCode::from(EXIT_SOME_FAILED),
        ok => ok,
    }
}

fn extract(args: ExtractArgs) -> ExitCode {
    let opts = match args.options() {
        Ok(o) => o,
        Err(why) => return usage_error(&why),
    };
    let outcome = match declx::run(&opts) {
        Ok(o) => o,
        Err(e) => {
            say(&format!("error: {e}"));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if outcome.stopped == Some(Stopped::BrokenPipe) {
        return ExitCode::from(EXIT_BROKEN_PIPE);
    }
    if !opts.quiet {
        eprintln!("{}", outcome.report.summary());
        if outcome.report.totals.inputs == 0 {
            say("warning: no input file was read (see the skipped files in the report)");
        }
    }
    if outcome.stale > 0 {
        let out = opts.out.as_ref().map(|p| declx::path_text(p)).unwrap_or_default();
        if outcome.removed > 0 {
            say(&format!(
                "removed {} record file(s) in {out} that this run did not write",
                outcome.removed
            ));
        } else {
            say(&format!(
                "warning: {} record file(s) in {out} were not written by this run (earlier runs); --clean removes them",
                outcome.stale
            ));
        }
    }
    if outcome.stopped == Some(Stopped::Signal) {
        ExitCode::from(EXIT_INTERRUPTED)
    } else if outcome.report.totals.failed > 0 {
        ExitCode::from(EXIT_SOME_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version print and succeed; anything else is a usage error.
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Schema { sql: Some(dialect) } => print_out(&declx::db::ddl(dialect)),
        Command::Schema { sql: None } => print_out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&declx::schema()).expect("schema serialises")
        )),
        Command::Inspect {
            path,
            sheet,
            html,
            vocab,
            rules,
        } => {
            let (vocab, rules) = match vocab.load().and_then(|v| Ok((v, rules.load()?))) {
                Ok(v) => v,
                Err(why) => return usage_error(&why),
            };
            if let Some(out) = html {
                return match rules
                    .scope(|| vocab.scope(|| declx::review_page(&path, sheet.as_deref(), &Limits::default())))
                {
                    Ok(page) => match declx::write_atomic(&out, page.html.as_bytes()) {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(e) => usage_error(&format!("error: cannot write {}: {e}", declx::path_text(&out))),
                    },
                    Err(e) => {
                        say(&format!("error: {e}"));
                        ExitCode::from(EXIT_SOME_FAILED)
                    }
                };
            }
            match rules.scope(|| vocab.scope(|| declx::inspect(&path, sheet.as_deref(), &Limits::default()))) {
                Ok(text) => print_text(&text),
                Err(e) => {
                    say(&format!("error: {e}"));
                    ExitCode::from(EXIT_SOME_FAILED)
                }
            }
        }
        Command::Labels(args) => labels(args),
        Command::Rules { rules } => match rules.load() {
            Ok(set) => print_out(&declx::rules_list(&set)),
            Err(why) => usage_error(&why),
        },
        Command::Extract(args) => extract(*args),
    }
}
