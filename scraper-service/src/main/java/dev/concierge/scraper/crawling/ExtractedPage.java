package dev.concierge.scraper.crawling;

import dev.concierge.contracts.PageScraped;
import java.util.List;

/**
 * What a page says, without its chrome.
 *
 * @param url   the page's canonical URL: its {@code <link rel=canonical>} when on the same host, else the
 *              fetched URL; normalised, without fragment
 * @param title the {@code <title>}, else the first {@code <h1>}, else empty
 * @param text  the main content, one block (heading, paragraph, list item, table row) per line
 * @param description the meta description, or null
 * @param language    the {@code <html lang>} (primary subtag, lower case), or null
 * @param products    schema.org Product data from the page's JSON-LD
 */
public record ExtractedPage(String url, String title, String text, String description, String language,
        List<PageScraped.Product> products) {

    public ExtractedPage(String url, String title, String text) {
        this(url, title, text, null, null, List.of());
    }
}
