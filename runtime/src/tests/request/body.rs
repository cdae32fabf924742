//! Reading a response body within its size limit (`crate::request::body`).

use bytes::Bytes;

use crate::request::body::{BodyReader, Overflow, TooLarge};

fn chunk(byte: u8, len: usize) -> Bytes {
    Bytes::from(vec![byte; len])
}

#[test]
fn one_chunk_is_kept_without_copying() {
    let mut reader = BodyReader::new(100, Overflow::Fail, Some(10)).unwrap();
    let only = chunk(b'a', 10);
    let start = only.as_ptr();
    assert_eq!(reader.push(only), Ok(true));
    let (body, truncated) = reader.finish();
    assert_eq!(body.as_ptr(), start);
    assert_eq!(body.len(), 10);
    assert!(!truncated);
}

#[test]
fn chunks_are_joined_in_order() {
    let mut reader = BodyReader::new(100, Overflow::Fail, None).unwrap();
    for (byte, len) in [(b'a', 3), (b'b', 0), (b'c', 4), (b'd', 1)] {
        assert_eq!(reader.push(chunk(byte, len)), Ok(true));
    }
    assert_eq!(reader.received(), 8);
    let (body, truncated) = reader.finish();
    assert_eq!(&body[..], b"aaaccccd");
    assert!(!truncated);
    let (empty, _) = BodyReader::new(0, Overflow::Fail, Some(0))
        .unwrap()
        .finish();
    assert!(empty.is_empty());
}

#[test]
fn a_success_body_past_the_limit_fails() {
    // Announced too large: nothing is read.
    let err = BodyReader::new(100, Overflow::Fail, Some(101)).unwrap_err();
    assert_eq!(err, TooLarge { received: 0 });
    // Exactly the limit is fine, one byte more is not.
    let mut reader = BodyReader::new(100, Overflow::Fail, None).unwrap();
    assert_eq!(reader.push(chunk(b'a', 60)), Ok(true));
    assert_eq!(reader.push(chunk(b'b', 40)), Ok(true));
    assert_eq!(reader.push(chunk(b'c', 1)), Err(TooLarge { received: 101 }));
    // A server that announces less than it sends is caught the same way.
    let mut reader = BodyReader::new(100, Overflow::Fail, Some(10)).unwrap();
    assert_eq!(reader.push(chunk(b'a', 10)), Ok(true));
    assert_eq!(
        reader.push(chunk(b'b', 500)),
        Err(TooLarge { received: 510 })
    );
}

#[test]
fn an_error_body_past_the_limit_is_cut() {
    // An announced length past the limit does not fail: the start is kept.
    let mut reader = BodyReader::new(100, Overflow::Truncate, Some(1 << 30)).unwrap();
    assert_eq!(reader.push(chunk(b'a', 70)), Ok(true));
    assert_eq!(reader.push(chunk(b'b', 70)), Ok(false), "stop reading");
    assert_eq!(reader.received(), 140);
    assert!(
        reader.joined.capacity() <= 100,
        "the announced length does not size the buffer past the limit"
    );
    let (body, truncated) = reader.finish();
    assert_eq!(body.len(), 100);
    assert!(body[..70].iter().all(|&b| b == b'a'));
    assert!(body[70..].iter().all(|&b| b == b'b'));
    assert!(truncated);
    // A body exactly at the limit is whole.
    let mut reader = BodyReader::new(100, Overflow::Truncate, None).unwrap();
    assert_eq!(reader.push(chunk(b'a', 100)), Ok(true));
    let (body, truncated) = reader.finish();
    assert_eq!((body.len(), truncated), (100, false));
}

#[test]
fn the_buffer_never_grows_past_the_limit() {
    let limit = 1000;
    let mut reader = BodyReader::new(limit, Overflow::Fail, None).unwrap();
    let mut sent = 0;
    while reader.push(chunk(b'x', 7)).is_ok() {
        sent += 7;
        assert!(reader.joined.capacity() as u64 <= limit, "{sent}");
    }
    assert_eq!(sent, 994);
    // With a truthful Content-Length the buffer is allocated once.
    let mut reader = BodyReader::new(limit, Overflow::Fail, Some(900)).unwrap();
    for _ in 0..9 {
        reader.push(chunk(b'x', 100)).unwrap();
    }
    assert_eq!(reader.joined.capacity(), 900);
}
