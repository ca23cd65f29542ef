package dev.vigil;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether one probe confirmed one fix of the deployment: the proof that a bug is fixed. A fix the
 * deployment lists ({@link Deployment#fixes()}) is confirmed by a probe configured with
 * {@code confirms=<issue>} ({@link DeployVerifier.Builder#confirms}) or by the tests of a probe
 * tagged with the issue id ({@link Probe#confirmationTests}); {@link Verdict#HEALTHY} needs every
 * confirmation {@link Status#CONFIRMED}. Immutable.
 *
 * @param issue the issue id ({@code INC-123})
 * @param probe the probe that confirms it
 * @param tests the tests that confirm it ({@code CheckoutSmokeTest#couponsApplyOnce}); empty when
 *     the probe as a whole confirms it ({@code confirms=})
 * @param status what the verification found
 * @param explanation what was found, in one sentence, with the tests and their messages
 * @param regression {@code true} for a fix an earlier verification of the service confirmed, checked
 *     again by the regression guard ({@link DeployVerifier.Builder#regressionGuard}); {@code false}
 *     for a fix of this deployment
 */
public record Confirmation(String issue, String probe, List<String> tests, Status status, String explanation,
        boolean regression) {

    /** What a verification found about one confirmation. */
    public enum Status {
        /**
         * The confirming probe passed at the end (for tests: each tagged test found before the run ran, itself
         * or as invocations or dynamic tests, and every test that ran passed).
         */
        CONFIRMED,
        /** The confirming probe failed, or a tagged test failed: the fix does not work. */
        FAILED,
        /**
         * No proof either way: the tests (or one of them: a test factory that made none) did not run, were
         * skipped, or the probe did not pass nor fail.
         */
        NOT_PROVEN
    }

    /**
     * A confirmation of a fix of this deployment (not a past one checked by the regression guard).
     *
     * @param issue the issue id ({@code INC-123})
     * @param probe the probe that confirms it
     * @param tests the tests that confirm it; {@code null} or empty when the probe as a whole does
     * @param status what the verification found
     * @param explanation what was found, in one sentence; {@code null} means none
     * @throws NullPointerException when {@code issue}, {@code probe} or {@code status} is {@code null}
     */
    public Confirmation(String issue, String probe, List<String> tests, Status status, String explanation) {
        this(issue, probe, tests, status, explanation, false);
    }

    /**
     * Validates and copies: {@code null} tests become none, a {@code null} explanation an empty one.
     *
     * @param issue the issue id ({@code INC-123})
     * @param probe the probe that confirms it
     * @param tests the tests that confirm it; {@code null} or empty when the probe as a whole does
     * @param status what the verification found
     * @param explanation what was found, in one sentence; {@code null} means none
     * @param regression whether the fix is a past one, checked again by the regression guard
     * @throws NullPointerException when {@code issue}, {@code probe} or {@code status} is {@code null}
     */
    public Confirmation {
        Objects.requireNonNull(issue, "issue");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(status, "status");
        tests = tests == null ? List.of() : List.copyOf(tests);
        explanation = explanation == null ? "" : explanation;
    }

    /**
     * The refusal when a fix has no confirmation, with the ways to give it one: {@code hotfix
     * checkout 2.4.2 fixes INC-123 but no probe confirms it: tag its test @Tag("INC-123") in a
     * junit probe, or set vigil.probes.<name>.confirms=INC-123}.
     *
     * @param kind release or hotfix
     * @param service the service, or {@code null} when not known yet
     * @param version the version, or {@code null} when not known yet
     * @param issue the issue id without a confirmation
     * @return the sentence
     */
    public static String missing(Deployment.Kind kind, String service, String version, String issue) {
        return missing(kind, service, version, issue, Map.of());
    }

    /**
     * Why a probe cannot confirm fixes, the one rule behind {@link DeployVerifier.Builder#confirms}
     * and the configuration's {@code confirms=}: a probe that passes without evidence
     * ({@link Probe#passesWithoutEvidence()}) would confirm a fix while it measures nothing.
     *
     * @param probe the probe to confirm with
     * @param issues the issue ids it is to confirm
     * @return {@code cannot confirm INC-7 with on-no-data=pass: ...}, naming the issues and the
     *     probe's setting; {@code null} when it can confirm them (or there are none)
     * @throws NullPointerException when {@code probe} or {@code issues} is {@code null}
     */
    public static String refusal(Probe probe, List<String> issues) {
        Objects.requireNonNull(issues, "issues");
        String setting = issues.isEmpty() ? null : Objects.requireNonNull(probe, "probe").passesWithoutEvidence();
        return setting == null ? null : "cannot confirm " + String.join(",", issues) + " with " + setting;
    }

    /**
     * The setting a canary judge's probe answers from {@link Probe#passesWithoutEvidence()}: a judge
     * that compares the canary with the baseline passes a canary that is no worse than the previous
     * version, which still has the bug a fix is for, so its pass is no evidence that the fix works.
     *
     * @param judged the keys of what the judge compares ({@code baseline-urls}, {@code canary-query, baseline-query})
     * @param instead what confirms the fix in this probe module ({@code a query of the new version alone (query)})
     * @return the setting and why it cannot confirm a fix, for {@link #refusal}
     */
    public static String comparedWithTheBaseline(String judged, String instead) {
        return judged + " and judge: its pass says only that the canary is no worse than the baseline, the previous"
                + " version, which still has the bug, so a canary that still has it passes too and the pass is no"
                + " evidence that the fix works; confirm the fix with " + instead + " or a test tagged with the issue";
    }

    /**
     * The refusal when a fix has no confirmation, with why some probes could not look for their
     * tests ({@link Probe#confirmationTests} threw): {@code hotfix checkout 2.4.2 fixes INC-123 but
     * no probe confirms it: probe smoke: could not look for the tests tagged INC-123 (...): ...;
     * tag its test ...}. An issue id that no JUnit tag can hold ({@code INC 1}: whitespace, an ISO
     * control character or one of {@code , ( ) & | !}) gets no advice to tag a test with it: the
     * sentence says JUnit tags cannot hold it.
     *
     * @param kind release or hotfix
     * @param service the service, or {@code null} when not known yet
     * @param version the version, or {@code null} when not known yet
     * @param issue the issue id without a confirmation
     * @param unsearched why each probe that could not look for its tests could not, by the probe's name
     * @return the sentence
     */
    public static String missing(Deployment.Kind kind, String service, String version, String issue,
            Map<String, String> unsearched) {
        String what = kind.name().toLowerCase(java.util.Locale.ROOT)
                + (service == null ? "" : " " + service) + (version == null ? "" : " " + version);
        StringBuilder why = new StringBuilder();
        unsearched.forEach((probe, failure) -> why.append("probe ").append(probe).append(": ").append(failure).append("; "));
        if (!canBeJunitTag(issue)) {
            return what + " fixes '" + issue + "' but no probe confirms it: " + why + "no test can be tagged with it, as JUnit tags"
                    + " cannot hold whitespace, ISO control characters or any of , ( ) & | !: list the fix without them"
                    + " (INC-123), or set vigil.probes.<name>.confirms=" + issue;
        }
        return what + " fixes " + issue + " but no probe confirms it: " + why + "tag its test @Tag(\"" + issue
                + "\") in a junit probe, or set vigil.probes.<name>.confirms=" + issue;
    }

    /**
     * Whether a test can be tagged with an id, by JUnit's rule for tags ({@code TestTag.isValid}):
     * not blank, and no whitespace, ISO control character or reserved {@code , ( ) & | !} once the
     * blanks around it are dropped.
     */
    private static boolean canBeJunitTag(String issue) {
        String tag = issue.strip();
        return !tag.isEmpty() && tag.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || ",()&|!".indexOf(c) >= 0);
    }

    /**
     * Whether the fix is confirmed by this probe.
     *
     * @return {@code true} for {@link Status#CONFIRMED}
     */
    public boolean confirmed() {
        return status == Status.CONFIRMED;
    }
}
