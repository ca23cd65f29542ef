package dev.vigil.command;

import dev.vigil.spi.CredentialNames;
import java.util.List;
import java.util.Map;

/**
 * The credentials a command inherits from the environment Vigil runs in, blanked out of what it
 * prints. A pipeline's environment holds secrets the configuration never names
 * ({@code GITHUB_TOKEN}, {@code DEPLOY_KEY_PASSWORD}), and a script run with {@code set -x}, or
 * one that echoes its variables, prints them; its output goes into the reports and the history.
 * A variable is a credential when {@link CredentialNames#isCredentialName} says its name is one,
 * {@code PWD} (the working folder) excepted. Values shorter than {@link #MIN_LENGTH} are left:
 * nothing says they are not ordinary words ({@code TOKEN_TYPE=bearer}). Stateless; thread-safe.
 */
final class InheritedSecrets {

    /** The shortest inherited value blanked out: a generated credential is longer, a word often not. */
    static final int MIN_LENGTH = 8;

    /** What a credential is replaced with, as everywhere in Vigil's output. */
    static final String MASK = "******";

    private InheritedSecrets() {
    }

    /**
     * The text with the value of every credential of {@code environment} replaced by {@link #MASK}.
     *
     * @param text what the command printed; {@code null} stays {@code null}
     * @param environment the command's whole environment
     */
    static String mask(String text, Map<String, String> environment) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<String> values = environment.entrySet().stream()
                .filter(e -> !"PWD".equals(e.getKey()) && CredentialNames.isCredentialName(e.getKey()))
                .map(Map.Entry::getValue)
                .filter(v -> v != null && v.strip().length() >= MIN_LENGTH)
                .toList();
        return CredentialNames.scrub(text, values, MASK);
    }
}
