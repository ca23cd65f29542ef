package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandLineCredentialsTest {

    @Test
    void findsEachCredentialAsWrittenWithoutItsQuotes() {
        assertThat(CommandLineCredentials.values(
                "curl -u admin:pa:ss -U 'ops:s3 cr3t' && deployer --api-key=\"k3y\" --token t0ken; mysql -uroot -pdb-pw x"))
                .containsExactly("pa:ss", "s3 cr3t", "k3y", "t0ken", "db-pw");
    }

    @Test
    void aKeyGivenAsTheUserIsTheCredential() {
        assertThat(CommandLineCredentials.values("curl -u sk_live_0123: https://api.example")).containsExactly("sk_live_0123");
        assertThat(CommandLineCredentials.mask("curl -u sk_live_0123: https://api.example", "****"))
                .isEqualTo("curl -u ****: https://api.example");
    }

    @Test
    void aCredentialHeadersValueAndTheTokenInItAreCredentials() {
        String command = "curl -H 'Accept: text/plain' -H 'Authorization: Bearer eyJhbGciOi.s3cr3t' https://x";

        assertThat(CommandLineCredentials.values(command)).containsExactly("Bearer eyJhbGciOi.s3cr3t", "eyJhbGciOi.s3cr3t");
        assertThat(CommandLineCredentials.mask(command, "****"))
                .isEqualTo("curl -H 'Accept: text/plain' -H 'Authorization: ****' https://x");
    }

    @Test
    void masksOnlyTheCredentials() {
        assertThat(CommandLineCredentials.mask("curl -su admin:s3cr3t --user-agent 'ci: 1' https://x", "****"))
                .isEqualTo("curl -su admin:**** --user-agent 'ci: 1' https://x");
        assertThat(CommandLineCredentials.mask("psql --no-password -h db orders; sshpass -p s3cr3t ssh -p 2222 host", "****"))
                .isEqualTo("psql --no-password -h db orders; sshpass -p **** ssh -p 2222 host");
        assertThat(CommandLineCredentials.mask(null, "****")).isNull();
        assertThat(CommandLineCredentials.values(null)).isEmpty();
    }

    @Test
    void anOptionNamedPassOrEndingInAPassSegmentHoldsAPassword() {
        assertThat(CommandLineCredentials.mask("deployer --pass hunter22 --db-pass=hunter23 -pass 'hunter 24' x", "****"))
                .isEqualTo("deployer --pass **** --db-pass=**** -pass '****' x");
    }

    @Test
    void theWordAfterACredentialOptionIsItsValueEvenWhenItStartsWithADash() {
        assertThat(CommandLineCredentials.mask("deployer --pass -x9s3cret --password -y8 -storepass --z7 x", "****"))
                .isEqualTo("deployer --pass **** --password **** -storepass **** x");
        // a switch named like a credential hides the option after it: a word lost, no secret shown
        assertThat(CommandLineCredentials.mask("psql --password --echo-all orders", "****"))
                .isEqualTo("psql --password **** orders");
        // a negation takes no value
        assertThat(CommandLineCredentials.mask("psql --no-password orders; deployer --no-pass -v", "****"))
                .isEqualTo("psql --no-password orders; deployer --no-pass -v");
    }

    @Test
    void opensslsPassArgumentMasksThePasswordAndKeepsWhereItComesFrom() {
        String command = "openssl pkcs12 -passin pass:s3cr3t -passout env:OUT_PASS -pass file:/run/pw";

        assertThat(CommandLineCredentials.values(command)).containsExactly("s3cr3t");
        assertThat(CommandLineCredentials.mask(command, "****"))
                .isEqualTo("openssl pkcs12 -passin pass:**** -passout env:OUT_PASS -pass file:/run/pw");
    }

    @Test
    void wordsThatOnlyHoldPassAreNoPasswordOptions() {
        String command = "deployer --bypass-cache 1 --compass north --passive on --pass-through ./undo.sh --bypass x";

        assertThat(CommandLineCredentials.values(command)).isEmpty();
        assertThat(CommandLineCredentials.mask(command, "****")).isEqualTo(command);
    }
}
