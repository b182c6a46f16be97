package org.ijdiffusion.diffusion.text;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer (the SD 1.x text encoder's), ported from the published algorithm.
 *
 * <p>Steps: {@link ClipTextCleanup} (what the reference {@code CLIPTokenizer} does when the
 * {@code ftfy} package is absent: control characters removed, whitespace collapsed, spaces around CJK
 * ideographs, NFC, lower case); CLIP's regex pre-split; each piece's UTF-8 bytes mapped to the 256
 * "byte characters"; BPE merges by rank from {@code merges.txt} with {@code </w>} on the last symbol.
 * <b>No ftfy</b>: mojibake repair and HTML unescaping are not done, so text that ftfy would change
 * (and CJK text, which ftfy-based cleanup does not split per ideograph) can give other ids than an
 * ftfy-based tokenizer; ordinary prompts give identical ids.
 *
 * <p>Thread-safe; one shared instance from {@link #standard()}.
 */
public final class ClipTokenizer {
    /** {@code <|startoftext|>}. */
    public static final int BOS = 49406;
    /** {@code <|endoftext|>}, also the padding id SD uses. */
    public static final int EOS = 49407;
    public static final int PAD = EOS;

    private static final String RESOURCE_DIR = "/org/ijdiffusion/diffusion/text/clip/";
    private static final Pattern SPLIT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final int CACHE_LIMIT = 50_000;
    private static volatile ClipTokenizer standard;

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> mergeRanks;
    private final String[] byteChars = byteCharacters();
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /** Builds a tokenizer from a {@code vocab.json} (token to id) and a {@code merges.txt}. */
    public ClipTokenizer(Reader vocabJson, Reader mergesTxt) throws IOException {
        Map<String, Integer> v = new Gson().fromJson(vocabJson, new TypeToken<Map<String, Integer>>() { }.getType());
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("The CLIP vocabulary is empty");
        }
        this.vocab = v;
        this.mergeRanks = new HashMap<>();
        BufferedReader r = new BufferedReader(mergesTxt);
        String line;
        int rank = 0;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("#version") || line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            if (parts.length != 2) {
                throw new IllegalArgumentException("Bad line in merges.txt: '" + line + "'");
            }
            mergeRanks.putIfAbsent(parts[0] + " " + parts[1], rank++);
        }
    }

    /** The tokenizer of the bundled standard CLIP vocabulary (openai/clip-vit-large-patch14). */
    public static ClipTokenizer standard() {
        ClipTokenizer t = standard;
        if (t == null) {
            synchronized (ClipTokenizer.class) {
                t = standard;
                if (t == null) {
                    try (Reader v = resource("vocab.json"); Reader m = resource("merges.txt")) {
                        t = new ClipTokenizer(v, m);
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot read the bundled CLIP vocabulary", e);
                    }
                    standard = t;
                }
            }
        }
        return t;
    }

    private static Reader resource(String name) {
        InputStream in = ClipTokenizer.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IllegalStateException("Bundled CLIP file " + RESOURCE_DIR + name + " is missing from the jar");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    /** Token ids of {@code text}, without BOS/EOS and without truncation. */
    public int[] encode(String text) {
        String clean = ClipTextCleanup.clean(text);
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        Matcher m = SPLIT.matcher(clean);
        while (m.find()) {
            int[] ids = encodePiece(m.group());
            parts.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int pos = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /** BOS + ids + EOS, padded with {@link #PAD} (ids beyond {@code length - 2} are dropped). */
    public int[] encodePadded(String text, int length) {
        int[] ids = encode(text);
        int n = Math.min(ids.length, length - 2);
        int[] out = new int[length];
        java.util.Arrays.fill(out, PAD);
        out[0] = BOS;
        System.arraycopy(ids, 0, out, 1, n);
        out[n + 1] = EOS;
        return out;
    }

    /** The id of one vocabulary entry (e.g. {@code ",</w>"}), or -1. */
    public int idOf(String token) {
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    private int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        int[] ids;
        Integer special = piece.startsWith("<|") ? vocab.get(piece) : null;
        if (special != null) {
            ids = new int[] {special};
        } else {
            List<String> symbols = bpe(byteEncode(piece));
            ids = new int[symbols.size()];
            for (int i = 0; i < ids.length; i++) {
                Integer id = vocab.get(symbols.get(i));
                if (id == null) {
                    throw new IllegalStateException("BPE symbol '" + symbols.get(i) + "' is not in the vocabulary");
                }
                ids[i] = id;
            }
        }
        if (cache.size() < CACHE_LIMIT) {
            cache.put(piece, ids);
        }
        return ids;
    }

    /** The piece's UTF-8 bytes as byte characters, one symbol each, the last one with {@code </w>}. */
    private List<String> byteEncode(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        List<String> symbols = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            symbols.add(byteChars[b & 0xff]);
        }
        int last = symbols.size() - 1;
        symbols.set(last, symbols.get(last) + "</w>");
        return symbols;
    }

    /** Repeatedly merges the adjacent pair of lowest rank (all its occurrences, left to right). */
    private List<String> bpe(List<String> word) {
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer rank = mergeRanks.get(word.get(i) + " " + word.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            int i = 0;
            while (i < word.size()) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(word.get(i));
                    i++;
                }
            }
            word = merged;
        }
        return word;
    }

    /**
     * GPT-2/CLIP's reversible byte to character table: printable Latin-1 bytes map to themselves,
     * the others (in byte order) to U+0100 onwards.
     */
    private static String[] byteCharacters() {
        String[] table = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = String.valueOf((char) (printable ? b : next++));
        }
        return table;
    }
}
