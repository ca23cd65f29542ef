package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.RecheckReport;
import dev.vigil.condition.Condition;
import dev.vigil.condition.Evaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Lines the pages show as Vigil's output are the lines it prints. */
class DocumentedOutputTest {

    @Test
    void rollbackMdsSampleReasonQuotesAFailedConditionAsTheConditionExplainsIt() throws IOException {
        // It showed "not (status(500) == 200)", a form no condition prints.
        String page = Files.readString(Path.of("..", "docs", "rollback.md"));
        Matcher reason = Pattern.compile("`probe api failed 2 times \\(max-failures 1\\): (.+?) at 12:03:15Z`").matcher(page);
        assertThat(reason.find()).as("the sample reason of docs/rollback.md").isTrue();

        assertThat(reason.group(1)).isEqualTo(Condition.parse("status == 200").evaluate(Map.of("status", 500)).explanation());
    }

    @Test
    void everyReCheckLineThePagesShowGivesTheJudgementOfThePreviousVersion() throws IOException {
        // reports.md and demo.md showed "Re-check: health PASS, error-rate PASS", which Vigil no longer prints.
        Pattern judged = Pattern.compile("Re-check: (" + Arrays.stream(RecheckReport.Status.values()).map(Enum::name)
                .collect(Collectors.joining("|")) + "): the previous version \\S+: .+");
        List<String> other = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            Matcher line = Pattern.compile("(?m)^Re-check: .*$").matcher(Files.readString(page));
            while (line.find()) {
                checked++;
                if (!judged.matcher(line.group()).matches()) {
                    other.add(page.getFileName() + ": " + line.group());
                }
            }
        }

        assertThat(checked).isGreaterThanOrEqualTo(2);
        assertThat(other).isEmpty();
    }

    @Test
    void everyQuietReleaseStreakThePagesQuoteGoesOnAsTheHistoryPrintsIt() throws IOException {
        // cli.md, reports.md and the README quoted "History: quiet release #14 in a row for checkout (longest 31)"
        // as the whole line, which ends "; its rollback was last rehearsed ..." (or "never rehearsed ...") since the
        // history says when the rollback was last rehearsed.
        Pattern streak = Pattern.compile("quiet\\s+release\\s+#\\d+\\s+in\\s+a\\s+row\\s+for\\s+\\S+\\s+\\(longest\\s+\\d+\\)"
                + "|quiet\\s+releases?\\s+of\\s+\\S+\\s+in\\s+a\\s+row\\s+came\\s+before\\s+this\\s+rollback\\s+\\(longest\\s+\\d+\\)");
        Pattern goesOn = Pattern.compile("(?:;\\s+(?:its\\s+rollback\\s+was|when\\s+its\\s+rollback|\\.\\.\\.)|,\\s+not\\s+counting|\\.\\.\\.).*",
                Pattern.DOTALL);
        List<String> cut = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            String text = Files.readString(page);
            Matcher quoted = streak.matcher(text);
            while (quoted.find()) {
                checked++;
                if (!goesOn.matcher(text.substring(quoted.end())).lookingAt()) {
                    cut.add(page.getFileName() + ": " + quoted.group());
                }
            }
        }

        assertThat(checked).isGreaterThanOrEqualTo(6);
        assertThat(cut).isEmpty();
    }

    @Test
    void everyExampleOfTheConditionsPageEvaluatesAsItsTableSays() throws IOException {
        // docs/conditions.md, "Examples": each row's condition, with its values, gives the result and the
        // explanation the row shows, word for word.
        String page = Files.readString(Path.of("..", "docs", "conditions.md"));
        String table = page.substring(page.indexOf("## Examples"), page.indexOf("## Grammar"));
        Pattern row = Pattern.compile("(?m)^\\| `(.+?)` \\| (.+?) \\| (true|false|error): `(.+)` \\|$");
        Pattern value = Pattern.compile("`([\\w.]+)=([^`]+)`|body `([^`]+)`|header `([^`:]+): ([^`]+)`");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        Matcher example = row.matcher(table);
        while (example.find()) {
            checked++;
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            Matcher given = value.matcher(example.group(2));
            while (given.find()) {
                if (given.group(1) != null) {
                    values.put(given.group(1), typed(given.group(2)));
                } else if (given.group(3) != null) {
                    values.put("body", given.group(3));
                } else {
                    values.put("header." + given.group(4), given.group(5));
                }
            }
            String condition = example.group(1).replace("\\|", "|");
            Evaluation evaluation = Condition.parse(condition).evaluate(values);
            String shown = example.group(3) + ": " + example.group(4);
            String actual = evaluation.result().name().toLowerCase(java.util.Locale.ROOT) + ": " + evaluation.explanation();
            if (!actual.equals(shown)) {
                wrong.add(condition + " with " + values + ": the page shows '" + shown + "', Vigil says '" + actual + "'");
            }
        }

        assertThat(checked).isGreaterThanOrEqualTo(12);
        assertThat(wrong).isEmpty();
    }

    /** A value of the conditions page's table as a probe would observe it: a number, a duration. */
    private static Object typed(String text) {
        if (text.endsWith("ms")) {
            return java.time.Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        return text.matches("\\d+") ? (Object) Integer.valueOf(text) : (Object) Double.valueOf(text);
    }

    /** The README and every page of docs/. */
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("..", "README.md")));
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }
}
