package dev.concierge.scraper.crawling.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What robots.txt says beyond allow/disallow (which crawler4j handles): the {@code Crawl-delay} of the
 * group that applies to us (our own product token before {@code *}) and the {@code Sitemap:} lines.
 *
 * @param crawlDelay null when the applicable group names none (or it is not a number)
 * @param sitemaps   absolute sitemap URLs, in file order
 */
record RobotsHints(Duration crawlDelay, List<String> sitemaps) {

    static final RobotsHints NONE = new RobotsHints(null, List.of());

    static RobotsHints parse(String robotsTxt, String robotsName) {
        if (robotsTxt == null || robotsTxt.isBlank()) {
            return NONE;
        }
        String us = robotsName.toLowerCase(Locale.ROOT);
        List<String> sitemaps = new ArrayList<>();
        Duration ours = null;
        Duration anyone = null;
        List<String> agents = new ArrayList<>();
        boolean inAgentLines = false;
        for (String raw : robotsTxt.split("\\R")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "user-agent" -> {
                    if (!inAgentLines) {
                        agents.clear();
                    }
                    agents.add(value.toLowerCase(Locale.ROOT));
                    inAgentLines = true;
                }
                case "sitemap" -> {
                    if (!value.isEmpty()) {
                        sitemaps.add(value);
                    }
                }
                case "crawl-delay" -> {
                    inAgentLines = false;
                    Duration delay = seconds(value);
                    if (delay != null) {
                        if (agents.stream().anyMatch(a -> !a.equals("*") && us.contains(a))) {
                            ours = delay;
                        } else if (agents.contains("*") && anyone == null) {
                            anyone = delay;
                        }
                    }
                }
                default -> inAgentLines = false;
            }
        }
        return new RobotsHints(ours != null ? ours : anyone, List.copyOf(sitemaps));
    }

    private static Duration seconds(String value) {
        try {
            double s = Double.parseDouble(value);
            return s >= 0 && Double.isFinite(s) ? Duration.ofMillis((long) (s * 1000)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
