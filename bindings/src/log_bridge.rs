//! The core's log records, and a panic's message, to the app's logger.
//!
//! Why: a field app is debugged from what its logs say (logcat, the iOS
//! console, a crash report). Rust's `log` records go nowhere on a phone
//! unless someone forwards them, and with `panic = "abort"` (ADR 0007) a
//! panic ends the process before any exception could say why. The app
//! implements [`Logger`] (logcat with a tag on Android, `os_log` on iOS) and
//! calls [`install_logger`] once at start-up; every record of the core and of
//! this crate reaches it with its level and target, and a panic hook sends
//! the panic's message and location at `Error` level (target `panic`)
//! before the process aborts.
//!
//! What is logged holds no personal data: the core's own rule (log lines name
//! codes, counts, versions and sequence numbers, never names, IINs,
//! addresses or amounts), tested by the Kotlin test of a scripted session.

use crate::error::KomekError;
use std::cell::Cell;
use std::sync::{Arc, Once, RwLock};

/// How serious a record is (`log::Level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl From<log::Level> for LogLevel {
    fn from(l: log::Level) -> LogLevel {
        match l {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        }
    }
}

impl From<LogLevel> for log::LevelFilter {
    fn from(l: LogLevel) -> log::LevelFilter {
        match l {
            LogLevel::Error => log::LevelFilter::Error,
            LogLevel::Warn => log::LevelFilter::Warn,
            LogLevel::Info => log::LevelFilter::Info,
            LogLevel::Debug => log::LevelFilter::Debug,
            LogLevel::Trace => log::LevelFilter::Trace,
        }
    }
}

/// One log record: level, where it comes from (`komek_core::sync::client`,
/// `panic`) and the message.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    pub level: LogLevel,
    pub target: String,
    pub message: String,
}

/// Receives the library's log records; implemented by the app. Called on the
/// thread that logged (any thread, the main one included): keep it quick.
/// What it throws is dropped.
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    fn log(&self, record: LogRecord) -> Result<(), KomekError>;
}

struct Bridge {
    logger: RwLock<Option<Arc<dyn Logger>>>,
}

static BRIDGE: Bridge = Bridge {
    logger: RwLock::new(None),
};
static INSTALL: Once = Once::new();

thread_local! {
    /// Set while a record is being handed to the app: a record logged by the
    /// app's logger itself (through Komek) is dropped instead of looping.
    static FORWARDING: Cell<bool> = const { Cell::new(false) };
}

impl Bridge {
    fn forward(&self, record: LogRecord) {
        if FORWARDING.with(|f| f.replace(true)) {
            return;
        }
        let logger = self.logger.read().ok().and_then(|l| l.clone());
        if let Some(logger) = logger {
            // A logger that throws must not stop the call that logged.
            let _ = logger.log(record);
        }
        FORWARDING.with(|f| f.set(false));
    }
}

impl log::Log for Bridge {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        self.forward(LogRecord {
            level: record.level().into(),
            target: record.target().to_string(),
            message: record.args().to_string(),
        });
    }

    fn flush(&self) {}
}

/// Send the library's log records at `max_level` and above to `logger`, and
/// a panic's message before the process aborts. Call once at start-up; a
/// later call replaces the logger and the level.
#[uniffi::export]
pub fn install_logger(logger: Arc<dyn Logger>, max_level: LogLevel) {
    if let Ok(mut slot) = BRIDGE.logger.write() {
        *slot = Some(logger);
    }
    INSTALL.call_once(|| {
        if log::set_logger(&BRIDGE).is_err() {
            // Another logger of the process (a Rust host app) came first;
            // the panic hook below still reaches the app's logger.
            eprintln!("komek: a Rust logger is already installed; log records stay with it");
        }
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            BRIDGE.forward(LogRecord {
                level: LogLevel::Error,
                target: "panic".into(),
                message: panic_message(info),
            });
            previous(info);
        }));
    });
    log::set_max_level(max_level.into());
}

/// "panicked at core/src/x.rs:12:5: message". Komek's panic texts hold no
/// personal data (the same rule as errors and logs).
fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    match info.location() {
        Some(l) => format!(
            "panicked at {}:{}:{}: {payload}",
            l.file(),
            l.line(),
            l.column()
        ),
        None => format!("panicked: {payload}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Capture(Mutex<Vec<LogRecord>>);

    impl Logger for Capture {
        fn log(&self, record: LogRecord) -> Result<(), KomekError> {
            self.0.lock().unwrap().push(record);
            Ok(())
        }
    }

    #[test]
    fn records_and_a_panic_reach_the_installed_logger_at_its_level() {
        let capture = Arc::new(Capture::default());
        install_logger(capture.clone(), LogLevel::Info);
        log::info!(target: "komek_core::sync::client", "sync done: 3 stored");
        log::debug!("below the level");
        let panicked = std::panic::catch_unwind(|| panic!("a bug in step 7"));
        assert!(panicked.is_err());

        let seen = capture.0.lock().unwrap().clone();
        assert!(seen.contains(&LogRecord {
            level: LogLevel::Info,
            target: "komek_core::sync::client".into(),
            message: "sync done: 3 stored".into(),
        }));
        assert!(!seen.iter().any(|r| r.message == "below the level"));
        let panic = seen.iter().find(|r| r.target == "panic").unwrap();
        assert_eq!(panic.level, LogLevel::Error);
        assert!(
            panic.message.contains("a bug in step 7"),
            "{}",
            panic.message
        );
        assert!(panic.message.contains("log_bridge.rs"), "{}", panic.message);
    }
}
