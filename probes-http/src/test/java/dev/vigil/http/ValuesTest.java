package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValuesTest {

    private static final String EMOJI = "\uD83D\uDE80"; // U+1F680, two chars in a String

    private static boolean holdsHalfACharacter(String text) {
        return text.codePoints().anyMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
    }

    @Test
    void cutsBeforeACharacterThatWouldBeSplitAtTheLimit() {
        // The limit fell between the two halves of the emoji: the value kept half of it.
        String text = "a".repeat(Values.MAX_TEXT - 1) + EMOJI + "b".repeat(100);

        String cut = Values.cut(text);

        assertThat(holdsHalfACharacter(cut)).as(cut).isFalse();
        assertThat(cut).isEqualTo("a".repeat(Values.MAX_TEXT - 1) + "... (" + text.length() + " chars)");
    }

    @Test
    void keepsACharacterThatEndsAtTheLimit() {
        String text = "a".repeat(Values.MAX_TEXT - 2) + EMOJI + "b".repeat(100);

        assertThat(Values.cut(text)).isEqualTo("a".repeat(Values.MAX_TEXT - 2) + EMOJI + "... (" + text.length() + " chars)");
        assertThat(Values.simple("x".repeat(Values.MAX_TEXT - 1) + EMOJI)).asString()
                .satisfies(v -> assertThat(holdsHalfACharacter(v)).as(v).isFalse());
    }

    @Test
    void leavesAShortTextAsItIs() {
        assertThat(Values.cut("UP " + EMOJI)).isEqualTo("UP " + EMOJI);
    }
}
