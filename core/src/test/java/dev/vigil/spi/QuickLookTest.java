package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/**
 * Each masking rule takes a quick look at a text before it runs its patterns, and skips a text that
 * cannot hold what it masks. The look must never skip a text in which the whole rule finds a
 * credential: a skipped credential is shown.
 */
class QuickLookTest {

    @Property(tries = 20_000, shrinking = ShrinkingMode.BOUNDED)
    void noRuleSkipsATextItWouldMaskSomethingIn(@ForAll(supplier = CredentialLines.Lines.class) String line) {
        assertNothingSkipped(line);
    }

    /** A fixed corpus, so that a run repeats the last; it must exercise both sides of every look. */
    @Test
    void aCorpusOfLinesBuiltFromWhatTheRulesLookForLosesNothingToTheQuickLooks() {
        int[] skipped = new int[3];
        int[] found = new int[3];
        for (String line : CredentialLines.corpus(20261203, 200_000)) {
            assertNothingSkipped(line);
            List<Boolean> looks = List.of(CredentialNames.mayHold(line), CommandLineCredentials.mayHold(line),
                    UrlCredentials.mayHoldUserInfo(line));
            List<Boolean> finds = List.of(!CredentialNames.everySpan(line).isEmpty(),
                    !CommandLineCredentials.everySpan(line).isEmpty(), !UrlCredentials.everyUserInfoSpan(line, false).isEmpty());
            for (int rule = 0; rule < 3; rule++) {
                skipped[rule] += looks.get(rule) ? 0 : 1;
                found[rule] += finds.get(rule) ? 1 : 0;
            }
        }
        // every rule both skips a good part of the corpus and finds credentials in a good part of it
        for (int rule = 0; rule < 3; rule++) {
            assertThat(skipped[rule]).as("lines rule %d skipped", rule).isBetween(10_000, 190_000);
            assertThat(found[rule]).as("lines rule %d masks in", rule).isBetween(2_000, 190_000);
        }
    }

    @Test
    void aLineThatHoldsACredentialIsLookedAtByItsRule() {
        assertThat(CredentialNames.mayHold("DB_PASSWORD=s3cret")).isTrue();
        assertThat(CredentialNames.mayHold("\"awsSecretAccessKey\": \"x\"")).isTrue();
        assertThat(CommandLineCredentials.mayHold("curl -u admin:s3cret https://x")).isTrue();
        assertThat(CommandLineCredentials.mayHold("mysql orders -ps3cret")).isTrue();
        assertThat(UrlCredentials.mayHoldUserInfo("git clone https://deploy:s3cret@git.example/x")).isTrue();
        assertThat(UrlCredentials.mayHoldUserInfo("{\"url\":\"https:\\/\\/deploy:s3cret@git.example\"}")).isTrue();
    }

    @Test
    void aSpringBootLogLineIsSkippedByEveryRule() {
        String line = "2026-12-02 10:23:45.456  INFO 48213 --- [           main] c.a.checkout.CheckoutApplication"
                + "         : Started CheckoutApplication in 4.812 seconds (process running for 5.3)";
        assertThat(CredentialNames.mayHold(line)).isFalse();
        assertThat(CommandLineCredentials.mayHold(line)).isFalse();
        assertThat(UrlCredentials.mayHoldUserInfo(line)).isFalse();
    }

    private static void assertNothingSkipped(String line) {
        if (!CredentialNames.mayHold(line)) {
            assertThat(CredentialNames.everySpan(line)).as("credential names in %s", line).isEmpty();
        }
        if (!CommandLineCredentials.mayHold(line)) {
            assertThat(CommandLineCredentials.everySpan(line)).as("credential arguments in %s", line).isEmpty();
        }
        if (!UrlCredentials.mayHoldUserInfo(line)) {
            assertThat(UrlCredentials.everyUserInfoSpan(line, true)).as("user info in %s", line).isEmpty();
            assertThat(UrlCredentials.everyUserInfoSpan(line, false)).as("user credentials in %s", line).isEmpty();
        }
    }
}
