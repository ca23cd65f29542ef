package dev.vigil.http;

import dev.vigil.condition.ValueType;
import java.util.List;
import java.util.Map;

/**
 * HTTP probes: a URL, a Spring Boot actuator health endpoint, or a fleet of instances measured
 * concurrently each round.
 *
 * <pre>{@code
 * Probe health = HttpProbes.http("https://checkout.internal/ready")
 *     .passWhen("status == 200 && latency < 500ms")
 *     .bearerToken(System.getenv("HEALTH_TOKEN"))
 *     .build();
 * Probe fleet = HttpProbes.actuator("http://{instance}:8080")
 *     .instances(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"))
 *     .require(Require.percent(90))
 *     .build();
 * }</pre>
 *
 * <p>Conditions see {@code status} (number), {@code latency} (duration from the moment the request
 * is sent on an open connection to the last byte of the body; connection setup is reported apart
 * as the value {@code connect-time}), {@code header.X} (response headers, names
 * case-insensitive) and {@code body} (the text; {@code body.a.b} navigates it as JSON). Without a
 * condition, an HTTP probe passes when {@code status >= 200 && status < 400}, as Kubernetes'
 * {@code httpGet} probe does.
 *
 * <p>What counts as what: a response is always judged, never retried, whatever its status. A
 * connection that cannot be made (refused, reset, unknown host, connect timeout, closed without a
 * response) throws {@link dev.vigil.RetryableProbeException}, which the engine retries within
 * the round. A response that does not arrive whole by the deadline, a body larger than
 * {@code max-body-size}, a malformed response, a TLS failure or a redirect loop is an
 * {@code ERROR} measurement.
 *
 * <p>Connections: each probe keeps one non-blocking client (HTTP/1.1 with keep-alive, HTTP/2 where
 * a TLS server offers it) from one round to the next, until {@link dev.vigil.Probe#close()}
 * ({@link dev.vigil.DeployVerifier#close()} closes its probes). A request waiting for an answer
 * holds no thread; at the round's deadline it is cancelled and its instance named. Credentials (the
 * {@code Authorization} header and headers named like {@code X-Api-Key}) go only to the host the
 * URL names, never to another host a redirect points at.
 *
 * <p>Redirects: only one to the same host name and path, give or take a trailing slash (whatever
 * the scheme, port or query), is followed, and every one followed is named in the measurement. Any
 * other (to a sign-on page on another host, to Spring Security's {@code /login} on the same host) is
 * not followed: what answers there is not the service, so without conditions the redirect is
 * {@code INCONCLUSIVE}, naming where it pointed; conditions judge it as written.
 */
public final class HttpProbes {

    private HttpProbes() {
    }

    /**
     * The names an HTTP or actuator probe gives its conditions and their types: {@code status}
     * (number), {@code latency} (duration), {@code header} and {@code body} (navigated with
     * {@code .name}; known only when measured).
     *
     * @return the names and their types
     */
    public static Map<String, ValueType> conditionNames() {
        return CriteriaJudge.NAMES;
    }

    /**
     * A probe of one URL, or of a fleet when the URL contains {@code {instance}} and
     * {@link HttpProbeBuilder#instances} is set.
     *
     * @param url an {@code http://} or {@code https://} URL
     * @return a new builder
     * @throws IllegalArgumentException when the URL is not one
     */
    public static HttpProbeBuilder http(String url) {
        return HttpProbeBuilder.single(url, false);
    }

    /**
     * A probe of a fleet: each URL is one instance, all measured at once each round.
     *
     * @param urls one URL per instance
     * @return a new builder
     * @throws IllegalArgumentException when the list is empty, or a URL is invalid, empty or names an
     *     instance another one names (each instance is asked once a round and counted once)
     */
    public static HttpProbeBuilder http(List<String> urls) {
        return HttpProbeBuilder.fleet(urls, false);
    }

    /**
     * A probe of a Spring Boot actuator health endpoint. A URL without a path gets
     * {@code /actuator/health}. Without a condition it passes on {@code UP} with HTTP 200, fails on
     * {@code DOWN} and {@code OUT_OF_SERVICE} naming the failing components, and is inconclusive on
     * {@code UNKNOWN} or a custom status; equivalent to {@code status == 200 && body.status == "UP"}.
     *
     * @param url the health endpoint, or the service's base URL
     * @return a new builder
     * @throws IllegalArgumentException when the URL is not an http(s) URL
     */
    public static HttpProbeBuilder actuator(String url) {
        return HttpProbeBuilder.single(url, true);
    }

    /**
     * An actuator probe of a fleet, one URL per instance; see {@link #actuator(String)}.
     *
     * @param urls one URL per instance
     * @return a new builder
     * @throws IllegalArgumentException as {@link #http(List)}
     */
    public static HttpProbeBuilder actuator(List<String> urls) {
        return HttpProbeBuilder.fleet(urls, true);
    }
}
