package dev.concierge.embedding.pipeline;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.EventKeys;
import dev.concierge.contracts.PageScraped;
import dev.concierge.contracts.Topics;
import dev.concierge.embedding.chunking.Chunk;
import dev.concierge.embedding.chunking.Chunker;
import dev.concierge.embeddings.EmbeddingException;
import dev.concierge.embeddings.EmbeddingRejectedException;
import dev.concierge.embeddings.TextEmbeddings;
import dev.concierge.kit.events.EventPublisher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * scrape.page-scraped.v1 → chunks + embeddings → embed.chunks-embedded.v1.
 * <p>
 * The offset is committed only after the listener returns, and it returns only after the produced event
 * is acknowledged by the broker: a crash in between re-delivers the page, and since search-service
 * replaces a page's chunks as a whole, the redelivery duplicates nothing in the index.
 * A malformed event throws and ends in {@code scrape.page-scraped.v1.dlt} after bounded retries.
 * <p>
 * Every result names the model and dimension of its vectors ({@code EMBEDDING_MODEL}). A page that cannot be
 * embedded (no text, or text the model refuses) is published as failed, so its crawl job can finish. A
 * model that cannot embed now ({@link EmbeddingException}) is not the page's fault: the listener throws, and
 * the page is retried with backoff until the model is back (see {@code WorkerConfig}), neither reported
 * failed nor dead-lettered.
 */
@Component
class PageScrapedListener {

    private static final Logger log = LoggerFactory.getLogger(PageScrapedListener.class);

    private final JsonMapper json;
    private final Chunker chunker;
    private final TextEmbeddings embeddings;
    private final EventPublisher events;

    PageScrapedListener(JsonMapper json, Chunker chunker, TextEmbeddings embeddings, EventPublisher events) {
        this.json = json;
        this.chunker = chunker;
        this.embeddings = embeddings;
        this.events = events;
    }

    @KafkaListener(topics = "scrape.page-scraped.v1", groupId = "${spring.kafka.consumer.group-id}")
    void onPageScraped(String value) {
        PageScraped page = json.readValue(value, PageScraped.class);
        if (page.tenantId() == null || page.url() == null || page.jobId() == null) {
            throw new IllegalArgumentException("page-scraped event without tenant_id, job_id or url");
        }
        events.publishAndWait(Topics.CHUNKS_EMBEDDED, EventKeys.page(page.tenantId(), page.url()), embed(page));
    }

    ChunksEmbedded embed(PageScraped page) {
        List<Chunk> chunks = chunker.split(page.text());
        if (chunks.isEmpty()) {
            return result(page, List.of(), "the page has no text to index");
        }
        List<String> inputs = chunks.stream().map(c -> c.embeddingInput(page.title())).toList();
        List<float[]> vectors;
        try {
            vectors = embeddings.embedAll(inputs);
        } catch (EmbeddingRejectedException e) {
            log.warn("the model refused the text of {}: {}", page.url(), e.getMessage());
            return result(page, List.of(), "the embedding model refused the page's text");
        } catch (EmbeddingException e) {
            log.warn("cannot embed {} now, will retry: {}", page.url(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            log.warn("embedding failed for {}: {}", page.url(), e.toString());
            return result(page, List.of(), "embedding failed: " + e.getClass().getSimpleName());
        }
        List<ChunksEmbedded.Chunk> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            out.add(new ChunksEmbedded.Chunk(c.index(), c.heading(), c.text(), vectors.get(i)));
        }
        log.debug("embedded {} chunks of {}", out.size(), page.url());
        return result(page, out, null);
    }

    private ChunksEmbedded result(PageScraped page, List<ChunksEmbedded.Chunk> chunks, String error) {
        return new ChunksEmbedded(page.tenantId(), page.jobId(), page.url(), page.title(), page.contentHash(),
                embeddings.id().name(), embeddings.id().dimension(), chunks, error, Instant.now(), page.scrapedAt(),
                page.language());
    }
}
