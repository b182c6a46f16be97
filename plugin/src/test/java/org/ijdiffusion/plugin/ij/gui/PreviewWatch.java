package org.ijdiffusion.plugin.ij.gui;

import ij.ImageListener;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.ImageCanvas;
import ij.gui.ImageWindow;
import java.awt.AWTException;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.IllegalComponentStateException;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches the live preview window of a generation as a user's eye would, from its own thread every few
 * milliseconds: each preview step (read from the window's title "... (preview, step i/n)") and the image's
 * pixels; what the screen shows in its canvas, read every 15 ms (the window first moved to a known place); the
 * windows used and the most preview windows open at once; ImageJ's open/close events of preview images. A hook
 * runs at every new step seen.
 */
final class PreviewWatch implements ImageListener, AutoCloseable {
    private static final int LOOK_MS = 15;
    /** Where preview windows are moved: clear of ImageJ's bar, the result, the Recorder and the Log. */
    private static final Point PLACE = new Point(40, 120);
    private static final Pattern STEP = Pattern.compile("\\(preview, step (\\d+)/(\\d+)\\)");

    final List<Integer> steps = new ArrayList<>();
    final List<Long> millis = new ArrayList<>();
    final List<Integer> pixelHashes = new ArrayList<>();
    /** What the screen showed in the preview's canvas, each state once (masked to RGB). */
    final List<int[]> screens = new ArrayList<>();
    /** Copies of the preview's pixels at each step seen. */
    final List<int[]> frames = new ArrayList<>();
    final Map<ImageWindow, Boolean> windows = new IdentityHashMap<>();
    int opened;
    int closed;
    int maxOpen;
    int width;
    int height;
    volatile IntConsumer onStep = s -> {
    };
    private volatile boolean running = true;
    private final Thread poller;
    private final long start = System.currentTimeMillis();
    private final Robot eye;
    private volatile String where = "";
    private final Map<ImageWindow, Boolean> placed = new IdentityHashMap<>();

    PreviewWatch() throws AWTException {
        eye = new Robot();
        ImagePlus.addImageListener(this);
        poller = new Thread(this::poll, "preview-watch");
        poller.setDaemon(true);
        poller.start();
    }

    static boolean isPreview(ImagePlus imp) {
        return imp.getTitle().contains(" (preview");
    }

    @Override
    public synchronized void imageOpened(ImagePlus imp) {
        if (isPreview(imp)) {
            opened++;
        }
    }

    @Override
    public synchronized void imageClosed(ImagePlus imp) {
        if (isPreview(imp)) {
            closed++;
        }
    }

    @Override
    public void imageUpdated(ImagePlus imp) {
        // seen by the poller
    }

    private void poll() {
        int last = -1;
        long nextLook = 0;
        while (running) {
            for (ImagePlus imp : previews()) {
                Matcher m = STEP.matcher(imp.getTitle());
                if (!m.find() || Integer.parseInt(m.group(1)) == last) {
                    continue;
                }
                last = Integer.parseInt(m.group(1));
                synchronized (this) {
                    steps.add(last);
                    millis.add(System.currentTimeMillis() - start);
                    windows.put(imp.getWindow(), true);
                    width = imp.getWidth();
                    height = imp.getHeight();
                    int[] pixels = ((int[]) imp.getProcessor().getPixels()).clone();
                    frames.add(pixels);
                    pixelHashes.add(Arrays.hashCode(pixels));
                    maxOpen = Math.max(maxOpen, previews().size());
                }
                onStep.accept(last);
            }
            if (System.currentTimeMillis() >= nextLook) {
                look();
                nextLook = System.currentTimeMillis() + LOOK_MS;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * What the screen shows in the preview's canvas now (the image's own size: the preview is at 100 %), kept when
     * it differs from the last look. Repaints go through the event queue and may merge, so the screen is sampled
     * rather than read once per step.
     */
    private void look() {
        for (ImagePlus imp : previews()) {
            ImageWindow w = imp.getWindow();
            ImageCanvas c = w == null ? null : w.getCanvas();
            if (c == null || !c.isShowing()) {
                continue;
            }
            if (!placed.containsKey(w)) {
                place(w);
                continue;
            }
            try {
                if (c.getMagnification() != 1) {
                    GuiRobot.fail("the preview is shown at " + c.getMagnification() + "x, not 100 %: " + imp.getTitle());
                }
                where = "window at " + w.getBounds() + ", canvas at " + c.getLocationOnScreen();
                BufferedImage shown = eye.createScreenCapture(new Rectangle(c.getLocationOnScreen(),
                        new Dimension(imp.getWidth(), imp.getHeight())));
                int[] rgb = shown.getRGB(0, 0, shown.getWidth(), shown.getHeight(), null, 0, shown.getWidth());
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] &= 0xffffff;
                }
                synchronized (this) {
                    if (screens.isEmpty() || !Arrays.equals(rgb, screens.get(screens.size() - 1))) {
                        screens.add(rgb);
                    }
                }
            } catch (IllegalComponentStateException e) {
                // closed between the check and the capture
            }
        }
    }

    /**
     * Moves a new preview window to {@link #PLACE}, as a user may drag it, before its canvas is read: under Xvfb
     * with no window manager AWT at times keeps a new window's place as 0,0 while the X server shows it where
     * ImageJ put it, and a canvas read there would show something else. Once moved, both agree.
     */
    private void place(ImageWindow w) {
        try {
            EventQueue.invokeAndWait(() -> w.setLocation(PLACE));
            long end = System.currentTimeMillis() + 2000;
            while (w.isShowing() && !PLACE.equals(w.getLocationOnScreen()) && System.currentTimeMillis() < end) {
                Thread.sleep(5);
            }
        } catch (IllegalComponentStateException e) {
            // closed meanwhile
        } catch (Exception e) {
            GuiRobot.fail("moving the preview: " + e);
        }
        placed.put(w, true);
    }

    /**
     * The preview step whose pixels each screen state seen shows (in the order seen), -1 for a state that is none
     * of them (the canvas before its first paint, a window in front of it).
     */
    synchronized List<Integer> shownSteps() {
        List<Integer> out = new ArrayList<>();
        for (int[] screen : screens) {
            int step = -1;
            for (int i = 0; i < frames.size() && step < 0; i++) {
                int[] f = frames.get(i);
                boolean same = f.length == screen.length;
                for (int k = 0; same && k < f.length; k++) {
                    same = (f[k] & 0xffffff) == screen[k];
                }
                step = same ? steps.get(i) : -1;
            }
            out.add(step);
        }
        return out;
    }

    /** The preview images open and showing. */
    static List<ImagePlus> previews() {
        List<ImagePlus> out = new ArrayList<>();
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus p = WindowManager.getImage(id);
            if (p != null && isPreview(p) && p.getWindow() != null && p.getWindow().isShowing()) {
                out.add(p);
            }
        }
        return out;
    }

    static int openPreviews() {
        return previews().size();
    }

    /** {@link LatentGrid#residual} of each frame, in levels. */
    synchronized List<Double> latentGridResidual() {
        List<Double> out = new ArrayList<>();
        for (int[] f : frames) {
            out.add(f.length != width * height ? Double.NaN : Math.round(LatentGrid.residual(f, width, height) * 100) / 100.0);
        }
        return out;
    }

    synchronized int distinct(List<Integer> hashes) {
        return (int) hashes.stream().distinct().count();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join();
        ImagePlus.removeImageListener(this);
    }

    @Override
    public synchronized String toString() {
        return "steps " + steps + " at ms " + millis + ", " + width + "x" + height + ", windows " + windows.size()
                + ", max open " + maxOpen + ", opened " + opened + ", closed " + closed + ", distinct pixels "
                + distinct(pixelHashes) + "/" + pixelHashes.size() + ", screen states " + screens.size() + " showing steps "
                + shownSteps() + (shownSteps().contains(-1) ? " (" + where + ")" : "");
    }
}
