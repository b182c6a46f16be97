package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.model.SyntheticCheckpoint;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ij-diffusion inspect} in-process: every fixture, a model of other sizes, and bad input. */
class InspectCommandTest {
    @TempDir
    static Path dir;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void privateHashCache() {
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("$ ij-diffusion " + String.join(" ", args) + "  -> " + code + "\n" + r.out + r.err);
        return r;
    }

    static Path model(String name) {
        String p = System.getProperty("testdata.dir");
        Path root = p != null ? Paths.get(p) : Paths.get("..", "testdata");
        return root.resolve("models").resolve(name);
    }

    private static JsonObject json(String... args) {
        Result r = run(args);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    @Test
    void singleFileAndFolderInText() {
        for (String m : new String[] {"tiny-sd15.safetensors", "tiny-sd15"}) {
            Result r = run("inspect", "--model", model(m).toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Kind:       SD1.x"), r.out());
            assertTrue(r.out().contains("channel mult [1, 2, 2, 2]"), r.out());
            assertTrue(r.out().contains("Missing keys: none"), r.out());
            assertTrue(r.out().contains("Unused keys: none"), r.out());
            assertTrue(r.out().matches("(?s).*Model hash: [0-9a-f]{10}\\n.*"), r.out());
        }
    }

    @Test
    void jsonReportsEverything() {
        JsonObject o = json("inspect", "--model", model("tiny-sd15.safetensors").toString(), "--json");
        assertEquals("SD1.x", o.get("kind").getAsString());
        assertEquals(916, o.get("tensor_count").getAsInt());
        assertEquals(916, o.getAsJsonObject("dtypes").get("F16").getAsInt());
        JsonObject unet = o.getAsJsonObject("config").getAsJsonObject("unet");
        assertEquals(32, unet.get("model_channels").getAsInt());
        assertEquals(8, unet.get("heads").getAsInt());
        assertEquals("[0,1,2]", unet.get("attention_levels").toString());
        assertEquals(77, o.getAsJsonObject("config").getAsJsonObject("text_encoder").get("positions").getAsInt());
        assertEquals(10, o.get("model_hash").getAsString().length());
        assertEquals(0, o.getAsJsonArray("missing_keys").size());
        assertTrue(o.getAsJsonObject("metadata").has("tiny-sd15.safetensors"));

        JsonObject folder = json("inspect", "--model", model("tiny-sd15").toString(), "--json");
        assertEquals(4, folder.getAsJsonObject("config").getAsJsonObject("text_encoder").get("heads").getAsInt());
        assertEquals(3, folder.getAsJsonObject("metadata").size());
    }

    @Test
    void inpaintingAndControlNets() {
        JsonObject inpaint = json("inspect", "--model", model("tiny-sd15-inpaint.safetensors").toString(), "--json");
        assertEquals("SD1.x inpainting", inpaint.get("kind").getAsString());
        assertEquals(9, inpaint.getAsJsonObject("config").getAsJsonObject("unet").get("in_channels").getAsInt());
        for (String m : new String[] {"tiny-controlnet.safetensors", "tiny-controlnet"}) {
            Result r = run("inspect", "--model", model(m).toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("ControlNet for SD1.x, hint channels 3"), r.out());
            assertTrue(r.out().contains("Missing keys: none"), r.out());
        }
    }

    @Test
    void aModelOfOtherSizes() throws IOException {
        UnetConfig u = new UnetConfig(4, 4, 24, List.of(1, 2), 3, List.of(false, true), UnetConfig.SD1_HEADS, 0, 40,
                1, false);
        Path p = dir.resolve("other-size.safetensors");
        Map<String, long[]> shapes = SyntheticCheckpoint.ldmShapes(u, VaeConfig.of(32, new int[] {1, 2, 2}, 1, 4, 3),
                new ClipTextConfig(16, 1, 2, 24, 10, 300, true));
        shapes.put("model_ema.decay", new long[0]);
        SyntheticCheckpoint.write(p, shapes, DType.BF16);
        JsonObject o = json("inspect", "--model", p.toString(), "--json");
        JsonObject unet = o.getAsJsonObject("config").getAsJsonObject("unet");
        assertEquals(24, unet.get("model_channels").getAsInt());
        assertEquals("[1,2]", unet.get("channel_mult").toString());
        assertEquals(3, unet.get("res_blocks_per_level").getAsInt());
        assertEquals("[1]", unet.get("attention_levels").toString());
        assertEquals(40, unet.get("context_dim").getAsInt());
        assertEquals("[32,64,64]", o.getAsJsonObject("config").getAsJsonObject("vae").get("block_channels").toString());
        assertEquals("[\"model_ema.decay\"]", o.getAsJsonArray("unused_keys").toString());
        assertEquals(shapes.size(), o.getAsJsonObject("dtypes").get("BF16").getAsInt());
    }

    private static void assertBadInput(Result r, String part) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(part), "'" + part + "' not in " + r.err());
        assertFalse(r.err().contains("\tat "), "stack trace: " + r.err());
    }

    @Test
    void badInputGivesOneLineAndExitCode2() throws IOException {
        assertBadInput(run("inspect", "--model", dir.resolve("nope.safetensors").toString()), "not found");
        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, new byte[] {100, 0, 0, 0, 0, 0, 0, 0, '{'});
        assertBadInput(run("inspect", "--model", corrupt.toString()), corrupt.toString());
        assertBadInput(run("inspect", "--model", model("tiny-lora.safetensors").toString()), "not supported yet: LoRA");
        Path ckpt = dir.resolve("model.ckpt");
        Files.write(ckpt, new byte[] {'P', 'K', 3, 4});
        assertBadInput(run("inspect", "--model", ckpt.toString()), "pickle");
        assertBadInput(run("inspect"), "--model is required");
        assertBadInput(run("inspect", "--model"), "needs a value");
        assertBadInput(run("inspect", "--bogus"), "unknown argument");
        assertBadInput(run("frobnicate"), "unknown command");
    }

    @Test
    void helpListsCommands() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("inspect"), r.out());
        r = run("inspect", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--json"), r.out());
    }
}
