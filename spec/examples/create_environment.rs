//! Creates an environment with two variables, one of them secret.
//!
//! ```sh
//! POSTMAN_API_KEY=PMAK-... cargo run -p postman-client --example create_environment
//! ```

use postman_client::types::{
    CreateEnvironmentRequest, EnvironmentInput, EnvironmentValue, EnvironmentValueType,
};
use postman_client::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    // Members the API requires go to `new`; the others have `with_` setters.
    let body = CreateEnvironmentRequest::new(
        EnvironmentInput::new("Staging").with_values([
            EnvironmentValue::new("baseUrl", "https://staging.example.com")
                .with_type(EnvironmentValueType::Default),
            EnvironmentValue::new("token", "change-me").with_type(EnvironmentValueType::Secret),
        ]),
    );
    let created = client.create_environment(body).send().await?;
    println!(
        "created {} ({})",
        created.environment.name, created.environment.uid
    );
    Ok(())
}
