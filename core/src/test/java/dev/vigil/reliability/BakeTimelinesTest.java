package dev.vigil.reliability;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

import dev.vigil.Verdict;
import dev.vigil.VerificationPlan.OnInconclusive;
import dev.vigil.testkit.BakeTimeline;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripted services over virtual time and the verdicts the rules give them. Every expectation is
 * worked out by hand from the rules in docs/RELIABILITY.md ("How it decides"): limits break at once;
 * max-inconclusive is sticky and the bake goes on; after the planned rounds, a probe whose latest
 * measurement is not a PASS is measured again, alone, every interval, until it passes or breaks a
 * limit, at most as many extra rounds as were planned and no more than an hour's worth; HEALTHY needs every probe's latest measurement
 * to be a PASS; on-inconclusive applies only when the bake ends; rounds follow a monotonic schedule
 * that skips the ticks a stall ran over.
 *
 * <p>Unless a timeline says otherwise: a round every 10 s for 60 s (rounds at 0, 10, ... 50 s, extra
 * rounds at 60, 70, ... s), max-failures 0, max-consecutive-errors 4, max-inconclusive 0, timeout 10 s.
 */
class BakeTimelinesTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("timelines")
    void theVerdictFollowsTheDocumentedRules(BakeTimeline timeline) {
        timeline.verify();
    }

    static Stream<BakeTimeline> timelines() {
        return Stream.of(
                // --- the end of the bake
                BakeTimeline.named("the service dies near the end: errors in rounds 6-8 of 8, then 2 extra rounds break max-consecutive-errors")
                        .plan(p -> p.withInterval(ofSeconds(5)).withDuration(ofSeconds(40)))
                        .probe("health", "P P P P P E")
                        .expect(Verdict.UNHEALTHY).rounds(10).extraRounds(2).detectedAfter(ofSeconds(45))
                        .rule("max-consecutive-errors 4").rule("end-of-bake rule").measured("health", 10),
                BakeTimeline.named("a crash in the last round only: 4 extra rounds until the 5th error")
                        .probe("health", "P P P P P E")
                        .expect(Verdict.UNHEALTHY).rounds(10).extraRounds(4).detectedAfter(ofSeconds(90))
                        .rule("could not measure 5 times in a row").rule("end-of-bake rule"),
                BakeTimeline.named("an error in the last round that recovers in the first extra round")
                        .probe("health", "P P P P P E P")
                        .expect(Verdict.HEALTHY).rounds(7).extraRounds(1).detectedAfter(null).rule("end-of-bake rule")
                        .roundAt(7, ofSeconds(60)),
                BakeTimeline.named("a failure in the last round with max-failures 0")
                        .probe("health", "P P P P P F")
                        .expect(Verdict.UNHEALTHY).rounds(6).extraRounds(0).detectedAfter(ofSeconds(50)).rule("max-failures 0"),
                BakeTimeline.named("a failure in the last round with max-failures 1 that persists")
                        .probe("health", "P P P P P F", l -> l.withMaxFailures(1))
                        .expect(Verdict.UNHEALTHY).rounds(7).extraRounds(1).detectedAfter(ofSeconds(60))
                        .rule("failed 2 times (max-failures 1)").rule("end-of-bake rule"),
                BakeTimeline.named("a failure in the last round with max-failures 1 that recovers")
                        .probe("health", "P P P P P F P", l -> l.withMaxFailures(1))
                        .expect(Verdict.HEALTHY).rounds(7).extraRounds(1),
                BakeTimeline.named("tolerant limits and a late crash: 6 extra rounds of errors leave the state unknown")
                        .probe("health", "P P P P P E", l -> l.withMaxConsecutiveErrors(100))
                        .expect(Verdict.INCONCLUSIVE).rounds(12).extraRounds(6)
                        .rule("the last 7 measurements were ERROR").rule("state at the end of the bake is unknown"),
                BakeTimeline.named("tolerant limits, a late crash and on-inconclusive=rollback: rolled back at the end")
                        .plan(p -> p.withOnInconclusive(OnInconclusive.ROLLBACK))
                        .probe("health", "P P P P P E", l -> l.withMaxConsecutiveErrors(100))
                        .expect(Verdict.UNHEALTHY).rounds(12).detectedAfter(ofSeconds(110)).rule("on-inconclusive=rollback"),
                BakeTimeline.named("tolerant limits, a late crash and on-inconclusive=pass: accepted, as the user chose")
                        .plan(p -> p.withOnInconclusive(OnInconclusive.PASS))
                        .probe("health", "P P P P P E", l -> l.withMaxConsecutiveErrors(100))
                        .expect(Verdict.HEALTHY).rounds(12).rule("accepted because on-inconclusive=pass"),
                BakeTimeline.named("two probes, one crashes late: it is measured in every extra round, the other once its PASS is older than an interval")
                        .probe("health", "P P P P E")
                        .probe("latency", "P")
                        .expect(Verdict.UNHEALTHY).rounds(9).extraRounds(3).detectedAfter(ofSeconds(80))
                        .measured("health", 9).measured("latency", 7).rule("probe health could not measure 5 times"),
                BakeTimeline.named("extra rounds for one probe while the other dies: its PASS 20 s old is measured again, and fails")
                        .probe("health", "P P P P P E E E P", l -> l.withMaxConsecutiveErrors(100))
                        .probe("latency", "P P P P P P F")
                        .expect(Verdict.UNHEALTHY).rounds(8).extraRounds(2).detectedAfter(ofSeconds(70))
                        .measured("latency", 7).rule("probe latency failed once (max-failures 0)").rule("end-of-bake rule"),
                BakeTimeline.named("suspended 30 min before the first extra round: the other probe's PASS from before is measured again, and fails")
                        .probe("health", "P P P P P E_30m P")
                        .probe("latency", "P P P P P P F")
                        .expect(Verdict.UNHEALTHY).rounds(7).extraRounds(1).skipped(0).detectedAfter(ofMinutes(30).plusSeconds(60))
                        .measured("latency", 7).rule("probe latency failed once (max-failures 0)"),
                BakeTimeline.named("extra rounds for one probe: the other's PASS is renewed, so both are seen healthy at the end")
                        .probe("health", "P P P P P E E E P", l -> l.withMaxConsecutiveErrors(100))
                        .probe("latency", "P")
                        .expect(Verdict.HEALTHY).rounds(9).extraRounds(3).measured("health", 9).measured("latency", 7)
                        .rule("3 extra rounds"),
                BakeTimeline.named("a one-round plan whose only round errs: one extra round at most")
                        .plan(p -> p.withDuration(ofSeconds(10)))
                        .probe("health", "E")
                        .expect(Verdict.INCONCLUSIVE).rounds(2).extraRounds(1).rule("the last 2 measurements were ERROR"),
                BakeTimeline.named("an error then failures in the extra rounds count against max-failures")
                        .probe("health", "P P P P P E F F", l -> l.withMaxFailures(1))
                        .expect(Verdict.UNHEALTHY).rounds(8).extraRounds(2).detectedAfter(ofSeconds(70)).rule("max-failures 1"),
                // --- flapping
                BakeTimeline.named("flapping under max-failures 0: unhealthy at the first failure")
                        .probe("health", "P F P F P F P F P F P F")
                        .expect(Verdict.UNHEALTHY).rounds(2).detectedAfter(ofSeconds(10)).rule("max-failures 0"),
                BakeTimeline.named("flapping under max-failures 1: unhealthy at the second failure")
                        .probe("health", "P F P F P F P F P F P F", l -> l.withMaxFailures(1))
                        .expect(Verdict.UNHEALTHY).rounds(4).detectedAfter(ofSeconds(30)).rule("failed 2 times (max-failures 1)"),
                BakeTimeline.named("flapping under max-failures 3 over 6 rounds: 3 failures tolerated, the extra round passes")
                        .probe("health", "P F P F P F P F P F P F", l -> l.withMaxFailures(3))
                        .expect(Verdict.HEALTHY).rounds(7).extraRounds(1),
                BakeTimeline.named("flapping under max-failures 3 over 10 rounds: the 4th failure breaks it")
                        .plan(p -> p.withDuration(ofSeconds(100)))
                        .probe("health", "F P F P F P F P F P", l -> l.withMaxFailures(3))
                        .expect(Verdict.UNHEALTHY).rounds(7).detectedAfter(ofSeconds(60)).rule("failed 4 times (max-failures 3)"),
                // --- warm-up
                BakeTimeline.named("errors at the start that recover: the warm-up case")
                        .probe("health", "E E E P")
                        .expect(Verdict.HEALTHY).rounds(6).extraRounds(0).detectedAfter(null),
                BakeTimeline.named("a warm-up longer than max-consecutive-errors allows")
                        .probe("health", "E E E E E P")
                        .expect(Verdict.UNHEALTHY).rounds(5).detectedAfter(ofSeconds(40)).rule("max-consecutive-errors 4"),
                BakeTimeline.named("an initial delay of 30 s moves every round")
                        .plan(p -> p.withInitialDelay(ofSeconds(30)))
                        .probe("health", "P F")
                        .expect(Verdict.UNHEALTHY).rounds(2).detectedAfter(ofSeconds(40)).roundAt(1, ofSeconds(30)),
                // --- stalls and the schedule
                BakeTimeline.named("a 41 s stall in round 4 with a 10 s interval: 2 of 6 rounds skipped, no burst, the end-of-bake rule, inconclusive")
                        .probe("health", "P P P P~41s P")
                        .expect(Verdict.INCONCLUSIVE).rounds(5).skipped(2).extraRounds(1)
                        .note("2 rounds skipped: round 4 took 41s").roundAt(5, ofSeconds(71))
                        .rule("2 of its 6 planned rounds skipped (2 rounds skipped: round 4 took 41s)"),
                BakeTimeline.named("Prometheus stalls 40 s within a 45 s timeout: the round passes, 2 of 6 rounds skipped, the bake not stretched, inconclusive")
                        .probe("error-rate", "P P P P~40s P", ofSeconds(45))
                        .expect(Verdict.INCONCLUSIVE).rounds(4).skipped(2).extraRounds(0).note("2 rounds skipped: round 4 took 40s")
                        .rule("the bake measured only 4 rounds: 2 of its 6 planned rounds skipped"),
                BakeTimeline.named("a 40 s stall in a 5 min bake: 3 of 30 rounds skipped, a tenth, still healthy")
                        .plan(p -> p.withDuration(ofSeconds(300)))
                        .probe("error-rate", "P P P P~40s P", ofSeconds(45))
                        .expect(Verdict.HEALTHY).rounds(27).skipped(3).extraRounds(0),
                // --- a suspended host (the wait for a round takes longer than asked)
                BakeTimeline.named("suspended for most of the bake: the end-of-bake rule's one PASS is no healthy end")
                        .plan(p -> p.withDuration(ofSeconds(300)))
                        .probe("health", "P_400s P")
                        .expect(Verdict.INCONCLUSIVE).rounds(2).skipped(29).extraRounds(1).roundAt(2, ofSeconds(410))
                        .note("29 rounds skipped: the wait for the next round took longer than the 10s asked for"
                                + " (the process was suspended or starved)")
                        .rule("the bake measured only 2 rounds: 29 of its 30 planned rounds skipped (29 rounds skipped:")
                        .rule("a bake that skipped more than a tenth of its rounds did not watch"),
                BakeTimeline.named("suspended for most of the bake with on-inconclusive=rollback: rolled back at the end")
                        .plan(p -> p.withDuration(ofSeconds(300)).withOnInconclusive(OnInconclusive.ROLLBACK))
                        .probe("health", "P_400s P")
                        .expect(Verdict.UNHEALTHY).rounds(2).skipped(29).detectedAfter(ofSeconds(410))
                        .rule("29 of its 30 planned rounds skipped").rule("treated as unhealthy because on-inconclusive=rollback"),
                BakeTimeline.named("suspended for most of the bake with on-inconclusive=pass: accepted, as the user chose")
                        .plan(p -> p.withDuration(ofSeconds(300)).withOnInconclusive(OnInconclusive.PASS))
                        .probe("health", "P_400s P")
                        .expect(Verdict.HEALTHY).rounds(2).skipped(29)
                        .rule("29 of its 30 planned rounds skipped").rule("accepted because on-inconclusive=pass"),
                BakeTimeline.named("suspended for most of the bake and a probe without a PASS at the end, on-inconclusive=pass: both named")
                        .plan(p -> p.withDuration(ofSeconds(300)).withOnInconclusive(OnInconclusive.PASS))
                        .probe("health", "P_400s P")
                        .probe("db", "P I", l -> l.withMaxInconclusive(100))
                        .expect(Verdict.HEALTHY).rounds(31).skipped(29).extraRounds(30)
                        .rule("29 of its 30 planned rounds skipped").rule("probe db: the last 30 measurements were INCONCLUSIVE")
                        .rule("accepted because on-inconclusive=pass"),
                BakeTimeline.named("suspended for most of the bake and a probe without a PASS at the end, on-inconclusive=fail: both named")
                        .plan(p -> p.withDuration(ofSeconds(300)))
                        .probe("health", "P_400s P")
                        .probe("db", "P I", l -> l.withMaxInconclusive(100))
                        .expect(Verdict.INCONCLUSIVE).rounds(31).skipped(29).extraRounds(30)
                        .rule("29 of its 30 planned rounds skipped").rule("probe db: the last 30 measurements were INCONCLUSIVE"),
                BakeTimeline.named("suspended for most of the bake, and the probe fails when measured again: unhealthy")
                        .plan(p -> p.withDuration(ofSeconds(300)))
                        .probe("health", "P_400s F")
                        .expect(Verdict.UNHEALTHY).rounds(2).skipped(29).detectedAfter(ofSeconds(410)).rule("max-failures 0"),
                BakeTimeline.named("suspended for one round of 30: still healthy")
                        .plan(p -> p.withDuration(ofSeconds(300)))
                        .probe("health", "P_10s P")
                        .expect(Verdict.HEALTHY).rounds(29).skipped(1).extraRounds(0).roundAt(2, ofSeconds(20)),
                BakeTimeline.named("suspended for 4 rounds of 30, more than a tenth: inconclusive")
                        .plan(p -> p.withDuration(ofSeconds(300)))
                        .probe("health", "P_40s P")
                        .expect(Verdict.INCONCLUSIVE).rounds(26).skipped(4).extraRounds(0)
                        .rule("the bake measured only 26 rounds: 4 of its 30 planned rounds skipped"),
                BakeTimeline.named("a stall that ends in a failure: unhealthy when the answer arrives")
                        .probe("error-rate", "P P F~41s", ofSeconds(45))
                        .expect(Verdict.UNHEALTHY).rounds(3).detectedAfter(ofSeconds(61)).rule("max-failures 0"),
                BakeTimeline.named("a 41 s stall in an extra round: the ticks it ran over are noted, but are no planned rounds skipped")
                        .probe("health", "P P P P P E E~41s P")
                        .expect(Verdict.HEALTHY).rounds(8).skipped(0).extraRounds(2)
                        .note("end-of-bake rule: the next extra round came 3 intervals late: round 7 took 41s")
                        .roundAt(8, ofSeconds(101)),
                BakeTimeline.named("slow measurements within the timeout never drift the schedule")
                        .probe("health", "P~5s")
                        .expect(Verdict.HEALTHY).rounds(6).skipped(0).roundAt(6, ofSeconds(50)),
                // --- the clock
                BakeTimeline.named("the wall clock steps forward an hour in round 2: same rounds, same verdict, stamps follow the clock")
                        .probe("health", "P P@+1h P")
                        .expect(Verdict.HEALTHY).rounds(6).skipped(0).roundAt(3, ofSeconds(20).plus(ofHours(1)))
                        .roundAt(6, ofSeconds(50).plus(ofHours(1))),
                BakeTimeline.named("the wall clock steps back an hour in round 2: same rounds, same verdict")
                        .probe("health", "P P@-1h P")
                        .expect(Verdict.HEALTHY).rounds(6).skipped(0).roundAt(3, ofSeconds(20).minus(ofHours(1))),
                BakeTimeline.named("the clock steps forward an hour, then a failure in round 5")
                        .probe("health", "P P@+1h P P F")
                        // The time to detect is elapsed time, whatever the wall clock did (RELIABILITY.md).
                        .expect(Verdict.UNHEALTHY).rounds(5).detectedAfter(ofSeconds(40)),
                BakeTimeline.named("the clock steps back an hour, then a late crash still ends unhealthy")
                        .probe("health", "P P@-1h P P P E")
                        .expect(Verdict.UNHEALTHY).rounds(10).detectedAfter(ofSeconds(90))
                        .rule("end-of-bake rule"),
                // --- on-inconclusive
                BakeTimeline.named("on-inconclusive=fail, inconclusive in round 1, a failure in round 3: rolled back")
                        .probe("error-rate", "I P F")
                        .expect(Verdict.UNHEALTHY).rounds(3).detectedAfter(ofSeconds(20)).rule("max-failures 0"),
                BakeTimeline.named("on-inconclusive=rollback, inconclusive in round 1, a failure in round 3: rolled back for the failure")
                        .plan(p -> p.withOnInconclusive(OnInconclusive.ROLLBACK))
                        .probe("error-rate", "I P F")
                        .expect(Verdict.UNHEALTHY).rounds(3).detectedAfter(ofSeconds(20)).rule("max-failures 0"),
                BakeTimeline.named("on-inconclusive=pass, inconclusive in round 1, a failure in round 3: the bake goes on and rolls back")
                        .plan(p -> p.withOnInconclusive(OnInconclusive.PASS))
                        .probe("error-rate", "I P F")
                        .expect(Verdict.UNHEALTHY).rounds(3).detectedAfter(ofSeconds(20)).rule("max-failures 0"),
                BakeTimeline.named("on-inconclusive=fail, inconclusive in round 1 only: inconclusive at the end, not early")
                        .probe("error-rate", "I P")
                        .expect(Verdict.INCONCLUSIVE).rounds(6).extraRounds(0).rule("max-inconclusive 0"),
                BakeTimeline.named("on-inconclusive=rollback, inconclusive in round 1 only: rolled back when the bake ends")
                        .plan(p -> p.withOnInconclusive(OnInconclusive.ROLLBACK))
                        .probe("error-rate", "I P")
                        .expect(Verdict.UNHEALTHY).rounds(6).detectedAfter(ofSeconds(50)).rule("on-inconclusive=rollback"),
                BakeTimeline.named("on-inconclusive=pass, inconclusive in round 1 only: accepted when the bake ends")
                        .plan(p -> p.withOnInconclusive(OnInconclusive.PASS))
                        .probe("error-rate", "I P")
                        .expect(Verdict.HEALTHY).rounds(6).rule("accepted because on-inconclusive=pass"),
                BakeTimeline.named("every probe inconclusive")
                        .probe("error-rate", "I")
                        .probe("latency", "I")
                        .expect(Verdict.INCONCLUSIVE).rounds(6)
                        .rule("probe error-rate was inconclusive").rule("probe latency was inconclusive"),
                BakeTimeline.named("every probe inconclusive within a tolerant limit: the extra rounds find no evidence")
                        .probe("error-rate", "I", l -> l.withMaxInconclusive(100))
                        .probe("latency", "I", l -> l.withMaxInconclusive(100))
                        .expect(Verdict.INCONCLUSIVE).rounds(12).extraRounds(6).rule("state at the end of the bake is unknown"),
                BakeTimeline.named("a 3 h bake, one round a minute, inconclusive at the end: an hour of extra rounds, not 3 h")
                        .plan(p -> p.withInterval(ofMinutes(1)).withDuration(ofHours(3)))
                        .probe("error-rate", "I", l -> l.withMaxInconclusive(1000))
                        .expect(Verdict.INCONCLUSIVE).rounds(240).extraRounds(60).rule("state at the end of the bake is unknown"),
                BakeTimeline.named("a probe past max-inconclusive is not measured again at the end")
                        .probe("error-rate", "I P P P P E")
                        .expect(Verdict.INCONCLUSIVE).rounds(6).extraRounds(0).rule("max-inconclusive 0"),
                // --- the caller
                BakeTimeline.named("the caller interrupts in the middle of round 3")
                        .probe("health", "P P !")
                        .expect(Verdict.ABORTED).rounds(3).rule("aborted"));
    }

}
