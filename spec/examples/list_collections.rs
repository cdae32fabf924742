//! Lists the collections the API key can see, optionally in one workspace.
//!
//! ```sh
//! POSTMAN_API_KEY=PMAK-... cargo run -p postman-client --example list_collections [workspace-id]
//! ```

use postman_client::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let mut request = client.get_collections();
    if let Some(workspace) = std::env::args().nth(1) {
        request = request.workspace(workspace);
    }
    let response = request.send().await?;
    for collection in &response.collections {
        println!("{}  {}", collection.uid, collection.name);
    }
    if let Some(remaining) = response.rate_limit().remaining() {
        eprintln!("{remaining} requests left in this minute");
    }
    Ok(())
}
