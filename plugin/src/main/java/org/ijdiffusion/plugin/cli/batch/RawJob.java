package org.ijdiffusion.plugin.cli.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a jobs file as read, before it is checked: its keys in file order, each value a
 * {@code String}, a {@code Boolean} (a switch), a {@code List<String>} (a list: a repeatable option,
 * or a grid axis) or, for {@code control}, a {@code List<Map<String,Object>>} (one map per ControlNet
 * unit). {@code error} is set when the line could not be read at all (then values is empty).
 *
 * @param line the 1-based line of the file (for messages)
 * @param index the 0-based job line index (blank lines do not count)
 */
public record RawJob(int line, int index, Map<String, Object> values, String error) {
    public RawJob {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static RawJob failed(int line, int index, String error) {
        return new RawJob(line, index, Map.of(), error);
    }

    /** A copy with some values replaced (a grid point). */
    RawJob with(Map<String, Object> replaced) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.putAll(replaced);
        return new RawJob(line, index, v, error);
    }

    static boolean isList(Object v) {
        return v instanceof List<?>;
    }
}
