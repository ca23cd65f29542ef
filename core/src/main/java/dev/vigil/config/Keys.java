package dev.vigil.config;

import dev.vigil.spi.CredentialNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Key names: relaxed forms, suggestions for misspelt keys, which keys are secret. Stateless. */
final class Keys {

    /** What a redacted value looks like. */
    static final String REDACTED = "******";

    private static final List<String> SECRET_WORDS =
            List.of("token", "password", "passwd", "secret", "authorization", "credential", "api-key", "apikey");

    /** The map key request headers are given under ({@code headers.X-Name}). */
    static final String HEADERS = "headers";

    private Keys() {
    }

    /**
     * The kebab-case form of one key segment: {@code passWhen}, {@code pass_when} and
     * {@code PASS-WHEN} are all {@code pass-when}.
     */
    static String kebab(String segment) {
        StringBuilder out = new StringBuilder(segment.length() + 4);
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '_') {
                out.append('-');
            } else if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && (Character.isLowerCase(segment.charAt(i - 1)) || Character.isDigit(segment.charAt(i - 1)));
                if (afterLower && out.length() > 0 && out.charAt(out.length() - 1) != '-') {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The environment-variable form of a key: upper case, every other character than a letter or digit an underscore. */
    static String envForm(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            out.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return out.toString();
    }

    /**
     * Whether a key's name says that its value is a secret: it holds token, password, secret,
     * Authorization..., or it is a credential's as a text's {@code name=value} counts it
     * ({@link CredentialNames#isCredentialName}: {@code db-pwd}, {@code passphrase}, {@code secret-key}).
     */
    static boolean secretName(String key) {
        if (CredentialNames.isCredentialName(key)) {
            return true;
        }
        String k = kebab(key).toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (k.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a key's or an environment variable's name says that it holds a webhook's URL
     * ({@code vigil.rollback.webhook.url}, {@code SLACK_WEBHOOK_URL}), whose path is its credential:
     * Slack's, Teams' and Discord's hooks take no other.
     */
    static boolean webhookName(String key) {
        return key.toLowerCase(Locale.ROOT).contains("webhook");
    }

    /**
     * Whether a key looks like a misspelt secret ({@code bearer-tokn}, {@code pasword}): one of its
     * words is close to a word that makes a key secret. Used for unknown keys only, whose value is
     * then never shown.
     */
    static boolean nearSecretName(String key) {
        for (String word : kebab(key).toLowerCase(Locale.ROOT).split("[-._\\[\\]]+")) {
            if (word.length() >= 4 && suggest(word, SECRET_WORDS).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The candidate closest to a misspelt key, if it is close enough to be what was meant
     * (optimal string alignment distance of at most 2, or a third of the key's length).
     */
    static Optional<String> suggest(String misspelt, Collection<String> candidates) {
        String wrong = kebab(misspelt).toLowerCase(Locale.ROOT);
        int limit = Math.max(2, wrong.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(wrong, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, substitutions, transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * Splits a key into segments at dots, keeping {@code [n]} indexes attached to their segment
     * and bracketed segments ({@code [X.Y]}) whole.
     */
    static List<String> split(String key) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth = Math.max(0, depth - 1);
            }
            if (c == '.' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
