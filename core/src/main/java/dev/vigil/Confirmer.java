package dev.vigil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One probe that confirms one fix, found before anything is measured: as a whole
 * ({@code confirms=}, {@code tests} empty) or by its tests tagged with the issue id. Judges what the
 * probe then measured into a {@link Confirmation}.
 */
record Confirmer(String issue, String probe, List<String> tests) {

    Confirmer {
        tests = List.copyOf(tests);
    }

    boolean whole() {
        return tests.isEmpty();
    }

    /** The probes that confirm the issue, in the order of the probes. */
    static List<Confirmer> find(String issue, List<ProbeSpec> specs) {
        return find(issue, specs, new LinkedHashMap<>());
    }

    /**
     * The probes that confirm the issue, in the order of the probes; why each probe that could not
     * look for its tests could not goes into {@code unsearched}, by its name.
     */
    static List<Confirmer> find(String issue, List<ProbeSpec> specs, Map<String, String> unsearched) {
        List<Confirmer> out = new ArrayList<>();
        for (ProbeSpec spec : specs) {
            if (spec.confirms().contains(issue)) {
                out.add(new Confirmer(issue, spec.name(), List.of()));
                continue;
            }
            List<String> tests;
            try {
                tests = spec.probe().confirmationTests(issue);
                if (tests != null && tests.stream().anyMatch(java.util.Objects::isNull)) {
                    // No test can be looked for under a null name: the probe's answer is broken as a whole.
                    throw new VigilException("confirmationTests(\"" + issue + "\") of " + spec.name()
                            + " named a null test among " + tests);
                }
            } catch (Exception | Error e) {
                // Errors and undeclared checked exceptions too: a probe never makes verifyAfterDeploy throw them.
                unsearched.put(spec.name(), VigilException.describe(e));
                tests = null;
            }
            if (tests != null && !tests.isEmpty()) {
                out.add(new Confirmer(issue, spec.name(), tests));
            }
        }
        return out;
    }

    /** What the probe's report says about this fix. */
    Confirmation judge(ProbeReport report) {
        if (report == null) {
            return new Confirmation(issue, probe, tests, Confirmation.Status.NOT_PROVEN, "probe " + probe + " did not run");
        }
        if (whole()) {
            return switch (report.status()) {
                case PASSED -> new Confirmation(issue, probe, tests, Confirmation.Status.CONFIRMED,
                        "probe " + probe + " passed, with a PASS as its latest measurement");
                case FAILED -> new Confirmation(issue, probe, tests, Confirmation.Status.FAILED,
                        "probe " + probe + " failed: " + report.brokenLimit());
                default -> new Confirmation(issue, probe, tests, Confirmation.Status.NOT_PROVEN,
                        "probe " + probe + " ended " + report.status() + latest(report));
            };
        }
        // The latest run decides: a round whose run lacks the tagged tests (a parameterized test with no
        // arguments now, a class that could not start) must not be judged on an earlier round's pass.
        java.util.Optional<Measurement> run = latestRun(report.measurements());
        List<ItemResult> tagged = run.map(m -> tagged(m.items())).orElse(List.of());
        boolean earlier = report.measurements().stream().anyMatch(m -> !tagged(m.items()).isEmpty());
        return judgeTests(tagged, run.orElse(null), report.status() == ProbeReport.Status.NOT_DECIDED
                && report.measurements().isEmpty(), earlier);
    }

    /**
     * The latest measurement that ran tests (has items): one without any is a carried-over {@code PASS}
     * (a suite that runs once per verification) or a run that never started, and says nothing of them.
     */
    static java.util.Optional<Measurement> latestRun(List<Measurement> measurements) {
        for (int i = measurements.size() - 1; i >= 0; i--) {
            if (!measurements.get(i).items().isEmpty()) {
                return java.util.Optional.of(measurements.get(i));
            }
        }
        return java.util.Optional.empty();
    }

