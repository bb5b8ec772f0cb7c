//! `newsdex serve`: bind, say where, answer until Ctrl-C or SIGTERM.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::Context;

use crate::config::{Config, ServeConfig};
use crate::present::messages;
use crate::serve::Server;

/// Runs `newsdex serve`; exit code 0 after a clean stop.
pub fn run(config: &Config, c: &ServeConfig) -> anyhow::Result<ExitCode> {
    let server = Server::bind(&c.addr, c.public)?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopper = server.stopper(Arc::clone(&stop));
    ctrlc::set_handler(move || stopper.stop()).context("cannot install the Ctrl-C handler")?;
    let addr = server.addr();
    if !addr.ip().is_loopback() {
        eprintln!("{}", messages::serving_publicly(addr));
    }
    eprintln!("{}", messages::listening(addr));
    server.run(config.index.clone(), c.workers, &stop);
    if !config.quiet {
        eprintln!("{}", messages::SERVE_STOPPED);
    }
    Ok(ExitCode::SUCCESS)
}
