package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** How a redirect's hop is shown: no credential of its path, nothing of its query or fragment. */
class RedirectsTest {

    @Test
    void aSessionIdInTheLocationsPathIsMasked() {
        URI location = URI.create("https://shop.example/cart;jsessionid=0F1E2D3C4B5A69788796?item=42");

        assertThat(Redirects.shown(location)).isEqualTo("https://shop.example/cart;jsessionid=****?****");
    }

    @Test
    void aPlainLocationIsShownWithoutItsQuery() {
        assertThat(Redirects.shown(URI.create("https://ci:pa;ss@shop.example:8443/health/?state=af0ifjsldkj")))
                .isEqualTo("https://shop.example:8443/health/?****");
    }
}
