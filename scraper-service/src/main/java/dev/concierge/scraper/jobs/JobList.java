package dev.concierge.scraper.jobs;

import java.util.List;

/** Response of {@code GET /api/scrape}: the jobs, newest first. */
public record JobList(List<ScrapeJobView> jobs) {
}
