package dev.vigil;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A probe of the re-check after rolling back a fix: the previous version still has the issue, so
 * the confirmation failing there is expected. A confirming probe's {@code FAIL}, or a suite's
 * {@code FAIL} in which only tests tagged with a fixed issue failed, becomes a {@code PASS} that says
 * so; an {@code ERROR}, or any other failed test, stays what it was.
 */
final class StillBroken implements Probe {

    private final Probe probe;
    private final List<Confirmer> confirmers;
    private final String previous;

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
        ProbeResult r = probe.measure(context);
        if (r == null || r.outcome() != Outcome.FAIL) {
            return r;
        }
        String issues = confirmers.stream().map(Confirmer::issue).distinct().collect(Collectors.joining(", "));
        if (confirmers.stream().anyMatch(Confirmer::whole)) {
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
}
