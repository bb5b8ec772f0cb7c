//! newsdex: a search engine for news archives.
//!
//! The data flows one way:
//!
//! ```text
//! corpus files ──corpus──▶ articles ──passages──▶ passages ──entities──▶ + people/places/orgs
//!      ──index──▶ tantivy index on disk ──search──▶ ranked, highlighted passages ──present──▶ user
//! ```
//!
//! [`corpus`] walks a folder and reads each format into [`corpus::Article`]s;
//! [`passages`] splits articles into paragraphs; [`entities`] finds who and
//! what each passage names; [`index`] keeps the tantivy index in line with the
//! corpus, incrementally and in one commit per run; [`search`] answers ranked
//! queries and exhaustive mention look-ups; [`present`] shows them. [`config`] holds
//! what one invocation asks for, [`cli`] builds it from the command line, and
//! [`commands`] runs it: [`run`] is the one entry point the binary calls. This file
//! only wires the modules together.
//!
//! May import: the rooms it declares; it only wires them and re-exports `run`.

pub mod cli;
pub mod commands;
pub mod compare;
pub mod config;
pub mod corpus;
pub mod entities;
pub mod index;
pub mod names;
pub mod ner;
pub mod passages;
pub mod present;
pub mod search;
pub mod serve;
pub mod solr;

pub use commands::run;
