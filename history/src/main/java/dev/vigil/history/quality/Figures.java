package dev.vigil.history.quality;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** How the renderings write figures: the same words in the table, the JSON's text fields and the page. */
final class Figures {

    private Figures() {
    }

    static String percent(Optional<Double> rate) {
        return rate.map(r -> String.format(Locale.ROOT, "%.1f%%", r * 100)).orElse("-");
    }

    static String duration(Optional<Duration> d) {
        return d.map(Figures::duration).orElse("-");
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return d.toMillis() % 1000 == 0 || s >= 10 ? s + "s" : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + (s % 60) + "s");
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + "m");
        }
        return (s / 86_400) + "d" + (s % 86_400 / 3600 == 0 ? "" : " " + (s % 86_400 / 3600) + "h");
    }

    static String arrow(Direction d) {
        return switch (d) {
            case BETTER -> "better";
            case WORSE -> "worse";
            case SAME -> "same";
            case NONE -> "";
        };
    }

    static String band(Optional<DoraBand> band) {
        return band.map(b -> b.name().toLowerCase(Locale.ROOT)).orElse("-");
    }
}
