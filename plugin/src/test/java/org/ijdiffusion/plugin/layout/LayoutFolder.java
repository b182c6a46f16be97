package org.ijdiffusion.plugin.layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a built Fiji layout folder into {@link LayoutJar}s: each jar's artifact is found by its file name
 * ({@code artifactId-version[-classifier].jar}, as maven-dependency-plugin names copies) among the
 * artifacts of the build's dependency list ({@code dependency:list} output).
 */
public final class LayoutFolder {
    /** {@code   groupId:artifactId:type[:classifier]:version:scope ...} */
    private static final Pattern LISTED =
            Pattern.compile("^\\s*([^:\\s]+):([^:\\s]+):([^:\\s]+):(?:([^:\\s]+):)?([^:\\s]+):([a-z]+)\\b.*");

    /** One line of the dependency list. */
    public record Listed(String groupId, String artifactId, String version, String classifier, String scope) {
    }

    private LayoutFolder() {
    }

    public static List<Listed> readList(Path dependencyList) throws IOException {
        List<Listed> out = new ArrayList<>();
        for (String line : Files.readAllLines(dependencyList)) {
            Matcher m = LISTED.matcher(line);
            if (m.matches()) {
                out.add(new Listed(m.group(1), m.group(2), m.group(5), m.group(4), m.group(6)));
            }
        }
        return out;
    }

    public static List<LayoutJar> read(Path fijiDir, List<Listed> listed) throws IOException {
        List<LayoutJar> out = new ArrayList<>();
        List<Listed> byLongestName = new ArrayList<>(listed);
        byLongestName.sort(Comparator.comparingInt((Listed l) -> -l.artifactId().length()));
        try (Stream<Path> files = Files.walk(fijiDir)) {
            for (Path p : files.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path f) -> f.getParent().toString()).thenComparing(Path::toString)).toList()) {
                String folder = fijiDir.relativize(p.getParent()).toString().replace('\\', '/');
                String name = p.getFileName().toString();
                out.add(identify(folder, name, Files.size(p), byLongestName));
            }
        }
        return out;
    }

    static LayoutJar identify(String folder, String name, long bytes, List<Listed> byLongestName) {
        if (folder.equals("plugins") && name.startsWith("IJ_Diffusion-") && name.endsWith(".jar")) {
            return new LayoutJar(folder, name, "org.ijdiffusion", "IJ_Diffusion",
                    name.substring(13, name.length() - 4), null, bytes);
        }
        if (name.endsWith(".jar")) {
            String stem = name.substring(0, name.length() - 4);
            for (Listed l : byLongestName) {
                String prefix = l.artifactId() + "-" + l.version();
                if (stem.equals(prefix)) {
                    return new LayoutJar(folder, name, l.groupId(), l.artifactId(), l.version(), null, bytes);
                }
                if (stem.startsWith(prefix + "-")) {
                    return new LayoutJar(folder, name, l.groupId(), l.artifactId(), l.version(),
                            stem.substring(prefix.length() + 1), bytes);
                }
            }
        }
        return new LayoutJar(folder, name, null, null, null, null, bytes);
    }
}
