package dev.concierge.scraper.crawling.internal;

import edu.uci.ics.crawler4j.crawler.CrawlConfig;
import edu.uci.ics.crawler4j.crawler.Page;
import edu.uci.ics.crawler4j.crawler.exceptions.ParseException;
import edu.uci.ics.crawler4j.parser.HtmlParseData;
import edu.uci.ics.crawler4j.parser.HtmlParser;
import edu.uci.ics.crawler4j.parser.NotAllowedContentException;
import edu.uci.ics.crawler4j.parser.Parser;
import edu.uci.ics.crawler4j.url.URLCanonicalizer;
import edu.uci.ics.crawler4j.url.WebURL;
import edu.uci.ics.crawler4j.util.Util;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * crawler4j's HTML parsing done with jsoup, once: the page is parsed into a {@link Document} that the
 * extractor then reads, instead of crawler4j's Tika parse plus a language guess per page (a fifth of the
 * scraper's CPU in the ingestion benchmark) followed by our own jsoup parse. It gives crawler4j what it
 * reads from a parse: the outgoing links with their {@code rel} (for {@code nofollow}), the meta tags (for
 * {@code robots} noindex/nofollow), title and text.
 */
final class JsoupHtmlParser implements HtmlParser {

    /** A parse result that also carries the parsed document, for the extractor. */
    static final class ParsedHtml extends HtmlParseData {
        private Document document;
        private String baseUri;

        /** The document, handed out once (the extractor edits it); parsed again if asked a second time. */
        Document takeDocument() {
            Document d = document != null ? document : Jsoup.parse(getHtml(), baseUri);
            document = null;
            return d;
        }
    }

    /** crawler4j's parser with jsoup for HTML and no language detection (the extractor reads the page's own). */
    static Parser parser(CrawlConfig config) {
        JsoupHtmlParser html = new JsoupHtmlParser();
        return new Parser(config, html) {
            @Override
            public void parse(Page page, String contextUrl) throws NotAllowedContentException, ParseException {
                if (Util.hasBinaryContent(page.getContentType()) || Util.hasPlainTextContent(page.getContentType())) {
                    super.parse(page, contextUrl);
                    return;
                }
                HtmlParseData data = html.parse(page, contextUrl);
                if (page.getContentCharset() == null) {
                    page.setContentCharset(data.getContentCharset());
                }
                page.setParseData(data);
            }
        };
    }

    @Override
    public HtmlParseData parse(Page page, String contextUrl) throws ParseException {
        byte[] bytes = page.getContentData();
        if (bytes == null) {
            throw new ParseException();
        }
        Document doc;
        try {
            doc = Jsoup.parse(new ByteArrayInputStream(bytes), page.getContentCharset(), contextUrl);
        } catch (IOException | RuntimeException e) {
            throw new ParseException();
        }
        Charset charset = doc.charset();
        ParsedHtml data = new ParsedHtml();
        data.document = doc;
        data.baseUri = contextUrl;
        data.setContentCharset(charset.name());
        data.setHtml(new String(bytes, charset));
        data.setTitle(doc.title());
        data.setText(""); // crawler4j only fed it to its language guess; the extractor makes the page's text
        data.setMetaTags(metaTags(doc));
        data.setOutgoingUrls(links(doc));
        return data;
    }

    private static Map<String, String> metaTags(Document doc) {
        Map<String, String> tags = new HashMap<>();
        for (Element meta : doc.select("meta[name][content]")) {
            tags.putIfAbsent(meta.attr("name").toLowerCase(Locale.ROOT), meta.attr("content"));
        }
        return tags;
    }

    private static Set<WebURL> links(Document doc) {
        Set<WebURL> links = new LinkedHashSet<>();
        for (Element e : doc.select("a[href], area[href], frame[src], iframe[src]")) {
            String attribute = e.hasAttr("href") ? "href" : "src";
            String raw = e.attr(attribute).strip();
            if (raw.isEmpty() || raw.startsWith("#")) {
                continue;
            }
            String lower = raw.toLowerCase(Locale.ROOT);
            if (lower.startsWith("javascript:") || lower.startsWith("mailto:") || lower.startsWith("tel:")
                    || lower.startsWith("data:")) {
                continue;
            }
            // resolved against <base href> or the page's URL, then canonicalised as crawler4j's own parser does
            String absolute = e.absUrl(attribute);
            absolute = absolute.isEmpty() ? null : URLCanonicalizer.getCanonicalURL(absolute);
            if (absolute == null) {
                continue;
            }
            WebURL url = new WebURL();
            url.setURL(absolute);
            url.setTag(e.tagName());
            url.setAnchor(e.text());
            Map<String, String> attributes = new HashMap<>();
            if (e.hasAttr("rel")) {
                attributes.put("rel", e.attr("rel"));
            }
            url.setAttributes(attributes);
            links.add(url);
        }
        return links;
    }
}
