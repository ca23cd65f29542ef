package dev.vigil.history;

import java.time.Instant;

/**
 * Which records to read from a {@link HistoryStore}. Immutable and thread-safe.
 *
 * @param service only this service's records, or {@code null} for every service
 * @param environment only this environment's records, or {@code null} for every environment
 * @param since only records of verifications that finished at or after this instant, or {@code null} for all
 */
public record HistoryQuery(String service, String environment, Instant since) {

    /** {@return every record} */
    public static HistoryQuery all() {
        return new HistoryQuery(null, null, null);
    }

    /**
     * Every record of one service, in every environment.
     *
     * @param service the service's name
     * @return the query
     */
    public static HistoryQuery service(String service) {
        return new HistoryQuery(service, null, null);
    }

    /**
     * A copy limited to one environment ({@code null}: every environment).
     *
     * @param env the environment, or {@code null}
     * @return a new query; this one is unchanged
     */
    public HistoryQuery withEnvironment(String env) {
        return new HistoryQuery(service, env, since);
    }

    /**
     * A copy limited to records that finished at or after {@code instant} ({@code null}: all).
     *
     * @param instant the earliest finishing time, or {@code null}
     * @return a new query; this one is unchanged
     */
    public HistoryQuery withSince(Instant instant) {
        return new HistoryQuery(service, environment, instant);
    }
}
