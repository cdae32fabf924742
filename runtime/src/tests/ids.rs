//! Tests of `crate::ids`.

use crate::ids::Uid;

const UUID: &str = "ec29121c-5203-409f-9e84-e83ffc10f226";

#[test]
fn parses_and_prints() {
    let uid: Uid = format!("12345678-{UUID}").parse().unwrap();
    assert_eq!((uid.owner(), uid.id()), (12_345_678, UUID));
    assert_eq!(uid.to_string(), format!("12345678-{UUID}"));
    let upper: Uid = format!("7-{}", UUID.to_uppercase()).parse().unwrap();
    assert_eq!(upper.to_string(), format!("7-{UUID}"));
    assert_eq!(Uid::new(7, UUID).unwrap(), upper);
    assert_eq!(String::from(&uid), format!("12345678-{UUID}"));
    assert_eq!(String::from(uid), format!("12345678-{UUID}"));
}

#[test]
fn bad_input_says_why() {
    for (input, reason) in [
        ("", "no `-`"),
        (UUID, "owner id is not a number"),
        (
            "-ec29121c-5203-409f-9e84-e83ffc10f226",
            "owner id is not a number",
        ),
        (
            "+1-ec29121c-5203-409f-9e84-e83ffc10f226",
            "owner id is not a number",
        ),
        (
            "99999999999999999999-ec29121c-5203-409f-9e84-e83ffc10f226",
            "too large",
        ),
        ("12-ec29121c-5203-409f-9e84", "not a UUID"),
        ("12-ec29121c-5203-409f-9e84-e83ffc10f22g", "not a UUID"),
        ("12-ec29121c-5203-409f-9e84-e83ffc10f226-1", "not a UUID"),
        ("12-é9121c-5203-409f-9e84-e83ffc10f226", "not a UUID"),
    ] {
        let error = input.parse::<Uid>().unwrap_err();
        let message = error.to_string();
        assert!(message.contains(reason), "{input}: {message}");
        assert!(
            message.contains(&input.escape_debug().to_string()),
            "{message}"
        );
    }
    assert!(Uid::new(1, "nope").is_err());
}

#[test]
fn serde_round_trip() {
    let uid = Uid::new(42, UUID).unwrap();
    let json = serde_json::to_string(&uid).unwrap();
    assert_eq!(json, format!("\"42-{UUID}\""));
    assert_eq!(serde_json::from_str::<Uid>(&json).unwrap(), uid);
    assert!(serde_json::from_str::<Uid>("\"42\"").is_err());
    assert!(serde_json::from_str::<Uid>("42").is_err());
}
