package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void aShortTimeAxisIsLabelledToATenthOfASecondNotTruncatedToWholeSeconds() {
        Duration span = Duration.ofMillis(5400);

        assertThat(Format.axis(span.multipliedBy(1).dividedBy(4), span)).isEqualTo("1.4s");
        assertThat(Format.axis(span.multipliedBy(3).dividedBy(4), span)).isEqualTo("4.1s");
        assertThat(Format.axis(span, span)).isEqualTo("5.4s");
    }

    @Test
    void aLongTimeAxisIsLabelledAsAClock() {
        Duration span = Duration.ofMinutes(10);

        assertThat(Format.axis(Duration.ofSeconds(150), span)).isEqualTo("2:30");
        assertThat(Format.axis(Duration.ofHours(1).plusSeconds(5), Duration.ofHours(2))).isEqualTo("1:00:05");
    }
}
