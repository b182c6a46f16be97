package org.ijdiffusion.diffusion.hub;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One file of the catalogue: what it is, where it goes, how big it is, its SHA-256 and where it can be
 * downloaded from (a mirror list, tried in order).
 *
 * @param name           the name users type ({@code models get sd15})
 * @param kind           checkpoint, controlnet, depth preprocessor ...
 * @param file           the file name it is stored under (only {@code .safetensors} and {@code .onnx})
 * @param size           bytes
 * @param sha256         64 lower-case hex digits
 * @param urls           download URLs, tried in order
 * @param folder         the sub-folder of the models root
 * @param license        the licence the user accepts before the first download
 * @param description    one line for lists
 * @param hashConfirmedBy where the hash and size were read (two or more = confirmed from two sources)
 */
public record ModelEntry(String name, Kind kind, String file, long size, String sha256, List<String> urls,
        Folder folder, License license, String description, List<String> hashConfirmedBy) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** The only file types ever downloaded: neither can carry code (no pickle). */
    public static final List<String> ALLOWED_ENDINGS = List.of(".safetensors", ".onnx");

    public ModelEntry {
        String where = "catalogue entry '" + name + "'";
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CatalogueException("catalogue entry name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'");
        }
        if (kind == null) {
            throw new CatalogueException(where + ": no kind");
        }
        if (file == null || file.isBlank() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
            throw new CatalogueException(where + ": file must be a plain file name (got '" + file + "')");
        }
        String lower = file.toLowerCase(Locale.ROOT);
        if (ALLOWED_ENDINGS.stream().noneMatch(lower::endsWith)) {
            throw new CatalogueException(where + ": '" + file + "' is not a .safetensors or .onnx file; only those are "
                    + "ever downloaded (other formats such as .ckpt/.pt/.bin can run code when loaded)");
        }
        if (size <= 0) {
            throw new CatalogueException(where + ": size must be a positive number of bytes (got " + size + ")");
        }
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new CatalogueException(where + ": sha256 must be 64 lower-case hex digits (got '" + sha256 + "')");
        }
        if (urls == null || urls.isEmpty()) {
            throw new CatalogueException(where + ": no download URLs");
        }
        for (String u : urls) {
            if (u == null || !(u.startsWith("https://") || u.startsWith("http://"))) {
                throw new CatalogueException(where + ": URL '" + u + "' is not an http(s) URL");
            }
        }
        if (folder == null) {
            throw new CatalogueException(where + ": no folder");
        }
        if (license == null) {
            throw new CatalogueException(where + ": no license");
        }
        urls = List.copyOf(urls);
        hashConfirmedBy = hashConfirmedBy == null ? List.of() : List.copyOf(hashConfirmedBy);
        description = description == null ? "" : description;
    }

    /** Whether every URL is https (the built-in catalogue's rule). */
    public boolean httpsOnly() {
        return urls.stream().allMatch(u -> u.startsWith("https://"));
    }

    /** Whether the hash was read from two or more independent sources. */
    public boolean confirmedTwice() {
        return hashConfirmedBy.size() >= 2;
    }

    /** The licence of an entry: a name and where its text is. */
    public record License(String name, String url) {
        public License {
            if (name == null || name.isBlank()) {
                throw new CatalogueException("a license needs a name");
            }
            if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
                throw new CatalogueException("license '" + name + "' needs an http(s) url (got '" + url + "')");
            }
        }

        /** A short stable id for file names and the acceptance record. */
        public String id() {
            return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        }
    }

    /** What a file is; the catalogue's {@code kind} strings. */
    public enum Kind {
        CHECKPOINT("checkpoint"), CONTROLNET("controlnet"), DEPTH_PREPROCESSOR("depth preprocessor"),
        POSE_PREPROCESSOR("pose preprocessor"), LORA("lora"), VAE("vae"), TAESD("taesd"), EMBEDDING("embedding");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Kind fromKey(String key) {
            for (Kind k : values()) {
                if (k.key.equals(key)) {
                    return k;
                }
            }
            StringBuilder valid = new StringBuilder();
            for (Kind k : values()) {
                valid.append(valid.length() == 0 ? "" : ", ").append(k.key);
            }
            throw new CatalogueException("unknown kind '" + key + "'; valid: " + valid);
        }
    }
}
