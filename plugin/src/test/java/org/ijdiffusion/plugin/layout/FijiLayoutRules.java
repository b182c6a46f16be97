package org.ijdiffusion.plugin.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a Fiji update site of ours may hold, as rules over the layout's jars:
 * <ul>
 * <li>no jar of an artifact that Fiji's pom-scijava manages (Fiji ships those: a second copy, of another
 * version or the same, breaks or shadows Fiji's), except the few managed artifacts that core Fiji does not
 * ship ({@link #MANAGED_NOT_IN_FIJI_CORE}), which must then be at the BOM's version;</li>
 * <li>no two versions of one artifact, and no artifact twice;</li>
 * <li>natives (classifier jars) only in the Fiji platform folder of their classifier, never flat in jars/;</li>
 * <li>our own jars named so they cannot clash: {@code ij-diffusion-*} in jars/, one {@code IJ_Diffusion-*} in
 * plugins/.</li>
 * </ul>
 */
public final class FijiLayoutRules {
    /** Fiji's platform folders (imagej-updater's platform names) and the classifiers that belong in each. */
    public static final Map<String, Set<String>> PLATFORM_CLASSIFIERS = Map.of(
            "linux64", Set.of("linux-x86_64"),
            "linux-arm64", Set.of("linux-aarch64", "linux-arm64"),
            "win64", Set.of("win-x86_64", "windows-x86_64"),
            "macos64", Set.of("osx-x86_64", "macosx-x86_64"),
            "macos-arm64", Set.of("osx-aarch64", "macosx-arm64"));

    /**
     * Managed by pom-scijava but shipped by no core Fiji jar (the IJ-OpenCV update site ships them, at the
     * BOM's version, so the same files). Core Fiji does ship javacpp, which is therefore provided.
     */
    public static final Set<String> MANAGED_NOT_IN_FIJI_CORE = Set.of("org.bytedeco:opencv", "org.bytedeco:openblas");

    private FijiLayoutRules() {
    }

    public static List<String> violations(List<LayoutJar> jars, BomVersions bom) {
        List<String> out = new ArrayList<>();
        Map<String, Set<String>> versions = new TreeMap<>();
        Map<String, String> seen = new TreeMap<>();
        int pluginJars = 0;
        for (LayoutJar j : jars) {
            if (j.groupId() == null) {
                out.add(j + ": not an artifact of the build's dependency list (a stray file)");
                continue;
            }
            if (j.folder().equals("plugins")) {
                pluginJars++;
                if (!j.fileName().startsWith("IJ_Diffusion-")) {
                    out.add(j + ": plugins/ holds only the suite, IJ_Diffusion-VERSION.jar");
                }
                continue;
            }
            String managed = bom.version(j.groupId(), j.artifactId());
            if (managed != null && !MANAGED_NOT_IN_FIJI_CORE.contains(j.ga())) {
                out.add(j + ": Fiji ships " + j.ga() + " (pom-scijava manages it at " + managed
                        + "): it must be provided, not in the layout");
            } else if (managed != null && !managed.equals(j.version())) {
                out.add(j + ": " + j.ga() + " " + j.version() + " is not pom-scijava's version " + managed);
            }
            versions.computeIfAbsent(j.ga(), k -> new TreeSet<>()).add(j.version());
            String key = j.ga() + ":" + j.version() + ":" + j.classifier();
            String before = seen.put(key, j.toString());
            if (before != null) {
                out.add(j + ": the same artifact as " + before);
            }
            if (j.groupId().equals("org.ijdiffusion") && !j.artifactId().startsWith("ij-diffusion-")) {
                out.add(j + ": our jars are named ij-diffusion-* (a plain name could clash with another jar in Fiji)");
            }
            checkFolder(j, out);
        }
        versions.forEach((ga, vs) -> {
            if (vs.size() > 1) {
                out.add(ga + ": two versions in the layout " + vs);
            }
        });
        if (pluginJars != 1) {
            out.add("plugins/ must hold exactly one IJ_Diffusion-VERSION.jar, holds " + pluginJars);
        }
        return out;
    }

    private static void checkFolder(LayoutJar j, List<String> out) {
        if (j.folder().equals("jars")) {
            if (j.classifier() != null) {
                out.add(j + ": a native (" + j.classifier() + ") belongs in its platform folder, not flat in jars/");
            }
            return;
        }
        String platform = j.folder().startsWith("jars/") ? j.folder().substring(5) : null;
        Set<String> classifiers = platform == null ? null : PLATFORM_CLASSIFIERS.get(platform);
        if (classifiers == null) {
            out.add(j + ": " + j.folder() + " is not one of Fiji's folders (plugins, jars, jars/PLATFORM with PLATFORM in "
                    + new TreeSet<>(PLATFORM_CLASSIFIERS.keySet()) + ")");
        } else if (j.classifier() == null || !classifiers.contains(j.classifier())) {
            out.add(j + ": only natives classified " + classifiers + " belong in " + j.folder());
        }
    }
}
