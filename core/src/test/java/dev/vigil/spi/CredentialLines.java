package dev.vigil.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;

/**
 * Lines built from the pieces the masking rules look for (credential names in every spelling,
 * {@code =}, {@code :}, {@code Bearer }, {@code ://user:pw@}, quotes, {@code header.X("...")},
 * options, programs, long runs) and what stands around them, each piece as it is, in upper or in
 * lower case: for tests that a rule's quick look ({@code mayHold}) never skips a text the rule
 * would mask something in.
 */
public final class CredentialLines {

    /** What the rules look for, and what stands around it. */
    private static final List<String> PIECES = List.of(
            "password", "passwd", "passphrase", "PGPASSWORD", "dbPassword", "DB_PASSWORD", "secret", "secret_key",
            "AWS_SECRET_ACCESS_KEY", "access.key", "privateKey", "token", "access_token", "GITHUB_TOKEN", "max_tokens",
            "api_key", "apiKey", "api-key", "credentials", "pwd", "db.pwd", "OLDPWD", "key", "sig", "pass", "code", "auth",
            "ticket", "jsessionid", "session_id", "X-Amz-Signature", "keyword", "status_code",
            "=", "==", ":", ":=", " = ", ": ", "\"", "'", "[", "]", ",", ";", "&", "|", "?", "#", "/", "@", "(", ")",
            " ", "  ", "\t", "\n", "\r",
            "Bearer ", "bearer\t", "Basic ", "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "cookie",
            "header.Authorization(\"", "header.Set-Cookie(\"", "header.Accept(\"", "header.", "(\"", "\\\"", "\\",
            "https://", "http:\\/\\/", "redis://", "://user:pw@", "://:pw@", "ghp_0123456789abcdefghij@", "host:8443",
            "github.com", "@host", "?page=2", "&sig=", ";jsessionid=", "#id_token=", "?code=", "&key=", "?auth=", "&ticket=",
            "?pass=", "&pwd=", ";sessid=", "#x-amz-signature=", "?api_key=", "&private-key=",
            "-u ", "-u", "--user ", "--user=", "--proxy-user ", "--auth ", "-su ", "-U ", "1000:1000", "admin:s3cret",
            "-H ", "-H", "--header ", "--header=", "--password ", "--password=", "--no-password ", "--token-file ",
            "--client-secret=", "-storepass ", "--pass ", "--db-pass=", "-passin ", "pass:", "env:X", "--bypass ",
            "---password ", "-_token ", "-.pass ",
            "mysql ", "mysqldump ", "mariadb ", "-p", "-pS3cret", "sshpass -p ", "docker login ", "podman login ",
            "redis-cli ", "-a ", "-p ", "--- ", "2026-12-02 ", "-", "--", "---", "[REDACTED]",
            "s3cr3t", "x9", "abc", "eyJhbGciOi.J9", "value", "a,b", "it's", "{", "}", "\u212A", "\u0130", "\u017F", "\u00e9",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----", "PRIVATE KEY-----",
            "-----", "\"auth\"", "\\\"auth\\\"", "ZGVwbG95OnMz", "machine ", "default ", "login ", "jdbc:oracle:thin:",
            "sqlplus ", "scott/tiger", "tls.key", "TLS_KEY", ".dockerconfigjson", ".dockercfg", "client-key-data",
            "\\\":\\\"", "{\\\"password\\\":", "ghp_", "github_pat_", "glpat-", "pypi-AgE", "ya29.", "sk_live_",
            "xoxb-", "xoxe-", "_", "0123456789abcdefXYZ", "================", "::::::::");

    private CredentialLines() {
    }

    /** {@link #lines()} for a property's {@code @ForAll(supplier = CredentialLines.Lines.class)}. */
    public static final class Lines implements ArbitrarySupplier<String> {

        @Override
        public Arbitrary<String> get() {
            return lines();
        }
    }

    /** Lines of up to 24 pieces, some of them random strings of up to 3 characters. */
    public static Arbitrary<String> lines() {
        Arbitrary<String> known = Arbitraries.of(PIECES).flatMap(p -> Arbitraries.integers().between(0, 2).map(c -> inCase(p, c)));
        Arbitrary<String> piece = Arbitraries.oneOf(known, Arbitraries.strings().ofMaxLength(3));
        return piece.list().ofMaxSize(24).map(pieces -> String.join("", pieces));
    }

    /** A fixed corpus: lines of 1 to 15 pieces from a seeded generator, so that a run repeats the last. */
    public static List<String> corpus(long seed, int lines) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            StringBuilder line = new StringBuilder();
            int pieces = random.nextInt(1, 16);
            for (int p = 0; p < pieces; p++) {
                line.append(inCase(PIECES.get(random.nextInt(PIECES.size())), random.nextInt(3)));
            }
            out.add(line.toString());
        }
        return out;
    }

    /** A piece as it is ({@code 0}), in upper case ({@code 1}) or in lower case, as the rules' case-insensitive patterns take it. */
    private static String inCase(String piece, int which) {
        return switch (which) {
            case 0 -> piece;
            case 1 -> piece.toUpperCase(Locale.ROOT);
            default -> piece.toLowerCase(Locale.ROOT);
        };
    }
}
