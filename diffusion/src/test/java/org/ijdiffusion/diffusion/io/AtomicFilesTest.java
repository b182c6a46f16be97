package org.ijdiffusion.diffusion.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written whole or not at all: failures and a SIGKILL leave the old target in place. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesAndReplacesWithNoTemporaryFileLeft() throws Exception {
        Path t = dir.resolve("a.txt");
        AtomicFiles.write(t, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(t, out -> {
            out.write("second".getBytes(StandardCharsets.UTF_8));
            out.close(); // a body that closes its stream: the content is still synced and kept
        });
        assertEquals("second", Files.readString(t));
        assertEquals(List.of(t), files());
    }

    @Test
    void aFailingWriterLeavesTheTargetAsItWas() throws Exception {
        Path t = dir.resolve("keep.png");
        Files.writeString(t, "good old content");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(t, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device"); // what a full disk gives the writer
        }));
        assertTrue(e.getMessage().startsWith("cannot write " + t + " (left as it was): ")
                && e.getMessage().endsWith("No space left on device"), e.getMessage());
        assertEquals("good old content", Files.readString(t));
        assertEquals(List.of(t), files(), "the temporary file was removed");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(t, out -> {
            throw new IllegalStateException("bug in the writer");
        }));
        assertEquals(List.of(t), files());
    }

    @Test
    void writeViaMovesTheFileTheBodyMadeAndRefusesNothing() throws Exception {
        Path t = dir.resolve("trace.json");
        AtomicFiles.writeVia(t, p -> Files.writeString(p, "{}"));
        assertEquals("{}", Files.readString(t));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeVia(t, p -> { }));
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
        assertEquals("{}", Files.readString(t));
        assertEquals(List.of(t), files());
    }

    @Test
    void aFolderIsNeverReplaced() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("empty-folder"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(folder, new byte[] {1}));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        assertTrue(Files.isDirectory(folder));
        assertThrows(IOException.class, () -> AtomicFiles.writeVia(folder, p -> Files.write(p, new byte[] {1})));
        assertEquals(List.of(folder), files());
    }

    /** A JVM killed with SIGKILL in the middle of writing: the target keeps its old bytes. */
    @Test
    void aKilledWriterLeavesTheTargetWhole() throws Exception {
        Path t = dir.resolve("victim.bin");
        byte[] old = "the user's good file".getBytes(StandardCharsets.UTF_8);
        Files.write(t, old);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SlowWriter.class.getName(), t.toString()).redirectErrorStream(true).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (files().stream().noneMatch(f -> f.getFileName().toString().endsWith(".part"))) {
                assertTrue(p.isAlive() && System.nanoTime() < until, "the writer did not start");
                Thread.sleep(20);
            }
            Thread.sleep(200); // let it write some bytes
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks run
        }
        assertArrayEquals(old, Files.readAllBytes(t));
    }

    /** The child process of the kill test: writes the target forever. */
    public static final class SlowWriter {
        public static void main(String[] args) throws Exception {
            AtomicFiles.write(Paths.get(args[0]), out -> {
                while (true) {
                    out.write(new byte[4096]);
                    out.flush();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }
}
