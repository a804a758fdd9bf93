//! A checkpoint of the write-ahead log made beside a long writer (the import): a thread with
//! its own connection copies each committed transaction from the log into the database file
//! while the writer goes on with the next.

/// A thread with its own connection that checkpoints the log after each committed batch: the
/// copy from the log into the database file overlaps the next batch's work. Best effort: a
/// checkpoint it cannot make is made by the import's own at the end.
pub(crate) struct Checkpointer {
    tick: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    pub(crate) fn start(path: Option<std::path::PathBuf>) -> Self {
        let none = Checkpointer {
            tick: None,
            thread: None,
        };
        let Some(path) = path else {
            return none;
        };
        let Ok(conn) = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) else {
            return none;
        };
        let (tick, ticks) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("shifan-checkpoint".into())
            .spawn(move || {
                while ticks.recv().is_ok() {
                    // Several batches may have committed meanwhile: one checkpoint for all.
                    while ticks.try_recv().is_ok() {}
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            });
        match thread {
            Ok(t) => Checkpointer {
                tick: Some(tick),
                thread: Some(t),
            },
            Err(_) => none,
        }
    }

    /// A batch was committed.
    pub(crate) fn committed(&self) {
        if let Some(t) = &self.tick {
            let _ = t.send(());
        }
    }

    /// Stop, after the checkpoint under way.
    pub(crate) fn finish(mut self) {
        self.tick = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
