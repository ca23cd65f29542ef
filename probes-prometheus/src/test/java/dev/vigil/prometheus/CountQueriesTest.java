package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the values of a version's two count queries become the whole counts of a round or a past step. */
class CountQueriesTest {

    @ParameterizedTest
    @CsvSource({
        // errors, requests, whole errors, whole requests
        "3.2, 99.6, 3, 100",
        "0.5, 2.5, 1, 3",
        "0.4, 0.4, 0, 0",
        "0, 0, 0, 0",
        "-0.0, 10, 0, 10",
        "100.4, 99.6, 100, 100",
        "7.5, 7.4, 7, 7",
        "1.2, 0.2, 0, 0",
        "110, 100, 100, 100",
    })
    void valuesAreRoundedAndTheErrorsCappedAtTheRequests(double errors, double requests, long wholeErrors,
            long wholeRequests) {
        assertThat(CountQueries.tally(errors, requests)).isEqualTo(new CountQueries.Tally(wholeErrors, wholeRequests));
    }

    @ParameterizedTest
    @CsvSource({"5, 0.2", "2.5, 1", "111, 100", "1000, 10"})
    void errorsClearlyAboveTheRequestsAreRefusedRatherThanCapped(double errors, double requests) {
        assertThatThrownBy(() -> CountQueries.tally(errors, requests)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("errors counted " + Texts.number(errors) + " errors against " + Texts.number(requests)
                        + " requests of requests: more errors than requests is no error rate");
    }

    @Test
    void aValueBeyondALongIsTheLargestCount() {
        assertThat(CountQueries.tally(1e300, 1e300)).isEqualTo(new CountQueries.Tally(Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @ParameterizedTest
    @CsvSource({"NaN, 10", "10, NaN", "-1, 10", "1, -0.5", "Infinity, 10", "1, Infinity", "-Infinity, 10"})
    void aValueThatIsNoCountIsRefusedRatherThanReadAsZero(double errors, double requests) {
        assertThat(CountQueries.isCount(errors) && CountQueries.isCount(requests)).isFalse();
        assertThatThrownBy(() -> CountQueries.tally(errors, requests)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not counts");
    }

    @Test
    void zeroAndPositiveFiniteValuesAreCounts() {
        assertThat(CountQueries.isCount(0)).isTrue();
        assertThat(CountQueries.isCount(-0.0)).isTrue();
        assertThat(CountQueries.isCount(Double.MAX_VALUE)).isTrue();
    }
}
