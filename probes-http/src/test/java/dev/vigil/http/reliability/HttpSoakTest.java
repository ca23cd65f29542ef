package dev.vigil.http.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.ProbeLimits;
import dev.vigil.RollbackCoordinator;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.http.HttpProbes;
import dev.vigil.reliability.VigilThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many verifications in a row of a fleet of 200 instances served by WireMock: the heap after a
 * garbage collection and the number of live threads stay flat. The last third of the run is
 * compared with the first third by medians, with generous bounds; nothing is timed.
 */
class HttpSoakTest {

    /** Instances in the fleet. */
    static final int FLEET = 200;
    /** Most verifications; the run also stops after {@link #BUDGET}, which keeps CI under two minutes. */
    static final int MAX_VERIFICATIONS = 60;
    static final Duration BUDGET = Duration.ofSeconds(50);
    static final int MIN_VERIFICATIONS = 9;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(FLEET + 50).jettyAcceptors(2)
                .jettyStopTimeout(500L).disableRequestJournal())
            .resetOnEachTest(false).build();

    @BeforeAll
    static void stubs() {
        server.stubFor(get(urlPathMatching("/instance/[0-9]+/health"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"status\":\"UP\"}")));
    }

    @Test
    void heapAndThreadsStayFlatOverManyVerificationsOfAFleetOf200() throws Exception {
        List<String> urls = IntStream.range(0, FLEET)
                .mapToObj(i -> "http://localhost:" + server.getPort() + "/instance/" + i + "/health").toList();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("fleet", HttpProbes.http(urls).passWhen("status == 200 && body.status == \"UP\"").build(),
                        ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(20)))
                // One round: a round of 200 requests overruns a short interval, and a bake that skips
                // more than a tenth of its rounds is not HEALTHY; a longer one would only slow the soak.
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();
        List<String> threadsBefore = VigilThreads.alive();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Long> heap = new ArrayList<>();
        List<Integer> threadCounts = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        long end = System.nanoTime() + BUDGET.toNanos();

        for (int i = 0; i < MAX_VERIFICATIONS && (i < MIN_VERIFICATIONS || System.nanoTime() < end); i++) {
            VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("fleet", "1.0." + i));
            verdicts.add(report.verdict());
            VigilThreads.awaitGone(Duration.ofSeconds(2), threadsBefore);
            System.gc();
            heap.add(memory.getHeapMemoryUsage().getUsed());
            threadCounts.add(ownThreads().size());
        }

        assertThat(verdicts).as("every verification of the healthy fleet").allMatch(v -> v == Verdict.HEALTHY);
        int third = heap.size() / 3;
        long heapFirst = median(heap.subList(0, third));
        long heapLast = median(heap.subList(heap.size() - third, heap.size()));
        int threadsFirst = (int) median(threadCounts.subList(0, third).stream().map(Integer::longValue).toList());
        int threadsLast = (int) median(threadCounts.subList(threadCounts.size() - third, threadCounts.size())
                .stream().map(Integer::longValue).toList());
        String summary = heap.size() + " verifications; heap after GC " + heapFirst / 1024 + "KB -> " + heapLast / 1024
                + "KB; threads (without the test server's) " + threadsFirst + " -> " + threadsLast;
        System.out.println("soak: " + summary);
        assertThat(heapLast).as(summary).isLessThanOrEqualTo(heapFirst * 3 / 2 + 32L * 1024 * 1024);
        assertThat(threadsLast).as(summary + "; live threads: " + groups(ownThreads())).isLessThanOrEqualTo(threadsFirst + 20);
        verifier.close();
        assertThat(VigilThreads.awaitGone(Duration.ofSeconds(5), threadsBefore)).as("threads left").isEmpty();
    }

    /**
     * The live threads, without those of the test's own WireMock server: Jetty's pool ({@code qtp*})
     * grows with the load and shrinks a minute after it, which says nothing about Vigil.
     */
    private static List<String> ownThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> !name.startsWith("qtp")).toList();
    }

    /** Thread names without their numbers, counted. */
    private static java.util.Map<String, Long> groups(List<String> names) {
        return names.stream().collect(java.util.stream.Collectors.groupingBy(n -> n.replaceAll("[0-9]+", "#"),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
