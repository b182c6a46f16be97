package org.ijdiffusion.plugin.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import org.ijdiffusion.diffusion.io.AtomicFiles;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNGs with A1111's "parameters" text chunk: writing them, reading the chunk back. */
public final class PngFiles {
    private PngFiles() {
    }

    /**
     * Writes a PNG with a tEXt chunk "parameters" (what A1111, Civitai and PNG-info readers read).
     * The file appears only when complete ({@link AtomicFiles}: written beside it, synced, renamed into place).
     */
    public static void writePng(BufferedImage img, String parameters, Path target) throws IOException {
        AtomicFiles.write(target, os -> {
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(os)) {
                Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("png");
                ImageWriter writer = it.next();
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
                if (parameters != null) {
                    meta.mergeTree("javax_imageio_png_1.0", textChunk(parameters));
                }
                writer.setOutput(ios);
                writer.write(null, new IIOImage(img, null, meta), param);
                writer.dispose();
            }
        });
    }

    /** tEXt when the text is Latin-1 (what A1111 writes and Civitai reads), else iTXt (UTF-8), as PIL does. */
    private static IIOMetadataNode textChunk(String parameters) {
        boolean latin1 = parameters.chars().allMatch(c -> c < 256);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        IIOMetadataNode chunk = new IIOMetadataNode(latin1 ? "tEXt" : "iTXt");
        IIOMetadataNode entry = new IIOMetadataNode(latin1 ? "tEXtEntry" : "iTXtEntry");
        entry.setAttribute("keyword", "parameters");
        if (latin1) {
            entry.setAttribute("value", parameters);
        } else {
            entry.setAttribute("compressionFlag", "FALSE");
            entry.setAttribute("compressionMethod", "0");
            entry.setAttribute("languageTag", "");
            entry.setAttribute("translatedKeyword", "");
            entry.setAttribute("text", parameters);
        }
        chunk.appendChild(entry);
        root.appendChild(chunk);
        return root;
    }

    /** The "parameters" text (tEXt or iTXt) of a PNG, or null. */
    public static String readParameters(Path png) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            Iterator<javax.imageio.ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) {
                return null;
            }
            javax.imageio.ImageReader reader = it.next();
            reader.setInput(in);
            IIOMetadata meta = reader.getImageMetadata(0);
            org.w3c.dom.Node root = meta.getAsTree("javax_imageio_png_1.0");
            for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                boolean itxt = n.getNodeName().equals("iTXt");
                if (itxt || n.getNodeName().equals("tEXt")) {
                    for (org.w3c.dom.Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
                        org.w3c.dom.NamedNodeMap a = e.getAttributes();
                        if ("parameters".equals(a.getNamedItem("keyword").getNodeValue())) {
                            return a.getNamedItem(itxt ? "text" : "value").getNodeValue();
                        }
                    }
                }
            }
            return null;
        }
    }
}
