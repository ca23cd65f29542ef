package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.VerificationReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownSummaryTest {

    @Test
    void headsWithTheVerdictAndListsEveryProbe() {
        String md = Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.MARKDOWN);

        assertThat(md).startsWith("## Vigil: checkout 2.4.1 is UNHEALTHY\n")
                .contains("**Verdict:** UNHEALTHY, rolled back")
                .contains("**Reason:** probe error-rate failed 2 times (max-failures 1): value(0.031) &gt; 0.01")
                .contains("| Probe | Status | Pass | Fail | Inconclusive | Error | Last measurement |")
                .contains("| health | PASSED | 3 | 0 | 0 | 0 | status(200) == 200 && latency(130ms) &lt; 500ms |")
                .contains("| error-rate | FAILED | 1 | 2 | 0 | 0 | value(0.031) &gt; 0.01 |")
                .contains("**Rollback:** ROLLED_BACK (command: kubectl rollout undo deployment/checkout), 1 attempt")
                .contains("deployment.apps/checkout rolled back")
                .contains("**Re-check measurements:** health PASS, error-rate PASS");
    }

    @Test
    void saysWhenTheRollbackFailed() {
        String md = Reports.render(SampleReports.unhealthyRollbackFailed(), ReportFormat.MARKDOWN);

        assertThat(md).contains("**Verdict:** UNHEALTHY, ROLLBACK FAILED: a person must act")
                .contains("**Rollback error:** command: ./rollback.sh failed after 3 attempts: exit 1")
                .contains("| smoke | NOT_DECIDED | 0 | 0 | 2 | 0 | neither held |");
    }

    @Test
    void keepsTableCellsOnOneLineAndUsesNoEmoji() {
        VerificationReport base = SampleReports.healthy();
        ProbeReport p = base.probes().get(0);
        ProbeReport odd = new ProbeReport("odd", p.description(), p.passWhen(), null, ProbeLimits.defaults(), p.status(),
                1, 0, 0, 0, null, List.of(SampleReports.measurement("odd", 1, dev.vigil.Outcome.PASS,
                        java.util.Map.of(), "a | b\nc")));
        VerificationReport report = new VerificationReport(base.deployment(), base.plan(), base.verdict(), base.reason(),
                List.of(odd), base.rollback(), base.recheck(), base.rounds(), base.startedAt(), null, base.finishedAt());

        String md = Reports.render(report, ReportFormat.MARKDOWN);

        assertThat(md).contains("| odd | PASSED | 1 | 0 | 0 | 0 | a \\| b c |");
        assertThat(md.codePoints().filter(c -> c > 0x2000)).isEmpty();
    }

    @Test
    void aRollbackOutputHoldingBothFencesStaysInsideItsBlock() {
        // With ``` in the output the block was fenced with ~~~~, which a ~~~~ line of the output
        // closed: the rest of the output was Markdown and HTML of the summary, </details> included.
        VerificationReport r = SampleReports.unhealthyRolledBack();
        dev.vigil.RollbackReport rb = r.rollback();
        String output = "rendering notes\n```\nkubectl rollout undo\n```\n~~~~\n</details>\n# Not a heading\n````\ndone";
        dev.vigil.RollbackReport echoed = new dev.vigil.RollbackReport(rb.outcome(), rb.trigger(), rb.attempts(), output,
                rb.error(), rb.startedAt(), rb.finishedAt(), rb.rollbackId());
        VerificationReport report = new VerificationReport(r.deployment(), r.plan(), r.verdict(), r.reason(), r.probes(),
                echoed, r.recheck(), r.rounds(), r.startedAt(), r.detectedAt(), r.finishedAt());

        String md = Reports.render(report, ReportFormat.MARKDOWN);

        String block = md.substring(md.indexOf("<details>"));
        String fence = block.lines().filter(l -> l.startsWith("```") || l.startsWith("~~~")).findFirst().orElseThrow()
                .replace("text", "");
        assertThat(fence).isEqualTo("`````");
        List<String> lines = block.lines().toList();
        int open = lines.indexOf(fence + "text");
        int close = lines.indexOf(fence);
        assertThat(lines.subList(open + 1, close)).containsExactlyElementsOf(output.lines().toList());
        assertThat(lines.subList(close + 1, lines.size())).containsExactly("", "</details>", "",
                "**Re-check measurements:** health PASS, error-rate PASS");
    }
}
