package org.ijdiffusion.plugin.cli.batch;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ijdiffusion.plugin.cli.UsageException;

/**
 * {@code --name TEMPLATE} (default {@code {name}}): the output stem of each job from {@code {index}}
 * (the job's place after grid expansion, zero padded), {@code {seed}}, {@code {name}} (the job's
 * "name", default its zero-padded line index, with "-" and the grid point when a line expands to
 * several) and {@code {prompt}} (letters, digits, '-', '.' and '_' kept, the rest '_', at most 48
 * characters). ".png" is added. Two jobs with one output name (letter case ignored) refuse the batch.
 */
public final class OutputNames {
    static final String DEFAULT = "{name}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final List<String> KNOWN = List.of("index", "seed", "name", "prompt");

    private final String template;

    public OutputNames(String template) {
        this.template = template;
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) {
                throw new UsageException("--name: unknown placeholder {" + m.group(1) + "}; known: {index}, {seed}, "
                        + "{name}, {prompt}");
            }
        }
    }

    /** Zero padded to at least 4 digits (to more when there are more jobs). */
    static String pad(int i, int count) {
        int width = Math.max(4, String.valueOf(Math.max(0, count - 1)).length());
        return String.format(Locale.ROOT, "%0" + width + "d", i);
    }

    /** The job's own name: its "name" key, default the padded line index; "-" and the grid point when expanded. */
    static String baseName(Grid.Point p, int lines) {
        Object n = p.job().values().get("name");
        String base = n instanceof String s && !s.isBlank() ? s.trim() : pad(p.job().index(), lines);
        if (p.count() > 1) {
            int width = String.valueOf(p.count() - 1).length();
            base += "-" + String.format(Locale.ROOT, "%0" + width + "d", p.sub());
        }
        return base;
    }

    /** The stem for one job (throws IllegalArgumentException when it is not a plain file name). */
    String stem(int index, int total, String name, String seed, String prompt) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = switch (m.group(1)) {
                case "index" -> pad(index, total);
                case "seed" -> seed == null ? "noseed" : seed.trim();
                case "name" -> name;
                default -> sanitise(prompt);
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        String s = sb.toString();
        if (s.toLowerCase(Locale.ROOT).endsWith(".png")) {
            s = s.substring(0, s.length() - 4);
        }
        if (s.isEmpty() || s.startsWith(".") || s.contains("/") || s.contains("\\") || s.chars().anyMatch(c -> c < 32)
                || s.startsWith("report")) {
            throw new IllegalArgumentException("output name '" + s + "' is not a plain file name (no folders, not "
                    + "starting with '.' or 'report')");
        }
        return s;
    }

    static String sanitise(String prompt) {
        if (prompt == null) {
            return "noprompt";
        }
        String s = prompt.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("_+", "_");
        s = s.replaceAll("^[_.]+|_+$", "");
        if (s.length() > 48) {
            s = s.substring(0, 48);
        }
        return s.isEmpty() ? "prompt" : s;
    }

    /** Refuses the batch when two runnable jobs map to one file (letter case ignored, as on macOS/Windows). */
    static void checkUnique(List<Job> jobs) {
        Map<String, Job> seen = new HashMap<>();
        for (Job j : jobs) {
            if (!j.ok()) {
                continue;
            }
            Job other = seen.putIfAbsent(j.png().toLowerCase(Locale.ROOT), j);
            if (other != null) {
                throw new UsageException("two jobs write " + j.png() + " (line " + other.line() + " and line " + j.line()
                        + "): give each job its own \"name\", or a --name template with {index} or {seed}");
            }
        }
    }
}
