package org.ijdiffusion.plugin.cli.batch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a jobs file: JSON Lines ({@code .jsonl}, one JSON object a line; blank lines skipped) or CSV
 * ({@code .csv}, a header row of option names; a name given in several columns is a repeated option, in
 * column order; a header column that is not a job key refuses the file, naming it). A line that
 * cannot be read becomes a job that fails with the reason; the other lines still run.
 */
public final class JobFile {
    private JobFile() {
    }

    /** Every job line of {@code file}, in file order. */
    public static List<RawJob> read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return jsonLines(text);
        }
        if (name.endsWith(".csv")) {
            return csv(text);
        }
        throw new IllegalArgumentException("--jobs " + file + ": give a .jsonl (JSON Lines) or .csv file");
    }

    static List<RawJob> jsonLines(String text) {
        List<RawJob> jobs = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int index = jobs.size();
            try {
                jobs.add(new RawJob(i + 1, index, object(lines[i]), null));
            } catch (JsonParseException | IllegalArgumentException e) {
                jobs.add(RawJob.failed(i + 1, index, "line " + (i + 1) + ": " + message(e)));
            }
        }
        return jobs;
    }

    private static String message(RuntimeException e) {
        String m = e.getMessage();
        if (e instanceof JsonParseException) {
            Throwable c = e.getCause();
            m = "not a JSON object (" + (c != null && c.getMessage() != null ? c.getMessage() : m) + ")";
        }
        return m;
    }

    private static Map<String, Object> object(String line) {
        JsonReader r = new JsonReader(new StringReader(line));
        r.setLenient(false);
        JsonElement el = JsonParser.parseReader(r);
        if (!el.isJsonObject()) {
            throw new IllegalArgumentException("a job line must be a JSON object {\"prompt\": ..., \"seed\": ...}");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : el.getAsJsonObject().entrySet()) {
            out.put(e.getKey(), value(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static Object value(String key, JsonElement v) {
        if (v.isJsonPrimitive()) {
            return scalar(key, v.getAsJsonPrimitive());
        }
        if (v.isJsonArray()) {
            JsonArray a = v.getAsJsonArray();
            if (a.isEmpty()) {
                throw new IllegalArgumentException("\"" + key + "\" is an empty list");
            }
            if (a.get(0).isJsonObject()) {
                List<Map<String, Object>> units = new ArrayList<>();
                for (JsonElement u : a) {
                    if (!u.isJsonObject()) {
                        throw new IllegalArgumentException("\"" + key + "\" mixes objects and values");
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (Map.Entry<String, JsonElement> e : u.getAsJsonObject().entrySet()) {
                        if (!e.getValue().isJsonPrimitive()) {
                            throw new IllegalArgumentException("\"" + key + "\"." + e.getKey() + " must be a value");
                        }
                        m.put(e.getKey(), scalar(e.getKey(), e.getValue().getAsJsonPrimitive()));
                    }
                    units.add(m);
                }
                return units;
            }
            List<String> list = new ArrayList<>();
            for (JsonElement e : a) {
                if (!e.isJsonPrimitive()) {
                    throw new IllegalArgumentException("\"" + key + "\" must be a list of values");
                }
                Object s = scalar(key, e.getAsJsonPrimitive());
                if (s instanceof Boolean) {
                    throw new IllegalArgumentException("\"" + key + "\": a list of true/false is not an option value");
                }
                list.add((String) s);
            }
            return list;
        }
        if (v.isJsonNull()) {
            throw new IllegalArgumentException("\"" + key + "\" is null (leave the key out for the default)");
        }
        JsonObject o = v.getAsJsonObject();
        throw new IllegalArgumentException("\"" + key + "\" is an object " + o + "; give a value or a list");
    }

    /** Strings as they are, numbers as written (7 stays "7", 7.50 stays "7.50"), booleans as switches. */
    private static Object scalar(String key, JsonPrimitive p) {
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        return p.getAsString();
    }

    static List<RawJob> csv(String text) {
        List<List<String>> rows = Csv.rows(text);
        List<RawJob> jobs = new ArrayList<>();
        if (rows.isEmpty()) {
            return jobs;
        }
        List<String> header = rows.get(0);
        for (int c = 0; c < header.size(); c++) {
            String key = header.get(c).trim();
            if (key.isEmpty()) {
                continue; // an unnamed column: a row with a value there fails ("unknown key")
            }
            if (JobArgs.REFUSED.containsKey(key)) {
                throw new IllegalArgumentException("the CSV header's column " + (c + 1) + " \"" + key + "\" is not for "
                        + "batch jobs: " + JobArgs.REFUSED.get(key));
            }
            if (!JobArgs.known(key)) {
                throw new IllegalArgumentException("the CSV header's column " + (c + 1) + " \"" + key + "\" is not a "
                        + "generate option (columns are generate's long options without the dashes, and \"name\"; "
                        + "see ij-diffusion generate --help)");
            }
        }
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int index = jobs.size();
            if (row.stream().allMatch(String::isBlank)) {
                continue;
            }
            if (row.size() > header.size()) {
                jobs.add(RawJob.failed(r + 1, index, "row " + (r + 1) + " has " + row.size() + " cells, the header "
                        + header.size()));
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            List<Map<String, Object>> units = new ArrayList<>();
            String error = null;
            for (int c = 0; c < row.size() && error == null; c++) {
                String key = header.get(c).trim();
                String cell = row.get(c);
                if (cell.isEmpty()) {
                    continue; // the option's default
                }
                if (key.equals("control")) {
                    units.add(new LinkedHashMap<>(Map.of("control", cell)));
                } else if (key.startsWith("control-") || key.startsWith("preprocessor")) {
                    if (units.isEmpty()) {
                        error = "row " + (r + 1) + ": column " + key + " must follow a control column";
                    } else {
                        units.get(units.size() - 1).put(key, cell);
                    }
                } else if (values.containsKey(key)) {
                    Object old = values.get(key);
                    List<String> list = old instanceof List<?> l ? castStrings(l) : new ArrayList<>(List.of((String) old));
                    list.add(cell);
                    values.put(key, list);
                } else {
                    values.put(key, cell);
                }
            }
            if (!units.isEmpty()) {
                values.put("control", units);
            }
            jobs.add(error != null ? RawJob.failed(r + 1, index, error) : new RawJob(r + 1, index, values, null));
        }
        return jobs;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castStrings(List<?> l) {
        return new ArrayList<>((List<String>) l);
    }
}
