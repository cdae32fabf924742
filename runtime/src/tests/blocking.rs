//! Tests of `crate::blocking`.

use crate::blocking::block_on;
use crate::error::Error;

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
