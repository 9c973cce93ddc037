//! `declx labels` over many files: the inputs read in parallel like a batch
//! run (same walk, same limits, a progress bar on a terminal), each file's
//! unknown texts gathered in input order so the ranking and the examples do
//! not depend on the number of jobs.

use super::batch::extract_guarded_with;
use super::inputs::{self, InputOptions};
use super::runner::{self, RunError};
use crate::pathtext::path_text;
use crate::read::Limits;
use crate::survey::{self, Label, Survey};
use crate::vocab::Vocabulary;
use rayon::prelude::*;
use std::io::{self, Read};
use std::path::PathBuf;

/// What `declx labels` is asked to read.
#[derive(Debug, Clone, Default)]
pub struct SurveyOptions {
    pub inputs: Vec<PathBuf>,
    pub null_separated: bool,
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub limits: Limits,
    pub vocab: Vocabulary,
    /// At most this many labels.
    pub top: Option<usize>,
}

/// The ranked labels, and how many files were read and could not be.
#[derive(Debug)]
pub struct SurveyOutcome {
    pub labels: Vec<Label>,
    pub files: usize,
    pub failed: usize,
}

pub fn survey(opts: &SurveyOptions) -> Result<SurveyOutcome, RunError> {
    let stdin = || {
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let input_opts = InputOptions {
        null_separated: opts.null_separated,
        exclude: Vec::new(),
    };
    let walked = inputs::walk(&opts.inputs, stdin, &input_opts).map_err(|e| RunError {
        what: "cannot read the list of inputs".into(),
        source: e,
    })?;
    let files = walked.files;
    let pool = runner::pool(opts.jobs)?;
    let pb = runner::progress(files.len(), opts.quiet);
    let mut all = Survey::default();
    // A directory that cannot be read fails like a file that cannot be.
    for (dir, e) in &walked.unreadable {
        all.failed += 1;
        if !opts.quiet {
            let line = format!("{}: cannot read the directory: {e}", path_text(dir));
            eprintln!("declx: error: {}", crate::pathtext::terminal_line(&line));
        }
    }
    for chunk in files.chunks(super::batch::CHUNK) {
        let results: Vec<_> = pool.install(|| {
            chunk
                .par_iter()
                .map(|f| {
                    // The per-file time limit, as in extract (--max-seconds).
                    let budget = crate::Budget::new(Some(opts.limits.max_seconds), || false);
                    let r = budget.scope(|| {
                        opts.vocab
                            .scope(|| extract_guarded_with(&f.path, |p| survey::survey_file(p, &opts.limits)))
                    });
                    if !pb.is_hidden() {
                        pb.inc(1);
                    }
                    r
                })
                .collect()
        });
        for (input, result) in chunk.iter().zip(results) {
            match result {
                Ok(unknowns) => all.add(&path_text(&input.path), unknowns),
                Err(e) => {
                    all.failed += 1;
                    if !opts.quiet {
                        pb.suspend(|| eprintln!("declx: error: {e}"));
                    }
                }
            }
        }
    }
    pb.finish_and_clear();
    let (files, failed) = (all.files, all.failed);
    let labels = opts.vocab.scope(|| all.ranked(opts.top));
    Ok(SurveyOutcome { labels, files, failed })
}
