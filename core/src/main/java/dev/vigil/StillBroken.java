package dev.vigil;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A probe of the re-check after rolling back a fix: the previous version still has the issue, so
 * the confirmation failing there is expected. A confirming probe's {@code FAIL}, or a suite's
 * {@code FAIL} in which only tests tagged with a fixed issue failed, becomes a {@code PASS} that says
 * so; an {@code ERROR}, or any other failed test, stays what it was.
 *
 * <p>A whole-probe confirmation's expected failure shows nothing about whether the previous version
 * runs (a version that does not answer fails it too): it remembers whether its latest measurement was
 * such a failure, so that a re-check seeing nothing else is not taken for healthy ({@link Recheck}).
 */
final class StillBroken implements Probe {

    private final Probe probe;
    private final List<Confirmer> confirmers;
    private final String previous;
    private volatile boolean expectedOnly;

    private StillBroken(Probe probe, List<Confirmer> confirmers, String previous) {
        this.probe = probe;
        this.confirmers = confirmers;
        this.previous = previous;
    }

    /** The spec itself when its probe confirms none of the fixes, else one whose confirmation is expected to fail. */
    static ProbeSpec expecting(ProbeSpec spec, List<Confirmer> confirmers, Deployment deployment) {
        List<Confirmer> mine = confirmers.stream().filter(c -> c.probe().equals(spec.name())).toList();
        if (mine.isEmpty()) {
            return spec;
        }
        String previous = deployment.previousVersion() == null ? "the previous version" : deployment.previousVersion();
        return new ProbeSpec(spec.name(), new StillBroken(spec.probe(), mine, previous), spec.limits(), spec.measurement(),
                spec.confirms());
    }

    @Override
    public ProbeResult measure(ProbeContext context) throws Exception {
        expectedOnly = false;
        ProbeResult r = probe.measure(context);
        if (r == null || r.outcome() != Outcome.FAIL) {
            return r;
        }
        String issues = issues();
        if (whole()) {
            expectedOnly = true;
            return ProbeResult.pass(r.values(), "as expected: " + previous + " still has " + issues + " (" + r.explanation() + ")")
                    .withItems(r.items());
        }
        List<ItemResult> problems = r.items().stream().filter(i -> i.status().problem()).toList();
        List<ItemResult> expected = problems.stream()
                .filter(i -> confirmers.stream().anyMatch(c -> i.tagged(c.issue()))).toList();
        if (problems.isEmpty() || expected.size() < problems.size()) {
            return r;
        }
        long passed = r.items().stream().filter(i -> i.status() == ItemResult.Status.PASSED).count();
        return ProbeResult.pass(r.values(), "as expected: " + previous + " still has " + issues + " ("
                + expected.stream().map(ItemResult::label).collect(Collectors.joining(", ")) + " failed); "
                + passed + (passed == 1 ? " other test passed" : " other tests passed")).withItems(r.items());
    }

    /** Whether the probe as a whole confirms a fix (rather than by tagged tests). */
    boolean whole() {
        return confirmers.stream().anyMatch(Confirmer::whole);
    }

    /** Whether the latest measurement was a whole-probe confirmation's failure, passed as expected. */
    boolean sawOnlyTheExpectedFailure() {
        return expectedOnly;
    }

    /** The fixed issues the probe confirms, comma-separated. */
    String issues() {
        return confirmers.stream().map(Confirmer::issue).distinct().collect(Collectors.joining(", "));
    }

    @Override
    public String description() {
        return probe.description();
    }

    @Override
    public String passWhen() {
        return probe.passWhen();
    }

    @Override
    public String failWhen() {
        return probe.failWhen();
    }

    @Override
    public java.time.Duration lookback() {
        return probe.lookback();
    }
}
