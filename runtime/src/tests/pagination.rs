//! Tests of `crate::pagination`.

use crate::pagination::{next_cursor, next_offset};

#[test]
fn cursor_ends_on_missing_empty_or_repeated_cursor() {
    let a = "a".to_owned();
    assert_eq!(next_cursor(None, Some("a".into())), Some("a".into()));
    assert_eq!(next_cursor(Some(&a), Some("b".into())), Some("b".into()));
    assert_eq!(next_cursor(Some(&a), Some("a".into())), None);
    assert_eq!(next_cursor(Some(&a), Some(String::new())), None);
    assert_eq!(next_cursor(Some(&a), None), None);
}

#[test]
fn offset_ends_on_empty_page_or_total() {
    // SCIM counts from 1: 10 items in all, pages of 4.
    assert_eq!(next_offset(1, 4, 1, Some(10)), Some(5));
    assert_eq!(next_offset(5, 4, 1, Some(10)), Some(9));
    assert_eq!(next_offset(9, 2, 1, Some(10)), None);
    // Counting from 0 without a total: stop at the first empty page.
    assert_eq!(next_offset(0, 100, 0, None), Some(100));
    assert_eq!(next_offset(100, 0, 0, None), None);
    assert_eq!(next_offset(i64::MAX, 1, 0, None), None);
}
