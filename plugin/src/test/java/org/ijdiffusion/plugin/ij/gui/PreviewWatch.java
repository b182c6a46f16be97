package org.ijdiffusion.plugin.ij.gui;

import ij.ImageListener;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.ImageWindow;
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
 * milliseconds: each preview step (read from the window's title "... (preview, step i/n)"), the image's
 * pixels and, a moment later, what the screen shows in its canvas; the windows used and the most preview
 * windows open at once; ImageJ's open/close events of preview images. A hook runs at every new step seen.
 */
final class PreviewWatch implements ImageListener, AutoCloseable {
    private static final Pattern STEP = Pattern.compile("\\(preview, step (\\d+)/(\\d+)\\)");

    final List<Integer> steps = new ArrayList<>();
    final List<Long> millis = new ArrayList<>();
    final List<Integer> pixelHashes = new ArrayList<>();
    final List<Integer> screenHashes = new ArrayList<>();
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

    PreviewWatch() {
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
        ImageWindow pending = null; // the screen is read 150 ms after a new step (the repaint goes through the event queue)
        long captureAt = 0;
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
                    pixelHashes.add(Arrays.hashCode((int[]) imp.getProcessor().getPixels()));
                    maxOpen = Math.max(maxOpen, previews().size());
                }
                pending = imp.getWindow();
                captureAt = System.currentTimeMillis() + 150;
                onStep.accept(last);
            }
            if (pending != null && System.currentTimeMillis() >= captureAt) {
                try {
                    if (pending.isShowing()) {
                        BufferedImage shown = GuiRobot.capture(pending.getCanvas());
                        synchronized (this) {
                            screenHashes.add(Arrays.hashCode(shown.getRGB(0, 0, shown.getWidth(), shown.getHeight(),
                                    null, 0, shown.getWidth())));
                        }
                    }
                } catch (Exception e) {
                    GuiRobot.fail("screen capture: " + e);
                }
                pending = null;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
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
                + distinct(pixelHashes) + "/" + pixelHashes.size() + ", distinct on screen " + distinct(screenHashes) + "/"
                + screenHashes.size();
    }
}
