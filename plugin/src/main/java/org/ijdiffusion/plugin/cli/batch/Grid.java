package org.ijdiffusion.plugin.cli.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --grid}: a job line whose prompt, seed, cfg, steps or sampler is a list becomes one job per
 * combination (A1111's X/Y/Z plot idea). The order is fixed: the axes nest in the order
 * prompt, seed, cfg, steps, sampler, the first the slowest: prompts [A, B] x seeds [1, 2] give
 * A/1, A/2, B/1, B/2. Each point's {@code sub} is its 0-based place in that order.
 */
public final class Grid {
    /** The keys a grid may vary, outermost first. */
    public static final List<String> AXES = List.of("prompt", "seed", "cfg", "steps", "sampler");

    /** One grid point of a job line. */
    public record Point(RawJob job, int sub, int count) {
    }

    private Grid() {
    }

    /** Every job line expanded (without {@code grid}: each line as it is, one point). */
    public static List<Point> expand(List<RawJob> lines, boolean grid) {
        List<Point> out = new ArrayList<>();
        for (RawJob j : lines) {
            if (!grid || j.error() != null) {
                out.add(new Point(j, 0, 1));
                continue;
            }
            List<Map<String, Object>> points = new ArrayList<>();
            points.add(new LinkedHashMap<>());
            for (String axis : AXES) {
                Object v = j.values().get(axis);
                if (!(v instanceof List<?> list)) {
                    continue;
                }
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> p : points) {
                    for (Object value : list) {
                        Map<String, Object> q = new LinkedHashMap<>(p);
                        q.put(axis, value);
                        next.add(q);
                    }
                }
                points = next;
            }
            for (int i = 0; i < points.size(); i++) {
                out.add(new Point(j.with(points.get(i)), i, points.size()));
            }
        }
        return out;
    }
}
