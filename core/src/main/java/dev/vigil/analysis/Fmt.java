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
            return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return String.format(java.util.Locale.ROOT, "%.3e", v);
    }

    static String percent(double relative) {
        return (relative >= 0 ? "+" : "") + num(relative * 100) + "%";
    }
}
