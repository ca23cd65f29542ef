package dev.vigil.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials given to a program as arguments of its command line, and masking them: the one rule
 * behind every place that shows a command or what it printed (reports and console lines, the
 * configuration's descriptions, values and messages, a configured rollback command's description,
 * output and errors), so that all of them mask the same arguments.
 *
 * <p>An argument is a credential when it is
 * <ul>
 *   <li>the password of {@code -u user:password} ({@code curl -u admin:s3cret}; also
 *       {@code --user}, {@code --user=}, {@code --proxy-user}, {@code -U}, {@code --auth}, attached
 *       {@code -uadmin:s3cret} and after bundled short flags, {@code -su admin:s3cret}): what
 *       follows the first {@code :}, as the user is a name. {@code -u admin} holds no credential,
 *       nor does {@code -u 1000:1000} (a user and group id, as {@code docker run -u} takes them).
 *       When nothing follows the colon ({@code -u sk_live_...:}, an API key given as the user) the
 *       user is the credential.</li>
 *   <li>the value of an option whose name ends in {@code password}, {@code passwd},
 *       {@code passphrase}, {@code secret}, {@code token}, {@code api-key} ({@code api_key},
 *       {@code apikey}), {@code secret-key}, {@code storepass} or {@code keypass}, in any case, with
 *       one dash or two, after a blank or a {@code =}: {@code --password s3cret},
 *       {@code --password=s3cret}, {@code --token}, {@code --api-key}, {@code --client-secret},
 *       {@code --db-password}, {@code -storepass}. The next word is the value even when it starts
 *       with {@code -} ({@code --password -x9s3cret}): a password may, and which options take a
 *       value cannot be told from the command line, so a switch named like a credential masks the
 *       option after it ({@code psql --password --echo-all} shows {@code --password ****}), which
 *       hides a word but never a secret. A word starting with {@code <}, {@code >}, {@code |},
 *       {@code &} or {@code ;} is the shell's, not a value. A negation ({@code --no-password},
 *       {@code --no-pass}) takes no value, and {@code --token-file} and {@code --password-stdin}
 *       name no credential.</li>
 *   <li>the value of an option named {@code pass}, {@code passin} or {@code passout}, or whose
 *       name ends in {@code pass} after a {@code -}, {@code _} or {@code .}, in the same spellings:
 *       {@code --pass s3cret}, {@code --pass=s3cret}, {@code -pass s3cret}, {@code --db-pass s3cret},
 *       and OpenSSL's {@code -pass}, {@code -passin} and {@code -passout}, where {@code pass:s3cret}
 *       masks what follows {@code pass:} and {@code env:NAME}, {@code file:path}, {@code fd:n} and
 *       {@code stdin} name where the password is, not the password, and stay as they are. A word
 *       that merely holds {@code pass} is no such name: {@code --bypass}, {@code --bypass-cache},
 *       {@code --compass}, {@code --passive}, and {@code --pass-through}, which names a mode (what
 *       to hand on to another program) far more often than a password.</li>
 *   <li>the password flag of a program whose short flag is its password: MySQL's and MariaDB's
 *       clients' {@code -ps3cret} (attached only: {@code mysql -p orders} asks for the password and
 *       opens {@code orders}), {@code sshpass -p s3cret}, {@code docker login -p s3cret} (and
 *       podman's), {@code redis-cli -a s3cret}.</li>
 *   <li>the value of a request header given with {@code -H} or {@code --header} whose name is a
 *       credential's ({@link HeaderCredentials#isCredentialHeader}):
 *       {@code curl -H 'Authorization: Bearer s3cret'} masks {@code Bearer s3cret},
 *       {@code -H 'X-Api-Key: s3cret'} masks {@code s3cret}; {@code -H 'Accept: text/plain'} holds
 *       none.</li>
 * </ul>
 * A value is one argument: quoted ({@code '...'}, {@code "..."}) up to its closing quote, else up
 * to a blank, a quote or the shell's {@code ;}, {@code &} or {@code |}.
 *
 * <p>Any other {@code -p} is left alone: it is a port ({@code ssh -p 2222}, {@code psql -p 5432},
 * {@code docker run -p 8080:80}) or a flag ({@code mkdir -p}) far more often than a password, and
 * masking it would hide what a command did without protecting anything.
 *
 * <p>Stateless and thread-safe.
 */
public final class CommandLineCredentials {

    /** Where a flag starts: at the start of the text, after a blank, a quote or a {@code (}. */
    private static final String FLAG_START = "(?<![^\\s'\"(])";
    /**
     * One argument: quoted up to its closing quote (what is inside is the value), else up to a
     * blank, a quote or the shell's {@code ;}, {@code &} or {@code |}, which end a command.
     */
    private static final String ARGUMENT = "(?:'(?<single>[^']*)'|\"(?<double>[^\"]*)\"|(?<bare>[^\\s'\";&|]+))";
    /** Where a program's name starts: at the start of the text, after a blank, a quote, a path's {@code /} or {@code ; | & (}. */
    private static final String PROGRAM_START = "(?<![^\\s/;|&('\"])";
    /** What a program's arguments run to: the next {@code ;}, {@code |}, {@code &} or line. */
    private static final String SAME_COMMAND = "(?=\\s)[^;|&\\r\\n]*?";

    /** {@code -u user:password} and its spellings; the argument's part after the colon is the password. */
    private static final Pattern USER = Pattern.compile(
            FLAG_START + "(?:-[A-Za-z]*[uU]\\s+|-[uU](?=[^\\s])|--(?:proxy-)?user(?:\\s+|=)|--auth(?:\\s+|=))" + ARGUMENT);
    /**
     * A flag as every pattern of this class that finds a credential starts: a {@code -} where a flag
     * starts, more dashes and a character that may be in an option's name ({@code --password},
     * {@code -u}, {@code ---password}, {@code mysql ... -p}). The {@code ---} of a Spring Boot log
     * line, a date's {@code -} and a list's {@code - } are none; a text without one holds no credential
     * argument ({@link #mayHold}).
     */
    private static final Pattern FLAG = Pattern.compile(FLAG_START + "-+[A-Za-z0-9_.]");
    /** A user and group id ({@code docker run -u 1000:1000}): no credential. */
    private static final Pattern USER_AND_GROUP_ID = Pattern.compile("\\d+:\\d+");
    /**
     * Where an option named like a credential starts: a flag that is no negation
     * ({@code --no-password} takes no value).
     */
    private static final String OPTION_START = FLAG_START + "(?!--[nN][oO]-)";
    /**
     * What stands between an option and its value: a {@code =}, or blanks before anything but the
     * shell's {@code < > | & ;}. A word starting with {@code -} is the value: a password may start
     * with one, and masking the next option of a switch hides no secret.
     */
    private static final String OPTION_VALUE = "(?:=|\\s+(?![<>|&;]))";
    /** {@code --password s3cret}, {@code --client-secret=s3cret}, {@code -storepass s3cret}: the argument is the credential. */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            OPTION_START + "--?[A-Za-z0-9_.-]*?"
                    + "(?i:password|passwd|passphrase|secret|token|api[-_]?key|secret[-_]?key|storepass|keypass)"
                    + OPTION_VALUE + ARGUMENT);
    /**
     * {@code --pass s3cret}, {@code --db-pass=s3cret}, OpenSSL's {@code -passin pass:s3cret}: the
     * argument holds the credential, after {@link #LITERAL_PASS} when it starts with it.
     */
    private static final Pattern PASS_OPTION = Pattern.compile(
            OPTION_START + "--?(?i:pass(?:in|out)?|[A-Za-z0-9_.-]*[-_.]pass)" + OPTION_VALUE + ARGUMENT);
    /** How OpenSSL takes a password itself: {@code pass:s3cret}. */
    private static final String LITERAL_PASS = "pass:";
    /** How OpenSSL takes where a password is ({@code env:NAME}, {@code file:path}, {@code fd:3}, {@code stdin}): no credential. */
    private static final Pattern PASS_LOCATION = Pattern.compile("(?i)(?:env|file|fd):.*|stdin");
    /** The password flag of a program whose short flag is its password; the argument is the credential. */
    private static final Pattern PROGRAM_PASSWORD = Pattern.compile(
            PROGRAM_START + "(?:(?:mysql(?:dump|admin|import|check|show|slap)?|mariadb(?:-dump|-admin)?)" + SAME_COMMAND
                    + "\\s-p(?=[^\\s])"
                    + "|sshpass" + SAME_COMMAND + "\\s-p\\s*"
                    + "|(?:docker|podman)\\s+login" + SAME_COMMAND + "\\s-p\\s+"
                    + "|redis-cli" + SAME_COMMAND + "\\s-a\\s+)"
                    + ARGUMENT);

    /** {@code -H 'Name: value'}, {@code --header 'Name: value'}, {@code --header=...}: a credential when the name is one's. */
    private static final Pattern HEADER = Pattern.compile(FLAG_START + "(?:-H\\s*|--header(?:\\s+|=))" + ARGUMENT);
    /** A header as curl takes it: its name, a colon and its value. */
    private static final Pattern NAME_AND_VALUE = Pattern.compile("([^:\\s]+)\\s*:\\s*(\\S.*?)\\s*");

    private CommandLineCredentials() {
    }

    /**
     * The credentials given as arguments in a text, as the class comment counts them: for a
     * configuration to blank them out of whatever else shows them (a command's output echoing them).
     *
     * A credential header's value is followed by the parts of it that a server may echo alone
     * ({@link HeaderCredentials#parts}: the token of {@code Bearer <token>}).
     *
     * @param text the text, a command line or what it printed; {@code null} has none
     * @return the credentials in the order found, each as written (without its quotes); never {@code null}
     */
    public static List<String> values(String text) {
        List<String> out = new ArrayList<>();
        for (Span s : spans(text)) {
            String value = text.substring(s.start(), s.end());
            out.add(value);
            if (s.header()) {
                HeaderCredentials.parts(value).stream().filter(part -> !out.contains(part)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * A text with every credential given as an argument replaced by a mask:
     * {@code curl -u admin:**** https://...}, {@code deployer --token ****}. Everything else is left
     * as it is.
     *
     * @param text the text; {@code null} stays {@code null}
     * @param mask what replaces each credential ({@code ****})
     * @return the masked text
     */
    public static String mask(String text, String mask) {
        return Masks.replace(text, spans(text).stream().map(s -> new int[] {s.start(), s.end()}).toList(), mask);
    }

    /** Where each credential stands in the text, by its start. */
    private static List<Span> spans(String text) {
        return text != null && mayHold(text) ? everySpan(text) : new ArrayList<>();
    }

    /**
     * Whether a text may give a program a credential as an argument: whether it holds a {@link #FLAG}.
     * Most lines a program prints hold none, and a line costs {@link #everySpan} some microseconds.
     */
    static boolean mayHold(String text) {
        return FLAG.matcher(text).find();
    }

    /** Where each credential stands in the text, by its start, looking at the whole text, whatever {@link #mayHold} says. */
    static List<Span> everySpan(String text) {
        List<Span> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        Matcher user = USER.matcher(text);
        while (user.find()) {
            Span argument = argument(user);
            String value = text.substring(argument.start(), argument.end());
            int colon = value.indexOf(':');
            if (colon < 0 || USER_AND_GROUP_ID.matcher(value).matches()) {
                continue;
            }
            // user: alone is a key given as the user; otherwise the password follows the first colon
            out.add(colon == value.length() - 1 ? new Span(argument.start(), argument.start() + colon, false)
                    : new Span(argument.start() + colon + 1, argument.end(), false));
        }
        Matcher header = HEADER.matcher(text);
        while (header.find()) {
            Span argument = argument(header);
            Matcher nameAndValue = NAME_AND_VALUE.matcher(text).region(argument.start(), argument.end());
            if (nameAndValue.matches() && HeaderCredentials.isCredentialHeader(nameAndValue.group(1))) {
                out.add(new Span(nameAndValue.start(2), nameAndValue.end(2), true));
            }
        }
        Matcher pass = PASS_OPTION.matcher(text);
        while (pass.find()) {
            Span argument = argument(pass);
            String value = text.substring(argument.start(), argument.end());
            if (value.regionMatches(true, 0, LITERAL_PASS, 0, LITERAL_PASS.length())) {
                out.add(new Span(argument.start() + LITERAL_PASS.length(), argument.end(), false));
            } else if (!PASS_LOCATION.matcher(value).matches()) {
                out.add(argument);
            }
        }
        for (Pattern pattern : List.of(SECRET_OPTION, PROGRAM_PASSWORD)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                out.add(argument(m));
            }
        }
        out.removeIf(s -> s.start() == s.end());
        out.sort(Comparator.comparingInt(Span::start));
        return out;
    }

    /** Where the value of the argument a pattern matched stands: inside its quotes when quoted. */
    private static Span argument(Matcher m) {
        for (String group : List.of("single", "double", "bare")) {
            if (m.group(group) != null) {
                return new Span(m.start(group), m.end(group), false);
            }
        }
        throw new IllegalStateException("an argument matched without a value: " + m.pattern());
    }

    /** Where a credential stands; {@code header} when it is a credential header's value. */
    record Span(int start, int end, boolean header) {
    }
}
