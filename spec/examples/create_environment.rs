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
    let body = CreateEnvironmentRequest {
        environment: EnvironmentInput {
            name: "Staging".to_owned(),
            values: Some(vec![
                EnvironmentValue {
                    key: "baseUrl".to_owned(),
                    value: "https://staging.example.com".to_owned(),
                    r#type: Some(EnvironmentValueType::Default),
                    ..Default::default()
                },
                EnvironmentValue {
                    key: "token".to_owned(),
                    value: "change-me".to_owned(),
                    r#type: Some(EnvironmentValueType::Secret),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        },
        ..Default::default()
    };
    let created = client.create_environment(body).send().await?;
    println!(
        "created {} ({})",
        created.environment.name, created.environment.uid
    );
    Ok(())
}
