package dev.concierge.scraper.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.concierge.scraper.crawling.AddressGuard;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

class ScrapeRequestValidatorTest {

    private static final Caller TENANT = new Caller("t-1", "shop.example", "tenant");

    private final ScrapeRequestValidator strict = new ScrapeRequestValidator(new AddressGuard(false));

    @Test
    void defaultsDomainStartUrlAndLimits() {
        var valid = strict.validate(TENANT, null);

        assertThat(valid).isEqualTo(new ScrapeRequestValidator.ValidScrape("t-1", "shop.example",
                "https://shop.example/", 500, false, 10, List.of(), List.of(), true, Duration.ofDays(1)));
    }

    @Test
    void acceptsTheTenantsDomainInAnySpellingAndAnExplicitStartUrl() {
        var valid = strict.validate(TENANT,
                new ScrapeRequest("https://WWW.Shop.Example/", "HTTP://127.0.0.1:8090#x", 20, true));

        assertThat(valid).isEqualTo(new ScrapeRequestValidator.ValidScrape("t-1", "shop.example",
                "http://127.0.0.1:8090/", 20, true, 10, List.of(), List.of(), true, Duration.ofDays(1)));
    }

    @Test
    void rejectsScrapeOfPrivateAddress() {
        var valid = strict.validate(TENANT, new ScrapeRequest(null, "http://127.0.0.1/", null, null));

        ApiException e = catchThrowableOfType(ApiException.class, () -> strict.checkAddress(valid));

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.errors()).extracting(ApiException.FieldProblem::field).containsExactly("start_url");
    }

    @Test
    void rejectsMetadataAddressAndLocalhostName() {
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "http://localhost:8083/",
                "http://[::1]/", "http://10.0.0.7/"}) {
            var valid = strict.validate(TENANT, new ScrapeRequest(null, url, null, null));
            assertThatThrownBy(() -> strict.checkAddress(valid)).as(url).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void allowsPrivateAddressWhenConfigured() {
        var lenient = new ScrapeRequestValidator(new AddressGuard(true));
        var valid = lenient.validate(TENANT, new ScrapeRequest(null, "http://127.0.0.1:8090/", null, null));

        lenient.checkAddress(valid);
    }

    @Test
    void namesEveryInvalidField() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> strict.validate(TENANT, new ScrapeRequest(null, "ftp://shop.example/", 0, null)));

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.errors()).extracting(ApiException.FieldProblem::field).containsExactly("start_url", "max_pages");
        assertThat(catchThrowableOfType(ApiException.class,
                () -> strict.validate(TENANT, new ScrapeRequest(null, null, 10_001, null))).errors())
                .extracting(ApiException.FieldProblem::field).containsExactly("max_pages");
    }

    @Test
    void forbidsAnotherTenantsDomain() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> strict.validate(TENANT, new ScrapeRequest("other.example", null, null, null)));

        assertThat(e.status()).isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void requiresATenant() {
        assertThat(catchThrowableOfType(ApiException.class,
                () -> strict.validate(new Caller(null, null, "tenant"), null)).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(catchThrowableOfType(ApiException.class,
                () -> strict.validate(new Caller(null, null, "admin"), null)).status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(catchThrowableOfType(ApiException.class,
                () -> strict.validate(new Caller("t-1", "shop.example", "widget"), null)).status())
                .isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void acceptsScopeRulesDepthAndRecrawlInterval() {
        var valid = strict.validate(TENANT, new ScrapeRequest(null, null, null, null, 0, List.of("^/shop/"),
                List.of("\\?sort="), false, JsonMapper.builder().build().getNodeFactory().stringNode("PT6H")));

        assertThat(valid.maxDepth()).isZero();
        assertThat(valid.include()).containsExactly("^/shop/");
        assertThat(valid.exclude()).containsExactly("\\?sort=");
        assertThat(valid.defaultExcludes()).isFalse();
        assertThat(valid.recrawlInterval()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void tellsAnExplicitNullRecrawlIntervalFromAnAbsentOne() {
        JsonMapper json = JsonMapper.builder().build();

        ScrapeRequest absent = json.readValue("{}", ScrapeRequest.class);
        ScrapeRequest nulled = json.readValue("{\"recrawlInterval\":null}", ScrapeRequest.class);
        ScrapeRequest off = json.readValue("{\"recrawlInterval\":\"off\"}", ScrapeRequest.class);

        assertThat(strict.validate(TENANT, absent).recrawlInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(strict.validate(TENANT, nulled).recrawlInterval()).isNull();
        assertThat(strict.validate(TENANT, off).recrawlInterval()).isNull();
    }

    @Test
    void namesTheInvalidPatternDepthAndInterval() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> strict.validate(TENANT,
                new ScrapeRequest(null, null, null, null, 51, List.of("ok", "[unclosed"), null, null,
                        JsonMapper.builder().build().getNodeFactory().stringNode("PT30M"))));

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.errors()).extracting(ApiException.FieldProblem::field)
                .containsExactly("max_depth", "include[1]", "recrawl_interval");
        assertThat(e.errors().get(1).message()).contains("regular expression");
    }
}
