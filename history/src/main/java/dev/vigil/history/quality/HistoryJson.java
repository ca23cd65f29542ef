package dev.vigil.history.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.history.HistoryException;
import java.time.Duration;
import java.util.Optional;

/** The JSON of a {@link HistoryReport}: durations in milliseconds, rates from 0 to 1, {@code null} when there is no value. */
final class HistoryJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HistoryJson() {
    }

    static String render(HistoryReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("generatedAt", report.generatedAt().toString());
        ObjectNode query = root.putObject("query");
        query.put("service", report.query().service());
        query.put("environment", report.query().environment());
        query.put("since", report.query().since() == null ? null : report.query().since().toString());
        root.put("hotfixWindowMs", report.hotfixWindow().toMillis());
        root.put("doraSource", DoraBand.SOURCE);
        ArrayNode services = root.putArray("services");
        for (ServiceQuality q : report.services()) {
            ObjectNode s = services.addObject();
            s.put("service", q.service());
            s.put("deployments", q.deployments());
            s.put("rollbacks", q.rollbacks());
            s.put("failedChanges", q.failedChanges());
            rate(s, "changeFailureRate", q.changeFailureRate());
            s.put("changeFailureBand", q.changeFailureBand().map(Enum::name).orElse(null));
            s.put("hotfixes", q.hotfixes());
            rate(s, "hotfixShare", q.hotfixShare());
            millis(s, "timeToDetectMedianMs", q.timeToDetectMedian());
            millis(s, "timeToDetectP90Ms", q.timeToDetectP90());
            millis(s, "timeToRestoreMedianMs", q.timeToRestoreMedian());
            s.put("restoreBand", q.restoreBand().map(Enum::name).orElse(null));
            ObjectNode streak = s.putObject("quietStreak");
            streak.put("current", q.streak().current());
            streak.put("longest", q.streak().longest());
            s.put("rehearsals", q.rehearsals());
            s.put("failedRehearsals", q.failedRehearsals());
            s.put("rehearsalsNotStarted", q.rehearsalsNotStarted());
            ArrayNode quarters = s.putArray("quarters");
            for (QuarterRow r : q.quarters()) {
                ObjectNode row = quarters.addObject();
                row.put("quarter", r.quarter());
                row.put("deployments", r.deployments());
                row.put("failedChanges", r.failedChanges());
                rate(row, "changeFailureRate", r.changeFailureRate());
                row.put("hotfixes", r.hotfixes());
                millis(row, "timeToRestoreMedianMs", r.timeToRestore());
                row.put("changeFailureDirection", r.changeFailureDirection().name());
                row.put("restoreDirection", r.restoreDirection().name());
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new HistoryException("the history JSON could not be written: " + e.getOriginalMessage(), e);
        }
    }

    private static void rate(ObjectNode node, String name, Optional<Double> rate) {
        if (rate.isPresent()) {
            node.put(name, rate.get());
        } else {
            node.putNull(name);
        }
    }

    private static void millis(ObjectNode node, String name, Optional<Duration> d) {
        if (d.isPresent()) {
            node.put(name, d.get().toMillis());
        } else {
            node.putNull(name);
        }
    }
}
