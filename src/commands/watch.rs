//! `newsdex watch`: keep the index in line with the corpus while files change.
//!
//! Watch holds the writer lock for as long as it runs (a second indexer is
//! refused), reconciles once at start-up so changes made while it was not
//! running are picked up, then waits for file-system events. Events are
//! debounced and coalesced: a burst of thousands of files, or an editor's
//! save-by-rename, becomes one update, and each update is the same
//! incremental reconcile as `newsdex index` (only files whose size or
//! modification time changed are read), committed once. Ctrl-C lets the
//! current update finish and exits; a second Ctrl-C exits at once, abandoning
//! the uncommitted batch (the last commit stays intact).
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use super::{recognizer, update_options};
use crate::config::{Config, IndexConfig};
use crate::entities::Recognizer;
use crate::index::{self, NewsIndex, UpdateOptions};
use crate::present::{messages, Reporter};

/// Runs `newsdex watch`.
pub fn run(config: &Config, c: &IndexConfig, debounce: Duration) -> anyhow::Result<ExitCode> {
    let reporter = Reporter::new(config.quiet);
    let idx = index::open_or_create(&config.index, false)?;
    let stop = ctrl_c_flag(&config.index)?;
    watch(
        &idx,
        recognizer(c).as_ref(),
        &update_options(c),
        &reporter,
        debounce,
        stop,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Runs until Ctrl-C (or until `stop` is set, for tests and embedding).
pub fn watch(
    idx: &NewsIndex,
    recognizer: &dyn Recognizer,
    opts: &UpdateOptions,
    reporter: &Reporter,
    debounce: Duration,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<()> {
    index::with_writer(idx, opts, reporter, |writer| {
        watch_with(idx, writer, recognizer, opts, reporter, debounce, &stop)
    })
}

/// Installs the Ctrl-C handler: the first press asks to stop, the second exits at once.
pub fn ctrl_c_flag(idx_dir: &Path) -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let presses = AtomicUsize::new(0);
    let flag = Arc::clone(&stop);
    let marker = index::running_marker(idx_dir);
    ctrlc::set_handler(move || {
        if presses.fetch_add(1, Ordering::SeqCst) == 0 {
            eprintln!("{}", messages::WATCH_STOPPING);
            flag.store(true, Ordering::SeqCst);
        } else {
            eprintln!("{}", messages::WATCH_ABANDONED);
            let _ = std::fs::remove_file(&marker);
            std::process::exit(130);
        }
    })
    .context("cannot install the Ctrl-C handler")?;
    Ok(stop)
}

fn watch_with(
    idx: &NewsIndex,
    writer: &mut tantivy::IndexWriter,
    recognizer: &dyn Recognizer,
    opts: &UpdateOptions,
    reporter: &Reporter,
    debounce: Duration,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let summary = index::update_with(idx, writer, recognizer, opts, reporter)?;
    reporter.finish();
    reporter.info(&messages::watch_update("reconciled", &summary));

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(debounce, None, tx).context("cannot start watching files")?;
    debouncer
        .watch(opts.corpus, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", opts.corpus.display()))?;
    reporter.info(&messages::watching(opts.corpus));
    let index_dir = idx.dir.canonicalize().unwrap_or_else(|_| idx.dir.clone());
    while !stop.load(Ordering::SeqCst) {
        let batch = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(batch) => batch,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut relevant = is_relevant(&batch, &index_dir);
        // coalesce whatever else is already waiting
        while let Ok(more) = rx.try_recv() {
            relevant |= is_relevant(&more, &index_dir);
        }
        if !relevant {
            continue;
        }
        match index::update_with(idx, writer, recognizer, opts, reporter) {
            Ok(summary) if summary.committed => {
                reporter.info(&messages::watch_update("committed", &summary))
            }
            Ok(_) => {}
            Err(err) => messages::watch_failed(&err),
        }
        reporter.finish();
    }
    Ok(())
}

/// Whether a batch of events touches anything but the index folder and hidden files.
fn is_relevant(batch: &DebounceEventResult, index_dir: &Path) -> bool {
    match batch {
        Err(errors) => {
            for e in errors {
                messages::watch_warning(e);
            }
            true // an error (such as an overflowed event queue) may hide changes
        }
        Ok(events) => events.iter().any(|e| {
            e.paths.iter().any(|p| {
                let hidden = p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                !hidden && !p.starts_with(index_dir)
            })
        }),
    }
}
