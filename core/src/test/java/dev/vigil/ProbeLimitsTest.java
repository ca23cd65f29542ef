package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the limits read in validate's probe lines and the HTML report's "Limits" row. */
class ProbeLimitsTest {

    @Test
    void describeNamesEachLimitAsTheConfigurationDoes() {
        assertThat(ProbeLimits.defaults().withMaxFailures(2).describe())
                .isEqualTo("max-failures 2, max-consecutive-errors 4, max-inconclusive 0");
    }

    @Test
    void anUnlimitedLimitReadsUnlimitedNotTheLargestInteger() {
        // A canary judge's max-inconclusive read "max-inconclusive 2147483647" where the docs say unlimited.
        assertThat(ProbeLimits.defaults().withMaxInconclusive(ProbeLimits.UNLIMITED).describe())
                .isEqualTo("max-failures 0, max-consecutive-errors 4, max-inconclusive unlimited");
    }
}
