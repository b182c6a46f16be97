package org.ijdiffusion.diffusion.util;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The files and folders under a model folder, following symbolic links (users link their A1111 model,
 * LoRA and embedding folders into each other's trees). A link back to a folder already on the path is
 * not followed again; an unreadable entry is skipped. Sorted, the root itself excluded.
 */
public final class FolderWalk {
    private FolderWalk() {
    }

    /** Every path under {@code root} down to {@code maxDepth} levels (1: the root's own entries). */
    public static List<Path> walk(Path root, int maxDepth) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), maxDepth, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    out.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                out.add(file); // also folders at maxDepth, and broken links (filtered by the callers' isRegularFile)
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (file.equals(root)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE; // a link loop (FileSystemLoopException) or an unreadable entry
            }
        });
        out.sort(null);
        return out;
    }

    /** The regular files (links to files included) under {@code root}, sorted. */
    public static List<Path> files(Path root, int maxDepth) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : walk(root, maxDepth)) {
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
