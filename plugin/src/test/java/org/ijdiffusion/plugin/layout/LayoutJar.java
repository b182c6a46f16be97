package org.ijdiffusion.plugin.layout;

/**
 * One jar of the Fiji layout: where it lies ({@code plugins}, {@code jars}, {@code jars/linux64}...), which
 * artifact it is, its size.
 */
public record LayoutJar(String folder, String fileName, String groupId, String artifactId, String version,
        String classifier, long bytes) {

    public String ga() {
        return groupId + ":" + artifactId;
    }

    @Override
    public String toString() {
        return folder + "/" + fileName;
    }
}
