package dev.vigil.prometheus;

import dev.vigil.analysis.CanaryAnalysis;

/**
 * The counter {@code app_requests_total} of a service whose two versions, {@code canary} and
 * {@code baseline}, serve requests, failed ones with {@code status="500"}: how the real-Prometheus
 * tests export it and count it.
 */
final class AppRequests {

    private static final String[] VERSIONS = {"canary", "baseline"};

    private AppRequests() {
    }

    /**
     * A counts probe over 2-second rounds: each version's failed and all its requests, a version's
     * errors read as 0 while its error series does not exist yet.
     */
    static PrometheusProbeBuilder counts(String baseUrl, CanaryAnalysis analysis) {
        return PrometheusProbe.builder().baseUrl(baseUrl).counts(
                "sum(increase(app_requests_total{version=\"canary\",status=\"500\"}[2s])) or vector(0)",
                "sum(increase(app_requests_total{version=\"canary\"}[2s]))",
                "sum(increase(app_requests_total{version=\"baseline\",status=\"500\"}[2s])) or vector(0)",
                "sum(increase(app_requests_total{version=\"baseline\"}[2s]))", analysis);
    }

    /**
     * The counter in the text exposition format.
     *
     * @param requests each version's requests so far, canary then baseline; whole ones are exported
     * @param errors each version's failed requests so far, at most its whole requests
     * @param seriesWithoutErrors whether a version's error series is exported while it has had none
     *     (a real service's series appears only with its first error)
     */
    static String exposition(double[] requests, long[] errors, boolean seriesWithoutErrors) {
        StringBuilder out = new StringBuilder("# TYPE app_requests_total counter\n");
        for (int v = 0; v < VERSIONS.length; v++) {
            out.append("app_requests_total{version=\"").append(VERSIONS[v]).append("\",status=\"200\"} ")
                    .append((long) requests[v] - errors[v]).append('\n');
            if (seriesWithoutErrors || errors[v] > 0) {
                out.append("app_requests_total{version=\"").append(VERSIONS[v]).append("\",status=\"500\"} ")
                        .append(errors[v]).append('\n');
            }
        }
        return out.toString();
    }
}
