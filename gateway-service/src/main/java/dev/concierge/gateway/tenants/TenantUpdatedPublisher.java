package dev.concierge.gateway.tenants;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.concierge.contracts.CloudEventHeaders;
import dev.concierge.contracts.Topic;
import dev.concierge.contracts.Topics;
import dev.concierge.gateway.config.TenantEventsProperties;
import dev.concierge.gateway.tenants.internal.TenantEventOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends the outbox's {@code tenant.tenant-updated.v1} events to Kafka, oldest first, keyed by tenant id, with
 * CloudEvents headers ({@code ce_id} is the event's outbox id, so a resend after a crash carries the same id and
 * consumers can drop the duplicate). An event leaves the outbox only once Kafka acknowledged it.
 * <p>
 * Runs on its own thread: every {@code publish-interval}, and at once after a change made through this instance.
 * One gateway instance at a time publishes (a transaction-level advisory lock), so a tenant's events reach Kafka in
 * the order they were made. While Kafka is down events wait in the outbox; the outage is logged once as a warning
 * and its end as info, and changes keep succeeding.
 */
@Component
public class TenantUpdatedPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TenantUpdatedPublisher.class);
    private static final Topic<?> TOPIC = Topics.TENANT_UPDATED;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final TenantEventOutbox outbox;
    private final TransactionalOperator transactions;
    private final KafkaTemplate<String, String> kafka;
    private final KafkaAdmin admin;
    private final TenantEventsProperties properties;
    private final String source;
    private final Counter publishedCounter;
    private final Counter failedCounter;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean topicEnsured;
    private final AtomicBoolean topicFailureReported = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    public TenantUpdatedPublisher(TenantEventOutbox outbox, TransactionalOperator transactions,
            KafkaTemplate<String, String> kafka, KafkaAdmin admin, TenantEventsProperties properties,
            @Value("${spring.application.name}") String source, ObjectProvider<MeterRegistry> meters) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.kafka = kafka;
        this.admin = admin;
        this.properties = properties;
        this.source = source;
        MeterRegistry registry = meters.getIfAvailable();
        this.publishedCounter = registry == null ? null : Counter.builder("concierge.tenant_events.published")
                .description("tenant.tenant-updated.v1 events acknowledged by Kafka").register(registry);
        this.failedCounter = registry == null ? null : Counter.builder("concierge.tenant_events.failed")
                .description("Attempts to publish tenant.tenant-updated.v1 that failed (Kafka unavailable)")
                .register(registry);
    }

    /** Asks for a publishing round now (after a change), unless one is already queued. Never blocks. */
    public void nudge() {
        ScheduledExecutorService running = executor;
        if (running != null && nudged.compareAndSet(false, true)) {
            try {
                running.execute(this::publishSafely);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                nudged.set(false); // shutting down: the next start publishes it
            }
        }
    }

    private void publishSafely() {
        nudged.set(false);
        try {
            publishPending();
        } catch (RuntimeException e) {
            // the database, most likely: the next round tries again
            log.warn("Could not publish tenant events: {}", e.toString());
        }
    }

    /**
     * Publishes every pending event, oldest first, until the outbox is empty or Kafka fails. Blocking: runs on the
     * publisher's own thread (tests may call it directly).
     *
     * @return how many events Kafka acknowledged
     */
    public int publishPending() {
        Long pending = outbox.countPending().block(DB_TIMEOUT);
        if (pending == null || pending == 0) {
            return 0;
        }
        ensureTopic();
        int published = 0;
        while (true) {
            Integer batch = publishBatch().as(transactions::transactional).block(DB_TIMEOUT.plus(
                    properties.sendTimeout().multipliedBy(properties.batchSize())));
            if (batch == null || batch <= 0) {
                return published;
            }
            published += batch;
            if (batch < properties.batchSize()) {
                return published;
            }
        }
    }

    /** One transaction: lock, send the oldest batch in order until one fails, delete what was acknowledged. */
    private Mono<Integer> publishBatch() {
        return outbox.lockForPublishing().flatMap(locked -> {
            if (!locked) {
                return Mono.just(0); // another instance is publishing
            }
            return outbox.oldest(properties.batchSize())
                    // KafkaTemplate.send may block while it waits for metadata: never on a database thread
                    .publishOn(Schedulers.boundedElastic())
                    .concatMap(event -> send(event).thenReturn(event.seq()))
                    .onErrorResume(e -> {
                        failed(e);
                        return Flux.empty();
                    })
                    .collectList()
                    .flatMap(acknowledged -> {
                        if (!acknowledged.isEmpty()) {
                            recovered(acknowledged.size());
                        }
                        return outbox.delete(acknowledged).thenReturn(acknowledged.size());
                    });
        });
    }

    private Mono<Void> send(TenantEventOutbox.Pending event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC.name(), event.tenantId().toString(),
                event.payload());
        CloudEventHeaders.of(TOPIC, source).forEach((name, value) -> record.headers().add(name, value));
        record.headers().remove(CloudEventHeaders.ID);
        record.headers().add(CloudEventHeaders.ID, bytes(event.eventId().toString()));
        record.headers().remove(CloudEventHeaders.TIME);
        record.headers().add(CloudEventHeaders.TIME, bytes(event.createdAt().toString()));
        return Mono.fromFuture(() -> kafka.send(record))
                .timeout(properties.sendTimeout())
                .then();
    }

    /** Creates the topic (and its dead-letter topic) with the catalogue's partitions, once per process. */
    private void ensureTopic() {
        if (topicEnsured) {
            return;
        }
        try {
            admin.createOrModifyTopics(
                    TopicBuilder.name(TOPIC.name()).partitions(TOPIC.partitions())
                            .replicas(properties.replicationFactor()).build(),
                    TopicBuilder.name(TOPIC.deadLetter()).partitions(TOPIC.partitions())
                            .replicas(properties.replicationFactor()).build());
            topicEnsured = true;
        } catch (RuntimeException e) {
            if (topicFailureReported.compareAndSet(false, true)) {
                log.info("Could not make sure {} exists ({}); retrying before each publishing round until it works "
                        + "(services with the topic catalogue create it too)", TOPIC.name(), describe(e));
            } else {
                log.debug("Could not create {} (yet): {}", TOPIC.name(), e.toString());
            }
        }
    }

    private void failed(Throwable e) {
        if (failedCounter != null) {
            failedCounter.increment();
        }
        if (failing.compareAndSet(false, true)) {
            log.warn("Tenant events are not being published: Kafka did not acknowledge ({}). Changes keep "
                    + "working; their events wait in the outbox and are retried every {} ms", describe(e),
                    properties.publishInterval().toMillis());
        } else {
            log.debug("Kafka still unavailable for tenant events: {}", describe(e));
        }
    }

    private void recovered(int published) {
        if (publishedCounter != null) {
            publishedCounter.increment(published);
        }
        if (failing.compareAndSet(true, false)) {
            log.info("Kafka acknowledges tenant events again; publishing the outbox");
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tenant-events-publisher");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.publishInterval().toMillis();
        started.scheduleWithFixedDelay(this::publishSafely, interval, interval, TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
