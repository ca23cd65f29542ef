package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Outcome;
import dev.vigil.ProbeReport;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.CredentialUrls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The reports mask every value the shared table gives a credential's name, as the configuration
 * does ({@code dev.vigil.config.CredentialAssignmentsTest}), and leave the plain texts alone.
 */
class CredentialAssignmentsTest {

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialAssignments#WITH_CREDENTIALS")
    void everyCredentialGivenToANameIsMasked(CredentialUrls.Case c) {
        String masked = Reports.redact(c.text());

        assertThat(masked).contains(Redaction.MASK);
        c.secrets().forEach(secret -> assertThat(masked).doesNotContain(secret));
    }

    @Test
    void aSecretWhoseValueIsAnArrayIsMaskedWhole() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("body", new ObjectMapper().readTree("{\"password\":[\"c0ffee-a\",\"c0ffee-b\"],\"ids\":[1,2]}"));
        values.put("api_tokens", List.of("c0ffee-c"));
        values.put("secret", List.of("c0ffee-d", "c0ffee-e"));
        VerificationReport base = SampleReports.healthy();
        ProbeReport p = base.probes().get(0);
        ProbeReport withValues = new ProbeReport(p.name(), p.description(), p.passWhen(), null, p.limits(), p.status(),
                1, 0, 0, 0, null, List.of(SampleReports.measurement("health", 1, Outcome.PASS, values, "status == 200")));
        VerificationReport report = new VerificationReport(base.deployment(), base.plan(), base.verdict(), base.reason(),
                List.of(withValues), base.rollback(), base.recheck(), 1, base.startedAt(), null, base.finishedAt());

        Map<String, Object> redacted = Reports.redact(report).probes().get(0).measurements().get(0).values();

        assertThat(redacted.get("body")).hasToString("{\"password\":\"[REDACTED]\",\"ids\":[1,2]}");
        assertThat(redacted).containsEntry("secret", Redaction.MASK).containsEntry("api_tokens", List.of("c0ffee-c"));
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialAssignments#PLAIN")
    void aTextWithoutCredentialsStaysAsItIs(String text) {
        assertThat(Reports.redact(text)).isEqualTo(text);
    }
}
