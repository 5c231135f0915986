package dev.concierge.scraper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Crawl jobs: crawls a store's site, publishes its pages and follows their way into the index. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ScraperServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ScraperServiceApplication.class, args);
    }
}
