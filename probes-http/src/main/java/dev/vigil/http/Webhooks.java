package dev.vigil.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Deployment;
import dev.vigil.Preflight;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationReport;
import dev.vigil.report.Reports;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP webhooks: a rollback trigger that asks another system to roll back, and a notifier that
 * tells a chat or incident tool about verdicts.
 *
 * <pre>{@code
 * WebhookTarget deployer = Webhooks.target("https://deployer.internal/rollback")
 *     .bearerToken(System.getenv("DEPLOYER_TOKEN"))
 *     .build();
 * DeployVerifier.builder()
 *     .rollback(Webhooks.rollbackTrigger(deployer))
 *     .listener(Webhooks.notifier(Webhooks.target("https://chat.internal/hooks/deploys").build()))
 *     ...
 * }</pre>
 *
 * <p>Both post JSON ({@code Content-Type: application/json}); see {@code docs/http-probes.md} for the
 * documents. Redirects are not followed; credentials are never shown, nor is anything of a URL
 * after its host ({@code https://hooks.slack.com/…}): a Slack, Teams or Discord hook's path is
 * its credential. The rollback trigger can also
 * be configured from properties, as {@code vigil.rollback.webhook.*} ({@code docs/configuration.md}).
 */
public final class Webhooks {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    /**
     * Answers that say the post was not acted on: too many requests, and a service not available. A 502
     * or 504 is not here: a gateway answers so when the receiver failed or did not answer in time, and
     * the receiver may have acted on the post (or still be acting on it).
     */
    private static final Set<Integer> RETRIED_STATUSES = Set.of(429, 503);

    /** What a notifier posts about. */
    public enum Event {
        /** The verdict was reached, before any rollback. */
        VERDICT,
        /** The verification finished: rollback and re-check included. */
        FINISHED
    }

    private Webhooks() {
    }

    /**
     * Starts a webhook target.
     *
     * @param url an http:// or https:// URL
     * @return a new builder
     * @throws IllegalArgumentException when the URL is not one
     */
    public static WebhookTarget.Builder target(String url) {
        return WebhookTarget.builder(url);
    }

    /** The header that carries the rollback's id, the same on every attempt of one rollback. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /**
     * A redirect answered to a rollback: where it points and why it is not followed, for whoever must
     * fix the URL or roll back by hand. A 303 See Other is the answer to a post that was acted on.
     */
    private static String redirect(WebhookTarget target, int status, Response response) {
        String to = target.redirectedTo(response.headers().get("Location"));
        String where = to == null ? status + " without a Location it could read" : status + ", a redirect to " + to;
        if (status == 303) {
            return where + ", which is not followed (303 See Other: the receiver may have acted on it and points at"
                    + " its result; not retried)";
        }
        return where + ", which is not followed: neither the rollback nor its credentials were posted there; if the"
                + " receiver moved, set the webhook's URL to where it answers now (not retried)";
    }

    /**
     * A rollback trigger that posts the rollback event ({@code "event": "rollback"}, the rollback's
     * id, the deployment, the verdict, the reason and the attempt) with an
     * {@value #IDEMPOTENCY_KEY} header holding {@link RollbackEvent#rollbackId()}: one value per
     * rollback, the same on every retry, so that a receiver can tell a retry from a second rollback.
     *
     * <p>A 2xx answer is a rollback done, whatever its body says; the body, masked and at most
     * 64 KiB, is the attempt's output (the report's rollback output), so that a reader sees an answer
     * such as {@code {"status":"failed"}}. A post is retried only when the receiver cannot have acted
     * on it: no connection could be made (refused, unknown host, connect timeout), or it answered
     * 429 or 503. Anything else is a failure not retried: 500 and other 5xx (the receiver may have
     * rolled back and then failed; a 502 or 504 from a gateway when the receiver failed or did not
     * answer in time, after it may have acted), 4xx, 3xx, a connection reset or closed after the
     * request was sent, a post that does not finish within the timeout — since running a
     * rollback twice can undo it. The trigger is not {@linkplain RollbackTrigger#idempotent()
     * idempotent}; its {@linkplain RollbackTrigger#identity() identity} is the URL. Thread-safe.
     *
     * @param target where and how to post
     * @return the trigger
     */
    public static RollbackTrigger rollbackTrigger(WebhookTarget target) {
        Objects.requireNonNull(target, "target");
        return new RollbackTrigger() {
            @Override
            public String execute(RollbackEvent event) throws InterruptedException {
                Exchange result = target.post(rollbackPayload(event), Map.of(IDEMPOTENCY_KEY, event.rollbackId()));
                if (!result.succeeded()) {
                    throw new RollbackException("webhook " + target.scrub(result.error())
                            + (result.unsent() ? "" : " (not retried: the request may have reached the receiver)"),
                            result.unsent(), "");
                }
                int status = result.response().status();
                // Kept whole, as read (at most MAX_ANSWER, cut at a space): a 2xx whose answer says the
                // rollback failed must show that in the report, not its first characters only.
                String answer = target.scrub(result.response().body().strip());
                if (status >= 200 && status < 300) {
                    return "webhook " + target.url() + " answered " + status + (answer.isEmpty() ? "" : ": " + answer);
                }
                boolean retryable = RETRIED_STATUSES.contains(status);
                if (status >= 300 && status < 400) {
                    throw new RollbackException("webhook POST " + target.url() + " answered " + redirect(target, status, result.response()),
                            false, answer);
                }
                throw new RollbackException("webhook POST " + target.url() + " answered " + status
                        + (retryable ? "" : status >= 500 ? " (not retried: the receiver may have acted on it)" : " (not retried)"),
                        retryable, answer);
            }

            @Override
            public String description() {
                return "webhook: " + target;
            }

            @Override
            public Object identity() {
                return List.of("webhook", target.identity());
            }

            @Override
            public Preflight preflight() {
                return target.reachable();
            }

            @Override
            public String toString() {
                return description();
            }
        };
    }

    /**
     * A rollback trigger posting to {@code url} with no credentials and the default timeout.
     *
     * @param url where to post
     * @return the trigger
     */
    public static RollbackTrigger rollbackTrigger(String url) {
        return rollbackTrigger(target(url).build());
    }

    /**
     * A listener that posts on the verdict ({@code "event": "verdict"}) and when the verification
     * finishes ({@code "event": "finished"}, with the rollback outcome and each probe's summary).
     * A failed post is logged and never changes the verification. Thread-safe.
     *
     * @param target where and how to post
     * @return the listener, to register with the verifier
     */
    public static VerificationListener notifier(WebhookTarget target) {
        return notifier(target, Event.VERDICT, Event.FINISHED);
    }

    /**
     * A notifier posting only on the given events; see {@link #notifier(WebhookTarget)}.
     *
     * @param target where and how to post
     * @param first an event to post on
     * @param more more events to post on
     * @return the listener, to register with the verifier
     */
    public static VerificationListener notifier(WebhookTarget target, Event first, Event... more) {
        Objects.requireNonNull(target, "target");
        Set<Event> events = EnumSet.of(first, more);
        return new VerificationListener() {
            @Override
            public void verdict(Deployment deployment, Verdict verdict, String reason) {
                if (events.contains(Event.VERDICT)) {
                    send(target, verdictPayload(deployment, verdict, reason));
                }
            }

            @Override
            public void finished(VerificationReport report) {
                if (events.contains(Event.FINISHED)) {
                    send(target, finishedPayload(report));
                }
            }

            @Override
            public String toString() {
                return "webhook notifier: " + target;
            }
        };
    }

    private static void send(WebhookTarget target, String json) {
        try {
            Exchange result = target.post(json);
            if (!result.succeeded()) {
                LOG.warn("notification webhook failed: {}", target.scrub(result.error()));
            } else if (result.response().status() >= 300) {
                LOG.warn("notification webhook POST {} answered {}", target.url(), result.response().status());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("notification webhook POST {} interrupted", target.url());
        } catch (RuntimeException e) {
            LOG.warn("notification webhook POST {} failed: {}", target.url(), e.toString());
        }
    }

    static String rollbackPayload(RollbackEvent event) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("event", "rollback");
        root.put("rollbackId", event.rollbackId());
        root.set("deployment", Reports.deploymentJson(event.deployment()));
        root.put("verdict", event.verdict().name());
        root.put("reason", Reports.redact(event.reason()));
        // What rolling back withdraws: the fixes of this deployment are re-opened.
        var fixes = root.putArray("fixes");
        event.deployment().fixes().forEach(fixes::add);
        if (!event.deployment().fixes().isEmpty()) {
            root.put("reopens", "rolling back re-opens " + String.join(", ", event.deployment().fixes()));
        }
        root.put("attempt", event.attempt());
        root.put("time", text(event.time()));
        return write(root);
    }

    static String verdictPayload(Deployment deployment, Verdict verdict, String reason) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("event", "verdict");
        root.set("deployment", Reports.deploymentJson(deployment));
        root.put("verdict", verdict.name());
        root.put("reason", Reports.redact(reason));
        return write(root);
    }

    /** The report as every report file has it: its texts masked as {@link Reports#redact(VerificationReport)} does. */
    static String finishedPayload(VerificationReport whole) {
        VerificationReport report = Reports.redact(whole);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("event", "finished");
        root.set("deployment", Reports.deploymentJson(report.deployment()));
        root.put("verdict", report.verdict().name());
        root.put("reason", report.reason());
        root.put("rounds", report.rounds());
        root.put("startedAt", text(report.startedAt()));
        root.put("detectedAt", text(report.detectedAt()));
        root.put("finishedAt", text(report.finishedAt()));
        ObjectNode rollback = root.putObject("rollback");
        rollback.put("outcome", report.rollback().outcome().name());
        rollback.put("trigger", report.rollback().trigger());
        rollback.put("attempts", report.rollback().attempts());
        rollback.put("error", report.rollback().error());
        rollback.put("id", report.rollback().rollbackId());
        var probes = root.putArray("probes");
        for (ProbeReport p : report.probes()) {
            ObjectNode probe = probes.addObject();
            probe.put("name", p.name());
            probe.put("status", p.status().name());
            probe.put("passes", p.passes());
            probe.put("failures", p.failures());
            probe.put("inconclusive", p.inconclusive());
            probe.put("errors", p.errors());
            probe.put("brokenLimit", p.brokenLimit());
        }
        return write(root);
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }

    private static String write(ObjectNode root) {
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write webhook JSON: " + e.getMessage(), e);
        }
    }

    /** Made with the first JSON written or read, not when a configuration is bound or validated. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
