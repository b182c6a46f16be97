package org.ijdiffusion.plugin.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The check, before any work, that no output of a command is one of its inputs: every output path is
 * compared with every input as the file system sees them (relative or absolute, through symlinked
 * folders and {@code ..}, hard links by their file key). An output that names an existing folder,
 * that is a file inside an input folder (a diffusers model, a LoRA folder) or that is another output
 * of the same command is refused too. A clash is an {@link OutputClashException} (exit 2 in the CLI)
 * whose one line names both files.
 */
public final class OutputClash {
    /** A file of a command line with the option that named it ({@code "--init"}). */
    public record Named(String option, Path path) {
        public Named {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(path, "path");
        }
    }

    private OutputClash() {
    }

    public static Named named(String option, Path path) {
        return new Named(option, path);
    }

    /**
     * Throws {@link OutputClashException} if an output is an existing folder, is the same file as an
     * input (or an existing file inside an input folder), or is the same file as another output. Null
     * paths in the lists are not allowed; inputs that do not exist are skipped (the command reports
     * them itself).
     */
    public static void check(List<Named> outputs, List<Named> inputs) {
        List<Where> outs = new ArrayList<>();
        for (Named o : outputs) {
            if (Files.isDirectory(o.path())) {
                throw new OutputClashException(o.option() + " " + o.path() + " is a folder: give a file name, e.g. "
                        + o.path().resolve("out.png"));
            }
            Where w = Where.of(o.path());
            for (int i = 0; i < outs.size(); i++) {
                if (outs.get(i).same(w)) {
                    Named first = outputs.get(i);
                    throw new OutputClashException(o.option() + " " + o.path() + " is the same file as "
                            + first.option() + " " + first.path() + ": give each output its own file");
                }
            }
            outs.add(w);
        }
        for (Named in : inputs) {
            if (!Files.exists(in.path())) {
                continue;
            }
            Where iw = Where.of(in.path());
            boolean folder = Files.isDirectory(in.path());
            for (int i = 0; i < outs.size(); i++) {
                Where ow = outs.get(i);
                if (ow.same(iw) || folder && ow.exists && ow.real.startsWith(iw.real)) {
                    Named o = outputs.get(i);
                    throw new OutputClashException(o.option() + " " + o.path() + " is the " + in.option() + " file"
                            + (ow.same(iw) ? "" : "s' folder") + (o.path().equals(in.path()) ? "" : " " + in.path())
                            + ": write the result to another file (inputs are never overwritten)");
                }
            }
        }
    }

    /** Where a path points: its real location (the parent's when it does not exist yet) and file key. */
    private record Where(Path real, Object key, boolean exists) {
        static Where of(Path p) {
            Path abs = p.toAbsolutePath();
            try {
                if (Files.exists(abs)) {
                    Object key = Files.readAttributes(abs, BasicFileAttributes.class).fileKey();
                    return new Where(abs.toRealPath(), key, true);
                }
                Path parent = abs.getParent();
                Path name = abs.getFileName();
                if (parent != null && name != null && Files.isDirectory(parent)) {
                    return new Where(parent.toRealPath().resolve(name), null, false);
                }
                // the folder does not exist yet: the nearest existing ancestor decides where it will be
                Path up = parent;
                List<Path> rest = new ArrayList<>();
                rest.add(name);
                while (up != null && !Files.exists(up, LinkOption.NOFOLLOW_LINKS)) {
                    rest.add(0, up.getFileName());
                    up = up.getParent();
                }
                Path base = up == null ? abs.getRoot() : up.toRealPath();
                for (Path r : rest) {
                    if (r != null) {
                        base = base.resolve(r);
                    }
                }
                return new Where(base.normalize(), null, false);
            } catch (IOException e) {
                return new Where(abs.normalize(), null, Files.exists(abs));
            }
        }

        boolean same(Where o) {
            return real.equals(o.real) || key != null && key.equals(o.key);
        }
    }
}
