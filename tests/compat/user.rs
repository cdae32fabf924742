//! A user of the crate generated from `old.yaml`, written the way its documentation says:
//! structs built with `new` and `with_` setters, fields read and assigned, every `match`
//! on a generated enum with the `_` arm `#[non_exhaustive]` asks for, response types built
//! for a test. `cargo xtask compat` compiles it against the crates of `new.yaml` (it must
//! compile: every change there is an addition) and of `breaking_*.yaml` (it must not).

#![deny(warnings)]

use compat_client::default_api::CreateThingError;
use compat_client::types::{Color, Label, NewThing, Priority, Problem, Thing};
use compat_client::{Client, Error, Nullable};

/// A request body in one expression.
pub fn body() -> NewThing {
    NewThing::new("lamp")
        .with_color(Color::Red)
        .with_size(3)
        .with_note("bright")
        .with_label(Label::Integer(7))
}

/// Fields are public: read, assigned, cleared.
pub fn resized(mut body: NewThing) -> NewThing {
    body.size = body.size.map(|size| size + 1);
    body.note = Nullable::Null;
    body.color = None;
    body.name.push_str(" (big)");
    body
}

/// A response built in a test, without `full-serde`.
pub fn made_up_response() -> Thing {
    Thing::new("t-1", "lamp")
        .with_color(Color::Green)
        .with_priority(Priority::V2)
        .with_label(Label::String("small".to_owned()))
}

pub fn describe(thing: &Thing) -> String {
    let color = match &thing.color {
        Some(Color::Red) => "red",
        Some(Color::Green) => "green",
        Some(Color::Unknown(other)) => other.as_str(),
        Some(_) => "a color added since",
        None => "no color",
    };
    let priority = match thing.priority {
        Some(Priority::V1) => "low".to_owned(),
        Some(Priority::V2) => "high".to_owned(),
        Some(other) => other.value().to_string(),
        None => String::new(),
    };
    let label = match &thing.label {
        Some(Label::String(text)) => text.clone(),
        Some(Label::Integer(number)) => number.to_string(),
        Some(_) => "a label of a kind added since".to_owned(),
        None => String::new(),
    };
    format!("{} {} {color} {priority} {label}", thing.id, thing.name)
}

/// A documented error, matched by status.
pub async fn create(client: &Client) -> Result<String, Error> {
    match client.create_thing(body()).send().await {
        Ok(thing) => Ok(describe(&thing)),
        Err(Error::Api(e)) => match e.typed::<CreateThingError>() {
            Some(Ok(CreateThingError::NotFound(problem))) => Ok(problem.title.clone()),
            Some(Ok(_)) => Ok("an error status added since".to_owned()),
            _ => Err(Error::Api(e)),
        },
        Err(other) => Err(other),
    }
}

pub async fn fetch(client: &Client) -> Result<Thing, Error> {
    Ok(client.get_thing("t-1").send().await?.into_body())
}

/// A documented error body built for a test.
pub fn made_up_problem() -> Problem {
    Problem::new("no such shelf").with_detail("shelf 9")
}
