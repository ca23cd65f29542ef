package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which names are a credential's: the one rule the configuration and the reports share. */
class CredentialNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"password", "DB_PASSWORD", "PGPASSWORD", "dbPassword", "GITHUB_TOKEN", "access_token",
        "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "STRIPE_API_KEY", "apiKey", "GOOGLE_CREDENTIALS", "db.pwd", "pwd",
        "KEY_PASSPHRASE", "--client-secret"})
    void aNameEndingInACredentialsWordIsACredentials(String name) {
        assertThat(CredentialNames.isCredentialName(name)).isTrue();
    }

    /**
     * Names of private and access keys were none: {@code SSH_PRIVATE_KEY=...} in a rollback command's
     * text or its environment was shown in clear. Each spelling is one now; the words around such a
     * name (a path, an id, a public key) stay what they were.
     */
    @ParameterizedTest
    @ValueSource(strings = {"SSH_PRIVATE_KEY", "GPG_PRIVATEKEY", "privatekey", "--private-key", "deploy.private-key",
        "sshPrivateKey", "MINIO_ACCESS_KEY", "accessKey", "OAUTH_CLIENT_SECRET", "clientSecret", "GPG_PASSPHRASE",
        "GCP_CREDENTIALS", "--credentials"})
    void aPrivateOrAccessKeysNameIsACredentials(String name) {
        assertThat(CredentialNames.isCredentialName(name)).isTrue();
        assertThat(CredentialNames.mask(name + "=k3y-never-shown", "****")).isEqualTo(name + "=****");
    }

    /**
     * A Kubernetes secret's data as {@code kubectl get secret -o yaml} prints it, and a kubeconfig's key
     * as {@code kubectl config view --raw} does ({@code client-key-data}): a TLS secret's
     * {@code tls.key} (a private key, base64) and a registry secret's {@code .dockerconfigjson}
     * (its {@code auths}, base64) were shown in clear.
     */
    @ParameterizedTest
    @ValueSource(strings = {"  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t", "TLS_KEY=LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t",
        "  .dockerconfigjson: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t", "{\".dockercfg\":\"LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t\"}",
        "  ssh-privatekey: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t", "    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t"})
    void aKubernetesSecretsKeyOrRegistryConfigIsMasked(String line) {
        assertThat(CredentialNames.mask(line, "****")).doesNotContain("LS0t").contains("****");
    }

    @ParameterizedTest
    @ValueSource(strings = {"  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", "TLS_KEY_FILE=/etc/tls/key.pem", "x.dockerconfigjson.y: z",
        "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", "    client-key: /home/ci/.kube/client.key"})
    void aKubernetesSecretsCertificateOrAPathStays(String line) {
        assertThat(CredentialNames.mask(line, "****")).isEqualTo(line);
    }

    /**
     * JSON that is a JSON string's content, as {@code aws secretsmanager get-secret-value} prints a
     * secret's {@code SecretString}: its escaped quotes hid every name from the rule.
     */
    @Test
    void aValueInJsonInsideAJsonStringIsMasked() {
        String line = "    \"SecretString\": \"{\\\"username\\\":\\\"admin\\\",\\\"password\\\":\\\"s3cr3t-sm\\\", "
                + "\\\"api_key\\\": \\\"k3y\\\\\\\\x\\\"}\",";

        assertThat(CredentialNames.mask(line, "****")).isEqualTo("    \"SecretString\": \"{\\\"username\\\":\\\"admin\\\","
                + "\\\"password\\\":\\\"****\\\", \\\"api_key\\\": \\\"****\\\"}\",");
        assertThat(CredentialNames.values(line)).containsExactly("s3cr3t-sm", "k3y\\\\\\\\x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PRIVATE_KEY_PATH", "private-key-file", "ACCESS_KEY_ID", "SSH_PUBLIC_KEY", "publicKey",
        "accesskey", "PRIVATE", "KEY", "MONKEY", "CLIENT_ID", "PASSPHRASE_FILE", "CREDENTIALS_FILE"})
    void aLookAlikeOfAPrivateOrAccessKeysNameIsNone(String name) {
        assertThat(CredentialNames.isCredentialName(name)).isFalse();
        assertThat(CredentialNames.mask(name + "=shown", "****")).isEqualTo(name + "=shown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_tokens", "TOKEN_FILE", "OLDPWD", "user", "Authorization", "password2"})
    void aNameThatOnlyHoldsSuchAWordIsNone(String name) {
        assertThat(CredentialNames.isCredentialName(name)).isFalse();
    }

    @Test
    void theValuesToSearchATextForAreLongestFirstWithoutRepeatsOrShortOnes() {
        // "pw" would blank out unrelated words; "abc" inside "abc-def" must not be replaced first,
        // which would leave "-def" of the longer secret in clear.
        java.util.List<String> values = new java.util.ArrayList<>(java.util.Arrays.asList("abc", null, "pw", "abc-def", "abc"));
        assertThat(CredentialNames.searchable(values)).containsExactly("abc-def", "abc");
    }

    @Test
    void aUrlsUserInfoNamedLikeACredentialKeepsItsHost() {
        // GitLab's CI_REPOSITORY_URL and GitHub's x-access-token: the token is masked, the host stays.
        assertThat(CredentialNames.mask("git clone https://gitlab-ci-token:glcbt-41@git.example/shop.git", "****"))
                .isEqualTo("git clone https://gitlab-ci-token:****@git.example/shop.git");
        assertThat(CredentialNames.mask("https://x-access-token:ghs_42@github.com/org/repo", "****"))
                .isEqualTo("https://x-access-token:****@github.com/org/repo");
        // Outside a URL's user info a value still runs on past an @.
        assertThat(CredentialNames.mask("token: a@b/c", "****")).isEqualTo("token: ****");
    }

    @Test
    void aLongValueIsMaskedWithoutOverflowingTheStack() {
        // the value's pattern nested once a character: a few thousand characters overflowed the stack
        String longValue = "v".repeat(100_000);

        assertThat(CredentialNames.mask("DB_PASSWORD=" + longValue + " next", "****")).isEqualTo("DB_PASSWORD=**** next");
        assertThat(CredentialNames.mask("{\"password\": \"" + longValue + "\"}", "****")).isEqualTo("{\"password\": \"****\"}");
        assertThat(CredentialNames.values("targets=" + "http://10.0.4.1:8080/health?pod=p1,".repeat(200))).isEmpty();
    }

    @Test
    void aValueOfThousandsOfPartsIsMaskedWithoutOverflowingTheStack() {
        // a group repeated once per part of a=b,b,b,... nested as deep as the value had parts: about
        // a thousand URLs in one urls= overflowed the stack, and verify ended "unexpected failure"
        String parts = "b,".repeat(20_000) + "b";

        assertThat(CredentialNames.mask("DB_PASSWORD=" + parts + " next", "****")).isEqualTo("DB_PASSWORD=**** next");
        assertThat(CredentialNames.values("urls=" + parts)).isEmpty();
        assertThat(CredentialNames.values("token=" + parts + "|x")).containsExactly(parts + "|x");
    }

    @Test
    void aBareValueEndsWhereItEndedBefore() {
        // the value is found in code now: these are the rules the pattern had
        assertThat(CredentialNames.values("password=a,b|c it's")).containsExactly("a,b|c");
        assertThat(CredentialNames.values("password=it's")).containsExactly("it's");
        assertThat(CredentialNames.values("password=abc, token=def")).containsExactly("abc", "def");
        assertThat(CredentialNames.values("password=abc,,token=def")).containsExactly("abc", "def");
        assertThat(CredentialNames.values("password=abc' next")).containsExactly("abc");
        assertThat(CredentialNames.values("password=,x")).containsExactly(",x");
        assertThat(CredentialNames.values("password=, next")).isEmpty();
        assertThat(CredentialNames.values("password='abc")).containsExactly("'abc");
        assertThat(CredentialNames.values("password=\"abc")).containsExactly("abc");
        assertThat(CredentialNames.values("password=a&token=b;secret=c")).containsExactly("a", "b", "c");
        assertThat(CredentialNames.mask("https://user:pa55word@host/x", "****")).isEqualTo("https://user:pa55word@host/x");
        assertThat(CredentialNames.mask("git clone https://gitlab-ci-token:s3cr3t-value@gitlab.example/repo", "****"))
                .isEqualTo("git clone https://gitlab-ci-token:****@gitlab.example/repo");
    }

    @Test
    void aSemicolonInABareValueEndsItOnlyBeforeAnotherNameOrABlank() {
        // password=s3cr?t;x showed as password=****;x: the end of a password holding a ';'
        assertThat(CredentialNames.mask("note: password=s3cr?t;x done", "****")).isEqualTo("note: password=**** done");
        assertThat(CredentialNames.values("DB_PASSWORD=ab;cdefgh")).containsExactly("ab;cdefgh");
        // a setting after it (a JDBC URL, a cookie), a blank or the end still ends it
        assertThat(CredentialNames.values("jdbc:h2:file:~/h;USER=ci;PASSWORD=pa?ss;MODE=x")).containsExactly("pa?ss");
        assertThat(CredentialNames.values("password=a; token=b;secret=c;")).containsExactly("a", "b", "c");
        assertThat(CredentialNames.values("password=a;;x")).containsExactly("a");
    }
}
