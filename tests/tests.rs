//! declx's integration tests, one binary: each topic is a module, and
//! `common` holds the helpers they share.

mod common;

mod batch;
mod broken;
mod cli;
mod corpus;
mod db;
mod fixtures;
mod hostile;
mod identity;
mod page_breaks;
mod publish;
mod realign;
mod reliability;
mod review;
mod robustness;
mod rules;
mod schema;
mod security;
mod seed;
mod variants;
mod vocab;
mod workbooks;
