package dev.vigil.testkit;

import dev.vigil.testkit.CredentialUrls.Case;
import java.util.List;

/**
 * One table of command lines holding credentials as arguments, for every place that shows a
 * command or what it printed (reports, the configuration's descriptions and messages, a rollback
 * command's description, output and errors). Each place masks in its own words
 * ({@code [REDACTED]}, {@code ******}); none may show a secret of {@link #WITH_CREDENTIALS}, and
 * none may change {@link #PLAIN}. A case is a {@link Case} of {@link CredentialUrls}, a text and
 * what must not show once it is masked, so that one test may take both tables.
 */
public final class CredentialCommandLines {

    /** Command lines whose credentials must all be masked. */
    public static final List<Case> WITH_CREDENTIALS = List.of(
            new Case("curl -fsS -u admin:s3cr3t-pw https://deploy.example/rollback", List.of("s3cr3t-pw")),
            new Case("curl --user admin:s3cr3t-pw https://deploy.example/rollback", List.of("s3cr3t-pw")),
            new Case("curl --user=admin:s3cr3t-pw https://deploy.example/rollback", List.of("s3cr3t-pw")),
            new Case("curl -uadmin:s3cr3t-pw https://deploy.example/rollback", List.of("s3cr3t-pw")),
            new Case("curl -su admin:s3cr3t-pw https://deploy.example/rollback", List.of("s3cr3t-pw")),
            new Case("curl -u 'admin:s3cr3t pw' https://deploy.example/rollback", List.of("s3cr3t pw", "s3cr3t")),
            new Case("curl -u \"admin:s3cr3t-pw\" https://deploy.example/rollback", List.of("s3cr3t-pw")),
            new Case("curl -u admin:p@ss:w0rd-s3cr3t https://deploy.example/rollback", List.of("p@ss:w0rd-s3cr3t", "w0rd-s3cr3t")),
            new Case("curl -x proxy.example:3128 --proxy-user ops:s3cr3t-pw https://x", List.of("s3cr3t-pw")),
            new Case("curl -U ops:s3cr3t-pw https://x", List.of("s3cr3t-pw")),
            new Case("curl https://api.stripe.example/v1/refunds -u sk_live_s3cr3t0123456789:", List.of("sk_live_s3cr3t0123456789")),
            new Case("deployer undo --password s3cr3t-pw --service orders", List.of("s3cr3t-pw")),
            new Case("deployer undo --password=s3cr3t-pw --service orders", List.of("s3cr3t-pw")),
            new Case("deployer undo --token abc123-s3cr3t", List.of("abc123-s3cr3t")),
            new Case("deployer undo --token=abc123-s3cr3t", List.of("abc123-s3cr3t")),
            new Case("deployer undo --api-key xyz-s3cr3t", List.of("xyz-s3cr3t")),
            new Case("deployer undo --apikey xyz-s3cr3t", List.of("xyz-s3cr3t")),
            new Case("deployer undo --client-secret xyz-s3cr3t --client-id vigil", List.of("xyz-s3cr3t")),
            new Case("deployer undo --auth-token xyz-s3cr3t", List.of("xyz-s3cr3t")),
            new Case("deployer undo --db-password 's3cr3t pw'", List.of("s3cr3t pw", "s3cr3t")),
            new Case("deployer undo --Password \"s3cr3t-pw\"", List.of("s3cr3t-pw")),
            new Case("minio-client alias set prod https://s3.example AKIA0 --secret-key s3cr3t-key", List.of("s3cr3t-key")),
            new Case("keytool -list -keystore ks.p12 -storepass s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("deployer undo --pass s3cr3t-pw --service orders", List.of("s3cr3t-pw")),
            new Case("deployer undo --pass=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("deployer undo --db-pass 's3cr3t pw'", List.of("s3cr3t pw", "s3cr3t")),
            new Case("deployer undo --DB_PASS=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("openssl enc -d -aes-256-cbc -in undo.enc -pass pass:s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("openssl pkcs12 -in ks.p12 -passin pass:s3cr3t-in -passout 'pass:s3cr3t-out'",
                    List.of("s3cr3t-in", "s3cr3t-out")),
            new Case("deployer undo -pass s3cr3t-pw && ./notify.sh", List.of("s3cr3t-pw")),
            new Case("mysql -h db.example -P 3306 -u root -ps3cr3t-pw orders < undo.sql", List.of("s3cr3t-pw")),
            new Case("mysqldump -uroot -p's3cr3t-pw' orders", List.of("s3cr3t-pw")),
            new Case("sshpass -p s3cr3t-pw ssh deploy@host.example ./undo.sh", List.of("s3cr3t-pw")),
            new Case("docker login -u ci -p s3cr3t-pw registry.example", List.of("s3cr3t-pw")),
            new Case("redis-cli -h cache.example -a s3cr3t-pw DEL rollout", List.of("s3cr3t-pw")),
            new Case("curl -H 'Authorization: Bearer s3cr3t-bearer-tok' https://deploy.example/rollback",
                    List.of("s3cr3t-bearer-tok")),
            new Case("curl -H \"X-Api-Key: s3cr3t-key-91\" -X POST https://deploy.example/rollback", List.of("s3cr3t-key-91")),
            new Case("curl --header 'Cookie: theme=dark; session=s3cr3t-sess-77' https://x", List.of("s3cr3t-sess-77")),
            new Case("curl --header=Authorization:s3cr3t-tok-42 https://x", List.of("s3cr3t-tok-42")),
            new Case("curl -H'Authorization: Basic czNjcjN0LXB3' https://x", List.of("czNjcjN0LXB3")),
            new Case("+ curl -u admin:s3cr3t-one https://a.example && deployer --token s3cr3t-two",
                    List.of("s3cr3t-one", "s3cr3t-two")),
            new Case("{\"command\":\"curl -u admin:s3cr3t-pw https://x\"}", List.of("s3cr3t-pw")),
            // a value starting with '-' was taken for the next option and shown
            new Case("deployer undo --pass -x9s3cr3t-a --service orders", List.of("x9s3cr3t-a")),
            new Case("deployer undo --password -x9s3cr3t-b", List.of("x9s3cr3t-b")),
            new Case("deployer undo --db-pass -x9s3cr3t-c && ./notify.sh", List.of("x9s3cr3t-c")),
            new Case("deployer undo -pass '-x9s3cr3t d' --token --x9s3cr3t-e", List.of("x9s3cr3t d", "x9s3cr3t-e")),
            new Case("keytool -list -keystore ks.p12 -storepass -x9s3cr3t-f", List.of("x9s3cr3t-f")),
            new Case("openssl enc -d -in undo.enc -pass pass:-x9s3cr3t-g -passout -x9s3cr3t-h", List.of("x9s3cr3t-g", "x9s3cr3t-h")),
            // the preflight took what follows a quoted ';', '&' or '|' for a program and named it
            new Case("deployer undo --pass 'x9;s3cr3t-i' --service orders", List.of("s3cr3t-i")),
            new Case("deployer undo --token \"x9&&s3cr3t-j\" && ./notify.sh", List.of("s3cr3t-j")),
            new Case("deployer undo --password 'x9|s3cr3t-k'", List.of("s3cr3t-k")));

    /**
     * Command lines without credentials: masking leaves them as they are. A {@code -p} that is a
     * port or a flag, a user without a password, a user and group id, and options named like a
     * credential's file or switch.
     */
    public static final List<String> PLAIN = List.of(
            "ssh -p 2222 deploy@host.example ./undo.sh",
            "psql -h db.example -p 5432 -U vigil -c 'select 1'",
            "mysql -h db.example -P 3306 -u root -p orders",
            "docker run --rm -p 8080:80 -u 1000:1000 deployer:1.4 undo",
            "mkdir -p /tmp/rollback && cp -pr ./a ./b",
            "curl -u admin https://deploy.example/rollback",
            "kubectl rollout undo deployment/orders --to-revision=3 -n shop",
            "deployer undo --token-file /run/secrets/deploy --password-stdin --service orders",
            "psql --no-password -h db.example orders",
            "psql --no-password orders",
            "curl --bypass-cache 1 --compass north https://deploy.example/rollback",
            "deployer undo --passive 1 --pass-through ./undo.sh --bypass x",
            "openssl pkcs12 -in ks.p12 -passin env:KS_PASS -passout file:/run/secrets/out -pass stdin",
            "curl -H 'Accept: application/json' -H 'Content-Type: text/plain' https://deploy.example/rollback");

    private CredentialCommandLines() {
    }
}
