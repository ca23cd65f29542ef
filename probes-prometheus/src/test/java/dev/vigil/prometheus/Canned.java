package dev.vigil.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Canned Prometheus answers: from {@code src/test/resources/prometheus}, or made for a test. */
final class Canned {

    private Canned() {
    }

    static String body(String name) {
        try (InputStream in = Canned.class.getResourceAsStream("/prometheus/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no canned answer " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An instant query's answer with one histogram bucket per series, at the tests' round time.
     *
     * @param leCount le, cumulative count, le, cumulative count, ...
     */
    static String buckets(String... leCount) {
        StringBuilder series = new StringBuilder();
        for (int i = 0; i < leCount.length; i += 2) {
            series.append(i == 0 ? "" : ",").append("{\"metric\":{\"le\":\"").append(leCount[i])
                    .append("\"},\"value\":[1764148935.123,\"").append(leCount[i + 1]).append("\"]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series + "]}}";
    }
}
