package org.ijdiffusion.plugin.io;

import static org.ijdiffusion.plugin.io.OutputClash.named;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every spelling of "the same file" is caught; different files pass. */
class OutputClashTest {
    @TempDir
    Path dir;

    private String clash(Path out, Path in) {
        OutputClashException e = assertThrows(OutputClashException.class,
                () -> OutputClash.check(List.of(named("--out", out)), List.of(named("--init", in))));
        assertTrue(!e.getMessage().contains("\n") && e.getMessage().contains(out.toString())
                && e.getMessage().contains("--init"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void sameFileUnderEverySpelling() throws Exception {
        Path init = Files.writeString(dir.resolve("init.png"), "x");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        clash(init, init);
        clash(sub.resolve("../init.png"), init); // ..
        clash(dir.resolve("./init.png"), init);
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir); // a symlinked folder
        clash(link.resolve("init.png"), init);
        Path fileLink = Files.createSymbolicLink(dir.resolve("alias.png"), init); // a symlink to the file
        clash(fileLink, init);
        Path hard = Files.createLink(dir.resolve("hard.png"), init); // a hard link: same file key
        assertTrue(clash(hard, init).contains(init.toString()));
        // relative to the working directory vs absolute
        Path cwd = Paths.get("").toAbsolutePath();
        Path relative = cwd.relativize(init);
        clash(relative, init);
        clash(init, relative);
        // a folder that does not exist yet, then .. back
        clash(dir.resolve("new/deeper/../../init.png"), init);
    }

    @Test
    void differentFilesPass() throws Exception {
        Path init = Files.writeString(dir.resolve("init.png"), "x");
        assertDoesNotThrow(() -> OutputClash.check(List.of(named("--out", dir.resolve("out.png")),
                named("--pose-json", dir.resolve("new/pose.json"))), List.of(named("--init", init),
                        named("--mask", dir.resolve("missing-mask.png")))));
    }

    @Test
    void batchNamesAreCheckedOneByOne() throws Exception {
        Path f0 = Files.writeString(dir.resolve("f-0.png"), "x");
        List<OutputClash.Named> outs = OutputFiles.batchNames(dir.resolve("f.png"), 3).stream()
                .map(p -> named("--out", p)).toList();
        assertEquals(dir.resolve("f-2.png"), outs.get(2).path());
        OutputClashException e = assertThrows(OutputClashException.class,
                () -> OutputClash.check(outs, List.of(named("--init", f0))));
        assertTrue(e.getMessage().contains("f-0.png is the --init file"), e.getMessage());
    }

    @Test
    void foldersAndRepeatedOutputsAreRefused() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model/unet"));
        Path weights = Files.writeString(model.resolve("diffusion_pytorch_model.safetensors"), "w");
        OutputClashException folder = assertThrows(OutputClashException.class,
                () -> OutputClash.check(List.of(named("--out", dir)), List.of()));
        assertTrue(folder.getMessage().contains("is a folder"), folder.getMessage());
        // an existing file inside an input folder (a diffusers model) is part of that input
        OutputClashException inside = assertThrows(OutputClashException.class,
                () -> OutputClash.check(List.of(named("--out", weights)), List.of(named("--model", dir.resolve("model")))));
        assertTrue(inside.getMessage().contains("is the --model files' folder"), inside.getMessage());
        // a new file in it is not
        assertDoesNotThrow(() -> OutputClash.check(List.of(named("--out", model.resolve("new.png"))),
                List.of(named("--model", dir.resolve("model")))));
        OutputClashException twice = assertThrows(OutputClashException.class, () -> OutputClash.check(
                List.of(named("--out", dir.resolve("a.json")), named("--pose-json", dir.resolve("sub/../a.json"))),
                List.of()));
        assertTrue(twice.getMessage().contains("is the same file as --out"), twice.getMessage());
    }
}
