//! The `declx` command: parses arguments and calls the library; nothing else.

use clap::{Args, Parser, Subcommand};
use declx::{Limits, Options, Shard};
use std::path::PathBuf;
use std::process::ExitCode;

// Thousands of small cell strings per file: glibc malloc/free was a fifth of
// the profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "declx",
    version,
    about = "Budget performance target declaration forms (绩效目标申报表) → JSON"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract every form of the given files and directories (`-`: read paths from stdin).
    Extract(ExtractArgs),
    /// Print the JSON Schema of a record.
    Schema,
    /// Print the reconstructed grid of a file: cells, merges, re-aligned rows.
    Inspect {
        path: PathBuf,
        /// Only this sheet.
        #[arg(long)]
        sheet: Option<String>,
    },
}

#[derive(Args)]
struct ExtractArgs {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write one JSON file per record plus _report.json here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write all records as JSON Lines to this file (`-` for stdout).
    #[arg(long)]
    jsonl: Option<PathBuf>,
    /// One row per 三级指标 to this file: `.csv` (UTF-8 with BOM) or `.jsonl`.
    #[arg(long)]
    flat: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Take only shard K of N (by a hash of each file's path below its input root).
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// No progress bar and no summary on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Largest input file, in MiB.
    #[arg(long, default_value_t = 256)]
    max_file_mb: u64,
    /// Most non-empty cells per sheet.
    #[arg(long, default_value_t = 2_000_000)]
    max_cells: usize,
    /// Most merged regions per sheet.
    #[arg(long, default_value_t = 100_000)]
    max_spans: usize,
    /// Largest uncompressed size of a zip-based workbook, in MiB.
    #[arg(long, default_value_t = 1024)]
    max_unzipped_mb: u64,
    /// Longest cell text kept, in KiB (longer text is cut, with a warning).
    #[arg(long, default_value_t = 1024)]
    max_cell_kb: usize,
}

impl From<ExtractArgs> for Options {
    fn from(a: ExtractArgs) -> Self {
        Options {
            inputs: a.paths,
            out: a.out,
            jsonl: a.jsonl,
            flat: a.flat,
            jobs: a.jobs,
            shard: a.shard,
            quiet: a.quiet,
            limits: Limits {
                max_file_bytes: a.max_file_mb << 20,
                max_cells: a.max_cells,
                max_spans: a.max_spans,
                max_unzipped_bytes: a.max_unzipped_mb << 20,
                max_cell_bytes: a.max_cell_kb << 10,
            },
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&declx::schema()).expect("schema serialises")
            );
            ExitCode::SUCCESS
        }
        Command::Inspect { path, sheet } => match declx::inspect(&path, sheet.as_deref(), &Limits::default()) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("declx: error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Extract(args) => {
            if args.out.is_none() && args.jsonl.is_none() && args.flat.is_none() {
                eprintln!("declx: nothing to write: give --out DIR, --jsonl FILE|- and/or --flat FILE");
                return ExitCode::from(1);
            }
            let opts = Options::from(args);
            match declx::run(&opts) {
                Ok(report) if report.totals.failed > 0 => {
                    if !opts.quiet {
                        eprintln!("{}", report.summary());
                    }
                    ExitCode::from(2)
                }
                Ok(report) => {
                    if !opts.quiet {
                        eprintln!("{}", report.summary());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("declx: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