    /** The items tagged with this issue. */
    List<ItemResult> tagged(List<ItemResult> items) {
        return items.stream().filter(i -> i.tagged(issue)).toList();
    }

    /** @param earlier whether an earlier run had the tagged tests, which the latest one lacks */
    private Confirmation judgeTests(List<ItemResult> tagged, Measurement run, boolean notMeasured, boolean earlier) {
        if (tagged.isEmpty()) {
            return new Confirmation(issue, probe, tests, Confirmation.Status.NOT_PROVEN, notMeasured
                    ? "probe " + probe + " was not measured"
                    : run == null ? "no test tagged " + issue + " ran in probe " + probe + " (expected " + String.join(", ", tests) + ")"
                    : "no test tagged " + issue + " ran in probe " + probe + "'s latest run (" + roundOf(run) + ", "
                            + run.items().size() + (run.items().size() == 1 ? " test" : " tests") + "; expected "
                            + String.join(", ", tests) + ")"
                            + (earlier ? "; a pass of an earlier run does not show the fix in the latest one" : ""));
        }
        List<String> ran = tagged.stream().map(ItemResult::label).toList();
        List<ItemResult> failed = tagged.stream().filter(i -> i.status().problem()).toList();
        if (!failed.isEmpty()) {
            return new Confirmation(issue, probe, ran, Confirmation.Status.FAILED, describe(failed));
        }
        List<String> missing = tests.stream().filter(t -> ran.stream().noneMatch(r -> ranAs(t, r))).toList();
        if (!missing.isEmpty()) {
            return new Confirmation(issue, probe, ran, Confirmation.Status.NOT_PROVEN, String.join(", ", missing) + ", tagged "
                    + issue + ", ran no test in probe " + probe + " (a test factory that made none, say; "
                    + String.join(", ", ran.stream().distinct().toList()) + " ran); a confirmation test that does not run proves nothing");
        }
        List<ItemResult> notPassed = tagged.stream().filter(i -> i.status() != ItemResult.Status.PASSED).toList();
        if (!notPassed.isEmpty()) {
            return new Confirmation(issue, probe, ran, Confirmation.Status.NOT_PROVEN, describe(notPassed)
                    + "; a skipped confirmation test proves nothing");
        }
        return new Confirmation(issue, probe, ran, Confirmation.Status.CONFIRMED,
                (ran.size() == 1 ? ran.get(0) + " passed" : "all " + ran.size() + " tests passed: " + String.join(", ", ran)));
    }

    /**
     * Whether a test found before the run ({@code FactoryTest#coupons}) ran as the item labelled
     * {@code ran}: itself, or one of its invocations or dynamic tests, whose names go on with its
     * parameter types or {@code " > "} ({@code FactoryTest#coupons() > [1] SAVE10}).
     */
    private static boolean ranAs(String test, String ran) {
        return ran.equals(test) || ran.startsWith(test + "(") || ran.startsWith(test + " > ");
    }

    private static String roundOf(Measurement m) {
        return m.round() == 0 ? "the re-check" : "round " + m.round();
    }

    private static String describe(List<ItemResult> items) {
        return items.stream().sorted(Comparator.comparing(ItemResult::label))
                .map(i -> i.label() + " " + i.status().name().toLowerCase(java.util.Locale.ROOT)
                        + (i.message().isEmpty() ? "" : ": " + firstLine(i.message())))
                .collect(Collectors.joining("; "));
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String latest(ProbeReport report) {
        if (report.measurements().isEmpty()) {
            return ", never measured";
        }
        Measurement m = report.measurements().get(report.measurements().size() - 1);
        String detail = m.outcome() == Outcome.ERROR ? m.error() : m.explanation();
        return "; latest measurement " + m.outcome() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }

    /** Every confirmation of a verification, in the order of the fixes, then of the probes. */
    static List<Confirmation> judgeAll(List<Confirmer> confirmers, Map<String, ProbeReport> reports) {
        return confirmers.stream().map(c -> c.judge(reports.get(c.probe()))).toList();
    }
}
