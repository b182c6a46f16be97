package org.ijdiffusion.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite installed into a fake Fiji.app and started the way Fiji's launcher starts it: a child JVM whose class
 * path is only that folder's {@code jars/*}, {@code jars/linux64/*} and {@code plugins/*}.
 *
 * <p>Fiji's core in Fiji.app/jars is what Maven Central serves of it, at the versions pom-scijava manages (the
 * build writes them, with their dependencies, to target/fiji-layout/fiji-core.classpath): ImageJ 1 (ij),
 * ij1-patcher, scijava-common, parsington, javassist, gson, jna, javacpp, slf4j-api, commons-*. <b>Not on Maven
 * Central</b> (only on maven.scijava.org), hence not part of this test: net.imagej:imagej (ImageJ2),
 * imagej-legacy, imagej-common, imagej-updater, sc.fiji:fiji (the launcher and Fiji's own plugins), and
 * logback as Fiji configures it. So ImageJ 1 runs patched headless by ij1-patcher (as Fiji --headless does, see
 * HeadlessMacro), and the SciJava command runs in a plain scijava-common Context, not through imagej-legacy.
 * The suite is copied on top by {@code bin/install-into-fiji}, which refuses if it would add a second version
 * of any jar already there.
 */
class FijiLikeStartTest {
    static final Path BUILD = Paths.get(System.getProperty("ijd.build.dir", "target")).toAbsolutePath();
    static final Path TESTDATA = Paths.get(System.getProperty("testdata.dir", "../testdata")).toAbsolutePath();
    static final Path MODEL = TESTDATA.resolve("models/tiny-sd15.safetensors");

    @TempDir
    static Path tmp;
    static Path fiji;

    @BeforeAll
    static void assembleFiji() throws Exception {
        fiji = tmp.resolve("Fiji.app");
        Path jars = Files.createDirectories(fiji.resolve("jars"));
        Files.createDirectories(fiji.resolve("plugins"));
        String core = Files.readString(BUILD.resolve("fiji-layout/fiji-core.classpath"), StandardCharsets.UTF_8).trim();
        for (String jar : core.split(File.pathSeparator)) {
            Path p = Paths.get(jar);
            Files.copy(p, jars.resolve(p.getFileName()));
        }
        assertTrue(Files.exists(jars.resolve("ij-1.54p.jar")), "ImageJ 1 at pom-scijava's version in " + core);
        Path script = Paths.get(System.getProperty("user.dir")).resolve("../bin/install-into-fiji").normalize();
        Result install = exec(List.of(script.toString(), fiji.toString()), Paths.get(System.getProperty("user.dir")));
        assertEquals(0, install.code, "bin/install-into-fiji:\n" + install.out);
        assertTrue(listJars(fiji.resolve("plugins")).stream().anyMatch(n -> n.startsWith("IJ_Diffusion-")), install.out);
    }

    record Result(int code, String out) {
    }

    static List<String> listJars(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).forEach(names::add);
            }
        }
        return names;
    }

    static Result exec(List<String> command, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** A JVM as Fiji's launcher would start it: only Fiji.app's jars (and {@code extra}) on the class path. */
    static Result fijiJvm(String extra, String main, String... args) throws Exception {
        String sep = File.pathSeparator;
        String cp = fiji.resolve("jars") + File.separator + "*" + sep + fiji.resolve("jars/linux64") + File.separator
                + "*" + sep + fiji.resolve("plugins") + File.separator + "*" + (extra == null ? "" : sep + extra);
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Dplugins.dir=" + fiji, "-cp", cp, main));
        cmd.addAll(List.of(args));
        return exec(cmd, fiji);
    }

    @Test
    void textToImageThroughAMacroSavesAPngWithParameters() throws Exception {
        Path png = tmp.resolve("out/cat.png");
        Path macro = tmp.resolve("t2i.ijm");
        Files.writeString(macro, "setBatchMode(true);\n"
                + "run(\"Diffusion Settings\", \"models_root=[] checkpoints=[" + MODEL.getParent() + "] vae=[] "
                + "controlnet=[] lora=[] preprocessors=[] default_model=[tiny-sd15.safetensors] threads=0\");\n"
                + "run(\"Text to Image\", \"prompt=[a photo of a cat] width=64 height=64 steps=2 cfg_scale=7 "
                + "sampler=[Euler a] seed=3\");\n"
                + "File.makeDirectory(\"" + png.getParent() + "\");\n"
                + "run(\"Save PNG with parameters\", \"path=[" + png + "]\");\n"
                + "print(\"size=\" + getWidth() + \"x\" + getHeight());\n");
        Result r = fijiJvm(null, "org.ijdiffusion.plugin.ij.HeadlessMacro", fiji.resolve("plugins").toString(),
                macro.toString());
        assertEquals(0, r.code, r.out);
        assertTrue(r.out.contains("size=64x64"), r.out);
        assertTrue(Files.isRegularFile(png), "no PNG written:\n" + r.out);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(64, img.getWidth());
        assertEquals(64, img.getHeight());
        String text = new String(Files.readAllBytes(png), StandardCharsets.ISO_8859_1);
        int at = text.indexOf("parameters\0");
        assertTrue(at >= 0, "no 'parameters' text chunk in " + png);
        assertTrue(text.indexOf("Steps: 2, Sampler: Euler a", at) > 0, "parameters without the steps and sampler");
        assertTrue(text.indexOf("Seed: 3", at) > 0, "parameters without the seed");
    }

    @Test
    void sciJavaCommandRunsThroughACommandService() throws Exception {
        // only the launcher class from the test classes, in a folder of its own
        Path launcher = tmp.resolve("launcher");
        String rel = FijiLikeCommandMain.class.getName().replace('.', '/') + ".class";
        Path target = Files.createDirectories(launcher.resolve(rel).getParent()).resolve(Paths.get(rel).getFileName());
        Files.copy(BUILD.resolve("test-classes").resolve(rel), target, StandardCopyOption.REPLACE_EXISTING);
        Path png = tmp.resolve("scijava.png");
        Result r = fijiJvm(launcher.toString(), FijiLikeCommandMain.class.getName(), MODEL.toString(), png.toString());
        assertEquals(0, r.code, r.out);
        assertTrue(r.out.contains("command=org.ijdiffusion.plugin.scijava.TextToImageCommand"), r.out);
        assertTrue(r.out.contains("parameters=a cat|Steps: 2, Sampler: Euler a"), r.out);
        assertTrue(r.out.contains("Seed: 7"), r.out);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(64, img.getWidth());
        assertEquals(64, img.getHeight());
        int first = img.getRGB(0, 0);
        boolean varies = false;
        for (int y = 0; y < 64 && !varies; y++) {
            for (int x = 0; x < 64 && !varies; x++) {
                varies = img.getRGB(x, y) != first;
            }
        }
        assertTrue(varies, "a single-colour picture");
    }
}
