package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What a probe's URL that Java cannot read a host from is told. */
class TargetUrlTest {

    /**
     * A Docker Compose service name with an underscore is a common host name that is none: Java's
     * URI reads no host from it. "has no host" alone sent people looking for a typo.
     */
    @Test
    void aHostNameWithAnUnderscoreIsToldWhyItReadsNone() {
        assertThatThrownBy(() -> Target.parseUrl("http://sso_login:8080/health"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'http://sso_login:8080/health' has no host: a host name may not hold '_'");
        assertThatThrownBy(() -> Target.parseUrl("http:///health"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'http:///health' has no host");
    }
}
