//! Where the form stage runs the review rules on a record it made (SPEC
//! §3.3): the rules themselves, built-in and the user's, are `rules`.

use crate::record::{Check, Record};

pub fn run(r: &Record) -> Vec<Check> {
    crate::rules::check(r)
}
