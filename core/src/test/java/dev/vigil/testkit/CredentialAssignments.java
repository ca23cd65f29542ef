package dev.vigil.testkit;

import dev.vigil.testkit.CredentialUrls.Case;
import java.util.List;

/**
 * One table of texts that give a credential's name a value ({@code DB_PASSWORD=...},
 * {@code "token": "..."}) or quote a URL's user info, for every place that shows such a text: the
 * reports and console, and the configuration's descriptions, values and messages. Each case once
 * leaked in one of them while the other masked it (named in its comment); none may show a secret of
 * {@link #WITH_CREDENTIALS} now, and none may change {@link #PLAIN}. The configuration's
 * {@code CommandLineCredentialsTest} and the reports' {@code UrlCredentialsTest} take it.
 */
public final class CredentialAssignments {

    /** Texts whose credentials must all be masked. */
    public static final List<Case> WITH_CREDENTIALS = List.of(
            // reports: no name ending in "credentials"
            new Case("GOOGLE_CREDENTIALS=c0ffee-cred-41 ./undo.sh", List.of("c0ffee-cred-41")),
            // reports: a name ending in a credential's word without a separator before it
            new Case("MYAPPTOKEN=c0ffee-tok-42 ./undo.sh", List.of("c0ffee-tok-42")),
            // reports: a bare value holding a comma was cut there
            new Case("DB_PASSWORD=c0ffee,tail-43 ./undo.sh", List.of("tail-43")),
            // reports: a single-quoted value with a blank was cut at the blank
            new Case("PGPASSWORD='c0ffee tail-44' psql -h db", List.of("c0ffee tail-44", "tail-44")),
            // reports: a JSON array's values
            new Case("echo '{\"password\":[\"c0ffee-arr-45\",\"c0ffee-arr-46\"]}'", List.of("c0ffee-arr-45", "c0ffee-arr-46")),
            // configuration: pwd as a name's last word
            new Case("DB_PWD=c0ffee-pwd-47 ./undo.sh", List.of("c0ffee-pwd-47")),
            // configuration: AWS's secret access key
            new Case("AWS_SECRET_ACCESS_KEY=c0ffee-aws-48 ./undo.sh", List.of("c0ffee-aws-48")),
            // configuration: name: value
            new Case("echo password: c0ffee-colon-49", List.of("c0ffee-colon-49")),
            // configuration: JSON, camel case, a blank in the value
            new Case("curl -d '{\"dbPassword\": \"c0ffee json-50\"}' https://deploy.example/undo",
                    List.of("c0ffee json-50", "json-50")),
            // configuration: a URL in JSON whose writer escapes slashes
            new Case("echo '{\"repo\":\"https:\\/\\/ci:c0ffee-url-51@repo.example\\/x\"}'", List.of("c0ffee-url-51")),
            // both: names neither list had
            new Case("SIGNING_KEY_PASSPHRASE=c0ffee-pass-52 AWS_SECRET_KEY=c0ffee-key-53 ./undo.sh",
                    List.of("c0ffee-pass-52", "c0ffee-key-53")),
            // both: HTTPie's query parameter (the reports masked it, the configuration showed it)
            new Case("http POST https://deploy.example/undo api_key==c0ffee-httpie-54 version=2.4.0",
                    List.of("c0ffee-httpie-54")),
            // reports: a label's value was not masked at all (GitLab's CI_REPOSITORY_URL)
            new Case("git clone https://gitlab-ci-token:c0ffee-ci-55@git.example/shop.git", List.of("c0ffee-ci-55")));

    /** Texts without credentials: masking leaves them as they are. */
    public static final List<String> PLAIN = List.of(
            "MAX_TOKENS=4096 TOKEN_FILE=/run/token OLDPWD=/home/ci ./undo.sh",
            "echo '{\"tokens\": 12, \"user\": \"ci\"}'",
            "git clone ssh://git@github.com/org/repo.git");

    private CredentialAssignments() {
    }
}
