//! Where a page stands in its list: the numbers and links of the
//! pagination. Every list page shows at most `[site] page_size` rows, so no
//! page grows with the repository; the URLs of the pages come from
//! [`urls::page`].

use serde::Serialize;

use super::urls;

/// How many pages `total` rows take, at least one.
pub fn page_count(total: usize, size: usize) -> usize {
    total.div_ceil(size.max(1)).max(1)
}

/// Where a page stands in its list, for the pagination links.
#[derive(Debug, Clone, Serialize)]
pub struct PagerView {
    /// This page, 1-based.
    pub number: usize,
    /// How many pages the list has (at least 1).
    pub count: usize,
    /// Rows in the whole list.
    pub total: usize,
    /// Rows per page.
    pub size: usize,
    /// 1-based positions of the first and last row on this page (0 and 0
    /// for an empty list).
    pub first: usize,
    /// See `first`.
    pub last: usize,
    /// This page, site-root-relative.
    pub url: String,
    /// Page 1, site-root-relative.
    pub first_url: String,
    /// The previous page, none on page 1.
    pub prev_url: Option<String>,
    /// The next page, none on the last.
    pub next_url: Option<String>,
    /// Page numbers to link: the first, the last, and two either side of
    /// this one, with a gap entry (`number` none) where pages are skipped.
    pub links: Vec<PageLink>,
}

/// One entry of the page-number links.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page, or none for a gap (`…`).
    pub number: Option<usize>,
    /// Its URL, site-root-relative; none for a gap.
    pub url: Option<String>,
    /// Whether it is the page being shown.
    pub current: bool,
}

impl PagerView {
    /// Page `number` of a list of `total` rows whose first page is `first`.
    pub fn new(first: &str, number: usize, total: usize, size: usize) -> PagerView {
        let size = size.max(1);
        let count = page_count(total, size);
        let number = number.clamp(1, count);
        let mut shown: Vec<usize> = vec![1, count];
        shown.extend(number.saturating_sub(2).max(1)..=(number + 2).min(count));
        shown.sort_unstable();
        shown.dedup();
        let mut links = Vec::with_capacity(shown.len() + 2);
        let mut previous = 0;
        for n in shown {
            if n > previous + 2 {
                links.push(PageLink {
                    number: None,
                    url: None,
                    current: false,
                });
            } else if n == previous + 2 {
                // One page skipped: its number takes no more room than `…`.
                links.push(PageLink {
                    number: Some(n - 1),
                    url: Some(urls::page(first, n - 1)),
                    current: false,
                });
            }
            links.push(PageLink {
                number: Some(n),
                url: Some(urls::page(first, n)),
                current: n == number,
            });
            previous = n;
        }
        PagerView {
            number,
            count,
            total,
            size,
            first: if total == 0 {
                0
            } else {
                (number - 1) * size + 1
            },
            last: (number * size).min(total),
            url: urls::page(first, number),
            first_url: first.to_owned(),
            prev_url: (number > 1).then(|| urls::page(first, number - 1)),
            next_url: (number < count).then(|| urls::page(first, number + 1)),
            links,
        }
    }

    /// The range of rows this page shows, 0-based.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first.saturating_sub(1)..self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts_round_up_and_an_empty_list_has_one_page() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_count(7, 0), 7);
    }

    fn numbers(p: &PagerView) -> String {
        p.links
            .iter()
            .map(|l| match (l.number, l.current) {
                (None, _) => "…".to_owned(),
                (Some(n), true) => format!("[{n}]"),
                (Some(n), false) => n.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_pager_links_both_ends_and_the_neighbourhood() {
        let p = PagerView::new("index.html", 1, 1000, 50);
        assert_eq!(numbers(&p), "[1] 2 3 … 20");
        assert_eq!((p.first, p.last, p.count), (1, 50, 20));
        assert_eq!(p.prev_url, None);
        assert_eq!(p.next_url.as_deref(), Some("page/2.html"));
        let p = PagerView::new("index.html", 10, 1000, 50);
        assert_eq!(numbers(&p), "1 … 8 9 [10] 11 12 … 20");
        assert_eq!(p.prev_url.as_deref(), Some("page/9.html"));
        let p = PagerView::new("index.html", 4, 1000, 50);
        assert_eq!(
            numbers(&p),
            "1 2 3 [4] 5 6 … 20",
            "one skipped page is shown"
        );
        let p = PagerView::new("index.html", 20, 999, 50);
        assert_eq!((p.first, p.last), (951, 999));
        assert_eq!(p.next_url, None);
        let p = PagerView::new("index.html", 1, 0, 50);
        assert_eq!((p.first, p.last, p.count), (0, 0, 1));
        assert_eq!(numbers(&p), "[1]");
        // A page past the end is the last page.
        assert_eq!(PagerView::new("index.html", 99, 120, 50).number, 3);
    }
}
