package dev.vigil.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which names are a credential's, and masking the values a text gives them: the one rule behind
 * every place that shows a {@code name=value} (reports and console lines, the release history, the
 * configuration's descriptions, values and messages), so that a value masked in one output is
 * masked in every other.
 *
 * <p>A name is a credential's when, in any case, with {@code _}, {@code .}, {@code -} or camel case
 * between its words, it ends in {@code password}, {@code passwd}, {@code passphrase},
 * {@code secret}, {@code secret-key}, {@code secret-access-key}, {@code token}, {@code api-key}
 * ({@code apikey}), {@code access-key}, {@code private-key} ({@code privatekey}), {@code credential},
 * {@code credentials}, {@code tls-key} (a Kubernetes TLS secret's {@code tls.key}), {@code dockerconfigjson}
 * or {@code dockercfg} (a registry secret's {@code .dockerconfigjson}, its base64 {@code auths}) or
 * {@code client-key-data} (a kubeconfig's private key, as {@code kubectl config view --raw} prints it),
 * or its last word is {@code pwd}:
 * {@code DB_PASSWORD}, {@code PGPASSWORD}, {@code dbPassword}, {@code GITHUB_TOKEN},
 * {@code access_token}, {@code AWS_SECRET_ACCESS_KEY}, {@code STRIPE_API_KEY}, {@code MINIO_ACCESS_KEY},
 * {@code SSH_PRIVATE_KEY}, {@code GPG_PRIVATEKEY}, {@code --private-key}, {@code OAUTH_CLIENT_SECRET},
 * {@code GOOGLE_CREDENTIALS}, {@code db.pwd}. {@code max_tokens}, {@code TOKEN_FILE}, {@code OLDPWD},
 * {@code PRIVATE_KEY_PATH}, {@code ACCESS_KEY_ID}, {@code SSH_PUBLIC_KEY} and {@code accesskey} (an
 * HTML attribute) are none.
 *
 * <p>A text gives such a name a value as {@code name=value} (as {@code env} prints it, a shell
 * assignment, {@code --set db.password=...}), {@code name: value} (a log line, YAML),
 * {@code "name": "value"} (JSON), {@code name := value} or {@code name==value} (HTTPie's query
 * parameter: {@code http POST deploy.example/undo api_key==...}; a condition's {@code token == "..."}
 * is masked too, which costs nothing but the literal's display). A value is
 * quoted ({@code "..."} with JSON's escapes, {@code '...'}) up to its closing quote on the same
 * line, a JSON array ({@code ["a","b"]}) up to its {@code ]}, or else runs to a blank, a quote,
 * {@code &} or {@code ;}; a {@code ,}, {@code '} or {@code |} ends it only before a blank, a quote
 * or the end ({@code PASSWORD=a,b} is one value, {@code "token":1,"a":2} ends at the comma).
 *
 * <p>Header names have their own rule ({@link HeaderCredentials#isCredentialHeader}), as have URL
 * parameters ({@link UrlCredentials#isCredentialParameter}) and command-line options
 * ({@link CommandLineCredentials}).
 *
 * <p>Stateless and thread-safe.
 */
public final class CredentialNames {

    /**
     * The shortest secret value that is blanked out wherever it stands in a text, as a value rather
     * than after its name: a shorter one ({@code on}, {@code 1}) would blank out unrelated words.
     * Such a value is still masked where a rule finds it ({@code DB_PASSWORD=on}).
     */
    public static final int MIN_MASKED_LENGTH = 3;

    /**
     * The secret values to look for wherever they stand in a text, in the order to replace them:
     * without {@code null}s, repeats and values shorter than {@link #MIN_MASKED_LENGTH}, longest
     * first, so that a secret holding another is masked whole before the shorter one would leave
     * the rest of it in clear.
     *
     * @param values secret values, {@code null}s allowed
     * @return the values to blank out of a text, in that order; immutable
     */
    public static List<String> searchable(Collection<String> values) {
        return values.stream().filter(Objects::nonNull).filter(v -> v.length() >= MIN_MASKED_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * A text with each secret value replaced by a mask wherever it stands, in the order
     * {@link #searchable} gives: the one blanking out of known secrets (a probe's token echoed by a
     * server, a driver's message quoting the history's password, a command's inherited credentials).
     *
     * @param text the text; {@code null} stays {@code null}
     * @param values the secret values, {@code null}s allowed
     * @param mask what replaces each value
     * @return the text with the values masked
     */
    public static String scrub(String text, Collection<String> values, String mask) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String value : searchable(values)) {
            out = out.replace(value, mask);
        }
        return out;
    }

    /** What a credential's name ends in, its words joined by {@code -}. */
    private static final List<String> ENDINGS = List.of("password", "passwd", "passphrase", "secret", "secret-key",
            "secret-access-key", "token", "api-key", "apikey", "access-key", "private-key", "privatekey", "credential",
            "credentials", "tls-key", "dockerconfigjson", "dockercfg", "client-key-data");
    /** What a credential's name has as its last word, alone: {@code OLDPWD} is a folder. */
    private static final List<String> LAST_WORDS = List.of("pwd");
    /**
     * The words of each of the {@link #ENDINGS} and {@link #LAST_WORDS}: a credential's name holds
     * every word of one of them, each as a run of its letters, in any case. A text that holds no such
     * set names no credential ({@link #mayHold}).
     */
    private static final List<List<String>> CLUES = Stream.concat(ENDINGS.stream(), LAST_WORDS.stream())
            .map(ending -> List.of(ending.split("-"))).distinct().toList();

    /**
     * A name given a value: it starts where no other name character stands before it (with up to
     * two {@code -} as an option does, or one {@code .} as a Kubernetes secret's
     * {@code .dockerconfigjson}), and is followed by an optional closing quote, a {@code =},
     * {@code :} or {@code :=} and the value. In JSON that is a JSON string's content the quotes are
     * escaped ({@code "SecretString": "{\"password\":\"...\"}"}, as
     * {@code aws secretsmanager get-secret-value} prints it), and the value runs to its escaped
     * closing quote.
     * A run of ordinary characters in a value is taken whole ({@code ++}): repeating a group once a
     * character nests as deep as the value is long, and overflowed the stack on a value of a few
     * thousand characters. A bare value is matched as one run of the characters it may hold, and
     * cut in code where it ends ({@link #bareEnd}): a group that repeats once per part of
     * {@code a=b,b,b,...} overflowed the stack on a thousand parts.
     */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?<![A-Za-z0-9_.-])(?<name>(?:-{0,2}|\\.)[A-Za-z0-9_][A-Za-z0-9_.-]*)(?:\\\\?[\"'])?\\s*(?::=|==?|:)\\s*"
                    + "(?:\\\\\"(?<escaped>(?:[^\"\\\\\\r\\n]++|\\\\(?!\")[^\\r\\n])*)\\\\\""
                    + "|\"(?<double>(?:[^\"\\\\\\r\\n]++|\\\\.)*)\""
                    + "|'(?<single>[^'\\r\\n]*)'"
                    + "|\\[(?<array>[^\\]\\r\\n]*)]"
                    + "|\"?(?<bare>[^\\s\"&]++))");
    /** What separates the words of a name. */
    private static final Pattern WORD_BREAK = Pattern.compile("[_.\\s]+|(?<=[a-z0-9])(?=[A-Z])");

    private CredentialNames() {
    }

    /**
     * Whether a name is a credential's, as the class comment says.
     *
     * @param name the name as written ({@code DB_PASSWORD}, {@code dbPassword}); {@code null} is none
     * @return whether a value given to it is to be masked
     */
    public static boolean isCredentialName(String name) {
        if (name == null) {
            return false;
        }
        String words = WORD_BREAK.matcher(name.strip()).replaceAll("-").toLowerCase(Locale.ROOT);
        return ENDINGS.stream().anyMatch(words::endsWith)
                || LAST_WORDS.stream().anyMatch(w -> words.equals(w) || words.endsWith("-" + w));
    }

    /**
     * The values a text gives credential names, as the class comment finds them: for code that
     * blanks them out of other text. A JSON array's values are given one by one, without their quotes.
     *
     * @param text the text; {@code null} has none
     * @return the values in the order found, never {@code null}; empty values are left out
     */
    public static List<String> values(String text) {
        List<String> out = new ArrayList<>();
        for (Span s : spans(text)) {
            String value = text.substring(s.start(), s.end());
            if (s.array()) {
                for (String element : value.split(",")) {
                    String e = element.strip();
                    out.add(e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e);
                }
            } else {
                out.add(value);
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    /**
     * A text with every value it gives a credential name replaced by a mask:
     * {@code DB_PASSWORD=****}, {@code {"token": "****"}}, {@code {"password":[****]}}. A value that
     * is already the mask is left as it is.
     *
     * @param text the text; {@code null} stays {@code null}
     * @param mask what replaces each value
     * @return the masked text
     */
    public static String mask(String text, String mask) {
        // a value already masked (by an earlier rule, or an earlier pass) stays as it is
        return Masks.replace(text, spans(text).stream()
                .filter(s -> !text.startsWith(mask, s.start()) && !(s.array() && text.startsWith(mask, s.start() - 1)))
                .map(s -> new int[] {s.start(), s.end()}).toList(), mask);
    }

    private static List<Span> spans(String text) {
        return text != null && mayHold(text) ? everySpan(text) : new ArrayList<>();
    }

    /**
     * Whether a text may give a credential's name a value: whether it holds a {@code =} or a
     * {@code :} (each assignment's) and every word of one of the {@link #CLUES}. A name is ASCII, and a
     * name that {@link #isCredentialName} takes holds each word of its ending as a run of its letters,
     * in the text's lower case too. Most lines a program prints hold none, and a line costs {@link #everySpan} some
     * microseconds.
     */
    static boolean mayHold(String text) {
        if (text.indexOf('=') < 0 && text.indexOf(':') < 0) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return CLUES.stream().anyMatch(words -> words.stream().allMatch(lower::contains));
    }

    /** Where the values a text gives credential names stand, looking at the whole text, whatever {@link #mayHold} says. */
    static List<Span> everySpan(String text) {
        List<Span> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        Matcher m = ASSIGNMENT.matcher(text).useTransparentBounds(true);
        while (m.find()) {
            if (!isCredentialName(m.group("name"))) {
                // the value may itself hold an assignment: a=token=x
                m.region(m.end("name"), text.length());
                continue;
            }
            for (String group : List.of("escaped", "double", "single", "array", "bare")) {
                if (m.group(group) == null) {
                    continue;
                }
                int end = group.equals("bare") ? bareEnd(text, m.start(group), m.end(group)) : m.end(group);
                if (m.start(group) < end) {
                    out.add(new Span(m.start(group), userInfoEnd(text, m, group, end), group.equals("array")));
                }
                if (end < m.end(group)) {
                    // what follows the value may give another name a value: password=x,,token=y
                    m.region(end, text.length());
                }
                break; // one value per match: the alternatives are exclusive
            }
        }
        return out;
    }

    /**
     * Where a bare value ends within the run {@code [start, end)} that the pattern took: at the first
     * space, quote, {@code &}, {@code ;}, {@code '}, {@code ,} or {@code |}, but for a {@code '},
     * {@code ,} or {@code |} followed by an ordinary character ({@code b,c} and {@code it's} are one
     * value; {@code b, c}, {@code b,,c} and a trailing {@code ,} end it), and for a {@code ;} followed
     * by an ordinary character that starts no {@code name=}, as in a URL's parameters
     * ({@code password=s3cr?t;x} is one value; {@code PASSWORD=pw;MODE=x}, {@code a=1; b=2} and a
     * trailing {@code ;} end it). A loop, where a pattern repeating a group once per part nests as deep
     * as the value has parts.
     */
    private static int bareEnd(String text, int start, int end) {
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (ordinary(c) || (c == '\'' || c == ',' || c == '|') && i + 1 < end && ordinary(text.charAt(i + 1))
                    || c == ';' && i + 1 < end && ordinary(text.charAt(i + 1)) && !UrlCredentials.startsParameterName(text, i + 1)) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** A character a bare value holds anywhere: none of space, quotes, {@code & ; | ,}. */
    private static boolean ordinary(char c) {
        return !Character.isWhitespace(c) && "\"'&;|,".indexOf(c) < 0;
    }

    /**
     * Where a value ends; in a URL's user info ({@code https://gitlab-ci-token:****@host/repo}) at
     * its {@code @}, so that the host stays readable.
     */
    private static int userInfoEnd(String text, Matcher m, String group, int end) {
        int start = m.start("name");
        if (!group.equals("bare") || start < 2 || !text.startsWith("//", start - 2)) {
            return end;
        }
        int at = text.indexOf('@', m.start(group));
        int slash = text.indexOf('/', m.start(group));
        return at > 0 && at < end && (slash < 0 || at < slash) ? at : end;
    }

    /** Where a value stands; {@code array} when it is a JSON array's content. */
    record Span(int start, int end, boolean array) {
    }
}
