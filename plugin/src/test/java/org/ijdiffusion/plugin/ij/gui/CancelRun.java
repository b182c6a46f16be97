package org.ijdiffusion.plugin.ij.gui;

import static org.ijdiffusion.plugin.ij.gui.GuiRobot.check;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.ImageWindow;
import java.awt.EventQueue;
import java.awt.Robot;
import java.awt.event.KeyEvent;
import java.awt.event.WindowEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Image to Image from the menu on an image opened from a file, 200 steps, stopped after step 3 by the user: Esc
 * pressed (java.awt.Robot) on the preview window, then, in a second run, the preview window closed.
 * Checks that nothing is left behind: no result window, no preview, no new file beside the source, in the
 * home or model folders, and the source image unchanged (pixels, title, no unsaved changes).
 */
final class CancelRun {
    private static final int STEPS = 200;
    private final Path out;
    private final Path testdata;

    CancelRun(Path out, Path testdata) {
        this.out = out;
        this.testdata = testdata;
    }

    void run() throws Exception {
        Path dir = Files.createTempDirectory("ij-source");
        ImagePlus bird = IJ.openImage(testdata.resolve("images/bird.png").toString());
        ImagePlus small = new ImagePlus("bird", bird.getProcessor().resize(96, 144));
        Path file = dir.resolve("bird.png");
        IJ.saveAs(small, "PNG", file.toString());
        ImagePlus src = IJ.openImage(file.toString());
        src.show();
        GuiRobot.waitFor("the source window", () -> src.getWindow() != null && src.getWindow().isShowing() ? src : null);
        EventQueue.invokeAndWait(() -> src.getWindow().setLocation(700, 300)); // clear of where previews are moved
        int[] before = ((int[]) src.getProcessor().getPixels()).clone();
        Map<String, Long> files = files(dir, Path.of(System.getProperty("user.home")), testdata.resolve("models"));

        stop(src, "esc");
        stop(src, "close");

        check(Arrays.equals(before, (int[]) src.getProcessor().getPixels()), "the source's pixels are unchanged");
        check("bird.png".equals(src.getTitle()) && !src.changes, "the source is untouched: " + src.getTitle());
        Map<String, Long> after = files(dir, Path.of(System.getProperty("user.home")), testdata.resolve("models"));
        after.keySet().removeIf(k -> k.endsWith("IJ_Prefs.txt")); // ImageJ's own preferences, saved as ever
        files.keySet().removeIf(k -> k.endsWith("IJ_Prefs.txt"));
        check(after.equals(files), "no file written: before " + files.keySet() + ", after " + after.keySet());
        String log = IJ.getLog() == null ? "" : IJ.getLog();
        check(!log.contains("Image to Image: seed"), "no result logged:\n" + log);
    }

    /** One run stopped at step 3 by {@code how} ("esc" or "close"). */
    private void stop(ImagePlus src, String how) throws Exception {
        PreviewWatch watch = new PreviewWatch();
        CountDownLatch atStep3 = new CountDownLatch(1);
        watch.onStep = step -> {
            if (step >= 3) {
                atStep3.countDown();
            }
        };
        EventQueue.invokeAndWait(() -> WindowManager.setCurrentWindow(src.getWindow()));
        GuiRobot.menu("Image to Image");
        GenericDialog gd = GuiRobot.dialog("Image to Image");
        GuiRobot.fill(gd, Map.of("prompt", "an oil painting", "steps", "" + STEPS, "denoising_strength", "1", "sampler",
                "Euler a", "seed", "5"));
        GuiRobot.ok(gd);
        check(atStep3.await(180, TimeUnit.SECONDS), "no step 3 preview: " + watch);
        ImagePlus preview = null;
        for (int id : WindowManager.getIDList()) {
            ImagePlus p = WindowManager.getImage(id);
            if (p != null && PreviewWatch.isPreview(p)) {
                preview = p;
            }
        }
        check(preview != null, "no preview window at step 3");
        ImageWindow w = preview.getWindow();
        if (how.equals("esc")) {
            EventQueue.invokeAndWait(() -> {
                w.toFront();
                w.getCanvas().requestFocus();
            });
            Thread.sleep(500);
            Robot robot = new Robot();
            robot.keyPress(KeyEvent.VK_ESCAPE);
            robot.keyRelease(KeyEvent.VK_ESCAPE);
            // the run may take the Esc (and reset ImageJ's flag) before this poll sees it: then it has ended
            GuiRobot.waitFor("Esc to reach ImageJ", () -> IJ.escapePressed() || !GuiRobot.running("Image to Image")
                    ? true : null);
        } else {
            // what the window's close button sends
            EventQueue.invokeAndWait(() -> w.dispatchEvent(new WindowEvent(w, WindowEvent.WINDOW_CLOSING)));
            GuiRobot.waitFor("the preview to close", () -> w.isClosed() ? true : null);
        }
        long stopAt = System.currentTimeMillis();
        GuiRobot.waitFor("the run to end", () -> GuiRobot.running("Image to Image") ? null : true);
        long stopMs = System.currentTimeMillis() - stopAt;
        Thread.sleep(500);
        watch.close();
        System.out.println("stopped by " + how + " in " + stopMs + " ms: " + watch);
        int last = watch.steps.get(watch.steps.size() - 1);
        check(last >= 3 && last < STEPS / 2, how + ": the run stopped mid-run: " + watch);
        check(PreviewWatch.openPreviews() == 0, how + ": the preview is closed although keep_preview is set");
        int[] ids = WindowManager.getIDList();
        check(ids != null && ids.length == 1 && WindowManager.getImage(ids[0]) == src,
                how + ": no image but the source is open: " + titles());
        GuiRobot.screen(out.resolve("preview-stopped-" + how + ".png"));
    }

    private static String titles() {
        StringBuilder b = new StringBuilder();
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            b.append('[').append(WindowManager.getImage(id).getTitle()).append(']');
        }
        return b.toString();
    }

    /** Every file (name and size) under the folders. */
    private static Map<String, Long> files(Path... dirs) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (Path d : dirs) {
            try (Stream<Path> s = Files.walk(d)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    m.put(p.toString(), Files.size(p));
                }
            }
        }
        return m;
    }
}
