package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.model.ModelHash;
import org.ijdiffusion.diffusion.text.ClipTokenizer;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate --lora FILE:W} and {@code <lora:name:w>} with {@code --lora-dir}: the lora0.7_ddim job
 * through the command line gives the reference's PNG (within one level) both ways, and the infotext
 * lists the LoRA's hash; {@code --embeddings-dir} with an embedding made of two words' token vectors.
 */
class LoraOptionsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void privateHashCache() {
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
    }

    private static final Path LORA = InspectCommandTest.model("tiny-lora.safetensors");

    @Test
    void parsesFileAndMultipliers() {
        LoraSpec one = LoraOptions.parse(LORA + ":0.7");
        assertEquals(new LoraSpec(LORA, "tiny-lora", 0.7, 0.7), one);
        assertEquals(new LoraSpec(LORA, "tiny-lora", 1.0, 0.5), LoraOptions.parse(LORA + ":0.5:1"));
        assertEquals(new LoraSpec(LORA, "tiny-lora", 1.0, 1.0), LoraOptions.parse(LORA.toString()));
        UsageException e = assertThrows(UsageException.class, () -> LoraOptions.parse("nope.safetensors:0.7"));
        assertTrue(e.getMessage().contains("no file nope.safetensors"), e.getMessage());
    }

    private static List<String> job(Path out, String prompt, String... extra) {
        List<String> a = new ArrayList<>(List.of("generate", "--model", InspectCommandTest.model("tiny-sd15.safetensors").toString(),
                "--prompt", prompt, "--negative", "blurry, low quality", "--width", "64", "--height", "64",
                "--steps", "8", "--cfg", "7.5", "--seed", "42", "--sampler", "ddim", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private static int[] pixels(Path png) throws Exception {
        BufferedImage i = ImageIO.read(png.toFile());
        return i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth());
    }

    @Test
    void fileOptionAndPromptTagGiveTheGoldenImage() throws Exception {
        Path a = dir.resolve("a.png");
        InspectCommandTest.Result r = InspectCommandTest.run(job(a, "a photo of a cat", "--lora", LORA + ":0.7")
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("LoRA tiny-lora"), r.err());
        String hash = hashAfterHeader(LORA);
        assertTrue(PngFiles.readParameters(a).contains("Lora hashes: \"tiny-lora: " + hash + "\""),
                PngFiles.readParameters(a));

        Path b = dir.resolve("b.png");
        r = InspectCommandTest.run(job(b, "a photo of a cat <lora:tiny-lora:0.7>", "--lora-dir",
                LORA.getParent().toString()).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(pixels(a), pixels(b), "the tag and the option merge the same LoRA");

        Path golden = LORA.getParent().resolve("../golden/pipelines/lora0.7_ddim/image.png").normalize();
        int[] g = pixels(golden);
        int[] p = pixels(a);
        int worst = 0;
        for (int i = 0; i < g.length; i++) {
            for (int s = 0; s < 24; s += 8) {
                worst = Math.max(worst, Math.abs(((g[i] >> s) & 255) - ((p[i] >> s) & 255)));
            }
        }
        System.out.println("generate --lora vs golden lora0.7_ddim PNG: max " + worst + " levels");
        assertTrue(worst <= 1, worst + " levels");
    }

    @Test
    void embeddingsDirExpandsEmbeddingsAndListsTheirHashes() throws Exception {
        Path emb = dir.resolve("embeddings");
        Files.createDirectories(emb);
        Path ti = emb.resolve("mycat.safetensors");
        try (SafetensorsFile m = SafetensorsFile.open(InspectCommandTest.model("tiny-sd15.safetensors"))) {
            float[] table = m.floats("cond_stage_model.transformer.text_model.embeddings.token_embedding.weight");
            int hidden = 32;
            float[] rows = new float[2 * hidden];
            ClipTokenizer tok = ClipTokenizer.standard();
            System.arraycopy(table, tok.encode("photo")[0] * hidden, rows, 0, hidden);
            System.arraycopy(table, tok.encode("cat")[0] * hidden, rows, hidden, hidden);
            new SafetensorsWriter().addFloats("emb_params", DType.F32, new long[] {2, hidden}, rows).write(ti);
        }
        Path a = dir.resolve("words.png");
        Path b = dir.resolve("embedding.png");
        assertEquals(0, InspectCommandTest.run(job(a, "a photo cat").toArray(String[]::new)).code());
        InspectCommandTest.Result r = InspectCommandTest.run(job(b, "a mycat", "--embeddings-dir", emb.toString())
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(pixels(a), pixels(b), "the embedding's vectors are the words'");
        String hash = ModelHash.fullHash(ti).substring(0, 12);
        assertTrue(PngFiles.readParameters(b).contains("TI hashes: \"mycat: " + hash + "\""), PngFiles.readParameters(b));
    }

    @Test
    void unknownOrMissingLorasAreClearErrors() {
        Path out = dir.resolve("x.png");
        InspectCommandTest.Result r = InspectCommandTest.run(job(out, "a cat <lora:tiny-lroa:1>", "--lora-dir",
                LORA.getParent().toString()).toArray(String[]::new));
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("Unknown LoRA 'tiny-lroa'") && r.err().contains("Did you mean: tiny-lora"), r.err());
        r = InspectCommandTest.run(job(out, "a cat <lora:tiny-lora:1>").toArray(String[]::new));
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--lora-dir"), r.err());
        r = InspectCommandTest.run(job(out, "a cat <lora:tiny-lora:1>", "--lora", LORA.toString(), "--lora-dir",
                LORA.getParent().toString()).toArray(String[]::new));
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("given twice"), r.err());
        assertTrue(!Files.exists(out));
    }

    /** A1111's LoRA hash computed here independently: SHA-256 of the bytes after the header. */
    private static String hashAfterHeader(Path p) throws Exception {
        byte[] all = Files.readAllBytes(p);
        long n = java.nio.ByteBuffer.wrap(all, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        md.update(all, (int) (8 + n), all.length - (int) (8 + n));
        return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 12);
    }
}
