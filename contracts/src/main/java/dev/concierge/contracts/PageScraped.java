package dev.concierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * One crawled page, published by scraper-service on {@link Topics#PAGE_SCRAPED}.
 *
 * @param tenantId    the tenant that owns the page, whatever host served it
 * @param jobId       the crawl job that fetched it
 * @param url         the page's canonical URL
 * @param title       the document title (may be empty)
 * @param text        the extracted main text, headings kept on their own lines
 * @param contentHash SHA-256 (hex) of {@code text}; unchanged pages keep their hash
 * @param scrapedAt   when the page was fetched
 * @param description the page's meta description (null when it has none)
 * @param language    the page's declared language ({@code <html lang>}), e.g. {@code en}; null when undeclared
 * @param products    schema.org {@code Product} data found in the page's JSON-LD (empty when none); page text,
 *                    never live commerce data: prices and stock here are what the page said when crawled
 */
public record PageScraped(
        String tenantId,
        String jobId,
        String url,
        String title,
        String text,
        String contentHash,
        Instant scrapedAt,
        String description,
        String language,
        List<Product> products) {

    /** A schema.org Product as the page declares it; any field may be null. */
    public record Product(String name, String sku, String price, String currency, String availability, String url) {
    }
}
