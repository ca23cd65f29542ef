package dev.vigil;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.ScriptedProbe;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Nulls given to the public API are refused with a message that names what was null, never a bare exception. */
class ApiNullsTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0", "1.0.0");

    @Test
    void confirmsWithANullArrayOfIssuesNamesTheProbeAndTheArgument() {
        DeployVerifier.Builder builder = DeployVerifier.builder().probe("health", ScriptedProbe.passing());

        assertThatThrownBy(() -> builder.confirms("health", (String[]) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("probe 'health': issues (the issue ids it confirms) must not be a null array");
    }

    @Test
    void uncheckedProbesHoldingANullNameAreRefusedByName() {
        Set<String> unchecked = new HashSet<>(Arrays.asList("canary", null));

        assertThatThrownBy(() -> RecheckPlan.defaults().withUnchecked(unchecked))
                .isInstanceOf(NullPointerException.class)
                .hasMessageStartingWith("re-check unchecked probes must not hold a null name: ");
    }

    @Test
    void labelsWithANullValueOrKeyAreRefusedNamingTheLabel() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("team", null);
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "payments");

        assertThatThrownBy(() -> DEPLOYMENT.withLabels(nullValue))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("deployment label 'team' must not be null");
        assertThatThrownBy(() -> DEPLOYMENT.withLabels(nullKey))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("deployment labels must not hold a null key");
    }

    @Test
    void fixesHoldingANullAreRefusedByName() {
        assertThatThrownBy(() -> DEPLOYMENT.asHotfix("INC-1", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageStartingWith("deployment fixes must not hold a null issue id");
    }
}
