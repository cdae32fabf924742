//! Blocking calls, for scripts and command-line programs that do not run an async
//! runtime (cargo feature `blocking`): every request builder gains `send_blocking()`.

use crate::Error;
use std::future::Future;
use std::sync::OnceLock;

/// One small runtime for all blocking calls of the process, started on first use.
fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("api-client-blocking")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| Error::Config(format!("cannot start the runtime for blocking calls: {e}")))
}

/// Runs `future` to completion on the blocking runtime.
///
/// Inside an async runtime this would deadlock or panic, so it is refused there.
pub(crate) fn block_on<T>(future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config(
            "send_blocking() was called inside an async runtime: use `.send().await` there"
                .to_owned(),
        ));
    }
    runtime()?.block_on(future)
}
