package dev.concierge.commerce.catalog;

import dev.concierge.contracts.ProductChanged;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The synced catalog: {@code products} and {@code product_variations}. */
@Repository
public class ProductStore {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final JsonMapper json;

    public ProductStore(DatabaseClient db, TransactionalOperator tx, JsonMapper json) {
        this.db = db;
        this.tx = tx;
        this.json = json;
    }

    /** A stored product with when it was last written. */
    public record Stored(ProductRecord product, Instant syncedAt) {
    }

    /** Content hashes of every product of a tenant, by product id. */
    public Mono<Map<Long, String>> hashes(String tenantId) {
        return db.sql("select product_id, content_hash from products where tenant_id = :t").bind("t", tenantId)
                .map(r -> Map.entry(r.get("product_id", Long.class), r.get("content_hash", String.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
    }

    /** What is stored of a product to compare an incoming version with. */
    public record Version(String hash, Instant dateModified) {
    }

    public Mono<Version> version(String tenantId, long productId) {
        return db.sql("select content_hash, date_modified from products where tenant_id = :t and product_id = :p")
                .bind("t", tenantId).bind("p", productId)
                .map(r -> {
                    OffsetDateTime modified = r.get("date_modified", OffsetDateTime.class);
                    return new Version(r.get("content_hash", String.class), modified == null ? null : modified.toInstant());
                }).one();
    }

    public Mono<String> hash(String tenantId, long productId) {
        return db.sql("select content_hash from products where tenant_id = :t and product_id = :p")
                .bind("t", tenantId).bind("p", productId).map(r -> r.get("content_hash", String.class)).one();
    }

    public Mono<Void> upsert(String tenantId, ProductRecord p) {
        Mono<Void> product = db.sql("""
                        insert into products (tenant_id, product_id, name, sku, type, status, price, regular_price, sale_price,
                            currency, stock_status, stock_quantity, manage_stock, categories, permalink, short_description,
                            date_modified, content_hash, synced_at, search_name, search_categories)
                        values (:t, :id, :name, :sku, :type, :status, :price, :regular, :sale, :currency, :stock_status,
                            :qty, :manage, :categories, :permalink, :short, :modified, :hash, now(), :sname, :scats)
                        on conflict (tenant_id, product_id) do update set name = excluded.name, sku = excluded.sku,
                            type = excluded.type, status = excluded.status, price = excluded.price,
                            regular_price = excluded.regular_price, sale_price = excluded.sale_price,
                            currency = excluded.currency, stock_status = excluded.stock_status,
                            stock_quantity = excluded.stock_quantity, manage_stock = excluded.manage_stock,
                            categories = excluded.categories, permalink = excluded.permalink,
                            short_description = excluded.short_description, date_modified = excluded.date_modified,
                            content_hash = excluded.content_hash, synced_at = now(), search_name = excluded.search_name,
                            search_categories = excluded.search_categories""")
                .bind("t", tenantId).bind("id", p.productId()).bind("name", p.name()).bind("sku", text(p.sku()))
                .bind("type", text(p.type())).bind("status", p.status()).bind("price", decimal(p.price()))
                .bind("regular", decimal(p.regularPrice())).bind("sale", decimal(p.salePrice()))
                .bind("currency", text(p.currency())).bind("stock_status", text(p.stockStatus()))
                .bind("qty", p.stockQuantity() == null ? Parameters.in(R2dbcType.INTEGER) : p.stockQuantity())
                .bind("manage", p.manageStock()).bind("categories", p.categories().toArray(String[]::new))
                .bind("permalink", text(p.permalink())).bind("short", text(p.shortDescription()))
                .bind("modified", p.dateModified() == null ? Parameters.in(R2dbcType.TIMESTAMP_WITH_TIME_ZONE) : p.dateModified())
                .bind("hash", p.contentHash()).bind("sname", p.name().toLowerCase(java.util.Locale.ROOT))
                .bind("scats", String.join(" ", p.categories()).toLowerCase(java.util.Locale.ROOT))
                .then();
        Mono<Void> clear = db.sql("delete from product_variations where tenant_id = :t and product_id = :p")
                .bind("t", tenantId).bind("p", p.productId()).then();
        Flux<Long> variations = Flux.fromIterable(p.variations()).concatMap(v -> db.sql("""
                        insert into product_variations (tenant_id, product_id, variation_id, sku, attributes, price,
                            regular_price, sale_price, stock_status, stock_quantity, manage_stock)
                        values (:t, :p, :v, :sku, cast(:attrs as jsonb), :price, :regular, :sale, :status, :qty, :manage)
                        on conflict (tenant_id, variation_id) do update set product_id = excluded.product_id,
                            sku = excluded.sku, attributes = excluded.attributes, price = excluded.price,
                            regular_price = excluded.regular_price, sale_price = excluded.sale_price,
                            stock_status = excluded.stock_status, stock_quantity = excluded.stock_quantity,
                            manage_stock = excluded.manage_stock""")
                .bind("t", tenantId).bind("p", p.productId()).bind("v", v.id()).bind("sku", text(v.sku()))
                .bind("attrs", json.writeValueAsString(v.attributes())).bind("price", decimal(v.price()))
                .bind("regular", decimal(v.regularPrice())).bind("sale", decimal(v.salePrice()))
                .bind("status", text(v.stockStatus()))
                .bind("qty", v.stockQuantity() == null ? Parameters.in(R2dbcType.INTEGER) : v.stockQuantity())
                .bind("manage", v.manageStock()).fetch().rowsUpdated());
        return product.then(clear).thenMany(variations).then().as(tx::transactional);
    }

    /** Deletes a product (its variations cascade); true when it existed. */
    public Mono<Boolean> delete(String tenantId, long productId) {
        return db.sql("delete from products where tenant_id = :t and product_id = :p").bind("t", tenantId)
                .bind("p", productId).fetch().rowsUpdated().map(n -> n > 0);
    }

    public Mono<Boolean> hasCatalog(String tenantId) {
        return db.sql("select 1 from products where tenant_id = :t limit 1").bind("t", tenantId)
                .map((r, m) -> true).first().hasElement();
    }

    /** A published product by id, or by SKU of the product or one of its variations (case-insensitive). */
    public Mono<Stored> findPublished(String tenantId, String ref) {
        String byId = "select * from products where tenant_id = :t and status = 'publish' and product_id = :id";
        String bySku = """
                select * from products p where p.tenant_id = :t and p.status = 'publish' and (lower(p.sku) = lower(:sku)
                    or p.product_id in (select v.product_id from product_variations v
                                        where v.tenant_id = :t and lower(v.sku) = lower(:sku)))
                order by (lower(p.sku) = lower(:sku)) desc nulls last limit 1""";
        Mono<Stored> sku = db.sql(bySku).bind("t", tenantId).bind("sku", ref).map(this::row).first();
        if (ref.matches("\\d{1,18}")) {
            return db.sql(byId).bind("t", tenantId).bind("id", Long.parseLong(ref)).map(this::row).one()
                    .switchIfEmpty(sku);
        }
        return sku;
    }

    /**
     * Published products matching search terms, best first: exact SKU, partial SKU, then trigram word similarity
     * (typos, plurals) against the name and the category names. Each term adds its best score.
     */
    public Flux<Stored> search(String tenantId, List<String> terms, int limit, double threshold) {
        return db.sql("""
                        select p.*, s.score from products p
                        join lateral (
                            select sum(m) as score from (
                                select greatest(
                                    case when p.sku is not null and lower(p.sku) = t then 3.0 else 0 end,
                                    case when p.sku is not null and length(t) >= 3
                                         and strpos(lower(p.sku), t) > 0 then 1.5 else 0 end,
                                    case when exists (select 1 from product_variations v where v.tenant_id = p.tenant_id
                                                      and v.product_id = p.product_id and lower(v.sku) = t) then 3.0
                                         when length(t) >= 3 and exists (select 1 from product_variations v
                                                      where v.tenant_id = p.tenant_id and v.product_id = p.product_id
                                                      and strpos(lower(v.sku), t) > 0) then 1.5 else 0 end,
                                    case when word_similarity(t, p.search_name) >= :th
                                         then word_similarity(t, p.search_name) else 0 end,
                                    case when word_similarity(t, p.search_categories) >= :th
                                         then 0.8 * word_similarity(t, p.search_categories) else 0 end) as m
                                from unnest(cast(:terms as text[])) as t) scored) s on true
                        where p.tenant_id = :t and p.status = 'publish' and s.score > 0
                        order by s.score desc, p.name
                        limit :limit""")
                .bind("t", tenantId).bind("terms", terms.toArray(String[]::new)).bind("th", threshold)
                .bind("limit", limit).map(this::row).all();
    }

    public Flux<ProductRecord.Variation> variations(String tenantId, long productId) {
        return db.sql("select * from product_variations where tenant_id = :t and product_id = :p order by variation_id")
                .bind("t", tenantId).bind("p", productId).map(r -> new ProductRecord.Variation(
                        r.get("variation_id", Long.class), r.get("sku", String.class), attributes(r.get("attributes", String.class)),
                        r.get("price", BigDecimal.class), r.get("regular_price", BigDecimal.class),
                        r.get("sale_price", BigDecimal.class), r.get("stock_status", String.class),
                        r.get("stock_quantity", Integer.class), Boolean.TRUE.equals(r.get("manage_stock", Boolean.class))))
                .all();
    }

    private List<ProductChanged.Attribute> attributes(String raw) {
        if (raw == null) {
            return List.of();
        }
        return json.readValue(raw, new TypeReference<List<ProductChanged.Attribute>>() { });
    }

    private Stored row(Readable r) {
        String[] cats = r.get("categories", String[].class);
        OffsetDateTime modified = r.get("date_modified", OffsetDateTime.class);
        OffsetDateTime synced = r.get("synced_at", OffsetDateTime.class);
        ProductRecord p = new ProductRecord(r.get("product_id", Long.class), r.get("name", String.class),
                r.get("sku", String.class), r.get("type", String.class), r.get("status", String.class),
                r.get("price", BigDecimal.class), r.get("regular_price", BigDecimal.class),
                r.get("sale_price", BigDecimal.class), r.get("currency", String.class), r.get("stock_status", String.class),
                r.get("stock_quantity", Integer.class), Boolean.TRUE.equals(r.get("manage_stock", Boolean.class)),
                cats == null ? List.of() : new ArrayList<>(Arrays.asList(cats)), r.get("permalink", String.class),
                r.get("short_description", String.class), modified == null ? null : modified.toInstant(), List.of());
        return new Stored(p, synced == null ? null : synced.toInstant());
    }

    private static Object text(String v) {
        return v == null ? Parameters.in(R2dbcType.VARCHAR) : v;
    }

    private static Object decimal(BigDecimal v) {
        return v == null ? Parameters.in(R2dbcType.NUMERIC) : v;
    }
}
