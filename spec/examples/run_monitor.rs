//! Runs a monitor now and prints how its requests and tests went.
//!
//! ```sh
//! POSTMAN_API_KEY=PMAK-... cargo run -p postman-client --example run_monitor <monitor-id>
//! ```

use postman_client::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let Some(monitor_id) = std::env::args().nth(1) else {
        eprintln!("usage: run_monitor <monitor-id or uid>");
        std::process::exit(2);
    };
    let client = Client::from_env()?;
    match client.run_monitor(monitor_id).send().await {
        Ok(response) => {
            let run = &response.run;
            println!(
                "{}: {} ({} failures)",
                run.info.name,
                run.info.status,
                run.failures.len()
            );
            Ok(())
        }
        // The API said no: its error envelope names what went wrong.
        Err(Error::Api(error)) => {
            eprintln!(
                "{}: {}",
                error.status(),
                error.message().unwrap_or("no message")
            );
            std::process::exit(1);
        }
        Err(other) => Err(other),
    }
}
