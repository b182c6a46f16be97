package org.ijdiffusion.plugin.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resume record of both batch paths at every point a kill can stop its commit. */
class ResumeRecordTest {
    @TempDir
    Path dir;

    private static final String JOB = "a".repeat(64);
    private static final String OTHER = "b".repeat(64);

    private Path png() {
        return dir.resolve("cat.png");
    }

    private void commit(byte[] bytes) throws IOException {
        JsonObject f = new JsonObject();
        f.addProperty("seed", 7);
        f.addProperty("job", "not this one"); // callers cannot override the record's own keys
        ResumeRecord.commit(png(), JOB, f, staged -> OutputFiles.writeString(staged, new String(bytes)));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCommittedImageIsCompleteForItsJobOnlyAndWhileItsBytesAreUnchanged() throws Exception {
        commit(new byte[] {1, 2, 3});
        assertEquals(List.of("cat.png", "cat.png.json"), files(), "nothing else left");
        JsonObject r = JsonParser.parseString(Files.readString(ResumeRecord.of(png()))).getAsJsonObject();
        assertEquals(JOB, r.get("job").getAsString());
        assertEquals(ResumeRecord.sha256(png()), r.get("png_sha256").getAsString());
        assertEquals(7, r.get("seed").getAsInt());
        assertTrue(ResumeRecord.complete(png(), JOB));
        assertFalse(ResumeRecord.complete(png(), OTHER), "another job (settings, seed, input) is made again");
        Files.write(png(), new byte[] {1, 2, 4});
        assertFalse(ResumeRecord.complete(png(), JOB), "an image changed after its record is made again");
        Files.delete(png());
        assertFalse(ResumeRecord.complete(png(), JOB), "a record without its image is not complete");
    }

    @Test
    void aKillBetweenTheImagesRenameAndTheRecordsIsFinishedNotMadeAgain() throws Exception {
        commit(new byte[] {5, 6});
        byte[] record = Files.readAllBytes(ResumeRecord.of(png()));
        // what a kill after step (3) leaves: the image in place, its record still pending
        Files.move(ResumeRecord.of(png()), ResumeRecord.pending(png()));
        assertFalse(ResumeRecord.complete(png(), OTHER), "a pending record of another job proves nothing");
        assertTrue(Files.exists(ResumeRecord.pending(png())));
        assertTrue(ResumeRecord.complete(png(), JOB));
        assertEquals(List.of("cat.png", "cat.png.json"), files(), "the pending record became the record");
        assertArrayEquals(record, Files.readAllBytes(ResumeRecord.of(png())));

        // the same, but the image there is not the one the pending record names
        Files.move(ResumeRecord.of(png()), ResumeRecord.pending(png()));
        Files.write(png(), new byte[] {5, 7});
        assertFalse(ResumeRecord.complete(png(), JOB));
    }

    @Test
    void aKillBeforeTheImagesRenameLeavesNothingCompleteAndTheRemakeCleansUp() throws Exception {
        commit(new byte[] {8});
        // what a kill after step (2) leaves: staged image and pending record, nothing at the target
        Files.move(png(), ResumeRecord.staged(png()));
        Files.move(ResumeRecord.of(png()), ResumeRecord.pending(png()));
        Files.write(dir.resolve(".cat.png.json.1f2e.part"), new byte[] {0}); // a record's temporary file
        Files.write(dir.resolve("..cat.png.staged.abc.part"), new byte[] {0}); // the staged image's
        Files.write(dir.resolve(".cat.png.0123456789abcdef.part"), new byte[] {0}); // an older writer's
        Files.write(dir.resolve(".dog.png.0123.part"), new byte[] {0}); // another job's: not ours
        Files.write(dir.resolve(".cat.png.png.0123.part"), new byte[] {0}); // cat.png.png's, not ours
        assertFalse(ResumeRecord.complete(png(), JOB), "no image at the target");
        commit(new byte[] {8});
        assertEquals(List.of(".cat.png.png.0123.part", ".dog.png.0123.part", "cat.png", "cat.png.json"), files());
        assertTrue(ResumeRecord.complete(png(), JOB));
    }

    @Test
    void aFailedMakeLeavesTheOldImageAndRecord() throws Exception {
        commit(new byte[] {1});
        byte[] record = Files.readAllBytes(ResumeRecord.of(png()));
        IOException e = assertThrows(IOException.class, () -> ResumeRecord.commit(png(), OTHER, new JsonObject(),
                staged -> {
                    Files.write(staged, new byte[] {9, 9});
                    throw new IOException("out of memory");
                }));
        assertEquals("out of memory", e.getMessage());
        assertThrows(IOException.class, () -> ResumeRecord.commit(png(), OTHER, new JsonObject(), staged -> { }),
                "a maker that writes nothing");
        assertEquals(List.of("cat.png", "cat.png.json"), files());
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(png()));
        assertArrayEquals(record, Files.readAllBytes(ResumeRecord.of(png())));
        assertTrue(ResumeRecord.complete(png(), JOB));
    }

    @Test
    void foreignOrBrokenRecordsAreNotComplete() throws Exception {
        Files.write(png(), new byte[] {1});
        String sha = ResumeRecord.sha256(png());
        Files.writeString(ResumeRecord.of(png()), "{\"job\": \"" + JOB + "\", \"png_sha256\": \"" + sha + "\"}");
        assertFalse(ResumeRecord.complete(png(), JOB), "a record without our format key");
        Files.writeString(ResumeRecord.of(png()), "{\"format\": \"" + ResumeRecord.FORMAT + "\", \"job\": ");
        assertFalse(ResumeRecord.complete(png(), JOB), "a truncated record");
        Files.writeString(ResumeRecord.of(png()), "{\"format\": \"" + ResumeRecord.FORMAT + "\", \"job\": \"" + JOB
                + "\", \"png_sha256\": \"" + sha + "\"}");
        assertTrue(ResumeRecord.complete(png(), JOB));
    }
}
