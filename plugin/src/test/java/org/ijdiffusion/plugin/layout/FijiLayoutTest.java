package org.ijdiffusion.plugin.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Fiji update-site layout that the build writes before the tests (plugin/target/fiji: jars/ and
 * jars/linux64; the other platforms at package, checked then by {@link FijiLayoutCheck}) against the
 * rules of {@link FijiLayoutRules}, with pom-scijava's managed artifacts read from its pom; and the rules
 * themselves on layouts that break them.
 */
class FijiLayoutTest {
    private static Path fiji;
    private static BomVersions bom;
    private static List<LayoutFolder.Listed> listed;

    @BeforeAll
    static void read() throws Exception {
        fiji = Path.of(System.getProperty("ijd.fiji.dir", "target/fiji"));
        Path build = Path.of(System.getProperty("ijd.build.dir", "target"));
        bom = BomVersions.read(Path.of(System.getProperty("ijd.pom-scijava")));
        listed = LayoutFolder.readList(build.resolve("fiji-layout/dependencies.txt"));
    }

    @Test
    void theBuiltLayoutHoldsOnlyWhatFijiLacks() throws IOException {
        List<LayoutJar> jars = LayoutFolder.read(fiji, listed);
        assertEquals(List.of(), FijiLayoutRules.violations(jars, bom));
        List<String> names = jars.stream().map(LayoutJar::toString).toList();
        for (String expected : List.of("jars/ij-diffusion-engine-", "jars/ij-diffusion-controlnet-",
                "jars/ij-diffusion-preprocessors-", "jars/api-", "jars/pytorch-engine-", "jars/pytorch-jni-",
                "jars/linux64/pytorch-native-cpu-", "jars/linux64/opencv-", "jars/linux64/openblas-",
                "plugins/IJ_Diffusion-")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(expected)), expected + "* missing in " + names);
        }
        assertTrue(names.stream().noneMatch(n -> n.contains("slf4j")), "no SLF4J jar (Fiji has the API and logback): " + names);
    }

    @Test
    void thePluginJarCarriesItsMenu() throws IOException {
        Path jar;
        try (var s = Files.list(fiji.resolve("plugins"))) {
            jar = s.filter(p -> p.getFileName().toString().startsWith("IJ_Diffusion-")).findFirst().orElseThrow();
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            assertNotNull(j.getEntry("plugins.config"), jar + " has no plugins.config: ImageJ would show no menu");
        }
    }

    @Test
    void fijisCoreComesAtPomScijavasVersions() throws IOException {
        // the provided jars (what Fiji ships) the build compiles and tests against, as paths in the local repository
        Path cp = Path.of(System.getProperty("ijd.build.dir", "target"), "fiji-layout/fiji-core.classpath");
        String[] paths = Files.readString(cp).trim().split(java.io.File.pathSeparator);
        assertTrue(paths.length >= 5, "Fiji core class path: " + String.join(" ", paths));
        List<String> off = new ArrayList<>();
        int managed = 0;
        for (String p : paths) {
            Path v = Path.of(p).getParent();
            String version = v.getFileName().toString();
            String artifact = v.getParent().getFileName().toString();
            String group = v.getParent().getParent().toString();
            for (String g : candidateGroups(group)) {
                String want = bom.version(g, artifact);
                if (want != null) {
                    managed++;
                    if (!want.equals(version)) {
                        off.add(g + ":" + artifact + " " + version + " (pom-scijava: " + want + ")");
                    }
                    break;
                }
            }
        }
        assertEquals(List.of(), off);
        assertEquals(paths.length, managed, "every provided jar should be one Fiji's pom-scijava manages");
    }

    /** {@code .../repository/org/scijava} -> org.scijava, and its shorter tails (the repository root is unknown). */
    private static List<String> candidateGroups(String groupPath) {
        String[] parts = groupPath.replace('\\', '/').split("/");
        List<String> out = new ArrayList<>();
        for (int i = parts.length - 1; i >= 0; i--) {
            out.add(String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length)));
        }
        return out;
    }

    @Test
    void theRulesRefuseFijisJarsSecondVersionsStrayNativesAndLoggers() {
        List<LayoutJar> bad = List.of(
                jar("plugins", "IJ_Diffusion-1.jar", "org.ijdiffusion", "IJ_Diffusion", "1", null),
                jar("jars", "scijava-common-2.99.0.jar", "org.scijava", "scijava-common", "2.99.0", null),
                jar("jars", "slf4j-nop-2.0.17.jar", "org.slf4j", "slf4j-nop", "2.0.17", null),
                jar("jars", "api-0.35.1.jar", "ai.djl", "api", "0.35.1", null),
                jar("jars", "api-0.34.0.jar", "ai.djl", "api", "0.34.0", null),
                jar("jars", "opencv-4.8.0-1.5.9.jar", "org.bytedeco", "opencv", "4.8.0-1.5.9", null),
                jar("jars", "diffusion-1.jar", "org.ijdiffusion", "diffusion", "1", null),
                jar("jars", "pytorch-native-cpu-2.7.1-linux-x86_64.jar", "ai.djl.pytorch", "pytorch-native-cpu",
                        "2.7.1", "linux-x86_64"),
                jar("jars/win64", "openblas-0.3.26-1.5.10-linux-x86_64.jar", "org.bytedeco", "openblas",
                        "0.3.26-1.5.10", "linux-x86_64"),
                jar("jars", "README.txt", null, null, null, null));
        List<String> v = FijiLayoutRules.violations(bad, bom);
        for (String expected : List.of("jars/scijava-common-2.99.0.jar: Fiji ships org.scijava:scijava-common",
                "jars/slf4j-nop-2.0.17.jar: Fiji ships", "ai.djl:api: two versions",
                "jars/opencv-4.8.0-1.5.9.jar: org.bytedeco:opencv 4.8.0-1.5.9 is not pom-scijava's version 4.9.0-1.5.10",
                "jars/diffusion-1.jar: our jars are named ij-diffusion-*",
                "jars/pytorch-native-cpu-2.7.1-linux-x86_64.jar: a native (linux-x86_64) belongs in its platform folder",
                "jars/win64/openblas-0.3.26-1.5.10-linux-x86_64.jar: only natives classified",
                "jars/README.txt: not an artifact of the build's dependency list")) {
            assertTrue(v.stream().anyMatch(s -> s.startsWith(expected)), "expected '" + expected + "' in " + v);
        }
        assertEquals(8, v.size(), String.join("\n", v));
    }

    @Test
    void fileNamesAreMatchedToTheirArtifacts() {
        List<LayoutFolder.Listed> l = List.of(new LayoutFolder.Listed("org.bytedeco", "opencv", "4.9.0-1.5.10", null, "compile"),
                new LayoutFolder.Listed("ai.djl.pytorch", "pytorch-native-cpu", "2.7.1", "linux-x86_64", "runtime"));
        LayoutJar win = LayoutFolder.identify("jars/win64", "pytorch-native-cpu-2.7.1-win-x86_64.jar", 1, l);
        assertEquals("ai.djl.pytorch:pytorch-native-cpu", win.ga());
        assertEquals("win-x86_64", win.classifier());
        LayoutJar cv = LayoutFolder.identify("jars", "opencv-4.9.0-1.5.10.jar", 1, l);
        assertEquals("4.9.0-1.5.10", cv.version());
        assertEquals(null, cv.classifier());
        assertEquals(null, LayoutFolder.identify("jars", "opencv-4.8.0.jar", 1, l).groupId());
    }

    private static LayoutJar jar(String folder, String name, String g, String a, String v, String c) {
        return new LayoutJar(folder, name, g, a, v, c, 1);
    }
}
