package dev.concierge.scraper.crawling;

/**
 * What a page says, without its chrome.
 *
 * @param url   the page's canonical URL: its {@code <link rel=canonical>} when on the same host, else the
 *              fetched URL; normalised, without fragment
 * @param title the {@code <title>}, else the first {@code <h1>}, else empty
 * @param text  the main content, one block (heading, paragraph, list item, table row) per line
 */
public record ExtractedPage(String url, String title, String text) {
}
