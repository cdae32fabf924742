//! Walking every page of an operation that pages (declared with `x-pagination` in the
//! API description): `builder.pages()` yields each page, `builder.items()` each item;
//! call `.next().await` on either until it returns `None`.

use crate::{Error, Response};
use std::collections::VecDeque;
use std::future::Future;

/// A request builder of an operation that pages. Implemented by the generated builders.
pub trait Paginated: Clone + Sized {
    /// One page, as the operation returns it.
    type Page;
    /// One item of a page.
    type Item;

    /// Sends this request for one page.
    fn fetch(self) -> impl Future<Output = Result<Response<Self::Page>, Error>>;

    /// The request for the page after `page`, or `None` when `page` is the last.
    fn next_request(&self, page: &Self::Page) -> Option<Self>;

    /// The items of a page, in order.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Every page of a request, one after the other.
#[derive(Debug)]
#[must_use = "pages are fetched by calling `.next().await`"]
pub struct Pages<R> {
    next: Option<R>,
}

impl<R: Paginated> Pages<R> {
    /// The pages of `request`, starting with the page it asks for.
    pub fn new(request: R) -> Self {
        Pages {
            next: Some(request),
        }
    }

    /// The next page, or `None` after the last one. After an error, paging stops.
    pub async fn next(&mut self) -> Option<Result<Response<R::Page>, Error>> {
        let request = self.next.take()?;
        let following = request.clone();
        match request.fetch().await {
            Ok(page) => {
                self.next = following.next_request(&page);
                Some(Ok(page))
            }
            Err(error) => Some(Err(error)),
        }
    }

    /// Every item of every page.
    pub async fn try_collect_items(mut self) -> Result<Vec<R::Item>, Error> {
        let mut items = Vec::new();
        while let Some(page) = self.next().await {
            items.extend(R::into_items(page?.into_body()));
        }
        Ok(items)
    }
}

/// Every item of every page of a request, one after the other.
#[derive(Debug)]
#[must_use = "items are fetched by calling `.next().await`"]
pub struct Items<R: Paginated> {
    pages: Pages<R>,
    buffered: VecDeque<R::Item>,
}

impl<R: Paginated> Items<R> {
    /// The items of `request`'s pages.
    pub fn new(request: R) -> Self {
        Items {
            pages: Pages::new(request),
            buffered: VecDeque::new(),
        }
    }

    /// The next item, fetching the next page when needed; `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<R::Item, Error>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next().await? {
                Ok(page) => self.buffered.extend(R::into_items(page.into_body())),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// The cursor for the page after one whose request carried `current`: `None` when the
/// body names no next page, or names the same one again (which would never end).
pub(crate) fn next_cursor(current: Option<&String>, next: Option<String>) -> Option<String> {
    next.filter(|next| !next.is_empty() && Some(next) != current)
}

/// The position of the page after one that started at `current` and held `count` items;
/// `None` when that page was empty or the known `total` is reached.
pub(crate) fn next_offset(
    current: i64,
    count: usize,
    start: i64,
    total: Option<i64>,
) -> Option<i64> {
    let count = i64::try_from(count).ok().filter(|c| *c > 0)?;
    let next = current.checked_add(count)?;
    match total {
        Some(total) if next - start >= total => None,
        _ => Some(next),
    }
}

// Generated code of some specs uses only some of these.
const _: () = {
    let _ = next_cursor;
    let _ = next_offset;
};
