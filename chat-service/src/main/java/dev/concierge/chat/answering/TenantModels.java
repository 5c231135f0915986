package dev.concierge.chat.answering;

import dev.concierge.chat.config.ChatProperties;
import dev.concierge.chat.config.ContextBudget;
import dev.concierge.chat.tenants.TenantSecrets;
import dev.concierge.chat.tenants.TenantSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model clients of tenants that chose their own OpenAI-compatible model: one {@link LlmResponder} per tenant,
 * built from its settings (its API key opened only here, from the sealed value, and kept only inside the
 * client) and rebuilt when they change. Each has its own circuit breaker, so one tenant's broken key or endpoint
 * never opens another's. At most {@code max} are kept, the least recently used dropped first (rebuilt on its
 * tenant's next question, with a closed circuit).
 */
final class TenantModels {

    /** Timeout and retries when the platform has no model settings of its own (tests building services by hand). */
    private static final ChatProperties.OpenAi FALLBACK = new ChatProperties.OpenAi(null, null, null,
            Duration.ofSeconds(20), 2);

    private record Entry(TenantSettings.Llm llm, LlmResponder responder) {
    }

    private final TenantSecrets secrets;
    private final ChatProperties.OpenAi platform;
    private final ContextBudget budget;
    private final Map<String, Entry> responders;
    private final boolean allowPrivateHosts;

    TenantModels(TenantSecrets secrets, ChatProperties.OpenAi platform, ContextBudget budget, int max) {
        this(secrets, platform, budget, max, false);
    }

    /**
     * @param allowPrivateHosts whether tenants' endpoints may be on loopback, private or other non-public addresses
     *                          ({@code CHAT_LLM_ALLOW_PRIVATE_HOSTS}, local runs and tests only); otherwise every
     *                          call is refused that would go to one ({@link PublicEndpointHttpClient})
     */
    TenantModels(TenantSecrets secrets, ChatProperties.OpenAi platform, ContextBudget budget, int max,
            boolean allowPrivateHosts) {
        this.secrets = secrets;
        this.allowPrivateHosts = allowPrivateHosts;
        this.platform = platform == null || platform.timeout() == null ? FALLBACK : platform;
        this.budget = budget;
        int bound = Math.max(1, max);
        this.responders = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > bound;
            }
        };
    }

    /**
     * The tenant's model client for {@code llm} (provider openai), built when there is none yet or its settings
     * changed.
     *
     * @throws IllegalArgumentException when its API key does not open with {@code TENANT_SECRETS_KEY}
     */
    synchronized LlmResponder responderFor(String tenantId, TenantSettings.Llm llm) {
        Entry cached = responders.get(tenantId);
        if (cached != null && cached.llm().equals(llm)) {
            return cached.responder();
        }
        String apiKey = secrets.decrypt(llm.apiKeyEncrypted(), tenantId);
        LlmResponder responder = new LlmResponder(new ChatProperties.OpenAi(apiKey, llm.baseUrl(), llm.model(),
                platform.timeout(), platform.maxRetries()), budget,
                allowPrivateHosts ? null : PublicEndpointHttpClient.builder());
        responders.put(tenantId, new Entry(llm, responder));
        return responder;
    }

    synchronized int size() {
        return responders.size();
    }
}
