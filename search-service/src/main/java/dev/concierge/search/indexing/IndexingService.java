package dev.concierge.search.indexing;

import dev.concierge.contracts.ChunksEmbedded;
import dev.concierge.contracts.EmbeddingModelId;
import dev.concierge.contracts.PageIndexed;
import dev.concierge.search.indexing.internal.ChunkRepository;
import java.time.Instant;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Puts one page's embedded chunks into the index, replacing whatever the page had (in one transaction,
 * so a search never sees half a page), and says how it went as a {@link PageIndexed}.
 * Re-delivery of the same event yields the same rows: indexing is idempotent. Chunks embedded before the
 * page was removed are not indexed (see {@link ChunkRepository#replacePage}).
 */
@Service
public class IndexingService {

    private final ChunkRepository chunks;

    public IndexingService(ChunkRepository chunks) {
        this.chunks = chunks;
    }

    public Mono<PageIndexed> index(ChunksEmbedded event) {
        if (event.error() != null) {
            return Mono.just(outcome(event, 0, PageIndexed.FAILED, event.error()));
        }
        // Any model of the catalogue is indexed (side by side during a model switch), but only with the
        // catalogue's dimension for its name: a vector that claims a model it cannot come from stays out.
        EmbeddingModelId model = EmbeddingModelId.byName(event.model()).orElse(null);
        if (model == null || event.dimension() != model.dimension()) {
            return Mono.just(outcome(event, 0, PageIndexed.FAILED, "model " + event.model() + "/" + event.dimension()
                    + " is not one of the embedding models " + EmbeddingModelId.KNOWN));
        }
        for (ChunksEmbedded.Chunk c : event.chunks()) {
            if (c.vector() == null || c.vector().length != event.dimension() || c.text() == null || c.text().isBlank()) {
                return Mono.just(outcome(event, 0, PageIndexed.FAILED, "chunk " + c.index() + " has no text or a wrong vector"));
            }
        }
        if (event.chunks().isEmpty()) {
            return chunks.removePage(event.tenantId(), event.url())
                    .thenReturn(outcome(event, 0, PageIndexed.FAILED, "the page has no chunks"));
        }
        // a page removed after these chunks were embedded stays out; failed, so the crawl job still settles
        return chunks.replacePage(event).map(removed -> removed
                .map(at -> outcome(event, 0, PageIndexed.FAILED, "page was removed at " + at))
                .orElseGet(() -> outcome(event, event.chunks().size(), PageIndexed.INDEXED, null)));
    }

    /** Drops a document (a page or a product) and its chunks from the index, without a removal tombstone. */
    public Mono<Void> remove(String tenantId, String url) {
        return chunks.removePage(tenantId, url);
    }

    private static PageIndexed outcome(ChunksEmbedded e, int count, String status, String error) {
        return new PageIndexed(e.tenantId(), e.jobId(), e.url(), e.contentHash(), count, status, error, Instant.now());
    }
}
