package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/** Every prompt of the tokenizer golden (reference CLIPTokenizer without ftfy), both forms. */
class ClipTokenizerTest {
    private static final Path DIR = TestData.golden().resolve("components");

    @Test
    void reproducesEveryGoldenIdList() throws Exception {
        JsonObject golden = JsonParser.parseString(
                Files.readString(DIR.resolve("tokenizer.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        ClipTokenizer tok = ClipTokenizer.standard();
        int checked = 0;
        try (SafetensorsFile st = SafetensorsFile.open(DIR.resolve("tokenizer.safetensors"))) {
            for (JsonElement e : golden.getAsJsonArray("prompts")) {
                JsonObject p = e.getAsJsonObject();
                int index = p.get("index").getAsInt();
                String prompt = p.get("prompt").getAsString();
                int[] full = withBosEos(tok.encode(prompt));
                int[] padded = tok.encodePadded(prompt, 77);
                assertArrayEquals(ints(p.getAsJsonArray("ids_full")), full, "ids_full of " + index + ": " + prompt);
                assertArrayEquals(ints(p.getAsJsonArray("ids_77")), padded, "ids_77 of " + index + ": " + prompt);
                String nn = String.format("%02d", index);
                assertArrayEquals(toLongs(full), st.longs("ids_full_" + nn), "tokenizer.safetensors ids_full_" + nn);
                assertArrayEquals(toLongs(padded), st.longs("ids_77_" + nn), "tokenizer.safetensors ids_77_" + nn);
                checked++;
            }
        }
        assertEquals(16, checked);
        System.out.println("ClipTokenizer: " + checked + " golden prompts, ids_full and ids_77 identical (max |diff| 0)");
    }

    @Test
    void commaTokenAndSpecialIds() {
        ClipTokenizer tok = ClipTokenizer.standard();
        assertEquals(267, tok.idOf(",</w>"));
        assertEquals(ClipTokenizer.BOS, tok.idOf("<|startoftext|>"));
        assertEquals(ClipTokenizer.EOS, tok.idOf("<|endoftext|>"));
        assertArrayEquals(new int[0], tok.encode("   "));
    }

    static int[] withBosEos(int[] ids) {
        int[] out = new int[ids.length + 2];
        out[0] = ClipTokenizer.BOS;
        System.arraycopy(ids, 0, out, 1, ids.length);
        out[out.length - 1] = ClipTokenizer.EOS;
        return out;
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static long[] toLongs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
