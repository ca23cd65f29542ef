package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a query is cut for a one-line description, and secrets taken out of a text. */
class TextsTest {

    @Test
    void aQueryIsNeverCutInsideAnEmoji() {
        // "😀" is two chars (a surrogate pair) at 6 and 7; a cut after 7 chars would keep only its first half.
        String shown = Texts.shorten("sum(x{😀=1} + y)", 10);

        assertThat(shown).isEqualTo("sum(x{...");
        assertThat(shown.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    }

    @Test
    void aQueryIsCutToTheLengthGivenWithAnEllipsis() {
        assertThat(Texts.shorten("sum(rate(http_requests_total[5m]))", 12)).isEqualTo("sum(rate(...").hasSize(12);
    }

    @Test
    void aSecretHoldingAnotherIsMaskedWhole() {
        // Given the shorter first, replacing it first left the rest of the longer one in clear ("****-77").
        assertThat(Texts.redact("401 for tok-9f3 and tok-9f3-77", java.util.List.of("tok-9f3", "tok-9f3-77")))
                .isEqualTo("401 for " + Texts.REDACTED + " and " + Texts.REDACTED);
    }
}
