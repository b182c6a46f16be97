package org.ijdiffusion.plugin.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the totals of a merged batch report (DIR/report.json written by batch-report). */
final class BatchReports {
    private BatchReports() {
    }

    /** How many entries the list {@code "key": [...]} of {@code json} holds; -1 when absent. */
    static long count(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!m.find()) {
            return -1;
        }
        String body = m.group(1).strip();
        return body.isEmpty() ? 0 : body.split("\\}\\s*,|\"\\s*,").length;
    }

    /** The merged report counts {@code jobs} done (on the first run: none skipped, none failed). */
    static void assertCounts(String report, int jobs, String printed) {
        assertEquals(jobs, count(report, "done"), "done in report.json:\n" + report);
        assertEquals(0, count(report, "failed"), "failed in report.json:\n" + report);
        assertTrue(printed.contains(Integer.toString(jobs)), "batch-report prints the totals: " + printed);
    }
}
