//! Auto-pagination: walks `offset` until `total` is reached (docs/contract.md §2 "Pagination").

use std::collections::VecDeque;

use super::rt::BoxFuture;
use crate::error::Result;
use crate::models::Page;

type PageFuture<T> = BoxFuture<'static, Result<(Vec<T>, u64)>>;
type Fetch<T> = Box<dyn Fn(u64) -> PageFuture<T> + Send + Sync>;

/// Yields every item of a list endpoint, fetching pages on demand.
///
/// Stops when `total` items have been seen or a page comes back empty (so a list that shrinks
/// while it is walked cannot loop forever). An error is yielded once and ends the walk.
pub struct Paginator<T> {
    fetch: Fetch<T>,
    offset: u64,
    buffered: VecDeque<T>,
    done: bool,
}

impl<T: Send + 'static> Paginator<T> {
    pub(crate) fn new<P, F>(start: u64, fetch: F) -> Paginator<T>
    where
        P: Page<Item = T> + Send + 'static,
        F: Fn(u64) -> BoxFuture<'static, Result<P>> + Send + Sync + 'static,
    {
        let fetch: Fetch<T> = Box::new(move |offset| {
            let page = fetch(offset);
            Box::pin(async move {
                let page = page.await?;
                let total = page.total();
                Ok((page.into_items(), total))
            })
        });
        Paginator { fetch, offset: start, buffered: VecDeque::new(), done: false }
    }

    /// The next item, fetching the next page when needed; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T>> {
        if let Some(item) = self.buffered.pop_front() {
            return Some(Ok(item));
        }
        if self.done {
            return None;
        }
        match self.next_page().await {
            Ok(true) => self.buffered.pop_front().map(Ok),
            Ok(false) => None,
            Err(err) => Some(Err(err)),
        }
    }

    /// Fetches the next page into the buffer. `Ok(false)` when there are no more items.
    async fn next_page(&mut self) -> Result<bool> {
        let (items, total) = match (self.fetch)(self.offset).await {
            Ok(page) => page,
            Err(err) => {
                self.done = true;
                return Err(err);
            }
        };
        self.offset += items.len() as u64;
        if items.is_empty() || self.offset >= total {
            self.done = true;
        }
        let any = !items.is_empty();
        self.buffered.extend(items);
        Ok(any)
    }

    /// The same walk, with each item converted by `f` (an error from `f` ends the walk like a
    /// failed page). Used on a paginator before its first item is taken.
    pub(crate) fn map_items<U: Send + 'static>(
        self,
        f: impl Fn(T) -> Result<U> + Send + Sync + 'static,
    ) -> Paginator<U> {
        let Paginator { fetch, offset, buffered, done } = self;
        debug_assert!(buffered.is_empty(), "map_items on a paginator that already fetched items");
        let f = std::sync::Arc::new(f);
        let fetch: Fetch<U> = Box::new(move |offset| {
            let page = fetch(offset);
            let f = std::sync::Arc::clone(&f);
            Box::pin(async move {
                let (items, total) = page.await?;
                let items = items.into_iter().map(|item| f(item)).collect::<Result<Vec<U>>>()?;
                Ok((items, total))
            })
        });
        Paginator { fetch, offset, buffered: VecDeque::new(), done }
    }

    /// Collects every remaining item.
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator").field("offset", &self.offset).field("done", &self.done).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::models::Contact;
    use crate::models::ContactList;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn contacts(range: std::ops::Range<u64>) -> Vec<Contact> {
        range.map(|i| Contact { uuid: i.to_string(), ..Contact::default() }).collect()
    }

    #[tokio::test]
    async fn walks_every_page_once() {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let pager = Paginator::new(0, move |offset| {
            seen.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                let end = (offset + 3).min(7);
                Ok(ContactList { contacts: contacts(offset..end), total: 7, limit: 3, offset })
            })
        });
        let all = pager.collect_all().await.unwrap();
        assert_eq!(all.iter().map(|c| c.uuid.as_str()).collect::<Vec<_>>(), ["0", "1", "2", "3", "4", "5", "6"]);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn stops_on_an_empty_page_even_if_total_says_more() {
        let pager = Paginator::new(0, |offset| {
            Box::pin(async move {
                let contacts = if offset == 0 { contacts(0..2) } else { Vec::new() };
                Ok(ContactList { contacts, total: 10, limit: 2, offset })
            })
        });
        assert_eq!(pager.collect_all().await.unwrap().len(), 2);
    }
}
