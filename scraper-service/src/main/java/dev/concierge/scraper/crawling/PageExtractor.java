package dev.concierge.scraper.crawling;

import dev.concierge.contracts.PageScraped;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.springframework.stereotype.Component;

/**
 * Turns a store's HTML page into the text worth indexing: scripts, navigation, page header and footer,
 * sidebars, forms, embeds and cookie/consent banners are dropped; the main content ({@code <main>},
 * {@code [role=main]}, a single {@code <article>}, else the body) is rendered as lines of light Markdown:
 * headings behind {@code #} marks, list items behind {@code - }, every paragraph on its own line.
 */
@Component
public class PageExtractor {

    private static final String CHROME = "script, style, noscript, template, nav, aside, form, iframe, svg, "
            + "object, embed, [role=navigation], [role=banner], [role=contentinfo], [role=search]";
    private static final String CONTENT = "main, article, [role=main]";
    private static final Set<String> NEVER_BANNERS = Set.of("html", "body", "main", "article");
    private static final Set<String> LINE_TAGS = Set.of("br", "li", "dt", "dd", "tr", "p", "h1", "h2", "h3", "h4",
            "h5", "h6", "div", "section", "blockquote", "pre", "figcaption", "caption", "address", "summary",
            "details", "ul", "ol", "dl", "table", "hr", "label", "option", "legend");
    private static final Set<String> CELL_TAGS = Set.of("td", "th");
    private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u2007\\u202F\\u200B]+");

    public ExtractedPage extract(String html, String pageUrl) {
        return extract(Jsoup.parse(html, pageUrl), pageUrl);
    }

    /** Extracts from a parsed page; the document is edited (chrome removed), so it is not usable afterwards. */
    public ExtractedPage extract(Document doc, String pageUrl) {
        String title = doc.title().strip();
        String url = canonicalUrl(doc, pageUrl);
        String description = meta(doc);
        String language = language(doc);
        List<PageScraped.Product> products = JsonLdProducts.from(doc); // before scripts are dropped

        doc.select(CHROME).remove();
        for (Element e : doc.select("header, footer")) {
            if (e.parent() != null && e.closest(CONTENT) == null) {
                e.remove(); // the site's header and footer; an article's own header keeps its title
            }
        }
        removeConsentBanners(doc);

        Element root = contentRoot(doc);
        if (title.isEmpty()) {
            Element h1 = root.selectFirst("h1");
            title = h1 != null ? h1.text().strip() : "";
        }
        return new ExtractedPage(url, title, text(root), description, language, products);
    }

    private static String meta(Document doc) {
        Element meta = doc.selectFirst("meta[name=description][content]");
        String content = meta == null ? "" : SPACES.matcher(meta.attr("content")).replaceAll(" ").strip();
        return content.isEmpty() ? null : content;
    }

    /**
     * The primary language subtag ("en-GB" → "en") of {@code <html lang>}, else of
     * {@code <meta http-equiv="content-language">}, else of {@code og:locale} ("de_DE"), or null.
     */
    private static String language(Document doc) {
        Element html = doc.selectFirst("html[lang]");
        Element httpEquiv = doc.selectFirst("meta[http-equiv~=(?i)content-language][content]");
        Element ogLocale = doc.selectFirst("meta[property=og:locale][content]");
        String lang = html != null && !html.attr("lang").isBlank() ? html.attr("lang")
                : httpEquiv != null ? httpEquiv.attr("content").split(",")[0]
                : ogLocale != null ? ogLocale.attr("content") : "";
        lang = lang.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        int dash = lang.indexOf('-');
        lang = dash > 0 ? lang.substring(0, dash) : lang;
        return lang.matches("[a-z]{2,3}") ? lang : null;
    }

    private static String canonicalUrl(Document doc, String pageUrl) {
        String page = SiteScope.normalise(pageUrl);
        if (page == null) {
            int hash = pageUrl.indexOf('#');
            page = hash >= 0 ? pageUrl.substring(0, hash) : pageUrl;
        }
        for (Element link : doc.select("link[rel][href]")) {
            boolean canonical = Set.of(link.attr("rel").toLowerCase(Locale.ROOT).split("\\s+")).contains("canonical");
            if (canonical) {
                String href = SiteScope.normalise(link.absUrl("href"));
                if (href != null && SiteScope.hostKey(hostOf(href)).equals(SiteScope.hostKey(hostOf(page)))) {
                    return href;
                }
                break;
            }
        }
        return page;
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static void removeConsentBanners(Document doc) {
        Elements banners = new Elements();
        for (Element e : doc.getAllElements()) {
            if (NEVER_BANNERS.contains(e.normalName())) {
                continue;
            }
            String marks = (e.id() + " " + e.className()).toLowerCase(Locale.ROOT);
            if (marks.contains("cookie") || marks.contains("consent")) {
                banners.add(e);
            }
        }
        banners.remove();
    }

    private static Element contentRoot(Document doc) {
        Element main = doc.selectFirst("main");
        if (main == null) {
            main = doc.selectFirst("[role=main]");
        }
        if (main == null) {
            Elements articles = doc.select("article");
            main = articles.size() == 1 ? articles.first() : null;
        }
        return main != null ? main : doc.body();
    }

    /** Block elements start and end lines, table cells are separated by a space, whitespace collapses. */
    static String text(Element root) {
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    out.append(SPACES.matcher(t.getWholeText()).replaceAll(" "));
                } else if (node instanceof Element e) {
                    if (CELL_TAGS.contains(e.normalName())) {
                        out.append(' ');
                    } else if (isDefinitionOfTerm(e)) {
                        out.append(": "); // <dt>SKU</dt><dd>CS-1</dd> reads "SKU: CS-1"
                    } else if (isLine(e)) {
                        out.append('\n').append(marker(e));
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && !e.normalName().equals("br") && isLine(e) && !isTermFollowedByDefinition(e)) {
                    out.append('\n');
                }
            }
        }, root);
        return out.toString().lines()
                .map(line -> SPACES.matcher(line).replaceAll(" ").strip())
                .filter(line -> !line.isEmpty() && !line.matches("(#+|-)"))
                .collect(Collectors.joining("\n"));
    }

    /** Light Markdown, so the chunker can tell headings and list items from paragraphs. */
    private static String marker(Element e) {
        String name = e.normalName();
        if (name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6') {
            return "#".repeat(name.charAt(1) - '0') + " ";
        }
        return name.equals("li") ? "- " : "";
    }

    private static boolean isDefinitionOfTerm(Element e) {
        Element previous = e.previousElementSibling();
        return e.normalName().equals("dd") && previous != null && previous.normalName().equals("dt");
    }

    private static boolean isTermFollowedByDefinition(Element e) {
        Element next = e.nextElementSibling();
        return e.normalName().equals("dt") && next != null && next.normalName().equals("dd");
    }

    private static boolean isLine(Element e) {
        return LINE_TAGS.contains(e.normalName()) || !CELL_TAGS.contains(e.normalName()) && e.isBlock();
    }
}
