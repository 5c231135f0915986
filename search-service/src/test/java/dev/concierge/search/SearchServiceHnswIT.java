package dev.concierge.search;

import org.springframework.test.context.TestPropertySource;

/**
 * Every search test again with each tenant searched through the halfvec HNSW index (the path of tenants above
 * SEARCH_EXACT_MAX_CHUNKS), where {@link SearchServiceIT} searches the test's small tenants exactly.
 */
@TestPropertySource(properties = "concierge.search.exact-max-chunks=0")
class SearchServiceHnswIT extends SearchServiceIT {
}
