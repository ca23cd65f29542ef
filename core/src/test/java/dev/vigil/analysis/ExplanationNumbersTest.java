package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An explanation's numbers read as the decision they support: never "e-value 20 < 20". */
class ExplanationNumbersTest {

    /** Four paired rounds whose canary is {@code shift} above the baseline, with some noise. */
    private static CanaryResult afterFourRounds(double shift) {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        double[] noise = {1.5, -0.7, 2.1, -1.2};
        CanaryResult last = null;
        for (double n : noise) {
            last = judge.observe(CanaryRound.samples(new double[] {100 + shift + n}, new double[] {100}));
        }
        return last;
    }

    @Test
    void anEValueJustBelowTheThresholdIsShownBelowIt() {
        // The shift whose e-value is just below 1/(1 - 0.95) = 20, found by bisection.
        double low = 0;
        double high = 100;
        CanaryResult r = null;
        for (int i = 0; i < 200; i++) {
            double mid = (low + high) / 2;
            r = afterFourRounds(mid);
            double e = (double) r.values().get("e-value");
            if (r.decision() == CanaryDecision.REGRESSION) {
                high = mid;
            } else if (e > 19.9999) {
                break;
            } else {
                low = mid;
            }
        }
        assertThat(r.decision()).isEqualTo(CanaryDecision.NO_REGRESSION);
        assertThat((double) r.values().get("e-value")).isBetween(19.9999, 20.0);
        assertThat(r.explanation()).doesNotContain("e-value 20 < 20").containsPattern("e-value 19\\.999\\d* < 20\\b");
    }

    @Test
    void aNumberJustBelowItsLimitGetsTheDigitsThatTellThemApart() {
        assertThat(Fmt.below(0.049996, 0.05)).isEqualTo("0.049996");
        assertThat(Fmt.below(0.0499, 0.05)).isEqualTo("0.0499");
        assertThat(Fmt.below(19.99999999, 1 / (1 - 0.95))).startsWith("19.9999999");
    }
}
