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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_a_future_outside_a_runtime() {
        let value = block_on(async { Ok::<_, Error>(7) });
        assert!(matches!(value, Ok(7)));
    }

    #[test]
    fn refuses_to_run_inside_a_runtime() {
        let outer = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a test runtime");
        let result = outer.block_on(async { block_on(async { Ok::<_, Error>(()) }) });
        match result {
            Err(Error::Config(message)) => assert!(message.contains("send().await")),
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }
}
