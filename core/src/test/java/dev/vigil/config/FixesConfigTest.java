package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 18: declaring a fix in configuration, and the confirmation every fix needs before anything is measured. */
class FixesConfigTest {

    private static Map<String, String> hotfix() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.2");
        p.put("vigil.deployment.kind", "hotfix");
        p.put("vigil.deployment.fixes", "INC-123");
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", "true");
        return p;
    }

    private static ValidationResult validate(Map<String, String> p) {
        return VigilConfig.builder().environment(Map.of()).serviceLoader(false).build().validate(p);
    }

    /** The configuration has one problem: of {@code key}, its message starting with {@code message}. */
    private static void assertOnlyProblem(Map<String, String> p, String key, String message) {
        assertThat(validate(p).problems()).as("problems of %s", p).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo(key);
            assertThat(problem.message()).startsWith(message);
        });
    }

    @Test
    void aFixThatNoProbeConfirmsIsAProblemThatSaysHowToConfirmIt() {
        ValidationResult result = validate(hotfix());

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("vigil.deployment.fixes");
            assertThat(p.message()).isEqualTo("hotfix checkout 2.4.2 fixes INC-123 but no probe confirms it: tag its test"
                    + " @Tag(\"INC-123\") in a junit probe, or set vigil.probes.<name>.confirms=INC-123");
        });
    }

    @Test
    void aReleaseThatListsFixesNeedsTheirConfirmationsToo() {
        Map<String, String> p = hotfix();
        p.put("vigil.deployment.kind", "release");

        assertThat(validate(p).problems()).singleElement()
                .satisfies(problem -> assertThat(problem.message()).startsWith("release checkout 2.4.2 fixes INC-123"));
    }

    @Test
    void aProbeThatConfirmsTheFixMakesTheConfigurationValidAndTheVerifierKnowsIt() {
        Map<String, String> p = hotfix();
        p.put("vigil.probes.smoke.confirms", "INC-123");

        ValidationResult result = validate(p);

        assertThat(result.problems()).isEmpty();
        BoundConfig bound = result.bound().orElseThrow();
        assertThat(bound.probes().get(0).confirms()).containsExactly("INC-123");
        assertThat(bound.probes().get(0).describe()).endsWith("; confirms INC-123");
        Deployment d = bound.deployment().toDeployment();
        assertThat(d.kind()).isEqualTo(Deployment.Kind.HOTFIX);
        assertThat(bound.verifier().confirmationProblems(d)).isEmpty();
    }

    @Test
    void requiringPastConfirmationsNeedsTheReleaseHistory() {
        Map<String, String> p = hotfix();
        p.put("vigil.probes.smoke.confirms", "INC-123");
        p.put("vigil.regressions.require-past-confirmations", "true");
        assertThat(validate(p).bound().orElseThrow().requirePastConfirmations()).isTrue();

        p.put("vigil.history.enabled", "false");
        assertThat(validate(p).problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.regressions.require-past-confirmations");
            assertThat(problem.message()).contains("vigil.history.enabled=true");
        });
    }

    @Test
    void aHotfixThatListsNoFixIsAProblem() {
        Map<String, String> p = hotfix();
        p.remove("vigil.deployment.fixes");
        p.put("vigil.probes.smoke.confirms", "INC-123");

        assertOnlyProblem(p, "vigil.deployment.fixes", "missing: a hotfix names the issues it fixes");
    }
    @Test
    void anEmptyIssueIdInTheListIsAProblemThatNamesTheKeyNotAFixDroppedWithoutAWord() {
        for (String value : new String[] {"INC-123,,INC-124", "INC-123,", "INC-123, ,INC-124", ",INC-123", " , "}) {
            Map<String, String> p = hotfix();
            p.put("vigil.deployment.kind", "release");
            p.put("vigil.deployment.fixes", value);
            p.put("vigil.probes.smoke.confirms", "INC-123,INC-124");

            assertOnlyProblem(p, "vigil.deployment.fixes", "an empty issue id in the list; give ids such as INC-1,INC-2");
        }
    }

    @Test
    void anEmptyIndexedIssueIdIsAProblemOfItsOwnKey() {
        Map<String, String> p = hotfix();
        p.remove("vigil.deployment.fixes");
        p.put("vigil.deployment.fixes[0]", "INC-123");
        p.put("vigil.deployment.fixes[1]", " ");
        p.put("vigil.probes.smoke.confirms", "INC-123");

        assertOnlyProblem(p, "vigil.deployment.fixes[1]", "an empty issue id in the list");
    }

    @Test
    void anEmptyIssueIdInAProbesConfirmsIsAProblemThatNamesTheKeyNotAConfirmationDroppedWithoutAWord() {
        for (String value : new String[] {"INC-123,,INC-124", "INC-123,", "INC-123, ,INC-124", ",INC-123", "INC-123,${FIX:}"}) {
            Map<String, String> p = hotfix();
            p.put("vigil.probes.smoke.confirms", value);

            assertOnlyProblem(p, "vigil.probes.smoke.confirms", "an empty issue id in the list; give ids such as INC-1,INC-2,"
                    + " or leave the key out (or empty) when the probe confirms no issue as a whole");
        }
    }

    @Test
    void anEmptyIndexedIdInAProbesConfirmsIsAProblemOfItsOwnKey() {
        Map<String, String> p = hotfix();
        p.put("vigil.probes.smoke.confirms[0]", "INC-123");
        p.put("vigil.probes.smoke.confirms[1]", "");

        assertOnlyProblem(p, "vigil.probes.smoke.confirms[1]", "an empty issue id in the list");
    }

    @Test
    void aWhollyEmptyConfirmsStillMeansTheProbeConfirmsNothing() {
        Map<String, String> p = hotfix();
        p.put("vigil.deployment.kind", "release");
        p.remove("vigil.deployment.fixes");
        p.put("vigil.probes.smoke.confirms", "${CONFIRMS:}");

        ValidationResult result = validate(p);

        assertThat(result.problems()).isEmpty();
        assertThat(result.bound().orElseThrow().probes().get(0).confirms()).isEmpty();
    }

    @Test
    void aWhollyEmptyListStillMeansNoFixes() {
        Map<String, String> p = hotfix();
        p.put("vigil.deployment.kind", "release");
        p.put("vigil.deployment.fixes", "${FIXES:}");

        ValidationResult result = validate(p);

        assertThat(result.problems()).isEmpty();
        assertThat(result.bound().orElseThrow().deployment().fixes()).isEmpty();
    }
}
