package org.ijdiffusion.diffusion.hub;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The list of models that can be downloaded: {@code {"version": 1, "models": [{"name", "kind", "file",
 * "size", "sha256", "urls", "folder", "license": {"name", "url"}}, ...]}} (extra fields such as
 * {@code description} and {@code hash_confirmed_by} are read when present, others ignored). The
 * built-in one ships in the jar; {@code --catalogue FILE|URL} replaces it.
 */
public final class Catalogue {
    public static final String BUILT_IN = "models.json";
    static final int MAX_BYTES = 4 << 20;

    private final Map<String, ModelEntry> entries;
    private final String source;

    Catalogue(List<ModelEntry> list, String source) {
        Map<String, ModelEntry> byName = new LinkedHashMap<>();
        Map<String, String> byFile = new HashMap<>();
        for (ModelEntry e : list) {
            if (byName.put(e.name(), e) != null) {
                throw new CatalogueException(source + ": two entries are named '" + e.name() + "'");
            }
            String key = e.folder().key() + "/" + e.file().toLowerCase(Locale.ROOT);
            String other = byFile.put(e.file().toLowerCase(Locale.ROOT), e.name());
            if (other != null) {
                throw new CatalogueException(source + ": entries '" + other + "' and '" + e.name() + "' share the file name "
                        + e.file() + " (" + key + ")");
            }
        }
        this.entries = byName;
        this.source = source;
    }

    /** The catalogue shipped in the jar. */
    public static Catalogue builtIn() {
        try (InputStream in = Catalogue.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the built-in model catalogue " + BUILT_IN + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in catalogue");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in model catalogue: " + e.getMessage(), e);
        }
    }

    /** A catalogue file, or one downloaded from an http(s) URL with the given settings. */
    public static Catalogue load(String fileOrUrl, DownloadSettings settings) throws IOException {
        if (fileOrUrl.startsWith("https://") || fileOrUrl.startsWith("http://")) {
            byte[] body = new Http(settings).fetchSmall(fileOrUrl, MAX_BYTES);
            return parse(new String(body, StandardCharsets.UTF_8), fileOrUrl);
        }
        Path p = Path.of(fileOrUrl);
        if (!Files.isRegularFile(p)) {
            throw new DownloadException("catalogue file " + p + " not found");
        }
        if (Files.size(p) > MAX_BYTES) {
            throw new CatalogueException("catalogue file " + p + " is larger than " + MAX_BYTES + " bytes");
        }
        return parse(Files.readString(p, StandardCharsets.UTF_8), p.toString());
    }

    /** Parses and checks a catalogue; every problem is a {@link CatalogueException} naming the entry. */
    public static Catalogue parse(String json, String source) {
        JsonObject root;
        try {
            JsonElement el = JsonParser.parseString(json);
            if (!el.isJsonObject()) {
                throw new CatalogueException(source + ": not a JSON object");
            }
            root = el.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new CatalogueException(source + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (!root.has("version") || !root.get("version").isJsonPrimitive() || root.get("version").getAsInt() != 1) {
            throw new CatalogueException(source + ": unsupported catalogue version " + root.get("version") + " (this build reads version 1)");
        }
        if (!root.has("models") || !root.get("models").isJsonArray()) {
            throw new CatalogueException(source + ": no \"models\" list");
        }
        List<ModelEntry> list = new ArrayList<>();
        int i = 0;
        for (JsonElement m : root.getAsJsonArray("models")) {
            if (!m.isJsonObject()) {
                throw new CatalogueException(source + ": models[" + i + "] is not an object");
            }
            try {
                list.add(entry(m.getAsJsonObject()));
            } catch (CatalogueException e) {
                throw new CatalogueException(source + ": models[" + i + "]: " + e.getMessage());
            } catch (RuntimeException e) {
                throw new CatalogueException(source + ": models[" + i + "]: a field has the wrong type (" + e.getMessage() + ")");
            }
            i++;
        }
        return new Catalogue(list, source);
    }

    private static ModelEntry entry(JsonObject o) {
        String name = string(o, "name", true);
        JsonObject lic = o.has("license") && o.get("license").isJsonObject() ? o.getAsJsonObject("license") : null;
        if (lic == null) {
            throw new CatalogueException("entry '" + name + "': no \"license\": {\"name\", \"url\"}");
        }
        if (!o.has("size") || !o.get("size").isJsonPrimitive() || !o.get("size").getAsJsonPrimitive().isNumber()) {
            throw new CatalogueException("entry '" + name + "': no \"size\" in bytes");
        }
        return new ModelEntry(name, ModelEntry.Kind.fromKey(string(o, "kind", true)), string(o, "file", true),
                o.get("size").getAsLong(), string(o, "sha256", true), strings(o, "urls", true),
                Folder.fromKey(string(o, "folder", true)),
                new ModelEntry.License(string(lic, "name", true), string(lic, "url", true)),
                string(o, "description", false), strings(o, "hash_confirmed_by", false));
    }

    private static String string(JsonObject o, String key, boolean required) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new CatalogueException("missing \"" + key + "\"" + (o.has("name") ? " in '" + o.get("name").getAsString() + "'" : ""));
            }
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new CatalogueException("\"" + key + "\" must be a string");
        }
        return e.getAsString();
    }

    private static List<String> strings(JsonObject o, String key, boolean required) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new CatalogueException("missing \"" + key + "\" list");
            }
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw new CatalogueException("\"" + key + "\" must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : (JsonArray) e) {
            out.add(x.getAsString());
        }
        return out;
    }

    public List<ModelEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** Where it was read from, for messages. */
    public String source() {
        return source;
    }

    /** The entry named {@code name}, or an error listing the names there are. */
    public ModelEntry get(String name) {
        ModelEntry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no model named '" + name + "' in the " + source + "; known: "
                    + String.join(", ", entries.keySet()));
        }
        return e;
    }
}
