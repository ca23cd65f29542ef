package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScratchTest {
    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void show() {
        for (String f : new String[] {"vector-two-series.json", "scalar.json", "vector-nan.json", "empty-vector.json", "vector-one-series.json"}) {
            prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(Canned.body(f))));
            for (String c : new String[] {"value > 0.01", "value > 0.5"}) {
                try (PrometheusProbe p = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("q").failWhen(c).build()) {
                    System.out.println(f + " | " + c + " -> " + p.measure(TestContext.standard()));
                }
            }
        }
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse().withBody(Canned.body("matrix-range.json"))));
        try (PrometheusProbe p = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("q").failWhen("value > 0.01").range(Duration.ofMinutes(5), null).bearerToken("s3cr3t-token").header("X-Scope-OrgID", "t1").build()) {
            System.out.println(p.measure(TestContext.standard()));
            System.out.println(p + " / " + p.description());
        }
    }
}
