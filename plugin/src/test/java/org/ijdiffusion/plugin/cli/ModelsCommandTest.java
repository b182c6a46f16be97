package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ijdiffusion.diffusion.hub.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ij-diffusion models ...} against a catalogue of tiny files served on 127.0.0.1. */
class ModelsCommandTest {
    @TempDir
    Path tmp;
    TestServer server;
    Path catalogue;
    Path models;
    byte[] lora = TestServer.data(40_000, 51);
    byte[] depth = TestServer.data(30_000, 52);
    String out;
    String err;

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        server.route("/lora.safetensors", server.file(lora)).route("/depth.onnx", server.file(depth));
        models = tmp.resolve("models");
        catalogue = tmp.resolve("catalogue.json");
        writeCatalogue(sha(lora));
    }

    void writeCatalogue(String loraSha) throws Exception {
        Files.writeString(catalogue, "{\"version\": 1, \"models\": ["
                + entry("tiny-lora", "lora", "tiny-lora.safetensors", lora.length, loraSha, "/lora.safetensors", "loras",
                        "Test OpenRAIL")
                + ", " + entry("tiny-depth", "depth preprocessor", "tiny-depth.onnx", depth.length, sha(depth), "/depth.onnx",
                        "preprocessors", "Apache-2.0")
                + "]}");
    }

    String entry(String name, String kind, String file, long size, String sha, String path, String folder, String lic) {
        return "{\"name\": \"" + name + "\", \"kind\": \"" + kind + "\", \"file\": \"" + file + "\", \"size\": " + size
                + ", \"sha256\": \"" + sha + "\", \"urls\": [\"" + server.url(path) + "\"], \"folder\": \"" + folder
                + "\", \"license\": {\"name\": \"" + lic + "\", \"url\": \"https://example.org/" + lic.replace(' ', '-') + "\"}}";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    int run(String... args) {
        return run(null, args);
    }

    int run(ModelsCommand cmd, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--catalogue", catalogue.toString(), "--models-dir", models.toString()));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
                PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            if (cmd == null) {
                code = Main.run(all.toArray(String[]::new), po, pe);
            } else {
                try {
                    code = cmd.run(all.subList(1, all.size()), po, pe);
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            }
        }
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void getDownloadsIntoTheLayoutsFoldersWithTheLicenceBeside() throws Exception {
        assertEquals(0, run("models", "get", "tiny-lora", "tiny-depth", "--accept-license"), err);
        assertArrayEquals(lora, Files.readAllBytes(models.resolve("loras/tiny-lora.safetensors")));
        assertArrayEquals(depth, Files.readAllBytes(models.resolve("preprocessors/tiny-depth.onnx")));
        assertTrue(Files.readString(models.resolve("loras/tiny-lora.safetensors.license.txt")).contains("Test OpenRAIL"));
        assertTrue(out.contains("accepted by --accept-license"), out);
        assertTrue(out.contains("downloaded: " + models.resolve("loras/tiny-lora.safetensors")), out);
        assertTrue(out.contains("100%"), "plain progress lines when not on a terminal: " + out);
        assertFalse(out.contains("\r"), "no carriage returns when not on a terminal");
        // again: nothing is fetched
        int before = server.log.size();
        assertEquals(0, run("models", "get", "tiny-lora"), err);
        assertTrue(out.contains("already installed"), out);
        assertEquals(before, server.log.size());
    }

    @Test
    void listShowsWhatIsInstalledAndWhereExplainsTheFolder() throws Exception {
        assertEquals(0, run("models", "list"), err);
        assertTrue(out.contains("tiny-lora") && out.contains("depth preprocessor"), out);
        run("models", "get", "tiny-depth", "--accept-license");
        assertEquals(0, run("models", "list"), err);
        String depthLine = out.lines().filter(l -> l.startsWith("tiny-depth")).findFirst().orElseThrow();
        assertTrue(depthLine.contains("installed"), depthLine);
        assertEquals(0, run("models", "where"), err);
        assertTrue(out.contains("models folder: " + models) && out.contains("comfyui"), out);
        Files.createDirectories(models.resolve("Stable-diffusion"));
        run("models", "where");
        assertTrue(out.contains("a1111") && out.contains(models.resolve("Lora").toString()), out);
    }

    @Test
    void aLicenceNotAcceptedWithoutATerminalIsOneLineAndExit2() throws Exception {
        assertEquals(2, run("models", "get", "tiny-lora"));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("must be accepted first") && err.contains("--accept-license"), err);
        assertTrue(server.log.isEmpty());
    }

    @Test
    void theLicenceIsAskedOnceAndAnsweredOnTheConsole() throws Exception {
        ModelsCommand asking = new ModelsCommand(new BufferedReader(new StringReader("yes\n")));
        assertEquals(0, run(asking, "models", "get", "tiny-lora"), err);
        assertTrue(out.contains("Do you accept the licence 'Test OpenRAIL'"), out);
        ModelsCommand declining = new ModelsCommand(new BufferedReader(new StringReader("no\n")));
        assertEquals(2, run("models", "get", "tiny-depth"), "Apache-2.0 was never accepted");
        assertEquals(0, run(declining, "models", "get", "tiny-lora"), "accepted before: not asked again");
        assertFalse(out.contains("Do you accept"), out);
    }

    @Test
    void aWrongHashIsExit2WithOneLineAndNoFileLeft() throws Exception {
        writeCatalogue(sha(depth));
        assertEquals(2, run("models", "get", "tiny-lora", "--accept-license", "--retries", "0"));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("ij-diffusion models: ") && err.contains("SHA-256 mismatch"), err);
        assertFalse(Files.exists(models.resolve("loras/tiny-lora.safetensors")));
        assertFalse(Files.exists(models.resolve("loras/tiny-lora.safetensors.part")));
    }

    @Test
    void verifyNamesTheFileThatDiffers() throws Exception {
        assertEquals(0, run("models", "get", "tiny-lora", "tiny-depth", "--accept-license"), err);
        assertEquals(0, run("models", "verify"), err);
        assertEquals(2, out.lines().filter(l -> l.startsWith("ok")).count(), out);
        Path f = models.resolve("preprocessors/tiny-depth.onnx");
        byte[] b = Files.readAllBytes(f);
        b[0] ^= 1;
        Files.write(f, b);
        assertEquals(2, run("models", "verify"));
        assertTrue(out.contains("DIFFERS  tiny-depth"), out);
        assertTrue(err.contains("1 of 2") && err.contains("tiny-depth") && !err.contains("tiny-lora"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void badInputIsExit2WithOneLine() throws Exception {
        assertEquals(2, run("models", "get", "nope", "--accept-license"));
        assertTrue(err.contains("no model named 'nope'") && err.contains("tiny-lora"), err);
        assertEquals(2, run("models", "fetch"));
        assertTrue(err.contains("list, get, verify, where"), err);
        assertEquals(2, run("models", "get"));
        Files.writeString(catalogue, "{\"version\": 1, \"models\": [" + entry("x", "checkpoint", "x.ckpt", 10, sha(lora),
                "/x.ckpt", "checkpoints", "L") + "]}");
        assertEquals(2, run("models", "list"));
        assertTrue(err.contains("not a .safetensors or .onnx"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void aCatalogueCanComeFromAUrl() throws Exception {
        server.route("/catalogue.json", server.file(Files.readAllBytes(catalogue)));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"models", "get", "tiny-depth", "--accept-license", "--catalogue",
                server.url("/catalogue.json"), "--models-dir", models.toString()},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code, o.toString(StandardCharsets.UTF_8));
        assertArrayEquals(depth, Files.readAllBytes(models.resolve("preprocessors/tiny-depth.onnx")));
    }

    @Test
    void onATerminalProgressIsOneRewrittenLineWithRateAndEta() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(o, true, StandardCharsets.UTF_8);
        ModelsCommand.ProgressPrinter p = new ModelsCommand.ProgressPrinter(ps, true);
        org.ijdiffusion.diffusion.hub.ModelEntry e = org.ijdiffusion.diffusion.hub.Catalogue.builtIn().get("sd15");
        p.progress(e, 1_066_348_381L, e.size(), 25e6);
        p.progress(e, e.size(), e.size(), 25e6);
        p.status("done");
        String s = o.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\rv1-5-pruned-emaonly-fp16.safetensors  1.07 GB / 2.13 GB  50%  25.0 MB/s  ETA 0:43"), s);
        assertTrue(s.contains("\rv1-5-pruned-emaonly-fp16.safetensors  2.13 GB / 2.13 GB  100%  25.0 MB/s  ETA 0:00"), s);
        assertTrue(s.endsWith(System.lineSeparator() + "done" + System.lineSeparator()), "a status ends the progress line: " + s);
    }

    @Test
    void theBuiltInCatalogueListsWithoutTheNetwork() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"models", "list", "--models-dir", tmp.resolve("empty").toString()},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code);
        String s = o.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("sd15") && s.contains("controlnet-openpose") && s.contains("checkpoints/v1-5-pruned-emaonly-fp16.safetensors"), s);
    }
}
