package dev.concierge.contracts;

import java.util.List;

/** The topic catalogue: every topic of the platform, paired with its key and value types. */
public final class Topics {

    /** scraper-service → embedding-worker. Key: {@link EventKeys#page}. */
    public static final Topic<PageScraped> PAGE_SCRAPED =
            new Topic<>("scrape.page-scraped.v1", PageScraped.class, "tenant id + url hash", 6);

    /** scraper-service → search-service (drop from the index). Key: {@link EventKeys#page}. */
    public static final Topic<PageRemoved> PAGE_REMOVED =
            new Topic<>("scrape.page-removed.v1", PageRemoved.class, "tenant id + url hash", 6);

    /** embedding-worker → search-service. Key: {@link EventKeys#page}. */
    public static final Topic<ChunksEmbedded> CHUNKS_EMBEDDED =
            new Topic<>("embed.chunks-embedded.v1", ChunksEmbedded.class, "tenant id + url hash", 6);

    /** search-service → scraper-service (job progress). Key: {@link EventKeys#page}. */
    public static final Topic<PageIndexed> PAGE_INDEXED =
            new Topic<>("search.page-indexed.v1", PageIndexed.class, "tenant id + url hash", 3);

    /** chat-service → any subscriber. Key: {@link EventKeys#conversation}. */
    public static final Topic<MessagePosted> MESSAGE_POSTED =
            new Topic<>("chat.message-posted.v1", MessagePosted.class, "tenant id + conversation id", 3);

    /** chat-service → any subscriber: started, each message, expired. Key: {@link EventKeys#conversation}. */
    public static final Topic<ConversationUpdated> CONVERSATION_UPDATED =
            new Topic<>("chat.conversation-updated.v1", ConversationUpdated.class, "tenant id + conversation id", 3);

    /** gateway-service → scraper-service, any subscriber: a tenant registered or changed. Key: the tenant id. */
    public static final Topic<TenantUpdated> TENANT_UPDATED =
            new Topic<>("tenant.tenant-updated.v1", TenantUpdated.class, "tenant id", 3);

    /** commerce-service → any subscriber: a store product created, updated or deleted. Key: {@link ProductChanged#key}. */
    public static final Topic<ProductChanged> PRODUCT_CHANGED =
            new Topic<>("commerce.product-changed.v1", ProductChanged.class, "tenant id + product id", 3);

    /** commerce-service → any subscriber: a shopper's cart went idle. Key: {@link CartAbandoned#key}. */
    public static final Topic<CartAbandoned> CART_ABANDONED =
            new Topic<>("commerce.cart-abandoned.v1", CartAbandoned.class, "tenant id + session id", 3);

    public static final List<Topic<?>> ALL = List.of(PAGE_SCRAPED, PAGE_REMOVED, CHUNKS_EMBEDDED, PAGE_INDEXED, MESSAGE_POSTED,
            CONVERSATION_UPDATED, TENANT_UPDATED, PRODUCT_CHANGED, CART_ABANDONED);

    private Topics() {
    }
}
