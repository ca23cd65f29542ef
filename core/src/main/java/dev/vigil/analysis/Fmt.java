package dev.vigil.analysis;

import java.math.BigDecimal;
import java.math.MathContext;

/** Number formatting for explanations: four significant digits, no exponent for everyday sizes. */
final class Fmt {

    private Fmt() {
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e9) {
            // Rounded in double arithmetic first: BigDecimal.valueOf is cheap, new BigDecimal(double) is not.
            double scale = Math.pow(10, 3 - (int) Math.floor(Math.log10(a)));
            double rounded = Math.round(v * scale) / scale;
            return BigDecimal.valueOf(rounded).round(MathContext.DECIMAL64).stripTrailingZeros().toPlainString();
        }
        return String.format(java.util.Locale.ROOT, "%.3e", v);
    }

    /**
     * {@code value}, known to be below {@code limit}, with as many significant digits as it takes to
     * read below {@link #num num(limit)}: {@code 19.9996} against {@code 20}, {@code 0.049996}
     * against {@code 0.05}, so that an explanation never says {@code 20 < 20}.
     */
    static String below(double value, double limit) {
        String shown = num(value);
        String limitShown = num(limit);
        if (!shown.equals(limitShown) || !Double.isFinite(value) || !(value < limit)) {
            return shown;
        }
        for (int digits = 5; digits <= 17; digits++) {
            BigDecimal rounded = BigDecimal.valueOf(value).round(new MathContext(digits));
            double a = Math.abs(value);
            String text = a >= 1e-4 && a < 1e9 ? rounded.stripTrailingZeros().toPlainString()
                    : String.format(java.util.Locale.ROOT, "%." + (digits - 1) + "e", rounded.doubleValue());
            if (!text.equals(limitShown)) {
                return text;
            }
        }
        return shown;
    }

    static String percent(double relative) {
        return (relative >= 0 ? "+" : "") + num(relative * 100) + "%";
    }

    /** {@code "1 round"}, {@code "3 rounds"}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A latency given in seconds as people write it: {@code 250ms}, {@code 1.5s}, {@code +Inf}. */
    static String latency(double seconds) {
        if (seconds == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        return seconds < 1 ? num(seconds * 1000) + "ms" : num(seconds) + "s";
    }
}
