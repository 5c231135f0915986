package dev.concierge.commerce.catalog;

import dev.concierge.commerce.config.CommerceProperties;
import dev.concierge.commerce.connection.StoreConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every {@code COMMERCE_SYNC_INTERVAL} (default 15 min) each connected store is synced: incrementally, or fully
 * once per {@code COMMERCE_FULL_SYNC_INTERVAL} (which is what notices products deleted without a webhook).
 * A store whose sync still runs is skipped.
 */
@Component
class SyncScheduler {

    private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);

    private final StoreConnections connections;
    private final CatalogSync sync;
    private final CommerceProperties props;
    private Disposable ticks;

    SyncScheduler(StoreConnections connections, CatalogSync sync, CommerceProperties props) {
        this.connections = connections;
        this.sync = sync;
        this.props = props;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        ticks = Flux.interval(props.syncInterval(), props.syncInterval())
                .onBackpressureDrop()
                .concatMap(tick -> connections.connected()
                        .filter(c -> sync.runningSync(c.tenantId()) == null)
                        .concatMap(c -> sync.start(c.tenantId(), null).onErrorResume(e -> {
                            log.debug("scheduled sync of tenant {} not started: {}", c.tenantId(), e.toString());
                            return Mono.empty();
                        }))
                        .onErrorResume(e -> {
                            log.warn("scheduled syncs failed: {}", e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (ticks != null) {
            ticks.dispose();
        }
    }
}
