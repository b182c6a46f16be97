package org.ijdiffusion.diffusion.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * The YAML subset of the LDM / cldm config files that sit beside single-file checkpoints
 * ({@code v1-inference.yaml}, {@code cldm_v15.yaml}): nested block mappings by indentation, scalars
 * (numbers, booleans, strings, quoted or not), flow lists {@code [4, 2, 1]}, block lists of plain values
 * ({@code - 1} lines, as {@code v1-inference.yaml} writes {@code ch_mult}), comments. Anything outside that
 * subset (lists of mappings, anchors, multi-line scalars) is refused with the line number, never guessed.
 */
public final class LdmYaml {
    private final Path file;
    private final Map<String, Object> root;

    private LdmYaml(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    /** The yaml A1111 reads for {@code checkpoint} ({@code name.yaml} beside {@code name.safetensors}), or null. */
    public static LdmYaml beside(Path checkpoint) {
        Path abs = checkpoint.toAbsolutePath();
        if (Files.isDirectory(abs) || abs.getFileName() == null) {
            return null;
        }
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        for (String ext : new String[] {".yaml", ".yml"}) {
            Path y = abs.resolveSibling(base + ext);
            if (Files.isRegularFile(y)) {
                return read(y);
            }
        }
        return null;
    }

    public static LdmYaml read(Path file) {
        try {
            return parse(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static LdmYaml parse(Path file, List<String> lines) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Map<String, Object>> stack = new ArrayList<>();
        List<Integer> indents = new ArrayList<>();
        stack.add(root);
        indents.add(-1);
        String pendingKey = null;
        for (int i = 0; i < lines.size(); i++) {
            String raw = stripComment(lines.get(i));
            if (raw.isBlank() || raw.strip().equals("---")) {
                continue;
            }
            int indent = 0;
            while (indent < raw.length() && raw.charAt(indent) == ' ') {
                indent++;
            }
            String line = raw.strip();
            if (pendingKey != null && (line.startsWith("- ") || line.equals("-"))) {
                List<Object> items = new ArrayList<>();
                int at = indent;
                int j = i;
                for (; j < lines.size(); j++) {
                    String r = stripComment(lines.get(j));
                    if (r.isBlank()) {
                        continue;
                    }
                    String item = r.strip();
                    int ind = r.length() - r.stripLeading().length();
                    if (ind != at || !(item.startsWith("- ") || item.equals("-"))) {
                        break;
                    }
                    String value = item.substring(1).strip();
                    if (value.isEmpty() || keyEnd(value) >= 0 || value.startsWith("- ")) {
                        throw bad(file, j, "only lists of plain values are supported");
                    }
                    items.add(scalarOrList(file, j, value));
                }
                stack.get(stack.size() - 1).put(pendingKey, items);
                pendingKey = null;
                i = j - 1;
                continue;
            }
            if (line.startsWith("- ") || line.equals("-") || line.startsWith("&") || line.startsWith("*")
                    || line.startsWith("|") || line.startsWith(">") || raw.indexOf('\t') >= 0) {
                throw bad(file, i, "block lists, anchors, tabs and multi-line values are not supported");
            }
            if (pendingKey != null) {
                if (indent > indents.get(indents.size() - 1)) {
                    Map<String, Object> child = new LinkedHashMap<>();
                    stack.get(stack.size() - 1).put(pendingKey, child);
                    stack.add(child);
                    indents.add(indent);
                } else {
                    stack.get(stack.size() - 1).put(pendingKey, null);
                }
                pendingKey = null;
            }
            while (indent < indents.get(indents.size() - 1)) {
                stack.remove(stack.size() - 1);
                indents.remove(indents.size() - 1);
            }
            if (indent != indents.get(indents.size() - 1) && stack.size() > 1) {
                throw bad(file, i, "inconsistent indentation");
            }
            if (stack.size() == 1) {
                indents.set(0, indent);
            }
            int colon = keyEnd(line);
            if (colon < 0) {
                throw bad(file, i, "expected 'key: value'");
            }
            String key = unquote(line.substring(0, colon).strip());
            String value = line.substring(colon + 1).strip();
            if (value.isEmpty()) {
                pendingKey = key;
            } else {
                stack.get(stack.size() - 1).put(key, scalarOrList(file, i, value));
            }
        }
        if (pendingKey != null) {
            stack.get(stack.size() - 1).put(pendingKey, null);
        }
        return new LdmYaml(file, root);
    }

    private static int keyEnd(String line) {
        char q = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q != 0) {
                q = c == q ? 0 : q;
            } else if (c == '"' || c == '\'') {
                q = c;
            } else if (c == ':' && (i + 1 == line.length() || line.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    private static String stripComment(String s) {
        char q = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (q != 0) {
                q = c == q ? 0 : q;
            } else if (c == '"' || c == '\'') {
                q = c;
            } else if (c == '#' && (i == 0 || s.charAt(i - 1) == ' ')) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static Object scalarOrList(Path file, int line, String v) {
        if (v.startsWith("[")) {
            if (!v.endsWith("]")) {
                throw bad(file, line, "a list must close on its line");
            }
            List<Object> out = new ArrayList<>();
            String inner = v.substring(1, v.length() - 1).strip();
            if (!inner.isEmpty()) {
                for (String part : inner.split(",")) {
                    out.add(scalar(part.strip()));
                }
            }
            return out;
        }
        if (v.startsWith("{")) {
            throw bad(file, line, "flow mappings are not supported");
        }
        return scalar(v);
    }

    private static Object scalar(String v) {
        if (v.startsWith("\"") || v.startsWith("'")) {
            return unquote(v);
        }
        switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
            case "~":
                return null;
            default:
                break;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            // not an integer
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static ModelFileException bad(Path file, int line, String what) {
        return new ModelFileException(file + " line " + (line + 1) + ": " + what
                + " (only the plain YAML of LDM config files is read).");
    }

    public Path file() {
        return file;
    }

    /** The mapping at a dotted path such as {@code model.params.unet_config.params}, or null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String dotted) {
        Object o = root;
        for (String part : dotted.split("\\.")) {
            if (!(o instanceof Map)) {
                return null;
            }
            o = ((Map<String, Object>) o).get(part);
        }
        return o instanceof Map ? (Map<String, Object>) o : null;
    }

    /** The value at a dotted path, or null. */
    public Object get(String dotted) {
        int dot = dotted.lastIndexOf('.');
        Map<String, Object> s = dot < 0 ? root : section(dotted.substring(0, dot));
        return s == null ? null : s.get(dotted.substring(dot + 1));
    }
}
