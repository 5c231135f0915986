package dev.concierge.search.products;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.contracts.ProductChanged;
import dev.concierge.embeddings.EmbeddingModels;
import dev.concierge.search.indexing.IndexingService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A store product as a document of the index, so product questions retrieve products too: one chunk per
 * product (name, SKU, categories, price, stock, short description, variations) under its own URL (the
 * product's permalink with {@value #FRAGMENT}, so it never replaces the crawled product page, which has the
 * permalink itself), embedded here with the configured model, replaced as a whole on every change and removed
 * when the product is deleted (or loses its permalink). The text is commerce-service's data at the time of the
 * change; answers about price and stock still ask commerce-service live.
 */
@Service
public class ProductDocuments {

    /** Appended to the permalink: the document's URL in the index. */
    public static final String FRAGMENT = "#product-data";
    /** The job id recorded for product documents (they come from no crawl). */
    static final String JOB = "commerce";

    private final IndexingService indexing;
    private final DatabaseClient db;
    private final EmbeddingModels models;
    private final EmbeddingModelId model;

    public ProductDocuments(IndexingService indexing, DatabaseClient db, EmbeddingModels models,
                            EmbeddingModelId configuredEmbeddingModel) {
        this.indexing = indexing;
        this.db = db;
        this.models = models;
        this.model = configuredEmbeddingModel;
    }

    /**
     * Applies the change; says what it did: {@code indexed}, {@code removed} or {@code skipped} (no permalink:
     * nothing a shopper could be sent to). A product whose permalink changed leaves its old document.
     */
    public Mono<String> apply(ProductChanged event) {
        ProductChanged.Snapshot p = ProductChanged.DELETED.equals(event.change()) ? null : event.product();
        String url = p == null ? null : url(p.permalink());
        Mono<Void> dropPrevious = previousUrl(event)
                .filter(prev -> !prev.equals(url))
                .flatMap(prev -> indexing.remove(event.tenantId(), prev));
        if (url == null) {
            return dropPrevious.then(forget(event)).thenReturn(p == null ? "removed" : "skipped");
        }
        String text = text(p);
        return Mono.fromCallable(() -> models.get(model).embed(text))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(vector -> dropPrevious.then(indexing.index(new ChunksEmbedded(event.tenantId(), JOB, url,
                        p.name(), hash(text), model.name(), model.dimension(),
                        List.of(new ChunksEmbedded.Chunk(0, p.name(), text, vector)), null, Instant.now(),
                        event.changedAt() != null ? event.changedAt() : Instant.now(), null))))
                .flatMap(outcome -> remember(event, url).thenReturn(outcome.status()));
    }

    private Mono<String> previousUrl(ProductChanged event) {
        return db.sql("SELECT url FROM product_documents WHERE tenant_id = :t AND product_id = :p")
                .bind("t", event.tenantId()).bind("p", event.productId())
                .map((row, meta) -> row.get("url", String.class)).first();
    }

    private Mono<Void> remember(ProductChanged event, String url) {
        return db.sql("""
                        INSERT INTO product_documents (tenant_id, product_id, url) VALUES (:t, :p, :url)
                        ON CONFLICT (tenant_id, product_id) DO UPDATE SET url = EXCLUDED.url""")
                .bind("t", event.tenantId()).bind("p", event.productId()).bind("url", url)
                .fetch().rowsUpdated().then();
    }

    private Mono<Void> forget(ProductChanged event) {
        return db.sql("DELETE FROM product_documents WHERE tenant_id = :t AND product_id = :p")
                .bind("t", event.tenantId()).bind("p", event.productId())
                .fetch().rowsUpdated().then();
    }

    /** The document's URL for a product's permalink; null when it has none (nothing to cite). */
    public static String url(String permalink) {
        if (permalink == null || permalink.isBlank() || !permalink.matches("(?i)https?://\\S+")) {
            return null;
        }
        int hash = permalink.indexOf('#');
        return (hash >= 0 ? permalink.substring(0, hash) : permalink) + FRAGMENT;
    }

    /** What the document says, in sentences a passage can be quoted from. */
    static String text(ProductChanged.Snapshot p) {
        StringBuilder sb = new StringBuilder(p.name() == null ? "Product" : p.name()).append('.');
        if (p.sku() != null && !p.sku().isBlank()) {
            sb.append(" SKU ").append(p.sku()).append('.');
        }
        if (!p.categories().isEmpty()) {
            sb.append(" Category: ").append(String.join(", ", p.categories())).append('.');
        }
        if (p.price() != null && !p.price().isBlank()) {
            sb.append(" Price: ").append(p.currency() == null ? "" : p.currency() + " ").append(p.price()).append('.');
        }
        String stock = stock(p.stockStatus());
        if (stock != null) {
            sb.append(' ').append(stock).append('.');
        }
        if (p.shortDescription() != null && !p.shortDescription().isBlank()) {
            sb.append(' ').append(p.shortDescription().strip());
            if (!p.shortDescription().strip().matches(".*[.!?]$")) {
                sb.append('.');
            }
        }
        if (!p.variations().isEmpty()) {
            sb.append(" Options: ").append(p.variations().stream().map(v -> v.attributes().stream()
                            .map(a -> a.name() + " " + a.option()).collect(Collectors.joining(", "))
                            + (v.sku() == null ? "" : " (SKU " + v.sku() + ")"))
                    .collect(Collectors.joining("; "))).append('.');
        }
        return sb.toString();
    }

    private static String stock(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "instock" -> "In stock";
            case "outofstock" -> "Out of stock";
            case "onbackorder" -> "Available on backorder";
            default -> null;
        };
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
