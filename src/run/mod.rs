//! Runs over many files: which inputs a run reads (`inputs`, always built)
//! and, with the `cli` feature, the parallel batch run itself.

#[cfg(feature = "cli")]
mod batch;
pub mod inputs;
#[cfg(feature = "cli")]
mod options;
#[cfg(feature = "cli")]
mod runner;
#[cfg(feature = "cli")]
pub use options::Options;
#[cfg(feature = "cli")]
mod stale;
#[cfg(feature = "cli")]
mod stop;
#[cfg(feature = "cli")]
pub use runner::{run, RunError, RunOutcome, Stopped};
#[cfg(feature = "cli")]
mod survey;
#[cfg(feature = "cli")]
pub use survey::{survey, SurveyOptions, SurveyOutcome};
