package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spi.CredentialLines;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/**
 * {@link Redaction#text} runs its own patterns only on a text holding their words; the
 * patterns must find nothing in a text without them, or a credential would be shown.
 */
class RedactionQuickLookTest {

    @Property(tries = 20_000, shrinking = ShrinkingMode.BOUNDED)
    void noPatternFindsAnythingInATextWithoutItsWords(@ForAll(supplier = CredentialLines.Lines.class) String line) {
        assertNothingSkipped(line);
    }

    @Test
    void aCorpusOfLinesBuiltFromWhatTheRulesLookForLosesNothingToTheQuickLooks() {
        int found = 0;
        int formed = 0;
        int formats = 0;
        for (String line : CredentialLines.corpus(20261203, 200_000)) {
            assertNothingSkipped(line);
            found += Redaction.BEARER.matcher(line).find() || Redaction.AUTHORIZATION.matcher(line).find() ? 1 : 0;
            formed += Redaction.PRIVATE_KEY.matcher(line).find() || Redaction.PREFIXED_TOKEN.matcher(line).find() ? 1 : 0;
            formats += Redaction.REGISTRY_AUTH.matcher(line).find() || Redaction.NETRC_PASSWORD.matcher(line).find()
                    || Redaction.ORACLE_PASSWORD.matcher(line).find() ? 1 : 0;
        }
        assertThat(found).isBetween(2_000, 190_000);
        assertThat(formed).as("lines with a private key or a prefixed token").isBetween(1_000, 190_000);
        assertThat(formats).as("lines with a registry's auth, a .netrc or an Oracle password").isBetween(100, 190_000);
    }

    @Test
    void credentialsThePatternsFindAreStillMasked() {
        assertThat(Redaction.text("header.Set-Cookie(\"SESSION=abc\") == \"x\"")).doesNotContain("abc");
        assertThat(Redaction.text("> AUTHORIZATION: Basic YWRtaW46czNjcmV0")).doesNotContain("YWRtaW46czNjcmV0");
        assertThat(Redaction.text("token is BeArEr eyJhbGciOi.J9")).doesNotContain("eyJhbGciOi.J9");
        assertThat(Redaction.text("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB")).doesNotContain("MHcCAQEEIB");
        assertThat(Redaction.text("use xoxp-0123456789abcdefABCDEF")).doesNotContain("0123456789abcdefABCDEF");
    }

    private static void assertNothingSkipped(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (!lower.contains(Redaction.HEADER_VALUE_WORD)) {
            assertThat(Redaction.HEADER_VALUE.matcher(line).find()).as("header value in %s", line).isFalse();
        }
        if (Redaction.AUTHORIZATION_WORDS.stream().noneMatch(lower::contains)) {
            assertThat(Redaction.AUTHORIZATION.matcher(line).find()).as("authorization in %s", line).isFalse();
            assertThat(Redaction.ESCAPED_AUTHORIZATION.matcher(line).find()).as("escaped authorization in %s", line).isFalse();
        }
        if (!lower.contains(Redaction.BEARER_WORD)) {
            assertThat(Redaction.BEARER.matcher(line).find()).as("bearer in %s", line).isFalse();
        }
        for (var look : java.util.Map.of(Redaction.REGISTRY_AUTH, Redaction.REGISTRY_AUTH_WORDS, Redaction.NETRC_PASSWORD,
                Redaction.NETRC_PASSWORD_WORDS, Redaction.ORACLE_PASSWORD, Redaction.ORACLE_PASSWORD_WORDS).entrySet()) {
            if (look.getValue().stream().noneMatch(lower::contains)) {
                assertThat(look.getKey().matcher(line).find()).as("%s in %s", look.getKey(), line).isFalse();
            }
        }
        if (Redaction.PRIVATE_KEY_WORDS.stream().noneMatch(lower::contains)) {
            assertThat(Redaction.PRIVATE_KEY.matcher(line).find()).as("private key in %s", line).isFalse();
        }
        if (Redaction.TOKEN_PREFIX_WORDS.stream().noneMatch(lower::contains)) {
            assertThat(Redaction.PREFIXED_TOKEN.matcher(line).find()).as("prefixed token in %s", line).isFalse();
        }
    }
}
