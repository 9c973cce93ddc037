//! declx's integration tests, one binary: each topic is a module, and
//! `common` holds the helpers they share.

mod common;

mod batch;
mod broken;
mod cli;
mod corpus;
mod db;
mod fixtures;
mod page_breaks;
mod publish;
mod reliability;
mod review;
mod robustness;
mod schema;
mod seed;
mod variants;
mod vocab;
mod workbooks;
