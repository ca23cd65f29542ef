package dev.vigil.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.PassRun;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackReport;
import dev.vigil.ScheduleReport;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.VigilException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code report.json}. The keys are documented in {@code docs/reports.md} and are stable:
 * new keys may be added, existing ones keep their name and meaning while {@link #SCHEMA} stays.
 * Durations appear twice, as ISO-8601 ({@code "duration": "PT5M"}) and in milliseconds
 * ({@code "durationMillis": 300000}); instants are ISO-8601 in UTC; absent values are {@code null}.
 */
final class JsonReport {

    /** The value of the {@code schema} key; changes only when a key changes its meaning. */
    static final String SCHEMA = "vigil-report/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final JsonStringEncoder JSON_TEXT = JsonStringEncoder.getInstance();
    /**
     * The most characters the runs of {@code PASS} of all probes may take in report.json; 20 probes
     * of three values each with 720 runs take about 3.6 million.
     */
    static final long PASS_RUNS_BUDGET = 2_500_000;
    /** What starts each element of a probe's array written one per line. */
    private static final String LINE = "\n      ";
    private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    private JsonReport() {
    }

    static String render(VerificationReport report, List<String> notes) {
        try {
            ObjectNode tree = tree(report);
            ArrayNode array = tree.putArray("notes");
            notes.forEach(array::add);
            return MAPPER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new VigilException("report.json could not be written: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode tree(VerificationReport report) throws JsonProcessingException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("id", report.id());
        root.put("phase", report.phase().name());
        root.put("verdict", report.verdict().name());
        root.put("healthy", report.healthy());
        root.put("reason", report.reason());
        root.put("supersededBy", report.supersededBy());
        root.set("deployment", deployment(report.deployment()));
        root.set("plan", plan(report.plan()));
        if (report.watchPlan() != null) {
            ObjectNode plan = (ObjectNode) root.get("plan");
            dev.vigil.WatchPlan watch = report.watchPlan();
            duration(plan, "failureWindow", watch.windowRounds() == 0 ? null : watch.failureWindow());
            plan.put("windowRounds", watch.windowRounds());
            ObjectNode limits = plan.putObject("watchMaxFailures");
            watch.watchMaxFailures().forEach(limits::put);
        }
        root.put("rounds", report.rounds());
        root.set("schedule", schedule(report.schedule()));
        ObjectNode times = root.putObject("times");
        instant(times, "started", report.startedAt());
        instant(times, "detected", report.detectedAt());
        instant(times, "finished", report.finishedAt());
        duration(times, "timeToDetect", report.timeToDetect().orElse(null));
        duration(times, "elapsed", Format.elapsed(report));
        ArrayNode probes = root.putArray("probes");
        List<List<String>> runs = passRunLines(report.probes());
        for (int i = 0; i < report.probes().size(); i++) {
            probes.add(probe(report.probes().get(i), runs.get(i)));
        }
        ArrayNode confirmations = root.putArray("confirmations");
        for (dev.vigil.Confirmation c : report.confirmations()) {
            ObjectNode node = confirmations.addObject();
            node.put("issue", c.issue());
            node.put("probe", c.probe());
            ArrayNode tests = node.putArray("tests");
            c.tests().forEach(tests::add);
            node.put("status", c.status().name());
            node.put("explanation", c.explanation());
            node.put("regression", c.regression());
        }
        root.put("confirmationsNote", Format.confirmedInTheBake(report));
        root.set("rollback", rollback(report.rollback()));
        ObjectNode reopened = (ObjectNode) root.get("rollback");
        ArrayNode reopens = reopened.putArray("reopens");
        if (Format.reopens(report) != null) {
            report.deployment().fixes().forEach(reopens::add);
        }
        root.set("recheck", measurements(report.recheck(), true));
        ObjectNode judged = root.putObject("recheckResult");
        judged.put("status", report.recheckResult().status().name());
        judged.put("reason", report.recheckResult().reason());
        judged.put("rounds", report.recheckResult().rounds());
        duration(judged, "delay", report.recheckResult().delay());
        // recheck[] names these probes, which probes[] lacks: the bake and the watch leave them out.
        ArrayNode only = judged.putArray("only");
        report.recheckResult().only().forEach(only::add);
        return root;
    }

    private static ObjectNode schedule(ScheduleReport schedule) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("plannedRounds", schedule.plannedRounds());
        node.put("skippedRounds", schedule.skippedRounds());
        node.put("extraRounds", schedule.settlingRounds());
        ArrayNode notes = node.putArray("notes");
        schedule.notes().forEach(notes::add);
        return node;
    }

    /** The deployment object of report.json; see {@link Reports#deploymentJson}. */
    static ObjectNode deployment(Deployment d) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("service", d.service());
        node.put("version", d.version());
        node.put("previousVersion", d.previousVersion());
        node.put("environment", d.environment());
        node.put("kind", d.kind().name());
        ArrayNode fixes = node.putArray("fixes");
        d.fixes().forEach(fixes::add);
        ObjectNode labels = node.putObject("labels");
        d.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> labels.put(e.getKey(), e.getValue()));
        return node;
    }

    private static ObjectNode plan(VerificationPlan plan) {
        ObjectNode node = MAPPER.createObjectNode();
        duration(node, "initialDelay", plan.initialDelay());
        duration(node, "interval", plan.interval());
        duration(node, "duration", plan.duration());
        node.put("rounds", plan.rounds());
        node.put("onInconclusive", plan.onInconclusive().name());
        node.put("dryRun", plan.dryRun());
        return node;
    }

    private static ObjectNode probe(ProbeReport p, List<String> passRuns) throws JsonProcessingException {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", p.name());
        node.put("description", p.description());
        node.put("passWhen", p.passWhen());
        node.put("failWhen", p.failWhen());
        node.put("status", p.status().name());
        node.put("brokenLimit", p.brokenLimit());
        ObjectNode counts = node.putObject("counts");
        counts.put("pass", p.passes());
        counts.put("fail", p.failures());
        counts.put("inconclusive", p.inconclusive());
        counts.put("error", p.errors());
        node.set("limits", limits(p.limits(), p.measurementPolicy()));
        node.set("plot", plot(p.plot()));
        if (p.passRuns().isEmpty()) {
            node.set("measurements", measurements(p.measurements(), false));
        } else {
            // A long verification: its measurements one per line too.
            node.set("measurements", oneLineEach(measurements(p.measurements(), false)));
        }
        ArrayNode runs = node.putArray("passRuns");
        passRuns.forEach(line -> runs.addRawValue(new RawValue(line)));
        return node;
    }

    /**
     * Each probe's runs of {@code PASS}, each run as a line of its own, compact: a long verification
     * has hundreds per probe, and indented they would triple the file. A value's range is
     * {@code [min, mean, max, count]}; a duration's is in milliseconds, under its name plus
     * {@code Millis} as everywhere in report.json. When the runs of all probes together would take
     * more than {@link #PASS_RUNS_BUDGET} characters (many probes observing many values), each
     * probe's adjacent runs are merged two by two, never across a measurement kept whole, until they
     * fit; the counts still add up.
     */
    private static List<List<String>> passRunLines(List<ProbeReport> probes) {
        List<List<PassRun>> runs = new ArrayList<>();
        probes.forEach(p -> runs.add(p.passRuns()));
        List<List<String>> lines = render(runs);
        long total = lines.stream().flatMap(List::stream).mapToLong(line -> line.length() + 2L).sum();
        if (total <= PASS_RUNS_BUDGET) {
            return lines;
        }
        // Merge two by two until the runs, which shrink with their number, fit; then render them again.
        long count = runs.stream().mapToLong(List::size).sum();
        long estimate = total;
        while (estimate > PASS_RUNS_BUDGET) {
            long before = count;
            for (int i = 0; i < probes.size(); i++) {
                runs.set(i, halve(probes.get(i).measurements(), runs.get(i)));
            }
            count = runs.stream().mapToLong(List::size).sum();
            if (count == before) {
                break;
            }
            estimate = total * count / Math.max(1, lines.stream().mapToLong(List::size).sum());
        }
        return render(runs);
    }

    private static List<List<String>> render(List<List<PassRun>> runs) {
        List<List<String>> lines = new ArrayList<>(runs.size());
        for (List<PassRun> probeRuns : runs) {
            List<String> probeLines = new ArrayList<>(probeRuns.size());
            probeRuns.forEach(run -> probeLines.add(passRun(run)));
            lines.add(probeLines);
        }
        return lines;
    }

    /** Adjacent runs merged two by two, never across a measurement kept whole. */
    private static List<PassRun> halve(List<Measurement> kept, List<PassRun> runs) {
        List<PassRun> out = new ArrayList<>((runs.size() + 1) / 2);
        int next = 0;
        PassRun pending = null;
        for (PassRun run : runs) {
            boolean separated = false;
            while (next < kept.size() && kept.get(next).round() < run.firstRound()) {
                separated |= pending != null && kept.get(next).round() > pending.lastRound();
                next++;
            }
            if (pending == null) {
                pending = run;
            } else if (separated) {
                out.add(pending);
                pending = run;
            } else {
                out.add(Format.merge(List.of(pending, run)));
                pending = null;
            }
        }
        if (pending != null) {
            out.add(pending);
        }
        return out;
    }

    private static String passRun(PassRun run) {
        StringBuilder line = new StringBuilder(256);
        line.append(LINE).append("{\"firstRound\":").append(run.firstRound()).append(",\"lastRound\":").append(run.lastRound())
                .append(",\"from\":\"").append(Format.instant(run.from())).append("\",\"to\":\"")
                .append(Format.instant(run.to())).append("\",\"count\":").append(run.count()).append(",\"values\":{");
        boolean first = true;
        for (Map.Entry<String, PassRun.ValueRange> e : run.values().entrySet()) {
            PassRun.ValueRange r = e.getValue();
            line.append(first ? "" : ",").append('"');
            JSON_TEXT.quoteAsString(e.getKey() + (r.unit().equals("ms") ? "Millis" : ""), line);
            line.append("\":[").append(number(r.min())).append(',').append(number(r.mean())).append(',')
                    .append(number(r.max())).append(',').append(r.count()).append(']');
            first = false;
        }
        return line.append("}}").toString();
    }

    /** The elements of an array, each written compactly on a line of its own. */
    private static ArrayNode oneLineEach(ArrayNode elements) throws JsonProcessingException {
        ArrayNode array = MAPPER.createArrayNode();
        for (JsonNode element : elements) {
            array.addRawValue(new RawValue(LINE + COMPACT.writeValueAsString(element)));
        }
        return array;
    }

    /** A finite number as JSON: integral ones without a fraction, others to 6 significant digits. */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        double abs = Math.abs(d);
        if (abs < 1e-3 || abs >= 1e6) {
            return Double.toString(d);
        }
        int decimals = 6 - ((int) Math.floor(Math.log10(abs)) + 1);
        double scale = POWERS_OF_TEN[decimals];
        return Double.toString(Math.rint(d * scale) / scale);
    }

    /** What the probe's timeline plots: {@code series} (empty when the report chooses), {@code threshold}, {@code scale}. */
    private static ObjectNode plot(dev.vigil.Plot plot) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode series = node.putArray("series");
        for (dev.vigil.Plot.Series s : plot.series()) {
            series.addObject().put("key", s.key()).put("label", s.label());
        }
        if (plot.threshold() != null) {
            node.putObject("threshold").put("value", plot.threshold().value()).put("source", plot.threshold().source());
        }
        node.put("scale", plot.scale().name().toLowerCase(java.util.Locale.ROOT));
        return node;
    }

    private static ObjectNode limits(ProbeLimits limits, MeasurementPolicy measurement) {
        ObjectNode node = MAPPER.createObjectNode();
        if (limits == null) {
            return node;
        }
        node.put("maxFailures", limits.maxFailures());
        node.put("maxConsecutiveErrors", limits.maxConsecutiveErrors());
        node.put("maxInconclusive", limits.maxInconclusive());
        duration(node, "timeout", measurement.timeout());
        node.put("maxAttempts", measurement.maxAttempts());
        duration(node, "retryBackoff", measurement.retryBackoff());
        return node;
    }

    private static ArrayNode measurements(List<Measurement> measurements, boolean withProbe) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Measurement m : measurements) {
            ObjectNode node = array.addObject();
            if (withProbe) {
                node.put("probe", m.probe());
            }
            node.put("round", m.round());
            node.put("outcome", m.outcome().name());
            instant(node, "time", m.time());
            ObjectNode values = node.putObject("values");
            m.values().forEach((k, v) -> {
                values.set(k, value(v));
                if (v instanceof Duration d && !m.values().containsKey(k + "Millis")) {
                    values.put(k + "Millis", d.toMillis());
                }
            });
            node.put("explanation", m.explanation());
            node.put("error", m.error());
            node.put("attempts", m.attempts());
            duration(node, "duration", m.duration());
            node.set("items", items(m.items()));
        }
        return array;
    }

    /** The items of a measurement (one per test of a JUnit probe): id, group, name, status, duration, message. */
    private static ArrayNode items(List<ItemResult> items) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ItemResult item : items) {
            ObjectNode node = array.addObject();
            node.put("id", item.id());
            node.put("group", item.group());
            node.put("name", item.name());
            node.put("status", item.status().name());
            duration(node, "duration", item.duration());
            node.put("message", item.message());
            ArrayNode tags = node.putArray("tags");
            item.tags().forEach(tags::add);
        }
        return array;
    }

    private static ObjectNode rollback(RollbackReport r) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("outcome", r.outcome().name());
        node.put("trigger", r.trigger());
        node.put("attempts", r.attempts());
        node.put("output", r.output());
        node.put("error", r.error());
        node.put("id", r.rollbackId());
        node.put("sharedWith", r.sharedWith());
        instant(node, "started", r.startedAt());
        instant(node, "finished", r.finishedAt());
        duration(node, "duration", r.startedAt() == null || r.finishedAt() == null ? null
                : Duration.between(r.startedAt(), r.finishedAt()));
        return node;
    }

    /** A measured value: numbers, booleans and text as they are, durations as ISO-8601, JSON as JSON. */
    private static JsonNode value(Object v) {
        if (v == null) {
            return MAPPER.getNodeFactory().nullNode();
        }
        if (v instanceof JsonNode node) {
            return node;
        }
        if (v instanceof Duration d) {
            return MAPPER.getNodeFactory().textNode(d.toString());
        }
        if (v instanceof Boolean b) {
            return MAPPER.getNodeFactory().booleanNode(b);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return MAPPER.getNodeFactory().numberNode(((Number) v).longValue());
        }
        if (v instanceof BigInteger n) {
            return MAPPER.getNodeFactory().numberNode(n);
        }
        if (v instanceof BigDecimal n) {
            return MAPPER.getNodeFactory().numberNode(n);
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            // JSON has no NaN or infinity: write them as the strings Prometheus uses.
            return Double.isFinite(d) ? MAPPER.getNodeFactory().numberNode(d)
                    : MAPPER.getNodeFactory().textNode(Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode node = MAPPER.createObjectNode();
            map.forEach((k, x) -> node.set(String.valueOf(k), value(x)));
            return node;
        }
        if (v instanceof Iterable<?> list) {
            ArrayNode node = MAPPER.createArrayNode();
            list.forEach(x -> node.add(value(x)));
            return node;
        }
        return MAPPER.getNodeFactory().textNode(String.valueOf(v));
    }

    private static void instant(ObjectNode node, String key, Instant time) {
        node.put(key, time == null ? null : time.toString());
    }

    private static void duration(ObjectNode node, String key, Duration d) {
        if (d == null) {
            node.putNull(key);
            node.putNull(key + "Millis");
        } else {
            node.put(key, d.toString());
            node.put(key + "Millis", d.toMillis());
        }
    }
}
