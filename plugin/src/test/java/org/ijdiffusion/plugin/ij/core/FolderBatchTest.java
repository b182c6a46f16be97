package org.ijdiffusion.plugin.ij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.plugin.ij.core.FolderBatch.Item;
import org.ijdiffusion.plugin.io.ResumeRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan of Batch...: which files are images, masks and outputs, and when an image counts as done. */
class FolderBatchTest {
    @TempDir
    Path tmp;

    private Path file(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), new byte[] {1, 2, 3});
    }

    @Test
    void imagesInNameOrderWithOutputsAndRecordsInTheOutputFolder() throws Exception {
        Path in = tmp.resolve("in");
        file(in, "b.tif");
        file(in, "a.png");
        file(in, "notes.txt");
        file(in, ".hidden.png");
        Files.createDirectories(in.resolve("sub"));
        List<Item> items = FolderBatch.plan(in, tmp.resolve("out"), null);
        assertEquals(List.of("a.png", "b.tif"), items.stream().map(Item::name).toList());
        assertEquals(tmp.resolve("out/b.png"), items.get(1).output());
        assertEquals(tmp.resolve("out/b.png.json"), items.get(1).record());
        assertEquals(1, items.get(1).index());
        assertEquals(null, items.get(0).mask());
    }

    @Test
    void maskFilesBesideTheImagesOrInAMaskFolder() throws Exception {
        Path in = tmp.resolve("in");
        file(in, "p1.png");
        file(in, "p1_mask.tif");
        file(in, "p2.png");
        Path masks = tmp.resolve("masks");
        file(masks, "p2.png");
        file(masks, "p1.png");
        file(masks, "p1_mask.png");
        List<Item> beside = FolderBatch.plan(in, tmp.resolve("out"), in);
        assertEquals(List.of("p1.png", "p2.png"), beside.stream().map(Item::name).toList(), "_mask files are masks");
        assertEquals(in.resolve("p1_mask.tif"), beside.get(0).mask());
        assertFalse(Files.exists(beside.get(1).mask()), "p2 has no mask beside it (never itself)");
        List<Item> folder = FolderBatch.plan(in, tmp.resolve("out"), masks);
        assertEquals(masks.resolve("p1_mask.png"), folder.get(0).mask(), "<stem>_mask first");
        assertEquals(masks.resolve("p2.png"), folder.get(1).mask(), "else the same name");
    }

    @Test
    void refusesOutputsThatCouldOverwriteInputs() throws Exception {
        Path in = tmp.resolve("in");
        file(in, "a.png");
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> FolderBatch.plan(in, in.resolve("."), null));
        assertTrue(same.getMessage().contains("output must be another folder than input"), same.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FolderBatch.plan(in, tmp.resolve("m"), tmp.resolve("m")));
        file(in, "a.jpg");
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> FolderBatch.plan(in, tmp.resolve("out"), null));
        assertTrue(clash.getMessage().contains("would both be saved as a.png"), clash.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThrows(IllegalArgumentException.class, () -> FolderBatch.plan(empty, tmp.resolve("out"), null));
    }

    @Test
    void theJobHashOfAResultIsItsSettingsInputMaskAndSeed() throws Exception {
        Path in = tmp.resolve("in");
        Path a = file(in, "a.png");
        Item item = FolderBatch.plan(in, tmp.resolve("out"), null).get(0);
        assertEquals(ResumeRecord.of(item.output()), item.record(), "the record of both batch paths");
        String hash = FolderBatch.jobHash("steps=3\n", a, null, 5);
        assertEquals(hash, FolderBatch.jobHash("steps=3\n", a, null, 5));
        assertNotEquals(hash, FolderBatch.jobHash("steps=3\n", a, null, 6), "the seed is part of the job");
        assertNotEquals(hash, FolderBatch.jobHash("steps=4\n", a, null, 5), "settings are part of the job");
        assertNotEquals(hash, FolderBatch.jobHash("steps=3\n", a, new byte[] {1}, 5), "the mask is part of the job");
        assertFalse(ResumeRecord.complete(item.output(), hash));
        ResumeRecord.commit(item.output(), hash, new JsonObject(), staged -> Files.write(staged, new byte[] {9}));
        assertTrue(ResumeRecord.complete(item.output(), hash));
        Files.write(a, new byte[] {4, 5});
        assertFalse(ResumeRecord.complete(item.output(), FolderBatch.jobHash("steps=3\n", a, null, 5)),
                "a changed input is made again");
    }
}
