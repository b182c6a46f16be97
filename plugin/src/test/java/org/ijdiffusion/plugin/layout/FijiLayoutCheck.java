package org.ijdiffusion.plugin.layout;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The build's check of the whole Fiji layout (all platforms), run by maven-antrun at package:
 * {@code FijiLayoutCheck FIJI_DIR POM_SCIJAVA.pom DEPENDENCY_LIST}. Prints the jars with their sizes per
 * folder; exit code 1 with one line per broken rule ({@link FijiLayoutRules}).
 */
public final class FijiLayoutCheck {
    private FijiLayoutCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        BomVersions bom = BomVersions.read(Path.of(args[1]));
        List<LayoutJar> jars = LayoutFolder.read(dir, LayoutFolder.readList(Path.of(args[2])));
        String folder = "";
        long total = 0;
        for (LayoutJar j : jars) {
            if (!j.folder().equals(folder)) {
                folder = j.folder();
                System.out.println("Fiji layout " + folder + "/");
            }
            System.out.printf(Locale.ROOT, "  %-52s %8.1f MB%n", j.fileName(), j.bytes() / 1e6);
            total += j.bytes();
        }
        System.out.printf(Locale.ROOT, "Fiji layout: %d files, %.1f MB in %s%n", jars.size(), total / 1e6, dir);
        List<String> broken = FijiLayoutRules.violations(jars, bom);
        for (String b : broken) {
            System.err.println("Fiji layout: " + b);
        }
        System.exit(broken.isEmpty() ? 0 : 1);
    }
}
