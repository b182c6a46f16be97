package org.ijdiffusion.plugin.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.gui.Wand;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.junit.jupiter.api.Test;

/** Selections to 8-bit inpaint masks, without a display. */
class SelectionMaskTest {
    private static int count(ByteProcessor bp) {
        int n = 0;
        for (byte b : (byte[]) bp.getPixels()) {
            if ((b & 0xff) == 255) {
                n++;
            } else {
                assertEquals(0, b, "a selection mask is binary");
            }
        }
        return n;
    }

    @Test
    void rectangle() {
        ByteProcessor m = SelectionMask.fromRoi(new Roi(10, 5, 20, 8), 64, 48);
        assertEquals(160, count(m));
        assertEquals(255, m.get(10, 5));
        assertEquals(255, m.get(29, 12));
        assertEquals(0, m.get(30, 12));
        assertEquals(0, m.get(9, 5));
    }

    @Test
    void ovalPolygonFreehand() {
        int oval = count(SelectionMask.fromRoi(new OvalRoi(0, 0, 40, 40), 64, 64));
        assertTrue(Math.abs(oval - Math.PI * 400) < 40, "oval area " + oval);
        PolygonRoi tri = new PolygonRoi(new int[] {0, 40, 0}, new int[] {0, 0, 40}, 3, Roi.POLYGON);
        int t = count(SelectionMask.fromRoi(tri, 64, 64));
        assertTrue(Math.abs(t - 800) < 45, "triangle area " + t);
        PolygonRoi free = new PolygonRoi(new int[] {5, 25, 25, 5}, new int[] {5, 5, 25, 25}, 4, Roi.FREEROI);
        assertEquals(400, count(SelectionMask.fromRoi(free, 64, 64)));
    }

    @Test
    void compositeWithHoleAndPartlyOutside() {
        ShapeRoi outer = new ShapeRoi(new Roi(0, 0, 20, 20));
        ShapeRoi hole = new ShapeRoi(new Roi(5, 5, 10, 10));
        ByteProcessor m = SelectionMask.fromRoi(outer.not(hole), 32, 32);
        assertEquals(400 - 100, count(m));
        assertEquals(0, m.get(10, 10));
        assertEquals(100, count(SelectionMask.fromRoi(new Roi(-5, -5, 15, 15), 32, 32)), "clipped to the image");
    }

    @Test
    void wandTracedSelection() {
        ByteProcessor img = new ByteProcessor(32, 32);
        img.setColor(200);
        img.fill(new OvalRoi(4, 4, 16, 16));
        Wand w = new Wand(img);
        w.autoOutline(12, 12, 200.0, 255.0);
        PolygonRoi traced = new PolygonRoi(w.xpoints, w.ypoints, w.npoints, Roi.TRACED_ROI);
        ByteProcessor m = SelectionMask.fromRoi(traced, 32, 32);
        int inside = 0;
        for (int i = 0; i < 32 * 32; i++) {
            inside += img.get(i) == 200 ? 1 : 0;
        }
        assertEquals(inside, count(m), "the traced outline covers exactly the region's pixels");
    }

    @Test
    void refusesNoSelectionLinesAndOutside() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionMask.fromRoi(null, 8, 8))
                .getMessage().contains("needs an area selection"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SelectionMask.fromRoi(new Line(0, 0, 5, 5), 8, 8)).getMessage().contains("has no area"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SelectionMask.fromRoi(new Roi(20, 20, 5, 5), 8, 8)).getMessage().contains("outside the image"));
    }

    @Test
    void softMaskFromAn8BitImage() {
        ByteProcessor soft = new ByteProcessor(4, 2, new byte[] {0, 64, (byte) 128, (byte) 255, 0, 0, 1, 2});
        Mask m = SelectionMask.mask(SelectionMask.fromMaskImage(new ImagePlus("soft", soft), 4, 2));
        assertEquals(128, m.at(2, 0));
        assertEquals(2, m.at(3, 1));
        ByteProcessor inverted = (ByteProcessor) soft.duplicate();
        inverted.invert();
        inverted.invertLut();
        assertEquals(64, SelectionMask.fromMaskImage(new ImagePlus("inv", inverted), 4, 2).get(1, 0),
                "an inverting LUT is honoured: white on screen = repaint");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionMask.fromMaskImage(
                new ImagePlus("rgb", new ColorProcessor(4, 2)), 4, 2)).getMessage().contains("must be 8-bit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionMask.fromMaskImage(
                new ImagePlus("s", soft), 5, 2)).getMessage().contains("same size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionMask.fromMaskImage(
                new ImagePlus("s", new ShortProcessor(4, 2)), 4, 2)).getMessage().contains("must be 8-bit"));
    }

    @Test
    void maskSourceIsTheSelectionOrAnOpen8BitImageOfTheSameSize() {
        ImagePlus target = new ImagePlus("photo", new ColorProcessor(8, 4));
        target.setRoi(new Roi(0, 0, 2, 2));
        ImagePlus soft = new ImagePlus("soft", new ByteProcessor(8, 4));
        soft.getProcessor().set(3, 1, 99);
        ImagePlus small = new ImagePlus("small", new ByteProcessor(4, 4));
        ImagePlus rgb = new ImagePlus("rgb", new ColorProcessor(8, 4));
        assertEquals(java.util.List.of("Selection", "soft"),
                SelectionMask.sources(target, java.util.List.of(target, soft, small, rgb)));
        assertEquals(4, count(SelectionMask.fromSource(target, "Selection", t -> null)));
        assertEquals(99, SelectionMask.fromSource(target, "soft", t -> t.equals("soft") ? soft : null).get(3, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionMask.fromSource(target, "gone", t -> null))
                .getMessage().contains("no open image is titled 'gone'"));
    }
}
