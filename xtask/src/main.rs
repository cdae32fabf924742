//! Project automation, run as `cargo xtask <command>`:
//!
//! - `codegen [--check]`: regenerate `generated/` from `spec/postman.yaml`; with `--check`,
//!   write nothing and fail (naming the stale files, with a diff) when it is out of date.
//! - `lint`: check `spec/postman.yaml` with Spectral, Redocly and openapi-spec-validator.
//! - `contract`: call every operation through the generated client against Prism.
//! - `roundtrip-collections`: real collections in `target/roundtrip/collections/` and the
//!   official SDK's round trip over them.
//! - `versions`: the corpus converted to OpenAPI 3.1 gives the same client as the 3.0 original.
//! - `compat`: additions to an API do not break users of its generated crate (compiled).
//! - `ci`: install what the checks need, then run every check and test.
//! - `spec-diff`: what a change of a document (`spec/` at two refs, or any two files) or of
//!   the generator means for HTTP clients and for the generated Rust crate.
//! - `spec-diff-proof`: spec-diff's Rust verdicts on `tests/spec_diff/` checked by compiling.

use std::process::ExitCode;
use xtask::{
    ci, codegen, compat, contract, corpus, generate, lint, roundtrip, spec_diff, sse_oracle,
    swagger2, versions,
};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check]   regenerate generated/ from spec/ (--check: fail if it is stale)
  generate --spec <file> --out <dir> [--name <crate name>]
                      generate a client crate from any OpenAPI 3.0, 3.1 or 3.2, or Swagger 2.0
                      document
  corpus              generate and cargo-check clients for real-world 3.0 and 3.1 specs
  fixtures            generate and cargo-check a client for every tests/fixtures/*.yaml
  compat              compile a user of tests/compat/old.yaml's crate against the crates
                      of additions (must compile) and of breaking changes (must not)
  swagger2            Swagger 2.0 documents: same surface as via swagger2openapi, and compile
  versions            the corpus converted to OpenAPI 3.1 (openapi-format) generates the
                      same public surface as the 3.0 originals
  lint                lint spec/postman.yaml (Spectral, Redocly, openapi-spec-validator)
  roundtrip-collections
                      convert the corpus specs to Postman collections (target/roundtrip/)
                      and measure the official SDK's round trip on them
  contract            call every operation through the client against a Prism mock
  ci                  install the tools the checks need and run every check and test
  spec-diff [--base <ref>] [--head <ref>] | --old <file> --new <file>
            | --old-crate <dir> --new-crate <dir> | --generator <ref>
            [--format markdown|json|github] [--fail-on breaking|none] [--bump]
                      report what a change of a document (or of the generator) means
                      for HTTP clients and for the generated Rust crate
  sse-oracle          the expected events of the runtime's server-sent events test are what
                      eventsource-parser (npm) dispatches
  spec-diff-proof     compile a probe of each tests/spec_diff pair's old crate against its
                      new crate: the compiler must agree with every Rust verdict";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["ci"] => ci::run(),
        ["lint"] => lint::run(),
        ["contract"] => contract::run(),
        ["corpus"] => corpus::run_corpus(),
        ["fixtures"] => corpus::run_fixtures(),
        ["sse-oracle"] => sse_oracle::run_oracle(),
        ["compat"] => compat::run(),
        ["swagger2"] => swagger2::run_swagger2(),
        ["versions"] => versions::run(),
        ["roundtrip-collections"] => roundtrip::run_roundtrip(),
        ["generate", rest @ ..] => generate::Options::parse(rest).and_then(generate::run),
        ["spec-diff-proof"] => spec_diff::proof::run(),
        ["spec-diff", rest @ ..] => spec_diff::Options::parse(rest).and_then(spec_diff::run),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown arguments: {}\n\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
