package dev.vigil;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A probe of the re-check after rolling back a fix: the previous version still has the issue, so
 * the confirmation failing there is expected. A confirming probe's {@code FAIL}, or a suite's
 * {@code FAIL} in which only tests tagged with a fixed issue failed, each by an assertion
 * ({@link ItemResult.Status#FAILED}), becomes a {@code PASS} that says so; an {@code ERROR}
 * measurement, a tagged test that threw something else or did not finish (no answer shows nothing
 * of the bug), or any other failed test, stays what it was.
 *
 * <p>An expected failure shows nothing about whether the previous version runs (a version that does
 * not answer fails a whole-probe confirmation too, and a tagged test's assertion on its status): it
 * remembers whether its latest measurement was a whole-probe confirmation's failure, or a suite's in
 * which no other test passed, so that a re-check seeing nothing else is not taken for healthy
 * ({@link Recheck}). A confirmation that passes there is noted: it may not detect the bug it
 * confirms.
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
        if (r != null && r.outcome() == Outcome.PASS) {
            return undetected(r);
        }
        if (r == null || r.outcome() != Outcome.FAIL) {
            return r;
        }
        if (whole()) {
            expectedOnly = true;
            return ProbeResult.pass(r.values(), "as expected: " + previous + " still has " + issues() + " (" + r.explanation() + ")")
                    .withItems(r.items());
        }
        List<ItemResult> problems = r.items().stream().filter(i -> i.status().problem()).toList();
        // Only an assertion that failed shows the bug; an error (a connection reset) or a test cut off
        // by the timeout shows nothing of it, and is a problem of the previous version as anywhere else.
        List<ItemResult> expected = confirmingAFix(problems, ItemResult.Status.FAILED);
        if (problems.isEmpty() || expected.size() < problems.size()) {
            return r;
        }
        long passed = r.items().stream().filter(i -> i.status() == ItemResult.Status.PASSED).count();
        expectedOnly = passed == 0;
        // Only the issues whose tests failed are still there; a tagged test that passed is no
        // "other" test but a confirmation that may not detect its bug, and is said as such.
        List<ItemResult> confirmingPassed = confirmingAFix(r.items(), ItemResult.Status.PASSED);
        long others = passed - confirmingPassed.size();
        String said = "as expected: " + previous + " still has " + issuesOf(expected) + " ("
                + expected.stream().map(ItemResult::label).collect(Collectors.joining(", ")) + " failed); "
                + others + (others == 1 ? " other test passed" : " other tests passed");
        String note = undetected(confirmingPassed);
        return ProbeResult.pass(r.values(), note == null ? said : said + "; note: " + note).withItems(r.items());
    }

    /**
     * A pass of a confirmation on the version that still has the bug, said as such: the confirmation
     * may not detect the bug it confirms (a test that passes with and without the fix), which a
     * rehearsal is the one place to see. The outcome stays a {@code PASS}: the previous version
     * answered, and the bug may just not have been triggered.
     */
    private ProbeResult undetected(ProbeResult r) {
        String note = whole() ? "the confirmation of " + issues() + " passed on " + previous + ", which still has "
                + issues() + ": it may not detect the bug it confirms"
                : undetected(confirmingAFix(r.items(), ItemResult.Status.PASSED));
        return note == null ? r : ProbeResult.pass(r.values(), r.explanation() + "; note: " + note).withItems(r.items());
    }

    /** The note on tagged tests that passed on the version that still has their issues; {@code null} for none. */
    private String undetected(List<ItemResult> passedTagged) {
        if (passedTagged.isEmpty()) {
            return null;
        }
        String issues = issuesOf(passedTagged);
        return passedTagged.stream().map(ItemResult::label).collect(Collectors.joining(", ")) + " (tagged " + issues
                + ") passed on " + previous + ", which still has " + issues + ": it may not detect the bug it confirms";
    }

    /** The fixed issues this probe confirms that any of {@code items} is tagged with, comma-separated. */
    private String issuesOf(List<ItemResult> items) {
        return confirmers.stream().map(Confirmer::issue).distinct().filter(issue -> items.stream().anyMatch(i -> i.tagged(issue)))
                .collect(Collectors.joining(", "));
    }

    /** The items that ended with {@code status} and are tagged with an issue this probe confirms. */
    private List<ItemResult> confirmingAFix(List<ItemResult> items, ItemResult.Status status) {
        return items.stream().filter(i -> i.status() == status)
                .filter(i -> confirmers.stream().anyMatch(c -> i.tagged(c.issue()))).toList();
    }

    /** Whether the probe as a whole confirms a fix (rather than by tagged tests). */
    boolean whole() {
        return confirmers.stream().anyMatch(Confirmer::whole);
    }

    /**
     * Whether the latest measurement was a whole-probe confirmation's failure, or a suite's in which
     * nothing but the tagged tests' expected failures was seen (no other test passed), passed as expected.
     */
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

    @Override
    public java.util.List<String> warnings(VerificationPlan plan) {
        return probe.warnings(plan);
    }
}
